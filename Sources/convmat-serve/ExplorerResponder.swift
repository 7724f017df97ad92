// The explorer's answers over HTTP: `Explorer.route` decides (who asks, which method and path,
// which settings), `ExplorerScheduler` computes the views, and this file turns both into
// Hummingbird responses with the explorer's headers, a body written in chunks (the connection's
// AnswerDeadline resets it when an answer is not read in time), and a computation stopped when its
// connection closes.
#if Explorer
    import ConvMatrixExplorer
    import HTTPTypes
    import Hummingbird
    import HummingbirdCore
    import NIOCore

    /// What a request handler knows of its connection: the channel, whose closing cancels the request's computation.
    struct ExplorerRequestContext: RequestContext {
        var coreContext: CoreRequestContextStorage
        let channel: any Channel

        init(source: ApplicationRequestContextSource) {
            coreContext = .init(source: source)
            channel = source.channel
        }
    }

    /// Every request of the explorer.
    struct ExplorerResponder: HTTPResponder {
        typealias Context = ExplorerRequestContext

        let explorer: Explorer
        let scheduler: ExplorerScheduler
        /// Bytes handed to the connection at once; with SwiftNIO's write buffer (at most 64 KiB before
        /// a write waits) this bounds what one connection holds beyond its answer.
        static let chunkBytes = 64 << 10

        func respond(to request: Request, context: ExplorerRequestContext) async throws -> Response {
            let head = request.head
            let asked = Explorer.Request(
                method: head.method.rawValue, path: request.uri.path, query: request.uri.query ?? "", host: head.authority,
                origin: head.headerFields[.origin], fetchSite: head.headerFields[Self.fetchSite], fetchMode: head.headerFields[Self.fetchMode])
            let closes = head.headerFields[.connection]?.lowercased() == "close"
            let response: Response
            switch explorer.route(asked) {
            case .answer(let answer):
                response = make(answer, reservation: nil)
            case .view(let view):
                let cancellation = ExplorerScheduler.Cancellation()
                context.channel.closeFuture.whenComplete { _ in cancellation.cancel() }
                switch await scheduler.compute(view, cancellation: cancellation) {
                case .answer(let text, let reservation):
                    response = make(Explorer.Response(status: 200, contentType: Explorer.json, body: text), reservation: reservation)
                case .busy(let message):
                    response = make(.error(503, message, headers: [("Retry-After", "1")]), reservation: nil)
                case .abandoned:
                    // Nobody reads this; the connection is closed already.
                    response = make(.error(503, "the client went away"), reservation: nil)
                }
            }
            var final = head.method == .head ? response.createHeadResponse() : response
            if closes { final.headers[.connection] = "close" }
            return final
        }

        /// A Hummingbird response: the explorer's headers, and the body in chunks, each waiting while
        /// the connection holds as much as it may (a client that does not read meets the connection's
        /// answer deadline); the answer's memory stays reserved until the last chunk is handed over.
        private func make(_ answer: Explorer.Response, reservation: ExplorerScheduler.Reservation?) -> Response {
            var fields = Self.headerFields(Explorer.securityHeaders + answer.headers)
            fields[.contentType] = answer.contentType
            let bytes = ByteBuffer(string: answer.body)
            let body = ResponseBody(contentLength: bytes.readableBytes) { writer in
                var rest = bytes
                while rest.readableBytes > 0, let chunk = rest.readSlice(length: min(Self.chunkBytes, rest.readableBytes)) {
                    try await writer.write(chunk)
                }
                try await writer.finish(nil)
                reservation?.release()
            }
            return Response(status: HTTPResponse.Status(code: answer.status), headers: fields, body: body)
        }

        static let fetchSite = HTTPField.Name("Sec-Fetch-Site")!
        static let fetchMode = HTTPField.Name("Sec-Fetch-Mode")!

        /// Header fields from name–value pairs.
        static func headerFields(_ pairs: [(name: String, value: String)]) -> HTTPFields {
            var fields = HTTPFields()
            for (name, value) in pairs {
                if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
            }
            return fields
        }
    }
#endif
