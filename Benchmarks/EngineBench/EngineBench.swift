import Foundation
import Logging
import NIOCore
import NIOPosix
import PortMatrixEngine
import PortMatrixModel

#if canImport(Glibc)
import Glibc
#endif

/// Engine benchmarks (issue 3):
///   cycle  — one cycle of N checks against loopback, a share of them silent, timeout T:
///            wall time against the timeout.
///   memory — resident memory with the default profile and with N checks.
///   trace  — (issue 11) cycles of N checks with a share failing with connect_timeout, without
///            and then with the agent's evidence traces running beside the cycles.
/// Run: swift run -c release EngineBench cycle 1000 0.05 2 256
@main
struct EngineBench {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case "cycle":
            let count = Int(arguments.dropFirst().first ?? "1000") ?? 1000
            let silentShare = Double(arguments.dropFirst(2).first ?? "0.05") ?? 0.05
            let timeout = Double(arguments.dropFirst(3).first ?? "2") ?? 2
            let concurrency = Int(arguments.dropFirst(4).first ?? "256") ?? 256
            try await cycle(count: count, silentShare: silentShare, timeout: timeout, concurrency: concurrency)
        case "memory":
            let count = Int(arguments.dropFirst().first ?? "10000") ?? 10000
            try await memory(count: count)
        case "trace":
            let count = Int(arguments.dropFirst().first ?? "1000") ?? 1000
            let failingShare = Double(arguments.dropFirst(2).first ?? "0.05") ?? 0.05
            let timeout = Double(arguments.dropFirst(3).first ?? "2") ?? 2
            let concurrency = Int(arguments.dropFirst(4).first ?? "256") ?? 256
            let traceConcurrency = Int(arguments.dropFirst(5).first ?? "2") ?? 2
            try await traceCycles(count: count, failingShare: failingShare, timeout: timeout, concurrency: concurrency,
                                  traceConcurrency: traceConcurrency)
        default:
            print("usage: EngineBench cycle [checks] [silent-share] [timeout-s] [concurrency] | memory [checks]"
                + " | trace [checks] [failing-share] [timeout-s] [concurrency] [trace-concurrency]")
        }
    }

    /// A lab profile with one path to `count` loopback targets.
    static func plan(targets: [String], probe: String, timeout: Double, concurrency: Int) throws -> Plan {
        let profile = try ProfileLoader.parse("""
        name: bench
        roles: [{ id: gw, description: gateway }, { id: peer, description: loopback peers }]
        paths:
          - { id: bench, function: Bench, endpoints: [{ port: tcp/22, probe: \(probe) }], source: gw, target: peer, applies: required }
        """, file: "bench-profile")
        var config = SiteConfiguration()
        config.roles = ["gw"]
        config.hosts["peer"] = targets.map { try! TargetAddress.parse($0).get() }
        config.schedule.timeout = .milliseconds(Int64(timeout * 1000))
        config.schedule.interval = .seconds(Int64(timeout * 10))
        config.schedule.concurrency = concurrency
        return Planner(profile: profile, configuration: config).plan()
    }

    static func cycle(count: Int, silentShare: Double, timeout: Double, concurrency: Int) async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let banner = try await LoopbackPeer.start(group: group, banner: "SSH-2.0-bench\r\n")
        let silent = try await LoopbackPeer.start(group: group, banner: nil)
        let silentCount = Int(Double(count) * silentShare)
        let targets = (0..<count).map { index in
            index < silentCount ? "127.0.0.1:\(silent.port)" : "127.0.0.1:\(banner.port)"
        }.shuffled()
        let plan = try plan(targets: targets, probe: "ssh", timeout: timeout, concurrency: concurrency)
        let engine = Engine(plan: plan, runner: CheckRunner(context: ProbeContext(eventLoopGroup: group, logger: Logger(label: "bench"))),
                            logger: Logger(label: "bench"), listenerSource: { _ in nil })
        // The first cycle knows nothing; from the second on, checks that timed out start first.
        for cycle in 1...2 {
            let started = ContinuousClock.now
            let snapshot = await engine.runCycle().snapshot
            let wall = (ContinuousClock.now - started).seconds
            let checks = snapshot.paths.flatMap(\.checks)
            let byReason = Dictionary(grouping: checks, by: { $0.reason?.rawValue ?? "ok" }).mapValues(\.count)
            print(String(format: "cycle %d: %d checks (%d silent), timeout %.1f s, concurrency %d: wall %.3f s = %.2f x timeout; results %@",
                         cycle, count, silentCount, timeout, concurrency, wall, wall / timeout, byReason.description))
        }
        try await banner.close()
        try await silent.close()
    }

    /// Cycle time with a share of checks failing with connect_timeout (a listener whose accept
    /// queue is full drops their SYNs, as a firewall would), first without tracing, then with
    /// the agent's EvidenceTracer tracing them beside the cycles (each trace of such a check
    /// sends a window of TTL-limited SYNs and waits one hop timeout). Same peers, same process.
    static func traceCycles(count: Int, failingShare: Double, timeout: Double, concurrency: Int, traceConcurrency: Int) async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let banner = try await LoopbackPeer.start(group: group, banner: "SSH-2.0-bench\r\n")
        let full = try FullListener()
        defer { full.close() }
        let failingCount = Int(Double(count) * failingShare)
        let targets = (0..<count).map { index in
            index < failingCount ? "127.0.0.1:\(full.port)" : "127.0.0.1:\(banner.port)"
        }.shuffled()
        let plan = try plan(targets: targets, probe: "ssh", timeout: timeout, concurrency: concurrency)
        var settings = TraceSettings()
        settings.concurrency = traceConcurrency
        let traces = Counter()
        for tracing in [false, true] {
            let tracer = tracing ? EvidenceTracer(settings: settings) { request in
                defer { traces.add() }
                return try await Tracer.trace(request, group: group)
            } : nil
            let engine = Engine(plan: plan, runner: CheckRunner(context: ProbeContext(eventLoopGroup: group, logger: Logger(label: "bench"))),
                                logger: Logger(label: "bench"), tracer: tracer, listenerSource: { _ in nil })
            let running = Task { await tracer?.run(store: engine.store) {} }
            var walls: [Double] = []
            for cycle in 1...4 {
                let before = traces.value
                let started = ContinuousClock.now
                let snapshot = await engine.runCycle().snapshot
                let wall = (ContinuousClock.now - started).seconds
                if cycle > 1 { walls.append(wall) }
                tracer?.resultsChanged()  // as Engine.run does after each cycle
                let checks = snapshot.paths.flatMap(\.checks)
                let byReason = Dictionary(grouping: checks, by: { $0.reason?.rawValue ?? "ok" }).mapValues(\.count)
                print(String(format: "%@ cycle %d: %d checks (%d failing), timeout %.1f s, concurrency %d: wall %.3f s = %.2f x timeout; traces finished during it %d, verdicts kept %d; results %@",
                             tracing ? "tracing (concurrency \(traceConcurrency))" : "no tracing", cycle, count, failingCount, timeout,
                             concurrency, wall, wall / timeout, traces.value - before, checks.filter { $0.trace != nil }.count,
                             byReason.description))
            }
            print(String(format: "%@: mean of cycles 2-4 %.3f s", tracing ? "tracing" : "no tracing", walls.reduce(0, +) / Double(walls.count)))
            running.cancel()
            await running.value
        }
        try await banner.close()
    }

    static func memory(count: Int) async throws {
        let baseline = residentKiB()
        let (config, profile) = try ConfigurationLoader.embeddedDefault()
        let defaultPlan = Planner(profile: profile, configuration: config).plan()
        let group = MultiThreadedEventLoopGroup.singleton
        let context = ProbeContext(eventLoopGroup: group, logger: Logger(label: "bench"))
        // Listener checks only, so nothing leaves the machine: memory of plan, results and snapshot.
        let local = Engine(plan: defaultPlan, runner: CheckRunner(registry: ProbeRegistry([]), context: context),
                           logger: Logger(label: "bench"), listenerSource: { _ in nil })
        _ = await local.runCycle()
        let withDefault = residentKiB()
        let targets = (0..<count).map { "127.0.0.\(1 + $0 % 250):\(40000 + $0 % 1000)" }
        let big = Engine(plan: try plan(targets: targets, probe: "none", timeout: 1, concurrency: 256),
                         runner: CheckRunner(registry: ProbeRegistry([]), context: context), logger: Logger(label: "bench"),
                         listenerSource: { _ in nil })
        _ = await big.runCycle()
        let withBig = residentKiB()
        print("memory: baseline \(baseline) KiB; default profile (\(defaultPlan.checks.count) checks) \(withDefault) KiB; +\(count) checks \(withBig) KiB")
    }

    static func residentKiB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
}

/// A loopback TCP server that greets with `banner`, or stays silent when nil.
struct LoopbackPeer {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    static func start(group: any EventLoopGroup, banner: String?) async throws -> LoopbackPeer {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                guard let banner else { return channel.eventLoop.makeSucceededVoidFuture() }
                return channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Greeter(banner: banner)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return LoopbackPeer(channel: channel)
    }

    func close() async throws { try await channel.close() }
}

/// A loopback listener that never accepts, its accept queue filled at once: the kernel drops
/// every further SYN, so connects to it time out (connect_timeout, traceable) as behind a
/// firewall that drops.
final class FullListener: @unchecked Sendable {
    let fd: Int32
    let port: Int
    private var fillers: [Int32] = []

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 0) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        self.port = port
        // Backlog 0 still queues one connection: fill the queue with two of our own.
        for _ in 0..<2 {
            let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            fillers.append(filler)
        }
        usleep(100_000)
    }

    func close() {
        for filler in fillers { Glibc.close(filler) }
        Glibc.close(fd)
    }
}

/// Counts finished traces across tasks.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

/// Sends the banner once the connection is up; the probe closes when it has read it.
final class Greeter: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let banner: String

    init(banner: String) { self.banner = banner }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(NIOAny(ByteBuffer(string: banner)), promise: nil)
        context.fireChannelActive()
    }
}
