import Foundation
import Testing
import ConvMatrix
import ConvMatrixTestSupport

/// The contract every command keeps, whatever it is given: it finishes (no
/// hang), it never dies of a signal (no trap, no abort, no memory blow-up
/// killed by the system), and a refusal is exit status 2 with nothing on
/// standard output and exactly one line `error: …` on standard error.
///
/// Every numeric flag of every command is fed the hostile values below;
/// then random combinations of them are drawn from a fixed, printed seed
/// (`CONVMAT_CONTRACT_SEED` replays or explores others).
@Suite struct ContractTests {
    /// Values that have broken size arithmetic, number parsing or loops before.
    static let hostileValues = [
        "0", "-1", "2147483648", "4611686018427387904", "9223372036854775806", "9223372036854775807",
        "9223372036854775808", "1e30", "0x10", "", "٣", "3\n", "1x0x",
    ]

    /// A command that takes flags, with arguments that make it succeed on their own.
    struct Command: Sendable, CustomStringConvertible {
        let base: [String]
        let flags: [String]
        var description: String { base.joined(separator: " ") }
    }

    static let geometryFlags = ["--input", "--kernel", "--stride", "--padding", "--dilation", "--in-channels", "--out-channels", "--groups"]
    static let transposedFlags = ["--output-padding", "--output-size"]

    static let commands: [Command] = [
        Command(base: ["shape", "--input", "4x4", "--kernel", "3"], flags: geometryFlags),
        Command(base: ["shape", "--input", "2", "--kernel", "2", "--stride", "2", "--transposed"], flags: geometryFlags + transposedFlags),
        Command(base: ["matrix", "--input", "3", "--kernel", "2"], flags: geometryFlags + ["--max-memory", "--weights", "--highlight-row", "--max-differences"]),
        Command(base: ["matrix", "--input", "2", "--kernel", "2", "--transposed", "--format", "latex"], flags: geometryFlags + transposedFlags + ["--highlight-column"]),
        Command(base: ["matrix", "--input", "3", "--kernel", "2", "--format", "mtx"], flags: geometryFlags + ["--max-memory"]),
        Command(base: ["draw", "sliding", "--input", "3", "--kernel", "2"], flags: geometryFlags + ["--step"]),
        Command(base: ["draw", "scatter", "--input", "2", "--kernel", "2", "--transposed"], flags: geometryFlags + transposedFlags + ["--step"]),
        Command(base: ["draw", "zero-insertion", "--input", "2", "--kernel", "2", "--transposed", "--step", "0"], flags: geometryFlags + transposedFlags),
        Command(base: ["draw", "dilation", "--input", "5", "--kernel", "2", "--dilation", "2"], flags: geometryFlags),
        Command(base: ["draw", "spy", "--input", "4", "--kernel", "2"], flags: geometryFlags + ["--pixels"]),
        Command(base: ["verify", "--input", "3", "--kernel", "2"], flags: geometryFlags + ["--seed", "--weights", "--y", "--max-memory"]),
        Command(base: ["verify", "--input", "2", "--kernel", "2", "--transposed"], flags: geometryFlags + transposedFlags),
        Command(base: ["verify", "--random", "2"], flags: ["--random", "--seed"]),
        Command(base: ["bench", "--input", "3", "--kernel", "2", "--repeat", "1"], flags: geometryFlags + ["--repeat", "--batch", "--max-memory"]),
        Command(base: ["deconvolve", "--input", "5", "--kernel", "3", "--padding", "same", "--kernel-preset", "box"], flags: geometryFlags + ["--lambda"]),
        Command(base: ["exercise", "--count", "1"], flags: ["--seed", "--count"]),
    ]

    /// One (command, flag) pair per test case, each fed every hostile value.
    static let cases: [(Command, String)] = commands.flatMap { command in command.flags.map { (command, $0) } }

    @Test(arguments: cases)
    func everyHostileValueKeepsTheContract(command: Command, flag: String) throws {
        for value in Self.hostileValues {
            try Self.expectContract(command.base + [flag, value])
        }
    }

    /// Two or three hostile flags at once, on every command: 200 combinations drawn from a fixed seed.
    @Test func randomCombinationsKeepTheContract() throws {
        let seed = ProcessInfo.processInfo.environment["CONVMAT_CONTRACT_SEED"].flatMap { UInt64($0) } ?? 20_261_201
        print("ContractTests.randomCombinationsKeepTheContract: seed \(seed) (CONVMAT_CONTRACT_SEED)")
        var random = SplitMix64(seed: seed)
        for _ in 0..<200 {
            let command = Self.commands[random.int(in: 0...(Self.commands.count - 1))]
            var arguments = command.base
            for _ in 0..<(2 + random.int(in: 0...1)) {
                let flag = command.flags[random.int(in: 0...(command.flags.count - 1))]
                arguments += [flag, Self.hostileValues[random.int(in: 0...(Self.hostileValues.count - 1))]]
            }
            try Self.expectContract(arguments)
        }
    }

    /// Runs `arguments` and checks the contract.
    static func expectContract(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let outcome = try CommandRunner.convmat(arguments, timeLimit: 30)
        let shown = arguments.map { $0.isEmpty || $0.contains(" ") || $0.contains("\n") ? "'\($0)'" : $0 }.joined(separator: " ")
        #expect(!outcome.timedOut, "convmat \(shown) did not finish in 30 s", sourceLocation: sourceLocation)
        #expect([0, 1, 2].contains(outcome.status), "convmat \(shown) ended with status \(outcome.status): \(outcome.error.prefix(300))", sourceLocation: sourceLocation)
        if outcome.status == 2 {
            let lines = outcome.error.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(outcome.output.isEmpty, "convmat \(shown) refused but printed on standard output", sourceLocation: sourceLocation)
            #expect(lines.count == 2 && lines[0].hasPrefix("error: ") && lines[1].isEmpty,
                    "convmat \(shown): the refusal is not one `error:` line: \(outcome.error.prefix(300))", sourceLocation: sourceLocation)
        }
    }
}
