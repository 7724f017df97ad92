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
        discussion: """
        Every convolution is a matrix C with y = C·x; a transposed convolution multiplies by Cᵀ.
        convmat builds C with SuiteSparse (CHOLMOD) and shows it.

        Examples:
          convmat demo
          convmat matrix --input 4x4 --kernel 3x3
          convmat matrix --input 2x2 --kernel 3x3 --transposed
          convmat shape --input 3x3 --kernel 3 --stride 2 --padding 1 --transposed
          convmat run case.json
        """,
        subcommands: [DemoCommand.self, ShapeCommand.self, MatrixCommand.self, RunCommand.self, VerifyCommand.self, DrawCommand.self, DeconvolveCommand.self, ExerciseCommand.self, BenchCommand.self]
    )

    /// Parses and runs, turning every refusal into one `error:` line and exit status 2.
    static func main() {
        // convmat's own process opts into huge-page-aligned CHOLMOD blocks (the library never does so by itself).
        HugePageAllocation.install()
        let names = configuration.subcommands.compactMap { $0.configuration.commandName }
        if let first = CommandLine.arguments.dropFirst().first, !first.hasPrefix("-"), first != "help", !names.contains(first) {
            fail("unknown command '\(first)'; the commands are \(names.joined(separator: ", ")) (see convmat --help)")
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Self.exit(withError: exit)
        } catch {
            if error is GeometryError || error is CaseError || error is CholmodError || error is InputError {
                fail("\(error)")
            }
            let code = exitCode(for: error)
            if code == .success { Self.exit(withError: error) }
            let firstLine = message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
            fail(firstLine.hasPrefix("Error: ") ? String(firstLine.dropFirst(7)) : firstLine)
        }
    }

    /// Prints `error: message` on standard error and exits with status 2.
    static func fail(_ message: String) -> Never {
        printError("error: \(message)")
        Glibc.exit(2)
    }
}

/// A refusal of the command line itself (a file that cannot be read, a flag combination).
struct InputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Writes a line to standard error.
func printError(_ line: String) {
    var stream = StandardError()
    print(line, to: &stream)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        var bytes = Array(string.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
