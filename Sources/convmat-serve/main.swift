// `convmat-serve` (what `convmat serve` runs): the explorer's page and its JSON over HTTP, with
// Hummingbird. Every answer comes from `Explorer.route` and `ExplorerScheduler` (ConvMatrixExplorer)
// through `ExplorerResponder`; this file reads the flags (`ServeOptions`, shared with `convmat
// serve`), finds a free port, warns when the page is reachable from the network, and starts the
// server with its own HTTP/1 channel (`ExplorerHTTPChannel`). Built without the package trait
// Explorer it has no HTTP server and says so.
#if canImport(Glibc)
    import Glibc
#endif
import ArgumentParser
import ConvMatrix
import ConvMatrixExplorer
#if Explorer
    import Hummingbird
    import HummingbirdCore
    import Logging
    import NIOCore
#endif

/// The command line of `convmat-serve`: the flags of `convmat serve`.
struct ServeProgram: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convmat-serve",
        abstract: "The ConvMatrix explorer: one page where C, Cᵀ and the pictures follow the settings.",
        discussion: "Started by `convmat serve`, which takes the same flags; see `convmat serve --help`."
    )

    @OptionGroup var options: ServeOptions
}

/// Prints `error: message` on standard error and exits with status 2, as `convmat` refuses.
func fail(_ message: String) -> Never {
    writeLine("error: \(escapingControlCharacters(message))", to: 2)
    exit(2)
}

/// Writes `text` and a line break to a file descriptor at once, unbuffered (the library's
/// `writeAll`), so the URL line reaches a pipe before the first request.
func writeLine(_ text: String, to descriptor: Int32) {
    writeAll((text + "\n").utf8, to: descriptor)
}

let options: ServeOptions
do {
    options = try ServeProgram.parse(Array(CommandLine.arguments.dropFirst())).options
} catch {
    // --help: the parser's text, written here so that a failed write (`--help > /dev/full`) is
    // status 74 as in convmat; a refusal is its first line, as convmat words it.
    if ServeProgram.exitCode(for: error) == .success {
        if let failure = writeAll((ServeProgram.fullMessage(for: error) + "\n").utf8, to: 1).failure {
            writeLine("error: standard output: cannot be written (\(failure))", to: 2)
            exit(74)
        }
        exit(0)
    }
    let first = ServeProgram.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
    fail(first.hasPrefix("Error: ") ? String(first.dropFirst(7)) : first)
}

#if Explorer
    /// The port: `--port`, or the first free one from 8080. A port that cannot be bound is refused
    /// with its real cause: in use (EADDRINUSE), reserved for root (EACCES), or an address that is
    /// not this machine's (EADDRNOTAVAIL, which no other port cures).
    func choosePort() -> Int {
        if let chosen = options.port {
            guard let address = ListeningAddress(host: options.host, port: chosen) else { fail("--host = \(options.host) is not an address to listen on") }
            if let failure = address.bindFailure { fail(ListeningAddress.explain(bindFailure: failure, host: options.host, port: chosen).message) }
            return chosen
        }
        let range = ServeOptions.defaultPort..<(ServeOptions.defaultPort + ServeOptions.portsTried)
        for candidate in range {
            guard let address = ListeningAddress(host: options.host, port: candidate) else { break }
            guard let failure = address.bindFailure else { return candidate }
            if failure != EADDRINUSE { fail(ListeningAddress.explain(bindFailure: failure, host: options.host, port: candidate).message) }
        }
        fail("no free port between \(range.lowerBound) and \(range.upperBound - 1) on \(options.host); give one with --port")
    }

    let port = choosePort()
    let hostNames = ListeningAddress.hostNames(listeningOn: options.host)
    if !ListeningAddress.isLoopback(options.host) {
        writeLine(
            "warning: --host \(options.host) makes the explorer reachable from the network: anyone who can reach this machine on port \(port) can use it (it answers to the names \(hostNames.sorted().joined(separator: ", ")))",
            to: 2)
    }

    var limits = ExplorerView.Limits()
    limits.memoryBytes = options.maxMemoryBytes
    let scheduler = ExplorerScheduler(.init(memoryBytes: max(0, options.maxMemoryBytes - MemoryEstimate.processBytes)))
    let responder = ExplorerResponder(
        explorer: Explorer(limits: limits, hostNames: hostNames, port: port), scheduler: scheduler)

    var logger = Logger(label: "convmat-serve")
    logger.logLevel = .warning
    let shownHost = options.host.contains(":") ? "[\(options.host)]" : options.host
    let app = Application(
        responder: responder,
        server: HTTPServerBuilder { responder in ExplorerHTTPChannel(responder: responder, idleTimeout: .seconds(30), writeTimeout: .seconds(10)) },
        configuration: .init(address: .hostname(options.host, port: port), serverName: "convmat-serve"),
        onServerRunning: { _ in
            writeLine("ConvMatrix explorer: http://\(shownHost):\(port)/  (Ctrl-C stops it)", to: 1)
        },
        logger: logger)
    do {
        try await app.runService()
    } catch let error as IOError {
        fail(ListeningAddress.explain(bindFailure: error.errnoCode, host: options.host, port: port).message)
    } catch {
        fail("cannot serve on \(options.host):\(port): \(error)")
    }
#else
    fail(
        "this convmat-serve was built without the explorer's HTTP server (the package trait Explorer); build it with `swift build --traits Explorer --product convmat-serve` (or `make explorer`)"
    )
#endif
