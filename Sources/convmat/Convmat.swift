import ArgumentParser
import ConvMatrix

#if canImport(Glibc)
    import Glibc
#endif

/// The `convmat` command: convolution and transposed convolution as explicit sparse matrices.
@main
struct Convmat: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convmat",
        abstract: "Convolution and transposed convolution as explicit sparse matrices.",
        discussion: reflowed(
            """
            Every convolution is a matrix C with y = C·x; a transposed convolution multiplies by Cᵀ.
            convmat builds C with SuiteSparse (CHOLMOD) and shows it.

            Examples:
              convmat demo
              convmat matrix --input 4x4 --kernel 3x3
              convmat matrix --input 2x2 --kernel 3x3 --transposed
              convmat shape --input 3x3 --kernel 3 --stride 2 --padding 1 --transposed
              convmat run case.json
            """),
        version: convmatVersion,
        subcommands: [
            DemoCommand.self, ShapeCommand.self, MatrixCommand.self, RunCommand.self, CasesCommand.self, VerifyCommand.self, DrawCommand.self,
            DeconvolveCommand.self, SpectrumCommand.self, ExerciseCommand.self, BenchCommand.self, ServeCommand.self,
        ]
    )

    /// Exit status when the output could not be written (a full disk, a closed
    /// standard output): sysexits.h's EX_IOERR, distinct from 1 (a check said
    /// no) and 2 (the input was refused).
    static let outputFailureStatus: Int32 = 74

    /// Parses and runs. A refusal is one `error:` line on standard error and
    /// exit status 2 with nothing on standard output; everything printed goes
    /// through `console`, whose write failures end in status 74.
    static func main() {
        // A closed standard output would hand its number to the next file opened, and text meant
        // for the terminal would land in that file; there is nothing to print to, so stop first.
        if fcntl(1, F_GETFD) == -1 {
            printError("error: standard output is closed, so nothing could be printed")
            Glibc.exit(outputFailureStatus)
        }
        // convmat's own process opts into huge-page-aligned CHOLMOD blocks (the library never does so by itself).
        HugePageAllocation.install()
        // A failed write to standard output (a full disk; a closed pipe when SIGPIPE is ignored)
        // ends the command at once, not after it has computed everything it would have printed.
        console.stopProcessOnFailure(stopOnWriteFailure)
        let names = configuration.subcommands.compactMap { $0.configuration.commandName }
        if let first = CommandLine.arguments.dropFirst().first, !first.hasPrefix("-"), first != "help", !names.contains(first) {
            fail("unknown command '\(first)'; the commands are \(names.joined(separator: ", ")) (see convmat --help)")
        }
        do {
            var command = try parseAsRoot()
            try command.run()
            finishOutput()
        } catch let exit as ExitCode {
            finishOutput()
            Self.exit(withError: exit)
        } catch let error as FileError where error.isOutputFailure {
            failOutput(error.message(spellingFields: flagName))
        } catch let error as UserFacingError {
            fail(error.message(spellingFields: flagName))
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // --help, --version and completion scripts: the parser's text goes through
                // `console` like any output, so that a failed write (`--help > /dev/full`) is
                // status 74, not a silent 0; the help read for the man page spells non-ASCII
                // characters so that they survive.
                let text = fullMessage(for: error)
                if !text.isEmpty { emit(isDumpingHelpForManual ? manualEscaped(text) : text) }
                finishOutput()
                Glibc.exit(0)
            }
            let firstLine = parserMessageOnOneLine(message(for: error))
            fail(firstLine.hasPrefix("Error: ") ? String(firstLine.dropFirst(7)) : firstLine)
        }
    }

    /// Writes what the command printed; a failed write is an error line and status 74.
    static func finishOutput() {
        do { try console.finish() } catch { failOutput(error.description) }
    }

    /// Prints `error: message` on standard error, drops anything not yet printed on
    /// standard output, and exits with status 74: output that could not be written.
    static func failOutput(_ message: String) -> Never {
        console.discard()
        printError("error: \(oneLine(message))")
        Glibc.exit(outputFailureStatus)
    }

    /// Prints `error: message` on standard error, drops anything not yet
    /// printed on standard output, and exits with status 2.
    static func fail(_ message: String) -> Never {
        console.discard()
        printError("error: \(oneLine(message))")
        Glibc.exit(2)
    }
}

/// Ends the process when an output cannot be written: one `error:` line naming the output, status
/// 74. Called by `TextOutput` itself (`stopProcessOnFailure`), so it writes to standard error directly.
let stopOnWriteFailure: @Sendable (FileError) -> Never = { error in
    printError("error: \(oneLine(error.description))")
    Glibc.exit(Convmat.outputFailureStatus)
}

/// A refusal of the command line itself (a flag combination the library does not judge).
struct InputError: UserFacingError {
    let text: String
    init(_ text: String) { self.text = text }
    func message(spellingFields spell: (String) -> String) -> String { text }
}

/// Standard output of the running command: everything convmat prints goes here.
let console = TextOutput.standardOutput()

/// Prints `text` and a newline (or `terminator`) on standard output.
func emit(_ text: String, terminator: String = "\n") {
    console.write(text)
    console.write(terminator)
}

/// The argument parser's refusal on one line: its first line, and when that introduces a list
/// ("Please provide one of the following:" and a line "- value" per value, as it writes a choice
/// of more than a few values), the list after it, comma-separated.
func parserMessageOnOneLine(_ message: String) -> String {
    let lines = message.split(separator: "\n").map { $0.trimmingPrefix(while: \.isWhitespace) }
    guard let first = lines.first else { return "invalid arguments" }
    let items = lines.dropFirst().prefix { $0.hasPrefix("- ") }.map { $0.dropFirst(2) }
    guard first.hasSuffix(":"), !items.isEmpty else { return String(first) }
    return first + " " + items.joined(separator: ", ")
}

/// Writes a line to standard error.
func printError(_ line: String) {
    writeAll((line + "\n").utf8, to: 2)
}

/// `message` on one line: line breaks and other control characters (in values quoted by the
/// argument parser, say) are escaped the way the library escapes the values it quotes.
func oneLine(_ message: String) -> String { escapingControlCharacters(message) }

/// The flag that sets a library field: `stride[0]` → `--stride[0]`,
/// `in_channels` → `--in-channels`; names that are not flags of convmat stay as they are.
func flagName(_ field: String) -> String {
    FieldCodec.spelling(field, flagKeys: flagKeys)
}

/// Library field names that convmat takes as flags of the same name (underscores as dashes): the
/// geometry's keys (`FieldCodec.keys`) and every other flag a library message may name.
let flagKeys = Set(FieldCodec.keys).union([
    "weights", "y", "max_memory",
    "format", "labels", "blocks", "zeros", "ascii", "highlight_row", "highlight_column", "standalone", "force",
    "max_differences", "step", "animate", "pixels", "seed", "random", "repeat", "batch",
    "count", "kind", "difficulty", "lambda", "ordering", "kernel_preset", "image", "blurred", "output",
    "op", "ops", "dims", "max_size", "max_channels", "max_work", "padding_modes", "max_stride", "max_dilation", "paddings",
    "flip", "order", "show_padding", "block", "pool", "ceil_mode", "values", "case", "sheet", "brief", "threads",
    "fit", "no_output_limit", "route", "of", "layout",
])
