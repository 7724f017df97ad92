// The whole-answer deadline of the explorer's connections: an answer the client has not acknowledged
// within the write timeout, counted from the moment its head is written, resets the connection.
// Waiting writes alone cannot tell: the socket's and SwiftNIO's buffers may take a whole answer of a
// megabyte at once, and the writer then finishes although the client never reads a byte. What the
// client's TCP has acknowledged can tell, and Linux counts it per connection (`tcpi_bytes_acked`).
#if Explorer
    import Logging
    import NIOCore
    import NIOHTTP1
    #if canImport(Glibc)
        import Glibc
    #endif

    /// Counts the bytes the connection hands to its socket, from the first one: the end of every answer
    /// is then a position in the stream that the client's acknowledgements can be compared with.
    /// It sits at the socket's end of the pipeline, below the HTTP encoder.
    final class HandedOverBytes: ChannelOutboundHandler, RemovableChannelHandler {
        typealias OutboundIn = IOData
        typealias OutboundOut = IOData

        /// Bytes written to the connection so far: headers, bodies and framing of every answer.
        private(set) var count: UInt64 = 0

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            count += UInt64(unwrapOutboundIn(data).readableBytes)
            context.write(data, promise: promise)
        }
    }

    /// Resets the connection when an answer has not been acknowledged by the client within `timeout`
    /// of its head being written: either the answer is still being written then, or the client's TCP
    /// has not acknowledged its last byte. Each answer has a deadline of its own that looks at its own
    /// bytes only, so on a keep-alive connection a later request is never cut by an earlier answer's
    /// deadline, and an answer that was read leaves the connection open for the next request.
    ///
    /// The reset (SO_LINGER 0, then close) frees the kernel's send buffer at once, where a close
    /// would leave the unread bytes queued behind a closed window as long as the client holds its
    /// end. It sits above the HTTP encoder, where an answer's head and end are seen.
    final class AnswerDeadline: ChannelOutboundHandler, RemovableChannelHandler {
        typealias OutboundIn = HTTPServerResponsePart
        typealias OutboundOut = HTTPServerResponsePart

        private let timeout: TimeAmount
        private let handedOver: HandedOverBytes
        private let logger: Logger
        /// Answers begun on this connection; the number of the one being written, if any.
        private var answersBegun = 0
        private var writing: Int?
        /// For each answer written whole and still within its deadline: the stream position of its last byte.
        private var ends: [Int: UInt64] = [:]
        private var deadlines: [Int: Scheduled<Void>] = [:]

        init(timeout: TimeAmount, handedOver: HandedOverBytes, logger: Logger) {
            self.timeout = timeout
            self.handedOver = handedOver
            self.logger = logger
        }

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            let part = unwrapOutboundIn(data)
            // An informational head (100 Continue) is not an answer: the final head that follows is.
            if case .head(let head) = part, head.status.code >= 200, writing == nil { begin(context: context) }
            // The encoder below hands the bytes on at once, so after this call the count includes them.
            context.write(data, promise: promise)
            if case .end = part, let answer = writing {
                ends[answer] = handedOver.count
                writing = nil
            }
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            for deadline in deadlines.values { deadline.cancel() }
            deadlines = [:]
        }

        private func begin(context: ChannelHandlerContext) {
            answersBegun += 1
            let answer = answersBegun
            writing = answer
            deadlines[answer] = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
                expire(answer, context: context)
            }
        }

        /// The deadline of `answer` has come: keep the connection only if the answer was written whole
        /// and the client has acknowledged every byte up to its end.
        private func expire(_ answer: Int, context: ChannelHandlerContext) {
            deadlines[answer] = nil
            guard let end = ends.removeValue(forKey: answer) else {
                reset(context: context, because: "answer \(answer) was still being written")
                return
            }
            Self.acknowledgedBytes(of: context.channel).assumeIsolated().whenSuccess { [self] acknowledged in
                // Unknown (not a TCP socket Linux reports on): the answer was written whole, which is all we can tell.
                guard let acknowledged, acknowledged < end else { return }
                reset(context: context, because: "answer \(answer) acknowledged up to byte \(acknowledged) of \(end)")
            }
        }

        private func reset(context: ChannelHandlerContext, because reason: String) {
            guard context.channel.isActive else { return }
            logger.debug("unread answer after \(timeout): \(reason); resetting the connection")
            let options = context.channel as? any SocketOptionProvider
            let lingering = options?.setSoLinger(linger(l_onoff: 1, l_linger: 0)) ?? context.eventLoop.makeSucceededVoidFuture()
            lingering.assumeIsolated().whenComplete { [context] _ in context.close(promise: nil) }
        }

        /// The bytes of the connection that the client's TCP has acknowledged, counted from the first
        /// byte the server sent (Linux's `tcpi_bytes_acked`, RFC 4898's tcpEStatsAppHCThruOctetsAcked,
        /// since Linux 4.2); nil where the system does not say.
        static func acknowledgedBytes(of channel: any Channel) -> EventLoopFuture<UInt64?> {
            #if os(Linux)
                guard let options = channel as? any SocketOptionProvider else { return channel.eventLoop.makeSucceededFuture(nil) }
                let info: EventLoopFuture<LinuxTCPInfo> = options.unsafeGetSocketOption(level: .tcp, name: .tcp_info)
                return info.map { Optional($0.bytesAcknowledged) }.recover { _ in nil }
            #else
                return channel.eventLoop.makeSucceededFuture(nil)
            #endif
        }
    }

    /// The start of Linux's `struct tcp_info` (linux/tcp.h) up to `tcpi_bytes_acked`, which Glibc's
    /// shorter `tcp_info` does not have: eight bytes of state, 24 32-bit counters and the two pacing
    /// rates (120 bytes), then the acknowledged bytes. The kernel fills as much as is asked for.
    struct LinuxTCPInfo: Sendable {
        /// `tcpi_state` … `tcpi_max_pacing_rate`, not read here.
        var preceding: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
        /// `tcpi_bytes_acked`.
        var bytesAcknowledged: UInt64
    }
#endif
