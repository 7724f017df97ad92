import Foundation
import Testing
import ConvMatrixTestSupport

/// The package as a user meets it before running anything: the version `convmat --version`
/// prints is the one CHANGELOG.md's newest entry names, LICENSE is the Apache License 2.0, and
/// the help that generate-manual reads for the man page loses no character.
@Suite struct PackageHygieneTests {
    private static func text(_ file: String) throws -> String {
        try String(contentsOf: CommandRunner.packageRoot.appendingPathComponent(file), encoding: .utf8)
    }

    @Test func versionIsTheChangelogsNewestEntry() throws {
        let run = try CommandRunner.convmat(["--version"])
        #expect(run.status == 0 && run.error.isEmpty)
        let version = run.output.trimmingCharacters(in: .newlines)
        #expect(
            version.split(separator: ".").count == 3 && version.allSatisfy { $0.isNumber || $0 == "." },
            "a semantic version such as 0.1.0, not \(version)")
        // The first second-level heading is the newest entry: "## 0.1.0 — unreleased" or "## 0.1.0 — 2027-01-15".
        let heading = try Self.text("CHANGELOG.md").split(separator: "\n").first { $0.hasPrefix("## ") }
        #expect(
            heading?.dropFirst(3).split(separator: " ").first.map(String.init) == version,
            "CHANGELOG.md's newest entry is \(heading ?? "missing"); convmat --version says \(version)")
    }

    @Test func subcommandsAcceptVersionToo() throws {
        let run = try CommandRunner.convmat(["matrix", "--version"])
        let root = try CommandRunner.convmat(["--version"])
        #expect(run.status == 0 && run.output == root.output)
    }

    @Test func licenseIsApache2() throws {
        let lines = try Self.text("LICENSE").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.prefix(2) == ["Apache License", "Version 2.0, January 2004"])
        #expect(lines.contains("END OF TERMS AND CONDITIONS"))
    }

    /// generate-manual keeps only ASCII characters; with CONVMAT_MANUAL_ESCAPES=1 the help it reads
    /// is ASCII and spells every other character as &#xHEX;, so that decoding gives the help back.
    @Test func helpForTheManualIsASCIIAndDecodesToTheHelp() throws {
        let plain = try CommandRunner.convmat(["--experimental-dump-help"])
        let escaped = try CommandRunner.convmat(["--experimental-dump-help"], environment: ["CONVMAT_MANUAL_ESCAPES": "1"])
        #expect(plain.status == 0 && escaped.status == 0)
        let showsNotation = plain.output.contains("C·x") && plain.output.contains("4×16")
        #expect(showsNotation, "the help this test relies on says C·x and 4×16")
        let ascii = escaped.output.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(ascii)
        #expect(Self.decoded(escaped.output) == plain.output)
    }

    /// Each `&#xHEX;` as the character it names (what Tools/man-page.pl does, less groff's spelling).
    private static func decoded(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let start = rest.firstRange(of: "&#x") {
            result += rest[..<start.lowerBound]
            let after = rest[start.upperBound...]
            guard let end = after.firstIndex(of: ";"), let value = UInt32(after[..<end], radix: 16),
                let scalar = Unicode.Scalar(value)
            else { return result + rest }
            result.unicodeScalars.append(scalar)
            rest = after[after.index(after: end)...]
        }
        return result + rest
    }
}
