import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import PortMatrixModel

/// One HTTP/1.1 GET, enough for reading the agent's status endpoint (`plan --status URL`): one
/// request on one connection, the whole body, one deadline for all of it. No TLS and no
/// redirects: the endpoint listens on loopback only.
public struct HTTPGet: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var path: String

    /// `http://host[:port][/path]` (`[::1]` for IPv6); nil for anything else.
    public init?(url: String) {
        guard url.lowercased().hasPrefix("http://") else { return nil }
        let rest = url.dropFirst("http://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        guard case .success(let address) = TargetAddress.parse(String(rest[..<slash])) else { return nil }
        host = address.host
        port = address.port ?? 80
        path = slash == rest.endIndex ? "/" : String(rest[slash...])
        guard !path.contains(where: { $0.isWhitespace || $0 == "#" }) else { return nil }
    }

    public var url: String { "http://\(TargetAddress(host: host, port: port))\(path)" }

    /// The body of a 200 answer; anything else is an `HTTPGetError` that says what went wrong.
    public func fetch(timeout: Duration, limit: Int = 16 << 20, userAgent: String = "portmatrix",
                      group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws(HTTPGetError) -> ByteBuffer {
        let loop = group.next()
        let wait = TimeAmount.milliseconds(Int64((timeout.seconds * 1000).rounded(.up)))
        let deadline = NIODeadline.now() + wait
        let answer = loop.makePromise(of: HTTPResponseCollector.Response.self)
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
        head.headers.add(name: "Host", value: TargetAddress(host: host, port: port).description)
        head.headers.add(name: "Accept", value: "application/json")
        head.headers.add(name: "User-Agent", value: userAgent)
        head.headers.add(name: "Connection", value: "close")
        let request = head
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(wait)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(HTTPResponseCollector(request: request, answer: answer, limit: limit))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            answer.fail(error)
            throw HTTPGetError(error, timeout: timeout)
        }
        let expiry = loop.scheduleTask(deadline: deadline) {
            answer.fail(HTTPGetError.timedOut(timeout))
            channel.close(promise: nil)
        }
        defer { expiry.cancel() }
        let response: HTTPResponseCollector.Response
        do {
            response = try await answer.futureResult.get()
        } catch {
            throw HTTPGetError(error, timeout: timeout)
        }
        guard response.head.status == .ok else {
            throw .status(Int(response.head.status.code), response.head.status.reasonPhrase)
        }
        return response.body
    }
}

/// Why a GET gave no document, in words for stderr.
public enum HTTPGetError: Error, CustomStringConvertible, Equatable {
    case cannotConnect(String)
    case timedOut(Duration)
    case status(Int, String)
    case notHTTP(String)
    case incomplete
    case tooLarge(Int)

    init(_ error: any Error, timeout: Duration) {
        switch error {
        case let error as HTTPGetError: self = error
        case ChannelError.connectTimeout: self = .timedOut(timeout)
        case let error as NIOConnectionError:
            if let failure = error.connectionErrors.first {
                self = HTTPGetError(failure.error, timeout: timeout)
            } else {
                self = .cannotConnect("cannot resolve \(error.host)")
            }
        case let error as IOError: self = .cannotConnect(String(cString: strerror(error.errnoCode)).lowercased())
        case HTTPParserError.invalidEOFState: self = .incomplete
        case let error as HTTPParserError: self = .notHTTP("\(error)")
        default: self = .cannotConnect("\(error)")
        }
    }

    public var description: String {
        switch self {
        case .cannotConnect(let reason): return "cannot connect: \(reason)"
        case .timedOut(let timeout): return "no answer within \(timeout.configString)"
        case .status(let code, let reason): return "HTTP \(code) \(reason)"
        case .notHTTP(let reason): return "not an HTTP answer (\(reason))"
        case .incomplete: return "the connection closed before the answer was complete"
        case .tooLarge(let limit): return "the answer is larger than \(limit) bytes"
        }
    }
}

/// Sends the request once connected and collects the response into one buffer.
private final class HTTPResponseCollector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    struct Response: Sendable {
        var head: HTTPResponseHead
        var body: ByteBuffer
    }

    private let request: HTTPRequestHead
    private let answer: EventLoopPromise<Response>
    private let limit: Int
    private var head: HTTPResponseHead?
    private var body = ByteBuffer()

    init(request: HTTPRequestHead, answer: EventLoopPromise<Response>, limit: Int) {
        self.request = request
        self.answer = answer
        self.limit = limit
    }

    func channelActive(context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(request)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body(var part):
            guard body.readableBytes + part.readableBytes <= limit else {
                return finish(context, .failure(HTTPGetError.tooLarge(limit)))
            }
            body.writeBuffer(&part)
        case .end:
            guard let head else { return finish(context, .failure(HTTPGetError.incomplete)) }
            finish(context, .success(Response(head: head, body: body)))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(context, .failure(error))
    }

    func channelInactive(context: ChannelHandlerContext) {
        answer.fail(HTTPGetError.incomplete)
        context.fireChannelInactive()
    }

    private func finish(_ context: ChannelHandlerContext, _ result: Result<Response, any Error>) {
        answer.completeWith(result)
        context.close(promise: nil)
    }
}
