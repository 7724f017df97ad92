#!/usr/bin/env python3
"""Checks what swift-format's documentation rules leave unchecked in the public API's doc comments.

`swift format lint --strict` (run by `make test`, configured in .swift-format) enforces
AllPublicDeclarationsHaveDocumentation (every public declaration has a `///` comment) and
ValidateDocumentationComments (the `- Parameters`, `- Returns` and `- Throws` sections match the
declaration) — but the latter looks only at comments that have a parameter section. This script
checks the rest:

- a public func, init or subscript whose comment has no `- Parameter(s)` section at all must still
  name every parameter (by its own name, as DocC matches them: `requested` for
  `outputSize requested: [Int]?`), say what it returns (`- Returns:`, for a result other than Void)
  and when it throws (`- Throws:`, for `throws`, `throws(E)` and `rethrows`);
- the builders and products listed in COMPLEXITY below state their cost (`- Complexity:`), which
  no swift-format rule asks for.

Usage: python3 Tools/check-doc-comments.py [--summary] [SOURCE_FOLDER ...]
Exit status 1 with one line per finding (file:line: symbol: what is missing), 0 when none.
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ["Sources/ConvMatrixCore", "Sources/ConvMatrixPooling", "Sources/ConvMatrixVerification", "Sources/ConvMatrixSpectrum",
           "Sources/ConvMatrixInterchange", "Sources/ConvMatrixRendering", "Sources/ConvMatrixTeaching", "Sources/ConvMatrixTesting"]

# Builders and products: (path prefix, declaration name) pairs whose doc comment states
# `- Complexity:`. A name of "*" means every public func and init of that file.
COMPLEXITY = [
    ("Sources/ConvMatrixCore/Building/ConvolutionMatrix.swift", "init"),
    ("Sources/ConvMatrixCore/Building/ConvolutionMatrix.swift", "values"),
    ("Sources/ConvMatrixCore/Building/MatrixLines.swift", "forEachRow"),
    ("Sources/ConvMatrixCore/Building/MatrixLines.swift", "forEachColumn"),
    ("Sources/ConvMatrixCore/Building/MatrixLines.swift", "forEachMatrixRow"),
    ("Sources/ConvMatrixCore/Building/MatrixLines.swift", "forEachMatrixColumn"),
    ("Sources/ConvMatrixCore/Geometry/NonzeroCount.swift", "of"),
    ("Sources/ConvMatrixCore/SuiteSparse/SparseMatrix.swift", "init"),
    ("Sources/ConvMatrixCore/SuiteSparse/SparseMatrix.swift", "multiply"),
    ("Sources/ConvMatrixCore/SuiteSparse/SparseMatrix.swift", "multiplyTransposed"),
    ("Sources/ConvMatrixCore/SuiteSparse/CholeskyFactor.swift", "init"),
    ("Sources/ConvMatrixCore/SuiteSparse/CholeskyFactor.swift", "solve"),
    ("Sources/ConvMatrixCore/Reference/", "*"),
    ("Sources/ConvMatrixVerification/Verifier.swift", "verify"),
    ("Sources/ConvMatrixVerification/PoolingVerification.swift", "init"),
    ("Sources/ConvMatrixRendering/MatrixComparison.swift", "init"),
    ("Sources/ConvMatrixPooling/PoolingMatrix.swift", "init"),
    ("Sources/ConvMatrixPooling/PoolingMatrix.swift", "transposed"),
    ("Sources/ConvMatrixPooling/PoolingMatrix.swift", "multiply"),
    ("Sources/ConvMatrixTeaching/Deconvolution/Deconvolution.swift", "init"),
    ("Sources/ConvMatrixTeaching/Deconvolution/Deconvolution.swift", "convolve"),
    ("Sources/ConvMatrixTeaching/Deconvolution/Deconvolution.swift", "transposedConvolution"),
    ("Sources/ConvMatrixTeaching/Deconvolution/Deconvolution.swift", "recover"),
    ("Sources/ConvMatrixRendering/MatrixPrinter", "render"),
    ("Sources/ConvMatrixRendering/Pictures/ConvolutionPicture.swift", "figure"),
    ("Sources/ConvMatrixRendering/Pictures/Figure.swift", "rendered"),
    ("Sources/ConvMatrixRendering/Pictures/Figure+SVG.swift", "svg"),
    ("Sources/ConvMatrixRendering/Pictures/Figure+TikZ.swift", "tikz"),
    ("Sources/ConvMatrixTesting/OracleComparison.swift", "expectedOutput"),
    ("Sources/ConvMatrixTesting/OracleComparison.swift", "compare"),
    ("Sources/ConvMatrixTesting/ConvolutionTestCase+Verify.swift", "verify"),
    ("Sources/ConvMatrixTesting/AdjointTest.swift", "verifyAdjoint"),
]

DECLARATION = re.compile(
    r"^\s*(?:@[\w.]+(?:\([^)]*\))?\s+)*"
    r"(?:(?:public|open|static|class|final|mutating|nonmutating|convenience|required|override|"
    r"nonisolated|indirect|lazy|@\w+)\s+)*"
    r"(?:public|open)\s+"
    r"(?:(?:static|class|final|mutating|nonmutating|convenience|required|override|nonisolated|"
    r"indirect|lazy)\s+)*"
    r"(func|init|subscript|var|let|struct|enum|final class|class|protocol|typealias|actor|case)\b"
)
ATTRIBUTE_LINE = re.compile(r"^\s*@[\w.]+(\(.*\))?\s*$")


def split_top_level(text, separator=","):
    """`text` split at `separator` outside brackets and generic angle brackets (not `<<`, `->`)."""
    parts, depth, angles, current = [], 0, 0, ""
    for i, c in enumerate(text):
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "<" and (before.isalnum() or before == "_") and after not in "<= ":
            angles += 1
        elif c == ">" and angles > 0 and before != "-":
            angles -= 1
        if c == separator and depth == 0 and angles == 0:
            parts.append(current)
            current = ""
        else:
            current += c
    if current.strip():
        parts.append(current)
    return parts


def matching_paren(text, start):
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


def signature(lines, index):
    """The declaration from its first line to its body's `{` (or the end of the requirement)."""
    text = ""
    for line in lines[index:index + 40]:
        code = re.sub(r"\s//.*$", "", line)
        text += " " + code.strip()
        opened = text.count("(") - text.count(")")
        if opened == 0 and ("{" in code or not code.rstrip().endswith((",", "(", "->"))):
            break
    return text.split("{")[0]


def parameter_names(sig, kind):
    key = "init" if kind == "init" else ("subscript" if kind == "subscript" else "func")
    m = re.search(r"\b" + key + r"\b[^(]*", sig)
    start = sig.find("(", m.end() - 1 if m else 0)
    if start < 0:
        return [], ""
    end = matching_paren(sig, start)
    inner, rest = sig[start + 1:end], sig[end + 1:]
    names = []
    for part in split_top_level(inner):
        head = part.split(":")[0].split()
        head = [h for h in head if not h.startswith("@") and h not in ("inout", "borrowing", "consuming")]
        if not head:
            continue
        names.append(head[-1])
    return names, rest


def doc_comment(lines, index):
    j = index - 1
    while j >= 0 and ATTRIBUTE_LINE.match(lines[j]):
        j -= 1
    comment = []
    while j >= 0 and lines[j].strip().startswith("///"):
        comment.insert(0, lines[j].strip()[3:])
        j -= 1
    return "\n".join(comment)


def needs_complexity(path, name):
    return any(path.startswith(prefix) and (wanted == "*" or wanted == name) for prefix, wanted in COMPLEXITY)


def check_file(path, relative):
    findings, checked = [], 0
    lines = path.read_text(encoding="utf-8").split("\n")
    for index, line in enumerate(lines):
        m = DECLARATION.match(line)
        if not m:
            continue
        kind = m.group(1)
        name_match = re.search(r"\b" + re.escape(kind.split()[-1]) + r"\s+([\w`]+|[^\s(<]+)", line)
        name = kind if kind in ("init", "subscript") else (name_match.group(1) if name_match else kind)
        checked += 1
        comment = doc_comment(lines, index)
        where = f"{relative}:{index + 1}: {name}"
        if not comment.strip() or kind not in ("func", "init", "subscript"):
            continue  # swift-format's AllPublicDeclarationsHaveDocumentation
        sig = signature(lines, index)
        names, rest = parameter_names(sig, kind)
        if not re.search(r"^\s*-\s*Parameters?\b", comment, re.M):
            # swift-format's ValidateDocumentationComments checks only comments with a parameter section.
            # DocC matches a parameter by its own (internal) name, not by its argument label.
            missing = [n for n in names if n != "_"]
            if missing:
                findings.append(f"{where}: no - Parameter(s) entry for {', '.join(missing)}")
            result = re.search(r"->\s*(.+?)\s*(?:where\b|$)", rest)
            if kind == "func" and result and result.group(1).strip() not in ("Void", "()"):
                if not re.search(r"^\s*-\s*Returns\s*:", comment, re.M):
                    findings.append(f"{where}: no - Returns:")
            if re.search(r"\b(throws|rethrows)\b", rest.split("->")[0]):
                if not re.search(r"^\s*-\s*Throws\s*:", comment, re.M):
                    findings.append(f"{where}: no - Throws:")
        if needs_complexity(relative, name) and not re.search(r"^\s*-\s*Complexity\s*:", comment, re.M):
            findings.append(f"{where}: no - Complexity:")
    return findings, checked


SELF_TEST = """
/// Documented.
///
/// - Parameters:
///   - x: an operand.
///   - requested: the size.
/// - Returns: a value.
/// - Throws: never here.
public func good(_ x: [Int], outputSize requested: Int = 1 << 4) throws(E) -> Int { 0 }

/// Says nothing of its parameter or result.
@discardableResult
public static func bare(label y: Dictionary<String, Int>, z: Int) -> Int { 0 }

/// Labels are not names.
///
/// - Parameter outputSize: the size.
public init(outputSize requested: Int) rethrows {}

public var undocumented: Int

/// Sets only.
public mutating func set(_ value: Int) {}
"""

SELF_TEST_EXPECTED = [
    "t.swift:12: bare: no - Parameter(s) entry for y, z",
    "t.swift:12: bare: no - Returns:",
    "t.swift:22: set: no - Parameter(s) entry for value",
]


def self_test():
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.swift"
        path.write_text(SELF_TEST.lstrip("\n"), encoding="utf-8")
        found, _ = check_file(path, "t.swift")
    if found != SELF_TEST_EXPECTED:
        print("check-doc-comments: self-test failed:\n  " + "\n  ".join(found), file=sys.stderr)
        return False
    return True


def main(argv):
    if not self_test():
        return 2
    summary = "--summary" in argv
    folders = [a for a in argv if not a.startswith("--")] or FOLDERS
    findings, checked = [], 0
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.swift")):
            relative = path.relative_to(ROOT).as_posix()
            found, count = check_file(path, relative)
            checked += count
            findings += found
    if not summary:
        for finding in findings:
            print(finding)
    print(f"check-doc-comments: {checked} public declarations, {len(findings)} findings", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
