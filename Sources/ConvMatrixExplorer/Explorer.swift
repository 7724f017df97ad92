import ConvMatrix

/// The explorer's answers, without HTTP: the server hands over the path and
/// the raw query and writes back what this returns. No answer touches the
/// file system; the page is compiled into the program (`ExplorerPage`).
///
/// | request | answer |
/// | --- | --- |
/// | `GET /` | 200, the page (`ExplorerPage.html`) |
/// | `GET /api/view?settings` | 200, every view as JSON (`ExplorerView.json`) |
/// | the same with settings the library refuses | 200, `{"ok": false, "field": …, "message": …}`: the CLI's message |
/// | the same with a malformed query | 400, `{"error": …}` |
/// | any other path | 404, `{"error": …}` |
package struct Explorer: Sendable {
    /// An answer: status, content type and body.
    package struct Response: Hashable, Sendable {
        /// The HTTP status code.
        package let status: Int
        /// The `Content-Type`.
        package let contentType: String
        /// The body.
        package let body: String
    }

    /// The limits of every request.
    package var limits: ExplorerView.Limits

    /// An explorer with the given limits.
    package init(limits: ExplorerView.Limits = ExplorerView.Limits()) {
        self.limits = limits
    }

    static let json = "application/json; charset=utf-8"

    /// The answer to `GET path?query`.
    ///
    /// - Parameters:
    ///   - path: the path, without the query.
    ///   - query: the raw (percent-encoded) query, or the empty string.
    /// - Returns: the status, the content type and the body.
    package func respond(path: String, query: String) -> Response {
        switch path {
        case "/", "/index.html":
            return Response(status: 200, contentType: "text/html; charset=utf-8", body: ExplorerPage.html)
        case "/api/view":
            do {
                let settings = try ExplorerSettings(ExplorerQuery(query, keys: ExplorerSettings.keys))
                return Response(status: 200, contentType: Self.json, body: try ExplorerView(settings, limits: limits).json)
            } catch .malformed(let reason) {
                return Response(status: 400, contentType: Self.json, body: ExplorerView.refusalJSON(.malformed(reason)))
            } catch {
                return Response(status: 200, contentType: Self.json, body: ExplorerView.refusalJSON(error))
            }
        default:
            return Response(
                status: 404, contentType: Self.json, body: ExplorerView.refusalJSON(.malformed("no such page; the explorer serves / and /api/view")))
        }
    }
}
