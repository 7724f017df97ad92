// HTTP/1.1 for the explorer: the pipeline of Hummingbird's HTTP1Channel, with changes that
// Hummingbird's own channel does not allow: an HTTP/1.0 request is answered and its connection
// closed (SwiftNIO's HTTP types forget the version, so it is marked before they see it), a request
// that cannot be parsed, or an HTTP/1.1 request without exactly one Host, gets a JSON 400 with the
// explorer's headers instead of an empty one, every answer has a deadline for the client to
// acknowledge it (AnswerDeadline), and the connection's channel is handed to the responder, which
// stops a computation when it closes.
#if Explorer
    import ConvMatrixExplorer
    import HTTPTypes
    import Hummingbird
    import HummingbirdCore
    import Logging
    import NIOCore
    import NIOHTTP1
    import NIOHTTPTypes
    import NIOHTTPTypesHTTP1

    /// The child channel of each connection: SwiftNIO's HTTP/1 codec, the answer deadline, the HTTP/1.0
    /// marker, the one-Host check, the HTTP types, Hummingbird's idle timeout, and the request loop below.
    struct ExplorerHTTPChannel: ServerChildChannel, HTTPChannelHandler {
        typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

        /// The socket's send buffer: 128 KiB, enough for a lecture hall's network (128 KiB a round
        /// trip: 128 MB/s at 1 ms), small enough that unread answers cannot pile up in the kernel.
        static let sendBufferBytes: SocketOptionValue = 128 << 10

        let responder: HTTPChannelHandler.Responder
        /// Time before an idle connection (no request coming, no answer going) is closed.
        let idleTimeout: Duration
        /// Time from the start of an answer until the client must have acknowledged all of it, or the
        /// connection is reset (`AnswerDeadline`).
        let writeTimeout: TimeAmount

        func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
            channel.eventLoop.makeCompletedFuture {
                // The kernel holds at most this much of an answer a client does not read (Linux doubles
                // it for its bookkeeping); beyond it a write waits. Whether waiting or not, an answer
                // not acknowledged within the write timeout resets the connection (AnswerDeadline).
                try channel.syncOptions?.setOption(ChannelOptions.socketOption(.so_sndbuf), value: ExplorerHTTPChannel.sendBufferBytes)
                // A client that stops sending has gone away: the connection closes at once, and with it
                // the computation of its request (ExplorerResponder). Hummingbird keeps a half-closed
                // connection open for its answer, but then a hung-up client's work would run to the end;
                // browsers and HTTP clients never half-close while they wait for an answer.
                try channel.syncOptions?.setOption(ChannelOptions.allowRemoteHalfClosure, value: false)
                var limits = NIOHTTPDecoderLimitConfiguration()
                // A query is at most 2048 bytes (ExplorerQuery.lengthLimit); headers need little more.
                limits.maxHeaderFieldSize = 16 << 10
                limits.maxHeaderListSize = 64 << 10
                limits.maxHeaderFieldCount = 100
                try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                    withPipeliningAssistance: false, withErrorHandling: false, withOutboundHeaderValidation: false,
                    withEncoderConfiguration: .init(), withDecoderLimitConfiguration: limits)
                let handedOver = HandedOverBytes()
                try channel.pipeline.syncOperations.addHandler(handedOver, position: .first)
                try channel.pipeline.syncOperations.addHandler(AnswerDeadline(timeout: writeTimeout, handedOver: handedOver, logger: logger))
                try channel.pipeline.syncOperations.addHandler(HTTP10ClosesConnection())
                try channel.pipeline.syncOperations.addHandler(OneHostField())
                try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                try channel.pipeline.syncOperations.addHandler(HTTPConnectionStateHandler(idleTimeout: idleTimeout, logger: logger))
                return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
            }
        }

        /// Answers the connection's requests one after another (Hummingbird's loop), until the
        /// client closes it, a request asks to close it (`Connection: close`, every HTTP/1.0 request),
        /// or a request cannot be read: that one gets a JSON 400 and the connection closes.
        func handle(value asyncChannel: Value, logger: Logger) async {
            do {
                try await withTaskCancellationHandler {
                    try await asyncChannel.executeThenClose { inbound, outbound in
                        var iterator = inbound.makeAsyncIterator()
                        do {
                            var next = try await iterator.next()
                            while let part = next {
                                guard case .head(let head) = part else { throw ExplorerHTTPError.unexpectedPart }
                                try await responder(
                                    Request(head: head, body: .init(buffer: ByteBuffer())), ResponseWriter(outbound: outbound), asyncChannel.channel)
                                if head.headerFields[.connection]?.lowercased() == "close" { break }
                                // Skip a body (the explorer reads none) up to the next request.
                                next = try await iterator.next()
                                while case .body = next { next = try await iterator.next() }
                                if case .end = next { next = try await iterator.next() }
                            }
                        } catch {
                            // A request that is not HTTP, has too large headers, a method the HTTP types
                            // cannot name or not one Host: nothing of an answer has been written yet.
                            logger.debug("unreadable request: \(error)")
                            let message = (error as? ExplorerHTTPError)?.message ?? "the request is not HTTP/1.1 the explorer can read"
                            let body = ByteBuffer(string: Explorer.Response.error(400, message).body)
                            var fields = ExplorerResponder.headerFields(Explorer.securityHeaders)
                            fields[.contentType] = "application/json; charset=utf-8"
                            fields[.contentLength] = String(body.readableBytes)
                            fields[.connection] = "close"
                            try await outbound.write(contentsOf: [.head(HTTPResponse(status: .badRequest, headerFields: fields)), .body(body), .end(nil)])
                        }
                        outbound.finish()
                        try await asyncChannel.channel.closeFuture.get()
                    }
                } onCancel: {
                    asyncChannel.channel.close(mode: .input, promise: nil)
                }
            } catch {
                logger.trace("connection ended: \(error)")
            }
        }
    }

    /// Why the request loop stopped reading.
    enum ExplorerHTTPError: Error {
        /// A body or end where a request's head belongs.
        case unexpectedPart
        /// An HTTP/1.1 request with this many Host fields, not one.
        case hostFields(Int)

        /// What the 400 answer says, for a client's developer.
        var message: String {
            switch self {
            case .unexpectedPart: "the request is not HTTP/1.1 the explorer can read"
            case .hostFields(0): "an HTTP/1.1 request needs a Host field (RFC 9112, section 3.2)"
            case .hostFields(let count): "an HTTP/1.1 request has one Host field, not \(count) (RFC 9112, section 3.2)"
            }
        }
    }

    /// Refuses an HTTP/1.1 request without exactly one Host field, as RFC 9112 (section 3.2) asks of a
    /// server: the Host check of `Explorer.route` sees one name, so a second one must not slip past
    /// it, and a request without one is not what a browser sends. The error ends the request loop,
    /// which answers a JSON 400 and closes the connection. HTTP/1.0 requests may lack it.
    final class OneHostField: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias InboundOut = HTTPServerRequestPart

        /// Whether a request was refused: nothing after it is read.
        private var refused = false

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !refused else { return }
            if case .head(let head) = unwrapInboundIn(data), head.version.major == 1, head.version.minor >= 1 {
                let count = head.headers["Host"].count
                if count != 1 {
                    refused = true
                    context.fireErrorCaught(ExplorerHTTPError.hostFields(count))
                    return
                }
            }
            context.fireChannelRead(data)
        }
    }

    /// Marks every HTTP/1.0 request `Connection: close`, so that it is answered and its connection
    /// closed: HTTP/1.0 closes after each answer unless both sides agree otherwise, and the HTTP
    /// types after this handler no longer know the version.
    final class HTTP10ClosesConnection: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias InboundOut = HTTPServerRequestPart

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .head(var head) = unwrapInboundIn(data), head.version.major == 1, head.version.minor == 0 else {
                context.fireChannelRead(data)
                return
            }
            head.headers.replaceOrAdd(name: "Connection", value: "close")
            context.fireChannelRead(wrapInboundOut(.head(head)))
        }
    }
#endif
