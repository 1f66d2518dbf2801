import Logging
import NIOCore
import NIOHTTP1
import PortMatrixListening

/// Answers the requests of one connection in order, each as soon as its head is decoded
/// (the routes answer synchronously, so pipelined requests keep their order).
///
/// Every answer that refuses a request, and every connection closed without one, goes
/// through ``refuse(context:status:reason:method:)`` or ``drop(context:_:)``: one log line each.
final class StatusHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        /// Waiting for the next request head (the request timer runs).
        case awaitingRequest
        /// Answered; the rest of this request (its end) is still to come.
        case answered
        /// The last answer went out with `Connection: close`; reading only to let the client read it.
        case closing
    }

    private static let allowedMethods: [HTTPMethod] = [.GET, .HEAD]

    private let routes: any StatusHTTPRoutes
    private let limits: StatusHTTPLimits
    private let watch: StatusHTTPInputWatch
    private let admitted: Bool
    private var logger: Logger
    private var peer = "unknown peer"
    private var state = State.awaitingRequest
    private var served = 0
    private var timer: Scheduled<Void>?
    private let refusals: RefusalLog
    private let access: StatusHTTPAccess

    init(routes: any StatusHTTPRoutes, limits: StatusHTTPLimits, watch: StatusHTTPInputWatch, admitted: Bool, logger: Logger,
         refusals: RefusalLog, access: StatusHTTPAccess = .loopbackOnly) {
        self.refusals = refusals
        self.access = access
        self.routes = routes
        self.limits = limits
        self.watch = watch
        self.admitted = admitted
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        peer = context.channel.remoteAddress.map(\.listenText) ?? peer
        logger[metadataKey: "peer"] = "\(peer)"
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        guard admitted else {
            refuse(context: context, status: .serviceUnavailable, reason: "\(limits.maxConnections) connections open (the limit)")
            return
        }
        guard access.admits(peer: context.channel.remoteAddress) else {
            refuse(context: context, status: .forbidden, reason: "the peer is not on loopback or in allowed_hosts")
            return
        }
        arm(context: context, limits.requestTimeout)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        if state == .awaitingRequest && watch.pending {
            logger.debug("status endpoint: \(peer) closed the connection within a request")
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard state == .awaitingRequest else { return }
            timer?.cancel()
            answer(context: context, head)
        case .body:
            break  // requests with a body were refused at their head
        case .end:
            guard state == .answered else { return }
            state = .awaitingRequest
            served += 1
            watch.pending = false
            arm(context: context, limits.requestTimeout)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard state != .closing else { return }  // e.g. bytes after a malformed request
        switch error {
        case HTTPParserError.headerOverflow:
            refuse(context: context, status: .requestHeaderFieldsTooLarge,
                   reason: "request line and headers exceed \(limits.maxRequestHeadBytes) bytes or \(limits.maxHeaderCount) fields")
        case let error as HTTPParserError:
            refuse(context: context, status: .badRequest, reason: "malformed request: \(error)")
        default:
            drop(context: context, "\(error)")
        }
    }

    private func answer(context: ChannelHandlerContext, _ head: HTTPRequestHead) {
        // Answers still queued behind a full socket: a client that pipelines requests but
        // never reads would otherwise have the server buffer every answer.
        guard context.channel.isWritable else {
            drop(context: context, "the client does not read its answers (\(served) answered)")
            return
        }
        let request = "\(head.method.rawValue) \(Self.printable(head.uri))"
        if let (status, reason) = hostRefusal(head) {
            refuse(context: context, status: status, reason: "\(request): \(reason)", method: head.method)
            return
        }
        let length = head.headers["content-length"].first.flatMap { Int($0) } ?? 0
        let hasBody = length > 0 || head.headers.contains(name: "transfer-encoding")
        guard Self.allowedMethods.contains(head.method) else {
            refuse(context: context, status: .methodNotAllowed, reason: "\(request): only GET and HEAD", method: head.method,
                   headers: [("Allow", "GET, HEAD")], keepAlive: head.isKeepAlive && !hasBody)
            return
        }
        guard !hasBody else {
            refuse(context: context, status: .payloadTooLarge, reason: "\(request) with a body", method: head.method)
            return
        }
        guard let path = Self.path(of: head.uri) else {
            refuse(context: context, status: .badRequest, reason: "\(request): not a path", method: head.method)
            return
        }
        guard let response = routes.response(for: path) else {
            refuse(context: context, status: .notFound, reason: "\(request): no such page", method: head.method, keepAlive: head.isKeepAlive)
            return
        }
        logger.debug("status endpoint: \(request) from \(peer): \(response.status.code)")
        write(context: context, response, method: head.method, keepAlive: head.isKeepAlive)
    }

    /// The host a request names (its absolute-form authority, else `Host`) against ``access``:
    /// 400 when missing (HTTP/1.1) or repeated, 421 when it is not one this endpoint answers to.
    private func hostRefusal(_ head: HTTPRequestHead) -> (HTTPResponseStatus, String)? {
        let hosts = head.headers["host"]
        guard hosts.count <= 1 else { return (.badRequest, "\(hosts.count) Host headers") }
        let host: String
        if let authority = Self.authority(of: head.uri) {
            host = authority
        } else if let header = hosts.first {
            host = header  // the parser has stripped the spaces around it
        } else {
            return head.version == .http1_0 || head.version == .http0_9 ? nil : (.badRequest, "no Host header")
        }
        return access.refusal(host: Self.printable(host)).map { (.misdirectedRequest, $0) }
    }

    /// `host[:port]` of an absolute-form target (`http://host:port/path`).
    static func authority(of uri: String) -> String? {
        guard let scheme = ["http://", "https://"].first(where: { uri.lowercased().hasPrefix($0) }) else { return nil }
        let rest = uri.dropFirst(scheme.count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        // userinfo@host: the host is what follows the last @.
        return String(authority.split(separator: "@", omittingEmptySubsequences: false).last ?? authority)
    }

    /// Answers with an error status and logs why. Without `keepAlive` the connection closes.
    private func refuse(context: ChannelHandlerContext, status: HTTPResponseStatus, reason: String, method: HTTPMethod = .GET,
                        headers: [(String, String)] = [], keepAlive: Bool = false) {
        // Well-formed requests for the wrong thing are the client's business; broken ones are louder.
        let level: Logger.Level = status == .notFound || status == .methodNotAllowed ? .notice : .warning
        refusals.log(logger, level: level, reason: "\(status.code)", "status endpoint: refused \(peer) with \(status.code) \(status.reasonPhrase): \(reason)")
        let text = StatusHTTPResponse.text("\(status.code) \(status.reasonPhrase): \(reason)\n", status: status)
        write(context: context, text, method: method, keepAlive: keepAlive, extraHeaders: headers)
    }

    private func write(context: ChannelHandlerContext, _ response: StatusHTTPResponse, method: HTTPMethod, keepAlive: Bool,
                       extraHeaders: [(String, String)] = []) {
        let body = context.channel.allocator.buffer(string: response.body)
        var headers = HTTPHeaders([("Content-Type", response.contentType), ("Content-Length", "\(body.readableBytes)"),
                                   ("Cache-Control", "no-store")])
        headers.add(contentsOf: extraHeaders)
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: response.status, headers: headers))), promise: nil)
        if method != .HEAD && body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        if keepAlive {
            state = .answered
        } else {
            closeAfterAnswer(context: context)
        }
    }

    /// Stops sending (FIN after the answer) but keeps reading until the client closes or the
    /// linger time ends: closing at once would reset a connection with unread request bytes,
    /// and the client would lose the answer.
    private func closeAfterAnswer(context: ChannelHandlerContext) {
        state = .closing
        let outputClosed = context.eventLoop.makePromise(of: Void.self)
        outputClosed.futureResult.assumeIsolated().whenFailure { _ in context.close(promise: nil) }
        context.close(mode: .output, promise: outputClosed)
        arm(context: context, limits.lingerTimeout)
    }

    /// Closes without an answer; the line says why.
    private func drop(context: ChannelHandlerContext, _ reason: String, level: Logger.Level = .warning) {
        refusals.log(logger, level: level, reason: reason, "status endpoint: closed connection from \(peer) without answer: \(reason)")
        state = .closing
        context.close(promise: nil)
    }

    private func arm(context: ChannelHandlerContext, _ delay: TimeAmount) {
        timer?.cancel()
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in
            timedOut(context: context)
        }
    }

    private func timedOut(context: ChannelHandlerContext) {
        let seconds = Self.seconds(limits.requestTimeout)
        switch state {
        case .closing:
            context.close(promise: nil)
        case .awaitingRequest where watch.pending:
            refuse(context: context, status: .requestTimeout, reason: "no complete request within \(seconds) s")
        case .awaitingRequest where served == 0:
            drop(context: context, "no request within \(seconds) s")
        case .awaitingRequest, .answered:
            drop(context: context, "idle for \(seconds) s after \(served) requests", level: .debug)
        }
    }

    /// The path of an origin-form (`/metrics?x`) or absolute-form (`http://host/metrics`) target.
    static func path(of uri: String) -> String? {
        var target = Substring(uri)
        if let scheme = ["http://", "https://"].first(where: { target.lowercased().hasPrefix($0) }) {
            target = target.dropFirst(scheme.count)
            target = target.firstIndex(of: "/").map { target[$0...] } ?? "/"
        }
        guard target.hasPrefix("/") else { return nil }
        if let end = target.firstIndex(where: { $0 == "?" || $0 == "#" }) { target = target[..<end] }
        return String(target)
    }

    /// A request target as a log line may carry it: control characters escaped, length capped.
    static func printable(_ text: String) -> String {
        let limit = 200
        var out = ""
        for scalar in text.unicodeScalars.prefix(limit) {
            out += scalar.value < 0x20 || scalar.value == 0x7F ? scalar.escaped(asASCII: true) : String(scalar)
        }
        return text.unicodeScalars.count > limit ? out + "..." : out
    }

    static func seconds(_ amount: TimeAmount) -> String {
        let milliseconds = amount.nanoseconds / 1_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)" : "\(Double(milliseconds) / 1000)"
    }
}
