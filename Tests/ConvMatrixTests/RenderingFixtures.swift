import Foundation

/// Helpers shared by the rendering tests: run the CLI or a tool, and read SVG as XML.
enum RenderingFixtures {
    /// The package root, found from this file's path (Tests/ConvMatrixTests/…).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `executable` with `arguments`; returns the exit status and both outputs.
    static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, output: String, error: String) {
        let outcome = try CommandRunner.execute(URL(fileURLWithPath: executable), arguments, directory: directory)
        return (outcome.status, outcome.standardOutput, outcome.standardError)
    }

    /// Runs the `convmat` built by `make test` (`.build/debug/convmat`).
    static func convmat(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        try run(packageRoot.appendingPathComponent(".build/debug/convmat").path, arguments)
    }

    /// The full path of a program on PATH, or nil when it is not installed.
    static func tool(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// A fresh temporary directory for files a test writes.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("convmat-rendering-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
