import ArgumentParser
import ConvMatrix

/// The flags of `convmat serve` and of `convmat-serve`, which it becomes: one
/// option group, so that both programs document, read and check them alike.
/// `convmat serve` refuses a bad flag before it looks for the server; the
/// server checks them again because it can be started on its own.
package struct ServeOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("The port (1 to 65535); without it 8080, or the first free one after it.", valueName: "port"))
    package var port: Int?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "The address to listen on: 127.0.0.1 (the default, this machine only), ::1, localhost, or 0.0.0.0 for every interface.", valueName: "address"))
    package var host: String = "127.0.0.1"

    @Option(
        name: .customLong("max-memory"), parsing: .unconditional,
        help: ArgumentHelp(
            "The memory the server's requests share: the computations running and the answers not yet sent (default 512M). A request that would not fit alone is refused with a message; others wait for memory, or are answered busy (503).",
            valueName: "size"))
    package var maxMemory: String?

    /// The defaults: 127.0.0.1, the first free port from 8080, 512 MiB for the whole server.
    package init() {}

    /// The first port tried when none is given, and how many are tried from it.
    package static let defaultPort = 8080, portsTried = 100

    /// Refuses a port outside 1…65535, a host that is neither an IP address
    /// nor `localhost`, and a memory size `MemoryBudget.parse` does not read;
    /// each message names its flag.
    package func validate() throws {
        if let port, !(1...65535).contains(port) {
            throw ValidationError("--port = \(port) must be a whole number between 1 and 65535")
        }
        guard ListeningAddress(host: host, port: 0) != nil else {
            throw ValidationError("--host = \(Self.quoted(host)) is not an address to listen on; give an IP address such as 127.0.0.1 or ::1, or localhost")
        }
        if let maxMemory {
            do throws(GeometryError) { _ = try MemoryBudget.parse(maxMemory) } catch {
                throw ValidationError(error.message(spellingFields: flagName))
            }
        }
    }

    /// The memory of the whole server, in bytes (`--max-memory`, default 512 MiB).
    package var maxMemoryBytes: Int {
        maxMemory.flatMap { try? MemoryBudget.parse($0) } ?? ExplorerView.Limits().memoryBytes
    }

    /// The flags again as arguments, for `convmat serve` to hand to `convmat-serve`.
    package var arguments: [String] {
        var arguments = ["--host", host]
        if let port { arguments += ["--port", "\(port)"] }
        if let maxMemory { arguments += ["--max-memory", maxMemory] }
        return arguments
    }

    /// `text` quoted for a one-line message: at most 40 characters, control characters escaped.
    static func quoted(_ text: String) -> String {
        let short = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return "\"" + escapingControlCharacters(short) + "\""
    }
}
