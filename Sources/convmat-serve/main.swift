// `convmat-serve` (what `convmat serve` runs): the explorer's page and its JSON over HTTP, with
// Hummingbird. Every answer comes from `Explorer.respond` (ConvMatrixExplorer); this file only
// reads the flags, finds a free port, binds and hands requests over.
#if canImport(Glibc)
import Glibc
#endif
import ConvMatrix
import ConvMatrixExplorer
import Hummingbird
import Logging

/// The flags, as `convmat serve` documents them.
struct ServeOptions {
    /// The address to listen on: an IPv4 or IPv6 literal, or `localhost`.
    var host = "127.0.0.1"
    /// The port, or nil for 8080 or the first free one after it.
    var port: Int?
    /// The memory one request may need.
    var maxMemory = ExplorerView.Limits().memoryBytes

    /// The first port tried when none is given, and how many after it.
    static let defaultPort = 8080, portsTried = 100

    /// Reads `arguments` (without the program's name); refusals name the flag.
    init(_ arguments: [String]) throws(ExplorerError) {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            let parts = flag.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let name = parts[0], inline = parts.count > 1 ? parts[1] : nil
            let value = { () throws(ExplorerError) -> String in
                if let inline { return inline }
                guard let next = rest.popFirst() else { throw .refused(field: name, message: "\(name) needs a value") }
                return next
            }
            switch name {
            case "--host":
                host = try value()
                guard Address(host: host, port: 0) != nil else {
                    throw .refused(field: name, message: "--host = \(quoted(host)) is not an address to listen on; give an IP address such as 127.0.0.1 or ::1, or localhost")
                }
            case "--port":
                let text = try value()
                guard let number = Int(text), (1...65535).contains(number) else {
                    throw .refused(field: name, message: "--port = \(quoted(text)) must be a whole number between 1 and 65535")
                }
                port = number
            case "--max-memory":
                let text = try value()
                do throws(GeometryError) { maxMemory = try MemoryBudget.parse(text) } catch {
                    throw .refused(field: name, message: error.message(spellingFields: { FieldCodec.spelling($0, flagKeys: ["port", "host", "max_memory"]) }))
                }
            default:
                throw .refused(field: name, message: "unknown option \(quoted(name)); convmat serve takes --host, --port and --max-memory")
            }
        }
    }
}

/// `text` quoted for a one-line message: at most 40 characters, control characters escaped.
func quoted(_ text: String) -> String {
    let short = text.count > 40 ? String(text.prefix(40)) + "…" : text
    return "\"" + short.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined() + "\""
}

/// A socket address to probe: IPv4 or IPv6, from a literal or `localhost`.
struct Address {
    let family: Int32
    var storage = sockaddr_storage()
    let length: socklen_t

    init?(host: String, port: Int) {
        let literal = host == "localhost" ? "127.0.0.1" : host
        var v4 = sockaddr_in()
        var v6 = sockaddr_in6()
        if inet_pton(AF_INET, literal, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = in_port_t(UInt16(port).bigEndian)
            family = AF_INET
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeMutableBytes(of: &storage) { target in withUnsafeBytes(of: v4) { target.copyMemory(from: $0) } }
        } else if inet_pton(AF_INET6, literal, &v6.sin6_addr) == 1 {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = in_port_t(UInt16(port).bigEndian)
            family = AF_INET6
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            withUnsafeMutableBytes(of: &storage) { target in withUnsafeBytes(of: v6) { target.copyMemory(from: $0) } }
        } else {
            return nil
        }
    }

    /// Whether a listening socket can be bound here now (the corresponding C function is `bind`).
    var isFree: Bool {
        let descriptor = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = storage
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 }
        }
    }
}

/// Prints `error: message` on standard error and exits with status 2, as `convmat` refuses.
func fail(_ message: String) -> Never {
    writeLine("error: \(message)", to: 2)
    exit(2)
}

/// Writes `text` and a line break to a file descriptor at once, unbuffered
/// (the corresponding C function is `write`), so the URL line reaches a pipe before the first request.
func writeLine(_ text: String, to descriptor: Int32) {
    var bytes = Array((text + "\n").utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeMutableBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
        if written <= 0 { return }
        offset += written
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("--help") || arguments.contains("-h") {
    print("""
    USAGE: convmat-serve [--host <address>] [--port <port>] [--max-memory <size>]

    The ConvMatrix explorer: one page where C, Cᵀ and the pictures follow the settings.
    Started by `convmat serve`, which takes the same flags; see `convmat serve --help`.
    """)
    exit(0)
}
let options: ServeOptions
do { options = try ServeOptions(arguments) } catch { fail(error.description) }

let port: Int
if let chosen = options.port {
    guard let address = Address(host: options.host, port: chosen), address.isFree else {
        fail("--port = \(chosen) is in use (or not allowed) on \(options.host); give another --port, or leave it out to take the first free one from \(ServeOptions.defaultPort)")
    }
    port = chosen
} else {
    let range = ServeOptions.defaultPort..<(ServeOptions.defaultPort + ServeOptions.portsTried)
    guard let free = range.first(where: { Address(host: options.host, port: $0)?.isFree ?? false }) else {
        fail("no free port between \(range.lowerBound) and \(range.upperBound - 1) on \(options.host); give one with --port")
    }
    port = free
}

var limits = ExplorerView.Limits()
limits.memoryBytes = options.maxMemory
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
