// NRPELoad: raw NRPE v4 load against any NRPE server, and a way to run ours standalone.
//
//   NRPELoad serve --port 15680 [--tls on|off] [--command name=cmdline]...
//   NRPELoad load --port 15680 [--tls on|off] [--command _NRPE_CHECK] [--concurrency 1,8,32] [--seconds 5]
//
// Each request is a fresh connection (as check_nrpe does): connect, TLS handshake when on,
// one v4 query padded like check_nrpe's (1036 bytes), read until the server closes.
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PortMatrixEventLoops
import PortMatrixNRPE


let mode = CommandLine.arguments.dropFirst().first ?? "help"
let options: [String: [String]] = {
    var options: [String: [String]] = [:]
    var arguments = CommandLine.arguments.dropFirst(2)
    while let key = arguments.popFirst(), key.hasPrefix("--"), let value = arguments.popFirst() {
        options[String(key.dropFirst(2)), default: []].append(value)
    }
    return options
}()
func option(_ name: String, _ fallback: String) -> String { options[name]?.last ?? fallback }
/// Unbuffered, so run.sh sees each table row as it is measured.
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

let port = Int(option("port", "15680"))!
let tls = ["on", "true", "yes"].contains(option("tls", "on"))

switch mode {
case "serve":
    var configuration = NRPEConfiguration()
    configuration.listen = ["127.0.0.1:\(port)"]
    configuration.allowedHosts = ["127.0.0.1"]
    configuration.tlsMode = tls ? .on : .off
    configuration.stateDirectory = option("state", "/tmp/nrpeload-state")
    configuration.maxConnections = 1024
    for definition in options["command"] ?? [] {
        let parts = definition.split(separator: "=", maxSplits: 1).map(String.init)
        configuration.commands[parts[0]] = parts[1]
    }
    var logger = Logger(label: "NRPELoad")
    logger.logLevel = .notice
    let server = try NRPEServer(configuration: configuration, logger: logger)
    let addresses = try await server.start()
    say("serving on \(addresses)")
    while true { try await Task.sleep(for: .seconds(3600)) }

case "load":
    let command = option("command", "_NRPE_CHECK")
    let seconds = Double(option("seconds", "5"))!
    let levels = option("concurrency", "1,8,32").split(separator: ",").compactMap { Int($0) }
    var query = NRPEPacket(version: .v4, type: .query, text: command)
    query.buffer += [UInt8](repeating: 0, count: max(0, 1019 - query.buffer.count))  // check_nrpe's 1036-byte query
    let queryBytes = query.encoded()
    let group = MultiThreadedEventLoopGroup.singleton
    var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
    tlsConfiguration.certificateVerification = .none
    let sslContext = try NIOSSLContext(configuration: tlsConfiguration)

    say("| target port | TLS | command | concurrency | requests | errors | req/s | p50 ms | p99 ms |")
    say("|---|---|---|---|---|---|---|---|---|")
    for concurrency in levels {
        let latencies = NIOLockedValueBox<[Double]>([])
        let errors = NIOLockedValueBox(0)
        let start = NIODeadline.now()
        let end = start + .nanoseconds(Int64(seconds * 1e9))
        await withTaskGroup(of: Void.self) { tasks in
            for _ in 0..<concurrency {
                // Each worker on one loop, its connections too: the generator then spends its
                // CPU on connections, not on thread hops, and leaves more to the server.
                let loop = group.next()
                tasks.addTask(executorPreference: EventLoopTaskExecutor(loop)) {
                    while NIODeadline.now() < end {
                        let began = NIODeadline.now()
                        do {
                            let reply = try await oneRequest(on: loop, port: port, sslContext: tls ? sslContext : nil, query: queryBytes)
                            _ = try NRPEPacket(decoding: reply)
                            let elapsed = Double((NIODeadline.now() - began).nanoseconds) / 1e6
                            latencies.withLockedValue { $0.append(elapsed) }
                        } catch {
                            errors.withLockedValue { $0 += 1 }
                        }
                    }
                }
            }
        }
        let wall = Double((NIODeadline.now() - start).nanoseconds) / 1e9
        let sorted = latencies.withLockedValue { $0 }.sorted()
        func percentile(_ p: Double) -> String {
            sorted.isEmpty ? "-" : String(format: "%.2f", sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))])
        }
        say("| \(port) | \(tls ? "on" : "off") | \(command) | \(concurrency) | \(sorted.count) | \(errors.withLockedValue { $0 }) | \(String(format: "%.0f", Double(sorted.count) / wall)) | \(percentile(0.5)) | \(percentile(0.99)) |")
    }

default:
    say("usage: NRPELoad serve|load --port P [--tls on|off] [--command …] [--concurrency 1,8,32] [--seconds 5]")
}

/// Collects the reply until the server closes the connection.
final class ReplyCollector: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    private let bytes = NIOLockedValueBox<[UInt8]>([])
    let done: EventLoopPromise<[UInt8]>

    init(done: EventLoopPromise<[UInt8]>) { self.done = done }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let chunk = buffer.readBytes(length: buffer.readableBytes) ?? []
        bytes.withLockedValue { $0 += chunk }
    }

    func channelInactive(context: ChannelHandlerContext) {
        done.succeed(bytes.withLockedValue { $0 })
    }

    /// Any error ends the connection; channelInactive then hands over what arrived, and a
    /// partial reply fails to decode and counts as an error.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

func oneRequest(on loop: any EventLoop, port: Int, sslContext: NIOSSLContext?, query: [UInt8]) async throws -> [UInt8] {
    let done = loop.makePromise(of: [UInt8].self)
    let channel = try await ClientBootstrap(group: loop)
        .channelOption(.tcpOption(.tcp_nodelay), value: 1)
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                if let sslContext {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: nil))
                }
                try channel.pipeline.syncOperations.addHandler(ReplyCollector(done: done))
            }
        }
        .connect(host: "127.0.0.1", port: port).get()
    try await channel.writeAndFlush(channel.allocator.buffer(bytes: query)).get()
    return try await done.futureResult.get()
}
