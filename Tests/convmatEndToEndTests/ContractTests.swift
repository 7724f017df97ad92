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

    static let geometryFlags = ["--input", "--kernel", "--stride", "--padding", "--padding-mode", "--dilation", "--in-channels", "--out-channels", "--groups"]
    static let transposedFlags = ["--output-padding", "--output-size"]

    static let commands: [Command] = [
        Command(base: ["shape", "--input", "4x4", "--kernel", "3"], flags: geometryFlags),
        Command(base: ["shape", "--input", "2", "--kernel", "2", "--stride", "2", "--transposed"], flags: geometryFlags + transposedFlags),
        Command(
            base: ["matrix", "--input", "3", "--kernel", "2"], flags: geometryFlags + ["--max-memory", "--weights", "--highlight-row", "--max-differences"]),
        Command(
            base: ["matrix", "--input", "2", "--kernel", "2", "--transposed", "--format", "latex"],
            flags: geometryFlags + transposedFlags + ["--highlight-column"]),
        Command(base: ["matrix", "--input", "3", "--kernel", "2", "--format", "mtx"], flags: geometryFlags + ["--max-memory"]),
        Command(
            base: [
                "matrix", "--input", "3", "--kernel", "2", "--weights", "1,2", "--format", "npy", "--output",
                FileManager.default.temporaryDirectory.appendingPathComponent("convmat-contract-c.npy").path,
            ], flags: geometryFlags + ["--weights", "--block"]),
        Command(
            base: ["matrix", "--input", "3", "--kernel", "2", "--weights", "1,2", "--transposed", "--format", "coo-json"],
            flags: geometryFlags + transposedFlags + ["--max-memory", "--weights", "--block"]),
        Command(base: ["draw", "sliding", "--input", "3", "--kernel", "2"], flags: geometryFlags + ["--step"]),
        Command(base: ["draw", "scatter", "--input", "2", "--kernel", "2", "--transposed"], flags: geometryFlags + transposedFlags + ["--step"]),
        Command(base: ["draw", "zero-insertion", "--input", "2", "--kernel", "2", "--transposed", "--step", "0"], flags: geometryFlags + transposedFlags),
        Command(base: ["draw", "dilation", "--input", "5", "--kernel", "2", "--dilation", "2"], flags: geometryFlags),
        Command(base: ["draw", "spy", "--input", "4", "--kernel", "2"], flags: geometryFlags + ["--pixels"]),
        Command(
            base: ["draw", "spy", "--input", "4x3", "--kernel", "2", "--order", "column-major", "--flip", "--show-padding"],
            flags: geometryFlags + transposedFlags + ["--pixels"]),
        Command(
            base: ["draw", "zero-insertion", "--input", "3", "--kernel", "3", "--stride", "2", "--transposed"],
            flags: geometryFlags + transposedFlags + ["--sheet", "--values", "--weights"]),
        Command(
            base: ["draw", "sliding", "--input", "3", "--kernel", "2", "--weights", "1,2", "--values", "1,2,3", "--flip"],
            flags: geometryFlags + ["--step", "--sheet", "--values", "--weights"]),
        Command(
            base: ["matrix", "--input", "3", "--kernel", "2", "--padding", "1", "--show-padding", "--flip", "--order", "column-major"],
            flags: geometryFlags + transposedFlags + ["--block", "--weights"]),
        // Padding that copies: replicate takes any amount of padding, so hostile sizes meet the edge-window count.
        Command(
            base: ["matrix", "--input", "5", "--kernel", "3", "--padding", "2", "--padding-mode", "replicate", "--show-padding", "--labels"],
            flags: geometryFlags + transposedFlags + ["--weights"]),
        Command(base: ["verify", "--input", "4x3", "--kernel", "3", "--padding", "1x2", "--padding-mode", "circular", "--brief"], flags: geometryFlags),
        Command(base: ["matrix", "--input", "4", "--kernel", "2", "--pool", "avg", "--ceil-mode"], flags: geometryFlags + ["--block", "--highlight-row"]),
        Command(base: ["matrix", "--input", "4", "--kernel", "2", "--pool", "max", "--values", "1,2,3,4"], flags: geometryFlags + ["--values"]),
        Command(base: ["shape", "--input", "5", "--kernel", "2", "--pool", "max", "--ceil-mode"], flags: geometryFlags),
        Command(base: ["verify", "--input", "4", "--kernel", "2", "--pool", "max", "--brief"], flags: geometryFlags + ["--values", "--y", "--seed"]),
        Command(base: ["verify", "--input", "3", "--kernel", "2", "--brief"], flags: geometryFlags + ["--weights"]),
        Command(base: ["verify", "--input", "3", "--kernel", "2"], flags: geometryFlags + ["--seed", "--weights", "--y", "--max-memory"]),
        Command(base: ["verify", "--input", "2", "--kernel", "2", "--transposed"], flags: geometryFlags + transposedFlags),
        Command(base: ["verify", "--random", "2"], flags: ["--random", "--seed"]),
        Command(base: ["bench", "--input", "3", "--kernel", "2", "--repeat", "1"], flags: geometryFlags + ["--repeat", "--batch", "--max-memory"]),
        Command(base: ["deconvolve", "--input", "5", "--kernel", "3", "--padding", "same", "--kernel-preset", "box"], flags: geometryFlags + ["--lambda"]),
        Command(
            base: ["spectrum", "--input", "4", "--kernel", "2", "--padding", "0:1", "--padding-mode", "circular", "--random-weights", "1"],
            flags: geometryFlags + ["--random-weights", "--route", "--max-memory"]),
        Command(base: ["exercise", "--count", "1"], flags: ["--seed", "--count"]),
        // An address serve refuses (ServeOptions), so that flags it accepts end in a refusal too instead of a server.
        Command(base: ["serve", "--host", "no.such.address"], flags: ["--port", "--max-memory"]),
        Command(
            base: ["cases", "--random", "2", "--output", FileManager.default.temporaryDirectory.appendingPathComponent("convmat-contract-cases").path],
            flags: ["--random", "--seed", "--max-size", "--max-channels", "--max-work", "--padding-modes"]),
    ]

    /// One (command, flag) pair per test case, each fed every hostile value.
    static let cases: [(Command, String)] = commands.flatMap { command in command.flags.map { (command, $0) } }

    @Test(arguments: cases)
    func everyHostileValueKeepsTheContract(command: Command, flag: String) throws {
        for value in Self.hostileValues {
            try Self.expectContract(command.base + [flag, value])
        }
    }

    /// Two or three hostile flags at once, on every command: 120 combinations drawn from a fixed seed.
    @Test func randomCombinationsKeepTheContract() throws {
        let seed = ProcessInfo.processInfo.environment["CONVMAT_CONTRACT_SEED"].flatMap { UInt64($0) } ?? 20_261_201
        print("ContractTests.randomCombinationsKeepTheContract: seed \(seed) (CONVMAT_CONTRACT_SEED)")
        var random = SplitMix64(seed: seed)
        for _ in 0..<120 {
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
        #expect(
            [0, 1, 2].contains(outcome.status), "convmat \(shown) ended with status \(outcome.status): \(outcome.error.prefix(300))",
            sourceLocation: sourceLocation)
        if outcome.status == 2 {
            let lines = outcome.error.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(outcome.output.isEmpty, "convmat \(shown) refused but printed on standard output", sourceLocation: sourceLocation)
            #expect(
                lines.count == 2 && lines[0].hasPrefix("error: ") && lines[1].isEmpty,
                "convmat \(shown): the refusal is not one `error:` line: \(outcome.error.prefix(300))", sourceLocation: sourceLocation)
        }
    }
}

/// Output that cannot be written is an error, never a success; files appear whole.
@Suite struct OutputFailureTests {
    /// One command of each kind that prints.
    static let printing: [[String]] = [
        ["demo"], ["shape", "--input", "4", "--kernel", "3"], ["matrix", "--input", "4x4", "--kernel", "3"],
        ["matrix", "--input", "64x64", "--kernel", "3", "--format", "mtx"], ["draw", "sliding", "--input", "4", "--kernel", "3"],
        ["verify", "--input", "3", "--kernel", "2"], ["verify", "--random", "3"], ["bench", "--input", "8", "--kernel", "3", "--repeat", "1"],
        ["deconvolve", "--input", "8", "--kernel", "3", "--padding", "same", "--kernel-preset", "box"],
        ["exercise", "--count", "2"], ["convmat-help"],
    ]

    /// Runs `command` through the shell with standard output redirected as `redirect` says.
    static func run(_ command: [String], redirect: String) throws -> CommandRunner.Outcome {
        let arguments = command == ["convmat-help"] ? ["--help"] : command
        return try CommandRunner.execute(
            URL(fileURLWithPath: "/bin/sh"), ["-c", "exec \"$0\" \"$@\" \(redirect)", CommandRunner.executable.path] + arguments)
    }

    /// A full disk: exit status 74 and one line naming standard output, for every printing command
    /// and for what the argument parser prints (help, version).
    @Test(arguments: printing + [["matrix", "--help"], ["exercise", "check", "--help"], ["help", "matrix"], ["--version"]])
    func aFullDiskIsAnError(command: [String]) throws {
        let outcome = try Self.run(command, redirect: "> /dev/full")
        #expect(outcome.status == 74, "\(command): \(outcome.error)")
        #expect(outcome.error.hasSuffix("error: standard output: cannot be written (No space left on device)\n"), "\(outcome.error)")
    }

    /// convmat-serve's own help, on a full disk, is status 74 too.
    @Test func theServersHelpOnAFullDiskIsAnError() throws {
        let server = CommandRunner.executable.deletingLastPathComponent().appendingPathComponent("convmat-serve")
        let outcome = try CommandRunner.execute(URL(fileURLWithPath: "/bin/sh"), ["-c", "exec \"$0\" --help > /dev/full", server.path])
        #expect(outcome.status == 74)
        #expect(outcome.error == "error: standard output: cannot be written (No space left on device)\n")
    }

    /// A file given as --output that is a link to a device that cannot take the data (/dev/full)
    /// is written in place, and its failure reported (74); a set's folder that is such a link is refused (2).
    @Test func outputThroughALinkToAFullDeviceIsAnError() throws {
        let folder = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let link = folder.appendingPathComponent("link").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/full")
        let matrix = try CommandRunner.convmat(["matrix", "--input", "4", "--kernel", "3", "--output", link])
        #expect(matrix.status == 74 && matrix.error == "error: \(link): cannot be written (No space left on device)\n")
        let images = try CommandRunner.convmat([
            "deconvolve", "--input", "8", "--kernel", "3", "--padding", "same", "--kernel-preset", "box", "--no-times", "--output", link,
        ])
        #expect(images.status == 2 && images.output.isEmpty)
        #expect(images.error == "error: \(link): cannot be written (is a device, not a folder)\n")
    }

    /// A closed standard output is refused at once (74), before anything is computed or written.
    @Test(arguments: printing.prefix(4))
    func aClosedStandardOutputIsAnError(command: [String]) throws {
        let outcome = try Self.run(command, redirect: ">&-")
        #expect(outcome.status == 74)
        #expect(outcome.error == "error: standard output is closed, so nothing could be printed\n")
    }

    /// Two processes writing different sets into the same folder at once: whatever the
    /// interleaving, the folder ends with one complete set — the sheet and both keys of the
    /// same seed — never a mixture and never a torn file (30 races).
    @Test func concurrentSetsNeverMix() throws {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("sheet").path
        for trial in 0..<30 {
            let group = DispatchGroup()
            for seed in [1, 2] {
                DispatchQueue.global().async(group: group) {
                    _ = try? CommandRunner.convmat(["exercise", "--seed", "\(seed)", "--count", "7", "--output", target])
                }
            }
            group.wait()
            let sheet = try String(contentsOfFile: target + "/sheet.md", encoding: .utf8)
            let key = try String(contentsOfFile: target + "/key.md", encoding: .utf8)
            let json = try String(contentsOfFile: target + "/key.json", encoding: .utf8)
            let seed = sheet.contains("Seed 1,") ? 1 : 2
            #expect(sheet.contains("Seed \(seed), difficulty medium, 7 questions"), "trial \(trial): \(sheet.prefix(120))")
            #expect(key.contains("Seed \(seed)"), "trial \(trial): the key belongs to another set")
            #expect(json.contains("\"seed\": \(seed),"), "trial \(trial): key.json belongs to another set")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0 != "sheet" }
            #expect(leftovers.isEmpty, "trial \(trial): temporary folders left: \(leftovers)")
        }
    }
}

/// Every file reader keeps the contract on damaged files, and reads files from other systems.
@Suite struct FileReaderContractTests {
    /// A reader: how to call it on a file, and a valid file for it.
    struct Reader: Sendable, CustomStringConvertible {
        let name: String
        let arguments: @Sendable (String) -> [String]
        let valid: String
        let hugeDeclaration: String
        var description: String { name }
    }

    static let caseText = #"{"op": "conv", "input": {"shape": [1, 1, 3], "data": [1, 2, 3]}, "weight": {"shape": [1, 1, 2], "data": [1, -1]}}"# + "\n"
    static let keyText: String = {
        (try? CommandRunner.convmat(["exercise", "--seed", "3", "--count", "2", "--key", "--format", "json"]).output) ?? ""
    }()

    static let readers: [Reader] = [
        Reader(
            name: "run", arguments: { ["run", $0] }, valid: caseText,
            hugeDeclaration: #"{"op": "conv", "input": {"shape": [1, 1, 1000000000000], "data": [1]}, "weight": {"shape": [1, 1, 1], "data": [1]}}"#),
        Reader(
            name: "draw --case", arguments: { ["draw", "sliding", "--case", $0] }, valid: caseText,
            hugeDeclaration: #"{"op": "conv", "input": {"shape": [1, 1, 1000000000000], "data": [1]}, "weight": {"shape": [1, 1, 1], "data": [1]}}"#),
        Reader(
            name: "matrix --check", arguments: { ["matrix", "--input", "3", "--kernel", "2", "--check", $0] },
            valid: "%%MatrixMarket matrix coordinate pattern general\n2 3 4\n1 1\n1 2\n2 2\n2 3\n",
            hugeDeclaration: "%%MatrixMarket matrix coordinate real general\n2 3 9000000000000000000\n1 1 1\n"),
        Reader(
            name: "exercise check --answers",
            arguments: { path in
                let key = FileManager.default.temporaryDirectory.appendingPathComponent("contract-key.json").path
                try? FileReaderContractTests.keyText.write(toFile: key, atomically: true, encoding: .utf8)
                return ["exercise", "check", "--key", key, "--answers", path]
            }, valid: "1: 1\n2: 1\n", hugeDeclaration: "999999999999999999999: 1\n"),
        Reader(
            name: "exercise check --key", arguments: { ["exercise", "check", "--key", $0, "--answers", "/dev/null"] },
            valid: keyText, hugeDeclaration: #"{"seed": 1, "difficulty": "easy", "questions": [{"number": 99999999999999999999}]}"#),
        Reader(
            name: "deconvolve --image",
            arguments: {
                ["deconvolve", "--input", "2x2", "--kernel", "1", "--weights", "1", "--image", $0, "--no-times"]
            }, valid: "P2\n2 2\n255\n0 64\n128 255\n", hugeDeclaration: "P5\n2000000000 2000000000\n255\n"),
    ]

    /// Empty, truncated, binary and over-declared files are refused (or graded) within the
    /// contract; the valid file with Windows line ends gives exactly what it gives with Unix ones.
    @Test(arguments: readers)
    func damagedAndForeignFiles(reader: Reader) throws {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var binary = Data("\u{0}\u{1}garbage".utf8)
        binary.append(contentsOf: [0xFF, 0xFE, 0x00, 0x80, 0x0A])
        let files: [(String, Data)] = [
            ("empty", Data()), ("truncated", Data(reader.valid.utf8.prefix(reader.valid.utf8.count / 2))),
            ("binary", binary), ("huge", Data(reader.hugeDeclaration.utf8)),
        ]
        for (name, bytes) in files {
            let path = directory.appendingPathComponent(name).path
            try bytes.write(to: URL(fileURLWithPath: path))
            try ContractTests.expectContract(reader.arguments(path))
        }
        let unix = directory.appendingPathComponent("unix").path, windows = directory.appendingPathComponent("windows").path
        try reader.valid.write(toFile: unix, atomically: true, encoding: .utf8)
        try reader.valid.replacingOccurrences(of: "\n", with: "\r\n").write(toFile: windows, atomically: true, encoding: .utf8)
        let fromUnix = try CommandRunner.convmat(reader.arguments(unix)), fromWindows = try CommandRunner.convmat(reader.arguments(windows))
        #expect(fromUnix.status == fromWindows.status && fromUnix.output == fromWindows.output, "\(reader.name): \(fromWindows.error)")
        #expect([0, 1].contains(fromUnix.status), "\(reader.name): the valid file was refused: \(fromUnix.error)")
    }
}

/// Work that cannot succeed is refused before it starts, never trapped or left to run for ever.
@Suite struct ImpossibleWorkTests {
    /// `deconvolve --force` lifts the limit on unknowns, not the memory guard; and no --max-memory
    /// admits more than the machine's memory and swap: an allocation that could only fail (720 GB of
    /// weights for 10⁵ × 10⁵ channels) is a refusal naming --max-memory, not SIGABRT.
    @Test func anAllocationTheMachineCannotGiveIsRefused() throws {
        let base = ["deconvolve", "--input", "4", "--kernel", "3", "--in-channels", "100000", "--out-channels", "100000", "--kernel-preset", "box", "--force"]
        let guarded = try CommandRunner.convmat(base, timeLimit: 60)
        #expect(guarded.status == 2 && guarded.output.isEmpty)
        #expect(guarded.error.hasPrefix("error: --max-memory = ") && guarded.error.contains("(half of physical memory) is below the"))
        let lifted = try CommandRunner.convmat(base + ["--max-memory", "100P"], timeLimit: 60)
        #expect(lifted.status == 2 && lifted.output.isEmpty)
        #expect(lifted.error.hasPrefix("error: --max-memory = 100 PiB, but this machine has "), "\(lifted.error)")
        #expect(lifted.error.hasSuffix("; no --max-memory admits it; use a smaller geometry\n"))
    }

    /// `deconvolve case FILE` reads its file within the same guard as `convmat run`: a case file
    /// whose parsing would need more than --max-memory is refused before it is read, with run's message.
    @Test func deconvolveReadsACaseWithinTheGuardOfRun() throws {
        let folder = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("large.json").path
        // 3 MB of data: parsing it is estimated at 10 bytes per byte, 30 MB, above --max-memory 25M.
        let data = Array(repeating: "1.25", count: 600_000).joined(separator: ", ")
        try #"{"op": "conv", "input": {"shape": [1, 1, 600000], "data": [\#(data)]}, "weight": {"shape": [1, 1, 1], "data": [1]}}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        let run = try CommandRunner.convmat(["run", path, "--max-memory", "25M"])
        let deconvolve = try CommandRunner.convmat(["deconvolve", "case", path, "--max-memory", "25M"])
        #expect(run.status == 2 && deconvolve.status == 2)
        #expect(run.error.hasPrefix("error: --max-memory = 25 MiB is below the "))
        #expect(deconvolve.error == run.error)
    }

    /// `--force` lifts the limits that keep a printed matrix readable, not the bound on how much
    /// is written: text, CSV and Matrix Market output of at least 10¹¹ bytes is refused (naming
    /// --no-output-limit) before a byte is written; with --no-output-limit Matrix Market streams,
    /// and ends (status 74, or SIGPIPE) when its reader goes away.
    @Test(arguments: [
        // 447 215² = 2·10¹¹ rows of one column (a 1×1 input padded), or C of a 447 214² input: 2·10¹¹ nonzeros.
        ["--input", "1x1", "--kernel", "1", "--padding", "223607x223607", "--format", "text"],
        ["--input", "1x1", "--kernel", "1", "--padding", "223607x223607", "--format", "csv"],
        ["--input", "447214x447214", "--kernel", "1", "--format", "mtx"],
    ])
    func astronomicalOutputNeedsASecondFlag(geometry: [String]) throws {
        let arguments = ["matrix", "--force"] + geometry
        let refused = try CommandRunner.convmat(arguments, timeLimit: 60)
        #expect(refused.status == 2 && refused.output.isEmpty)
        #expect(refused.error.contains("convmat writes unless you add --no-output-limit"), "\(refused.error)")
        guard geometry.contains("mtx") else { return }
        let streamed = try CommandRunner.execute(
            URL(fileURLWithPath: "/bin/sh"), ["-c", "\"$0\" \"$@\" | head -c 200", CommandRunner.executable.path] + arguments + ["--no-output-limit"],
            timeLimit: 60)
        #expect(!streamed.timedOut && streamed.output.utf8.count == 200, "\(streamed.error)")
    }
}
