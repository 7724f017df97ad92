import ArgumentParser
import ConvMatrix

#if canImport(Glibc)
import Glibc
#endif

/// `convmat serve`: the explorer, a page where C, Cᵀ and the pictures follow the settings.
///
/// The server is its own program, `convmat-serve`, built beside `convmat` (it needs Hummingbird,
/// which `make build` does not compile); this command checks the flags and replaces itself with it.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the explorer: one page where C (or Cᵀ), the output-size formula, the pictures and the verifier's verdict follow the settings.",
        discussion: """
        Prints the URL and serves until Ctrl-C. The page needs no internet; its state lives in the
        URL, so a link restores it. The server is the program convmat-serve next to convmat; build
        it with `swift build --product convmat-serve` (make test builds it). Each request is
        refused before work when it would need more than --max-memory, and the page says which
        setting to change. See docs/explorer.md.

        Examples:
          convmat serve
          convmat serve --port 9000
          convmat serve --host 0.0.0.0 --port 8080
        """
    )

    @Option(parsing: .unconditional, help: ArgumentHelp("The port (1 to 65535); without it 8080, or the first free one after it.", valueName: "port"))
    var port: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("The address to listen on: 127.0.0.1 (the default, this machine only), ::1, localhost, or 0.0.0.0 for every interface.", valueName: "address"))
    var host: String = "127.0.0.1"

    @Option(name: .customLong("max-memory"), parsing: .unconditional, help: ArgumentHelp("Refuse a request whose views would need more memory, e.g. 256M (the default) or 1G.", valueName: "size"))
    var maxMemory: String?

    /// The server program's name, looked for next to this executable.
    static let serverName = "convmat-serve"

    func run() throws {
        if let port, !(1...65535).contains(port) {
            throw InputError("--port = \(port) must be between 1 and 65535")
        }
        if host.isEmpty || host.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) {
            throw InputError("--host = \(escapingControlCharacters(host).isEmpty ? "\"\"" : escapingControlCharacters(host)) is not an address; give an IP address such as 127.0.0.1, or localhost")
        }
        if let maxMemory { _ = try MemoryBudget.parse(maxMemory) }
        let server = Self.serverPath()
        guard access(server, X_OK) == 0 else {
            throw InputError("the explorer's server \(server) is not built; build it with `swift build --product convmat-serve` (or `make test`), then run convmat serve again")
        }
        var arguments = [Self.serverName, "--host", host]
        if let port { arguments += ["--port", "\(port)"] }
        if let maxMemory { arguments += ["--max-memory", maxMemory] }
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
