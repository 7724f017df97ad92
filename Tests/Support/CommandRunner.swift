import ConvMatrix
import Foundation
import Synchronization
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
    ///
    /// The child is started with `posix_spawn`, not Foundation's `Process`: on Linux
    /// `Process.run()` over-reads a `dirent` while it lists /proc/self/fd and crashes the test
    /// process now and then (swift-corelibs-foundation pull request 5472; seen here about once
    /// in four full runs, always inside ContractTests' hundreds of spawns).
    package static func execute(
        _ program: URL, _ arguments: [String], input: String = "", environment: [String: String] = [:],
        directory: URL? = nil, mergingErrors: Bool = false, timeLimit: Double? = nil
    ) throws -> Outcome {
        signal(SIGPIPE, SIG_IGN)
        var path = program.path
        var argv = [path] + arguments
        if let directory {
            // posix_spawn cannot change the child's directory here (glibc's addchdir_np is not
            // visible to Swift), so a shell does it and then becomes the program.
            argv = ["/bin/sh", "-c", "cd -- \"$0\" && exec \"$@\"", directory.path, path] + arguments
            path = "/bin/sh"
        }
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }
        let child = try spawn(path, argv, variables, separateErrors: !mergingErrors)
        nonisolated(unsafe) var killed = false
        let finished = Mutex(false)
        if let timeLimit {
            DispatchQueue.global().asyncAfter(deadline: .now() + timeLimit) {
                finished.withLock { done in
                    if !done { killed = true; kill(child.pid, SIGKILL) }
                }
            }
        }
        // A failure is a child that closed its input early: what it printed still counts.
        writeAll(input.utf8, to: child.input)
        close(child.input)
        // Drain standard error on another thread so that neither pipe can fill up and block the child.
        nonisolated(unsafe) var errorBytes = [UInt8]()
        let group = DispatchGroup()
        if let errors = child.errors {
            DispatchQueue.global().async(group: group) {
                errorBytes = readAll(errors); close(errors)
            }
        }
        let outputBytes = readAll(child.output)
        close(child.output)
        group.wait()
        var status: Int32 = 0
        while waitpid(child.pid, &status, 0) < 0 && errno == EINTR {}
        finished.withLock { $0 = true }
        // The wait status: exited with (status >> 8) & 0xff, or killed by signal status & 0x7f.
        let signalNumber = status & 0x7f
        let code = signalNumber == 0 ? (status >> 8) & 0xff : 128 + signalNumber
        return Outcome(
            status: code, timedOut: killed,
            output: String(decoding: outputBytes, as: UTF8.self),
            error: String(decoding: errorBytes, as: UTF8.self))
    }

    /// A started child: its process id and the parent's ends of its pipes.
    private struct Child {
        let pid: pid_t
        let input: Int32, output: Int32, errors: Int32?
    }

    /// Pipes are made and marked close-on-exec under this lock, so that a child spawned by
    /// another thread in between never inherits them (it would hold a pipe open and delay EOF).
    private static let spawning = Mutex(())

    /// Starts `path` with `argv` and `variables`, its standard streams on new pipes.
    private static func spawn(_ path: String, _ argv: [String], _ variables: [String], separateErrors: Bool) throws -> Child {
        try spawning.withLock { _ in
            var pipes = [Int32](repeating: -1, count: 6)
            for index in 0..<(separateErrors ? 3 : 2) {
                let made = pipes.withUnsafeMutableBufferPointer { pipe($0.baseAddress! + 2 * index) }
                guard made == 0 else { throw SpawnError(reason: "pipe: \(String(cString: strerror(errno)))") }
            }
            for descriptor in pipes where descriptor >= 0 { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_adddup2(&actions, pipes[0], 0)
            posix_spawn_file_actions_adddup2(&actions, pipes[3], 1)
            posix_spawn_file_actions_adddup2(&actions, separateErrors ? pipes[5] : pipes[3], 2)
            let cArguments = argv.map { strdup($0) } + [nil]
            let cVariables = variables.map { strdup($0) } + [nil]
            defer { for pointer in cArguments + cVariables { free(pointer) } }
            var pid: pid_t = 0
            var result = posix_spawn(&pid, path, &actions, nil, cArguments, cVariables)
            // A program the tests just copied can still be open for writing in a child that another
            // test started meanwhile (it inherited the descriptor and holds it until it ends): the
            // kernel then refuses to run it (ETXTBSY). Wait for that child, up to 20 s.
            var waited = 0
            while result == ETXTBSY && waited < 200 {
                usleep(100_000)
                waited += 1
                result = posix_spawn(&pid, path, &actions, nil, cArguments, cVariables)
            }
            // The child's ends belong to the child now (or to nobody, on failure).
            close(pipes[0]); close(pipes[3]); if separateErrors { close(pipes[5]) }
            guard result == 0 else {
                close(pipes[1]); close(pipes[2]); if separateErrors { close(pipes[4]) }
                throw SpawnError(reason: "posix_spawn \(path): \(String(cString: strerror(result)))")
            }
            return Child(pid: pid, input: pipes[1], output: pipes[2], errors: separateErrors ? pipes[4] : nil)
        }
    }

    /// Why a program could not be started.
    package struct SpawnError: Error, CustomStringConvertible {
        /// What failed, with the system's reason.
        package let reason: String
        package var description: String { reason }
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

}
