import ConvMatrix

/// The explorer's answers, without HTTP: the server hands over each request's
/// method, path, query and the headers that say who asks, and writes back what
/// this returns. No answer touches the file system; the page is compiled into
/// the program (`ExplorerPage`).
///
/// | request | answer |
/// | --- | --- |
/// | `GET /` (or `/index.html`) | 200, the page (`ExplorerPage.html`) |
/// | `GET /explorer.css`, `GET /explorer.js` | 200, the page's style and script |
/// | `GET /api/view?settings` | 200, every view as JSON (`ExplorerView.json`), computed by the server's `ExplorerScheduler` |
/// | the same with settings the library refuses | 200, `{"ok": false, "field": …, "message": …}`: the CLI's message |
/// | the same with a malformed query | 400, `{"error": …}` |
/// | `HEAD` of any of these | the same status and headers, no body |
/// | a `Host` the server was not started for | 403, `{"error": …}` (DNS rebinding) |
/// | an `Origin` other than the page's own, or a cross-site `Sec-Fetch-Site` other than a navigation to the page | 403, `{"error": …}` |
/// | another method | 405, `{"error": …}`, with `Allow: GET, HEAD` |
/// | any other path | 404, `{"error": …}` |
///
/// Every answer carries `securityHeaders`: a Content-Security-Policy that lets
/// the page run only its own script and style, `X-Content-Type-Options: nosniff`,
/// no framing, no referrer, no caching.
package struct Explorer: Sendable {
    /// An answer: status, content type, body and any headers beyond `securityHeaders`.
    package struct Response: Sendable {
        /// The HTTP status code.
        package let status: Int
        /// The `Content-Type`.
        package let contentType: String
        /// The body.
        package let body: String
        /// Further headers (`Allow` for 405, `Retry-After` for 503).
        package var headers: [(name: String, value: String)] = []

        /// An answer of `status` with `body` of `contentType`.
        package init(status: Int, contentType: String, body: String, headers: [(name: String, value: String)] = []) {
            self.status = status
            self.contentType = contentType
            self.body = body
            self.headers = headers
        }

        /// A JSON `{"error": message}` answer, as every refusal outside the views is written.
        ///
        /// - Parameters:
        ///   - status: 400, 403, 404, 405, 503, …
        ///   - message: one sentence saying what was wrong.
        ///   - headers: further headers.
        /// - Returns: the answer.
        package static func error(_ status: Int, _ message: String, headers: [(name: String, value: String)] = []) -> Response {
            Response(status: status, contentType: json, body: ExplorerView.refusalJSON(.malformed(message)), headers: headers)
        }
    }

    /// What the server knows of a request: enough to route it and to judge who asks.
    package struct Request: Sendable {
        /// `GET`, `HEAD`, …
        package var method: String
        /// The path, without the query.
        package var path: String
        /// The raw (percent-encoded) query, or the empty string.
        package var query: String
        /// The `Host` header (`127.0.0.1:8080`), or nil when absent.
        package var host: String?
        /// The `Origin` header, or nil when absent.
        package var origin: String?
        /// The `Sec-Fetch-Site` header browsers send (`same-origin`, `same-site`, `cross-site`, `none`), or nil.
        package var fetchSite: String?
        /// The `Sec-Fetch-Mode` header browsers send (`navigate`, `cors`, `no-cors`, …), or nil.
        package var fetchMode: String?

        /// A request; the headers default to what a command-line client sends (none of them).
        package init(
            method: String = "GET", path: String, query: String = "", host: String? = nil, origin: String? = nil, fetchSite: String? = nil,
            fetchMode: String? = nil
        ) {
            self.method = method
            self.path = path
            self.query = query
            self.host = host
            self.origin = origin
            self.fetchSite = fetchSite
            self.fetchMode = fetchMode
        }
    }

    /// What to do with a request: answer it at once, or compute the views of these settings.
    package enum Route: Sendable {
        /// An answer that needs no computation (the page, a refusal).
        case answer(Response)
        /// The views of these settings, checked against the limits: compute them.
        case view(ExplorerView)
    }

    /// The limits of every request.
    package var limits: ExplorerView.Limits

    /// The names the server answers to in `Host` and `Origin` (`ListeningAddress.hostNames`), or nil to accept any (tests without a server).
    package var hostNames: Set<String>?

    /// The port the server listens on, which a `Host` or `Origin` with a port must name; nil to accept any.
    package var port: Int?

    /// An explorer with the given limits, answering to the given host names and port.
    package init(limits: ExplorerView.Limits = ExplorerView.Limits(), hostNames: Set<String>? = nil, port: Int? = nil) {
        self.limits = limits
        self.hostNames = hostNames
        self.port = port
    }

    /// The content type of every JSON answer.
    package static let json = "application/json; charset=utf-8"

    /// The headers of every answer: a Content-Security-Policy under which the page
    /// may load only its own script, style and data (no inline script, no inline
    /// event handler, no `eval`, no framing), `nosniff` so that no answer is read
    /// as another type than it says, no referrer, no caching of answers that follow the settings.
    package static let securityHeaders: [(name: String, value: String)] = [
        (
            "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        ),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
        ("Cache-Control", "no-store"),
    ]

    /// The paths and what each serves without computation.
    static let files: [String: (contentType: String, body: String)] = [
        "/": ("text/html; charset=utf-8", ExplorerPage.html), "/index.html": ("text/html; charset=utf-8", ExplorerPage.html),
        "/explorer.css": ("text/css; charset=utf-8", ExplorerPage.css), "/explorer.js": ("text/javascript; charset=utf-8", ExplorerPage.script),
    ]

    /// Where a request goes: the checks of who asks (Host, Origin, Sec-Fetch-Site), the
    /// method, the path, the query and the settings, all before any work.
    ///
    /// - Parameter request: the method, path, query and headers.
    /// - Returns: an answer, or the checked views to compute.
    package func route(_ request: Request) -> Route {
        if let refusal = refusal(of: request) { return .answer(refusal) }
        if let file = Self.files[request.path] {
            return .answer(Response(status: 200, contentType: file.contentType, body: file.body))
        }
        guard request.path == "/api/view" else {
            return .answer(.error(404, "no such page; the explorer serves / and /api/view"))
        }
        do {
            let settings = try ExplorerSettings(ExplorerQuery(request.query, keys: ExplorerSettings.keys))
            return .view(try ExplorerView(settings, limits: limits))
        } catch .malformed(let reason) {
            return .answer(Response(status: 400, contentType: Self.json, body: ExplorerView.refusalJSON(.malformed(reason))))
        } catch {
            return .answer(Response(status: 200, contentType: Self.json, body: ExplorerView.refusalJSON(error)))
        }
    }

    /// The refusal of a request for who sends it or how, or nil when it may be answered.
    private func refusal(of request: Request) -> Response? {
        // A browser always sends Host; a client without it (HTTP/1.0) cannot be a rebound page.
        if let hostNames, let host = request.host {
            guard let authority = ListeningAddress.authority(host), accepts(authority, names: hostNames) else {
                return .error(
                    403,
                    "the Host \(ExplorerQuery.quote(host)) is not a name this explorer was started for (\(hostNames.sorted().joined(separator: ", "))); open it by one of these"
                )
            }
        }
        if let origin = request.origin {
            let allowed = hostNames.map { names in ListeningAddress.origin(origin).map { accepts($0, names: names) } ?? false } ?? true
            if !allowed {
                return .error(403, "the Origin \(ExplorerQuery.quote(origin)) is not this explorer's page; only the page itself may ask for views")
            }
        }
        if let site = request.fetchSite, site != "same-origin", site != "none" {
            // Another site may link to the page (a slide does), but not load its views or its files.
            let navigation = request.fetchMode == "navigate" && (request.path == "/" || request.path == "/index.html")
            if !navigation {
                return .error(403, "a request from another site (Sec-Fetch-Site: \(ExplorerQuery.quote(site))) is refused; open the explorer's page itself")
            }
        }
        guard request.method == "GET" || request.method == "HEAD" else {
            return .error(405, "the explorer answers GET and HEAD, not \(ExplorerQuery.quote(request.method))", headers: [("Allow", "GET, HEAD")])
        }
        return nil
    }

    /// Whether a name and port from `Host` or `Origin` are this server's.
    private func accepts(_ authority: (name: String, port: Int?), names: Set<String>) -> Bool {
        guard names.contains(authority.name) else { return false }
        guard let port, let asked = authority.port else { return true }
        return asked == port
    }

    /// The answer to `GET path?query`, computed at once, without the server's
    /// scheduling (for tests and for the views' own checks).
    ///
    /// - Parameters:
    ///   - path: the path, without the query.
    ///   - query: the raw (percent-encoded) query, or the empty string.
    /// - Returns: the status, the content type and the body.
    package func respond(path: String, query: String) -> Response {
        switch route(Request(path: path, query: query)) {
        case .answer(let response): return response
        case .view(let view): return Response(status: 200, contentType: Self.json, body: view.json)
        }
    }
}
