// `convmat-serve` (what `convmat serve` runs): the explorer's page and its JSON over HTTP, with
// Hummingbird. Every answer comes from `Explorer.respond` (ConvMatrixExplorer); this file only
// reads the flags (`ServeOptions`, shared with `convmat serve`), finds a free port, binds and hands
// requests over. Built without the package trait Explorer it has no HTTP server and says so.
#if canImport(Glibc)
    import Glibc
#endif
import ArgumentParser
import ConvMatrix
import ConvMatrixExplorer
#if Explorer
    import Hummingbird
    import Logging
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
    // --help prints through the parser; a refusal is its first line, as convmat words it.
    if ServeProgram.exitCode(for: error) == .success { ServeProgram.exit(withError: error) }
    let first = ServeProgram.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
    fail(first.hasPrefix("Error: ") ? String(first.dropFirst(7)) : first)
}

#if Explorer
    let port: Int
    if let chosen = options.port {
        guard let address = ListeningAddress(host: options.host, port: chosen), address.isFree else {
            fail(
                "--port = \(chosen) is in use (or not allowed) on \(options.host); give another --port, or leave it out to take the first free one from \(ServeOptions.defaultPort)"
            )
        }
        port = chosen
    } else {
        let range = ServeOptions.defaultPort..<(ServeOptions.defaultPort + ServeOptions.portsTried)
        guard let free = range.first(where: { ListeningAddress(host: options.host, port: $0)?.isFree ?? false }) else {
            fail("no free port between \(range.lowerBound) and \(range.upperBound - 1) on \(options.host); give one with --port")
        }
        port = free
    }

    var limits = ExplorerView.Limits()
    limits.memoryBytes = options.maxMemoryBytes
    let explorer = Explorer(limits: limits)

    let router = Router()
    for path in ["/", "/index.html", "/api/view"] {
        router.get(RouterPath(path)) { request, _ -> Response in
            let answer = explorer.respond(path: request.uri.path, query: request.uri.query ?? "")
            return Response(
                status: HTTPResponse.Status(code: answer.status),
                headers: [.contentType: answer.contentType, .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: answer.body)))
        }
    }

    var logger = Logger(label: "convmat-serve")
    logger.logLevel = .warning
    let shownHost = options.host.contains(":") ? "[\(options.host)]" : options.host
    let app = Application(
        router: router,
        server: .http1(configuration: .init(idleTimeout: .seconds(30))),
        configuration: .init(address: .hostname(options.host, port: port), serverName: "convmat-serve"),
        onServerRunning: { _ in
            writeLine("ConvMatrix explorer: http://\(shownHost):\(port)/  (Ctrl-C stops it)", to: 1)
        },
        logger: logger)
    do {
        try await app.runService()
    } catch {
        fail("cannot serve on \(options.host):\(port): \(error)")
    }
#else
    fail(
        "this convmat-serve was built without the explorer's HTTP server (the package trait Explorer); build it with `swift build --traits Explorer --product convmat-serve` (or `make explorer`)"
    )
#endif
