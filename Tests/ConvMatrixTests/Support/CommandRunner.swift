import Foundation

/// Runs the built `convmat` binary the way a user would, for tests of the command line.
///
/// The binary is `.build/debug/convmat` under the package root; `make test`
/// builds it (`swift build --build-tests`) before the tests run.
enum CommandRunner {
    /// The package root, found from this file's location.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The convmat executable.
    static var executable: URL { packageRoot.appendingPathComponent(".build/debug/convmat") }

    /// What one run printed and how it ended.
    struct Outcome {
        let status: Int32
        let standardOutput: String
        let standardError: String
    }

    /// Runs `convmat arguments…`, feeding `input` to standard input, with extra environment variables.
    static func run(_ arguments: [String], input: String = "", environment: [String: String] = [:]) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        // Read both pipes before waiting so that large outputs cannot block the child.
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let error = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            standardOutput: String(decoding: output, as: UTF8.self),
            standardError: String(decoding: error, as: UTF8.self))
    }
}
