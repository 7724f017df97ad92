#!/usr/bin/env bash
# `make install PREFIX=<temporary folder>` as a user would run it, then each installed file used
# the way its program uses it, then `make uninstall`. Run by `make test` (which installs man-db,
# zsh and fish first); needs .build/debug/convmat for the version to compare with.
# CONFIGURATION (default release, as `make install`) picks the build that is installed; `make test`
# installs its debug build, the same files from the same sources, because a release build of every
# product (generate-manual builds them all, Hummingbird included) costs 10–15 minutes on 2 cores.
set -u
cd "$(dirname "$0")/../.."
prefix="$(mktemp -d)"
scratch="$(mktemp -d)"
trap 'rm -rf "$prefix" "$scratch"' EXIT
passed=0
failed=0

check() {  # check NAME COMMAND…: runs the command, counts and reports the result
    local name="$1"; shift
    if "$@" >"$scratch/out" 2>&1; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL install: $name"
        sed 's/^/    /' "$scratch/out" | head -20
    fi
}

# grep for a fixed string, showing what was searched on failure
contains() { grep -qF -- "$2" "$1" || { echo "no line with '$2' in:"; head -40 "$1"; return 1; }; }

installed() {
    ${MAKE:-make} --no-print-directory install PREFIX="$prefix" CONFIGURATION="${CONFIGURATION:-release}" >"$scratch/install.log" 2>&1 || { cat "$scratch/install.log"; return 1; }
}
check "make install PREFIX=$prefix" installed

bin="$prefix/bin/convmat"
page="$prefix/share/man/man1/convmat.1"
bash_completion="$prefix/share/bash-completion/completions/convmat"
zsh_completions="$prefix/share/zsh/site-functions"
fish_completions="$prefix/share/fish/vendor_completions.d"
for file in "$bin" "$prefix/bin/convmat-serve" "$page" "$bash_completion" "$zsh_completions/_convmat" "$fish_completions/convmat.fish"; do
    check "$file is installed and not empty" test -s "$file"
done

# The binary runs from anywhere and says the version the source says.
version_matches() {
    local expected actual
    expected="$(.build/debug/convmat --version)" && actual="$(cd / && "$bin" --version)" || return 1
    echo "installed: $actual, built: $expected"; [ -n "$actual" ] && [ "$actual" = "$expected" ]
}
check "the installed convmat --version is the built one's" version_matches
runs() { (cd / && "$bin" matrix --input 4x4 --kernel 3x3) >"$scratch/matrix" && contains "$scratch/matrix" "C: 4×16, 36 nonzeros (convolution y = C·x)"; }
check "the installed convmat prints a matrix outside the checkout" runs
# The installed convmat serve becomes the installed convmat-serve, built with its HTTP server (the
# package trait Explorer): it prints its URL (the first free port from 8080) until it is stopped.
serves() { (cd / && timeout 5 "$bin" serve --host 127.0.0.1) >"$scratch/serve" 2>&1; contains "$scratch/serve" "ConvMatrix explorer: http://127.0.0.1:"; }
check "the installed convmat serve starts the installed explorer" serves

# bash: the script defines the completion function; what it offers for `convmat ma` and `convmat matrix --ker`.
bash_offers() {  # bash_offers LINE EXPECTED
    bash --norc --noprofile -c '
        source "$1"
        COMP_LINE="$2"; COMP_POINT=${#COMP_LINE}; read -r -a COMP_WORDS <<< "$COMP_LINE"
        [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
        COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
        _convmat convmat "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf "%s\n" "${COMPREPLY[@]}"' bash "$bash_completion" "$1" >"$scratch/offers" 2>&1 \
        && contains "$scratch/offers" "$2"
}
check "bash completes 'convmat ma' to matrix" bash_offers "convmat ma" "matrix"
check "bash completes 'convmat matrix --ker' to --kernel" bash_offers "convmat matrix --ker" "--kernel"

# zsh: valid syntax, and compinit finds _convmat for convmat through fpath, as for PREFIX/share/zsh/site-functions.
check "zsh -n accepts _convmat" zsh -n "$zsh_completions/_convmat"
zsh_registers() {
    [ "$(zsh -f -c 'fpath=("$1" $fpath); autoload -Uz compinit; compinit -u -d "$2/zcompdump"; print -r -- ${_comps[convmat]}' zsh "$zsh_completions" "$scratch")" = "_convmat" ]
}
check "zsh's compinit registers _convmat for convmat" zsh_registers

# fish: loaded from the vendor_completions.d folder on its completion path, as fish does for
# PREFIX/share/fish, once convmat is a command it can find (PREFIX/bin on PATH).
fish_offers() {  # fish_offers LINE EXPECTED
    PATH="$prefix/bin:$PATH" fish --no-config -c 'set -p fish_complete_path $argv[1]; complete -C $argv[2]' "$fish_completions" "$1" >"$scratch/offers" 2>&1 \
        || { cat "$scratch/offers"; return 1; }
    contains "$scratch/offers" "$2"
}
check "fish completes 'convmat ma' to matrix" fish_offers "convmat ma" "matrix"
check "fish completes 'convmat matrix --ker' to --kernel" fish_offers "convmat matrix --ker" "--kernel"

# man: the page renders without groff warnings; on a UTF-8 terminal with its characters, and
# with ASCII text where the terminal has none (LC_ALL=C); and man finds it under PREFIX/share/man.
renders() {  # renders LOCALE TEXT…
    local locale="$1"; shift
    LC_ALL="$locale" MANWIDTH=100 MANPAGER=cat man -l "$page" >"$scratch/page" 2>"$scratch/warnings" || return 1
    [ ! -s "$scratch/warnings" ] || { echo "man printed warnings:"; cat "$scratch/warnings"; return 1; }
    local text
    for text in "$@"; do contains "$scratch/page" "$text" || return 1; done
}
check "man -l shows 'y = C·x', 'multiplies by Cᵀ' and '4×16' in C.UTF-8" \
    renders C.UTF-8 "y = C·x" "multiplies by Cᵀ" "the 4×16 matrix"
check "man -l shows 'y = C*x', 'multiplies by C^T' and '4x16' in the C locale" \
    renders C "y = C*x" "multiplies by C^T" "the 4x16 matrix"
found_by_man() { MANPAGER=cat MANWIDTH=100 man -M "$prefix/share/man" convmat >"$scratch/page" && contains "$scratch/page" "CONVMAT(1)"; }
check "man -M PREFIX/share/man convmat finds the page" found_by_man

# Uninstall leaves no file behind (the empty folders stay, as with any uninstall into a shared prefix).
uninstalled() {
    ${MAKE:-make} --no-print-directory uninstall PREFIX="$prefix" CONFIGURATION="${CONFIGURATION:-release}" >/dev/null || return 1
    local left; left="$(find "$prefix" ! -type d)"
    [ -z "$left" ] || { echo "left behind:"; echo "$left"; return 1; }
}
check "make uninstall PREFIX=$prefix removes every installed file" uninstalled

echo "install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
