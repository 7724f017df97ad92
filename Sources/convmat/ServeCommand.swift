import ArgumentParser
import ConvMatrixExplorer

#if canImport(Glibc)
    import Glibc
#endif

/// `convmat serve`: the explorer, a page where C, Cᵀ and the pictures follow the settings.
///
/// The server is its own program, `convmat-serve`, built beside `convmat` (it needs Hummingbird,
/// which `make build` does not compile); this command checks the flags (`ServeOptions`, which the
/// server reads too) and replaces itself with it.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the explorer: one page where C (or Cᵀ), the output-size formula, the pictures and the verifier's verdict follow the settings.",
        discussion: reflowed(
            """
            Prints the URL and serves until Ctrl-C. The page needs no internet; its state lives in the
            URL, so a link restores it. The server is the program convmat-serve next to convmat; build
            it with `swift build --traits Explorer --product convmat-serve` (make explorer and make
            test build it). Each request is refused before work when it would need more than
            --max-memory, and the page says which setting to change. See docs/explorer.md.

            Examples:
              convmat serve
              convmat serve --port 9000
              convmat serve --host 0.0.0.0 --port 8080
            """)
    )

    @OptionGroup var options: ServeOptions

    /// The server program's name, looked for next to this executable.
    static let serverName = "convmat-serve"

    func run() throws {
        let server = Self.serverPath()
        guard access(server, X_OK) == 0 else {
            throw InputError(
                "the explorer's server \(server) is not built; build it with `swift build --traits Explorer --product convmat-serve` (or `make explorer`), then run convmat serve again"
            )
        }
        let arguments = [Self.serverName] + options.arguments
        try console.finish()
        var pointers = arguments.map { strdup($0) } + [nil]
        execv(server, &pointers)
        let reason = String(cString: strerror(errno))
        for pointer in pointers { free(pointer) }
        throw InputError("could not start \(server): \(reason)")
    }

    /// `convmat-serve` in the folder of the running executable (`/proc/self/exe`).
    static func serverPath() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let executable = count > 0 ? String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
        let folder = executable.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return (folder.isEmpty ? "." : folder) + "/" + serverName
    }
}
