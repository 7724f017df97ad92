/// convmat's version: the one place it is written. `convmat --version` prints it, the man page
/// (`make install`) carries it, and a test checks that CHANGELOG.md's newest entry names it.
let convmatVersion = "0.1.0"
