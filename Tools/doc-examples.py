#!/usr/bin/env python3
"""Writes the ```swift blocks of README.md and docs/*.md into the downstream package as code that
must compile against ConvMatrix's *public* API, as a user's package compiles it.

The library's own tests run the same blocks (DocumentationSwiftExampleTests, LibraryGuideTests),
but from inside the package, where `package` declarations are visible too; built in
Tests/Downstream, which depends on ConvMatrix by path like any user's package, a block that
reaches for package-only API fails to compile.

Usage: python3 Tools/doc-examples.py [OUTPUT]   (default:
Tests/Downstream/Tests/DocumentationExamplesTests/DocumentationExamples.swift, not committed)

Each block of statements becomes the body of a function that nothing calls (compiling is the
check; the library's tests check what the blocks print). A statement that is a bare expression,
such as `up.outputSize   // [6, 6]`, is written `_ = up.outputSize` so that it compiles without
an unused-value warning. Blocks that show Package.swift lines are skipped, and so is
docs/testing-your-convolution.md, whose blocks call the downstream package's own conv2d and are
that package's tests already.
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["README.md"] + sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md"))
SKIPPED_PAGES = {"docs/testing-your-convolution.md"}
STATEMENT_STARTS = ("let ", "var ", "if ", "for ", "guard ", "while ", "switch ", "return", "print(", "}", "//", "import ", "do ", "do{", "catch", "else", "throw ", "defer", "break", "continue",
                    "func ", "struct ", "enum ", "extension ", "@")


def statements(lines):
    """Groups lines into statements: a statement continues while brackets are open or the next line
    starts with a dot (a chained call)."""
    group, depth = [], 0
    for index, line in enumerate(lines):
        group.append(line)
        code = re.sub(r'"(?:[^"\\]|\\.)*"', '""', line.split("//")[0])
        depth += code.count("(") + code.count("[") + code.count("{") - code.count(")") - code.count("]") - code.count("}")
        following = lines[index + 1].lstrip() if index + 1 < len(lines) else ""
        if depth <= 0 and not following.startswith("."):
            yield group
            group, depth = [], 0
    if group:
        yield group


def declared_names(statement):
    """The names a `let`/`var` statement declares at its top level: `let a = f(x), b = 2` -> a, b."""
    code = re.sub(r'"(?:[^"\\]|\\.)*"', '""', " ".join(line.split("//")[0] for line in statement))
    match = re.match(r"\s*(?:let|var)\s+(.*)", code)
    if not match:
        return []
    names, depth, expecting = [], 0, True
    for token in re.findall(r"[A-Za-z_]\w*|[()\[\]{},]|.", match.group(1)):
        if token in "([{":
            depth += 1
        elif token in ")]}":
            depth -= 1
        elif token == "," and depth == 0:
            expecting = True
        elif expecting and depth == 0 and re.match(r"[A-Za-z_]\w*$", token):
            names.append(token)
            expecting = False
    return names


def body(block):
    """The block's lines, bare expressions assigned to `_`, and a last line that uses every name the
    block declares (a reader's example need not use all of them; the compiler would warn)."""
    out, names = [], []
    for statement in statements(block.splitlines()):
        if not statement[0].startswith((" ", "\t")):
            names += declared_names(statement)
        first = statement[0]
        stripped = first.lstrip()
        code = re.sub(r'"(?:[^"\\]|\\.)*"', '""', stripped.split("//")[0])
        bare = (stripped and not stripped.startswith(STATEMENT_STARTS) and not stripped.startswith("try? ")
                and not re.search(r"(?<![=!<>])=(?!=)", code))
        if bare:
            statement = [first[: len(first) - len(stripped)] + "_ = " + stripped] + statement[1:]
        out.extend(statement)
    if names:
        out.append("_ = " + (names[0] if len(names) == 1 else "(" + ", ".join(names) + ")"))
    return out


def main(argv):
    output = Path(argv[0]) if argv else ROOT / "Tests/Downstream/Tests/DocumentationExamplesTests/DocumentationExamples.swift"
    imports = {"import ConvMatrix"}
    functions = []
    for page in PAGES:
        if page in SKIPPED_PAGES:
            continue
        text = (ROOT / page).read_text(encoding="utf-8")
        for number, block in enumerate(re.findall(r"```swift\n(.*?)```", text, re.S), 1):
            if re.search(r"\.package\(|\.product\(|\.target\(|// Package\.swift", block):
                continue
            lines = []
            for line in block.splitlines():
                if line.startswith("import "):
                    imports.add(line.strip())
                else:
                    lines.append(line)
            name = re.sub(r"\W", "_", page.removesuffix(".md")) + f"_{number}"
            code = "\n".join("    " + line if line else "" for line in body("\n".join(lines)))
            functions.append(f"// {page}, block {number}\nfunc {name}() throws {{\n{code}\n}}\n")
    output.parent.mkdir(parents=True, exist_ok=True)
    text = ("// Generated by Tools/doc-examples.py from the ```swift blocks of README.md and docs/: do not edit.\n"
            + "\n".join(sorted(imports)) + "\n\n" + "\n".join(functions))
    if not output.exists() or output.read_text(encoding="utf-8") != text:
        output.write_text(text, encoding="utf-8")
    print(f"doc-examples: {len(functions)} blocks from {len(PAGES) - len(SKIPPED_PAGES)} pages -> {output.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
