import Foundation
import Testing
import ConvMatrixTestSupport

/// The examples in the guide are real: each fenced block that starts with `$ convmat …`
/// must print exactly the lines that follow it.
@Suite struct DocumentationExampleTests {
    /// Pages whose examples are checked. Examples that pipe into another program, read a
    /// file the page made earlier, or print timings are not checkable and are skipped.
    static let pages = ["docs/guide.md", "README.md", "docs/printing.md", "docs/verification.md", "docs/testing-your-convolution.md"]

    /// Whether an example can be run as it stands.
    static func isCheckable(_ command: [String]) -> Bool {
        !command.contains { $0 == "|" || $0 == ">" || $0.hasSuffix(".mtx") || $0.hasSuffix(".json") || $0.hasSuffix(".pgm") || $0 == "--output" }
            && !(command.first == "verify" && command.contains("--random") && !command.contains("--seed"))
    }

    struct Example { let command: [String]; let output: String }

    static func examples(in text: String) -> [Example] {
        var result = [Example]()
        let blocks = text.components(separatedBy: "```")
        // Odd-numbered pieces are the insides of fenced blocks.
        for block in blocks.enumerated().filter({ $0.offset % 2 == 1 }).map(\.element) {
            var lines = block.split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
            guard let first = lines.first, first.hasPrefix("$ convmat ") else { continue }
            lines = lines.dropFirst()
            let command = first.dropFirst("$ convmat ".count).split(separator: " ").map(String.init)
            let output = lines.joined(separator: "\n")
            result.append(Example(command: command, output: output.hasSuffix("\n") ? output : output + "\n"))
        }
        return result
    }

    @Test(arguments: pages)
    func examplesPrintWhatThePageShows(_ page: String) throws {
        let text = try String(contentsOf: CommandRunner.packageRoot.appendingPathComponent(page), encoding: .utf8)
        let examples = Self.examples(in: text)
        #expect(!examples.isEmpty, "\(page) has no `$ convmat` examples")
        for example in examples where Self.isCheckable(example.command) {
            // A page shows standard output; for a failing command also standard error and
            // "(exit status N)" as the last line. Progress on standard error is not shown.
            let outcome = try CommandRunner.convmat(example.command)
            let shown =
                outcome.status == 0
                ? outcome.output
                : outcome.output + outcome.error + "(exit status \(outcome.status))\n"
            #expect(shown == example.output, "\(page): convmat \(example.command.joined(separator: " "))")
        }
    }
}
