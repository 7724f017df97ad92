import Foundation
import Testing
import ConvMatrixTestSupport

/// docs/cli.md must say what `--help` says, command for command.
@Suite struct CommandReferenceTests {
    /// The subcommands `convmat --help` lists.
    static func subcommands(in help: String) -> [String] {
        guard let start = help.range(of: "SUBCOMMANDS:\n") else { return [] }
        return help[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { !$0.isEmpty }
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    @Test func referenceMatchesHelp() throws {
        let reference = try String(contentsOf: CommandRunner.packageRoot.appendingPathComponent("docs/cli.md"), encoding: .utf8)
        let root = try CommandRunner.convmat(["--help"], environment: ["COLUMNS": "100"])
        let commands = Self.subcommands(in: root.output)
        #expect(commands.count >= 4, "no subcommands found in: \(root.output)")
        #expect(reference.contains("```\n" + root.output + "```"), "the overview differs; run `make cli-docs`")
        for command in commands {
            let help = try CommandRunner.convmat([command, "--help"], environment: ["COLUMNS": "100"])
            #expect(
                reference.contains("## convmat \(command)\n\n```\n" + help.output + "```"),
                "docs/cli.md is out of date for `convmat \(command)`; run `make cli-docs`")
            for subcommand in Self.subcommands(in: help.output) {
                let nested = try CommandRunner.convmat([command, subcommand, "--help"], environment: ["COLUMNS": "100"])
                #expect(
                    reference.contains("### convmat \(command) \(subcommand)\n\n```\n" + nested.output + "```"),
                    "docs/cli.md is out of date for `convmat \(command) \(subcommand)`; run `make cli-docs`")
            }
        }
    }
}
