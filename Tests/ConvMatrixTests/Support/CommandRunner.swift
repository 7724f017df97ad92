import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs programs for the tests — above all the built `convmat`, the way a user would.
///
/// The binary is `.build/debug/convmat` under the package root; `make test`
/// builds it (`swift build --build-tests`) before the tests run. Pipes are read
/// with `read(2)` retried on EINTR, both at once, because Foundation's
/// `readDataToEndOfFile` traps when a signal interrupts it while many tests
/// start child processes in parallel.
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
        try execute(executable, arguments, input: input, environment: environment)
    }

    /// Runs any program. With `mergingErrors` standard error goes into `standardOutput`, interleaved as printed.
    static func execute(
        _ program: URL, _ arguments: [String], input: String = "", environment: [String: String] = [:],
        directory: URL? = nil, mergingErrors: Bool = false
    ) throws -> Outcome {
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = directory }
        let stdin = Pipe(), stdout = Pipe(), stderr = mergingErrors ? nil : Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr ?? stdout
        try process.run()
        writeAll(Array(input.utf8), to: stdin.fileHandleForWriting.fileDescriptor)
        try stdin.fileHandleForWriting.close()
        // Drain standard error on another thread so that neither pipe can fill up and block the child.
        nonisolated(unsafe) var errorBytes = [UInt8]()
        let group = DispatchGroup()
        if let stderr {
            DispatchQueue.global().async(group: group) { errorBytes = readAll(stderr.fileHandleForReading.fileDescriptor) }
        }
        let outputBytes = readAll(stdout.fileHandleForReading.fileDescriptor)
        group.wait()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            standardOutput: String(decoding: outputBytes, as: UTF8.self),
            standardError: String(decoding: errorBytes, as: UTF8.self))
    }

    private static func readAll(_ descriptor: Int32) -> [UInt8] {
        var result = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 { result.append(contentsOf: buffer[0..<count]) }
            else if count == 0 || errno != EINTR { return result }
        }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count > 0 { offset += count }
            else if count < 0 && errno == EINTR { continue }
            else { return }  // the child closed its input early; what it printed still counts
        }
    }
}
