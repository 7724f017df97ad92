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
/// start child processes in parallel. This is the tests' one process runner.
package enum CommandRunner {
    /// The package root, found from this file's location (Tests/Support/CommandRunner.swift).
    package static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The convmat executable.
    package static var executable: URL { packageRoot.appendingPathComponent(".build/debug/convmat") }

    /// What one run printed and how it ended.
    package struct Outcome: Sendable {
        /// The exit status (128 + n after signal n; 137 after a timeout's kill).
        package let status: Int32
        /// Whether the run was killed for taking longer than its time limit.
        package var timedOut = false
        /// Everything written to standard output.
        package let output: String
        /// Everything written to standard error (empty when merged into `output`).
        package let error: String
    }

    /// Runs `convmat arguments…`, feeding `input` to standard input, with extra environment variables;
    /// a run longer than `timeLimit` seconds is killed and marked `timedOut`.
    package static func convmat(
        _ arguments: [String], input: String = "", environment: [String: String] = [:], timeLimit: Double? = nil
    ) throws -> Outcome {
        try execute(executable, arguments, input: input, environment: environment, timeLimit: timeLimit)
    }

    /// Runs any program. With `mergingErrors` standard error goes into `output`, interleaved as printed.
    package static func execute(
        _ program: URL, _ arguments: [String], input: String = "", environment: [String: String] = [:],
        directory: URL? = nil, mergingErrors: Bool = false, timeLimit: Double? = nil
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
        nonisolated(unsafe) var killed = false
        let deadline = timeLimit.map { limit in
            DispatchWorkItem { if process.isRunning { killed = true; kill(process.processIdentifier, SIGKILL) } }
        }
        if let deadline, let timeLimit { DispatchQueue.global().asyncAfter(deadline: .now() + timeLimit, execute: deadline) }
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
        deadline?.cancel()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return Outcome(
            status: status, timedOut: killed,
            output: String(decoding: outputBytes, as: UTF8.self),
            error: String(decoding: errorBytes, as: UTF8.self))
    }

    /// Runs a program found on PATH (see `tool(_:)`).
    package static func execute(_ program: String, _ arguments: [String], directory: URL? = nil) throws -> Outcome {
        try execute(URL(fileURLWithPath: program), arguments, directory: directory)
    }

    /// The full path of a program on PATH, or nil when it is not installed.
    package static func tool(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// A fresh temporary directory for files a test writes.
    package static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("convmat-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The most bytes of one stream a run keeps; the rest is read and dropped, so that a
    /// command that prints gigabytes cannot take the test process's memory with it.
    package static let keptBytes = 64 << 20

    private static func readAll(_ descriptor: Int32) -> [UInt8] {
        var result = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                if result.count < keptBytes { result.append(contentsOf: buffer[0..<min(count, keptBytes - result.count)]) }
            } else if count == 0 || errno != EINTR {
                return result
            }
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
