import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP connect on a socket of our own, so that what the network answered can be read from
/// the socket's error queue before it is closed (NIO closes a socket whose connect failed, and
/// with it the queue). The connected socket is then handed to NIO (`withConnectedSocket`).
///
/// The connect waits on a thread of its own pool (poll(2) until the deadline; cancelling shuts
/// the socket down, which ends the connect): an idle thread costs nothing while it waits, and
/// one pool thread per concurrent check keeps connects from queueing behind each other.
/// `trace` reuses it with a TTL (`Options.timeToLive`).
enum SocketDialer {
    struct Options: Sendable {
        var source: SocketAddress?
        /// `TCP_MAXSEG` before connect: the MSS we announce (536 gets past MTU black holes).
        var maximumSegmentSize: Int32?
        /// `IP_TTL` / `IPV6_UNICAST_HOPS`.
        var timeToLive: Int32?
    }

    /// A connect that did not happen, with what the network said, if it said anything.
    struct Failure: Error, Sendable {
        var errorNumber: Int32
        /// The ICMP/ICMPv6 error that ended the connect; nil for a RST (refused), silence or a local error.
        var report: SocketErrorReport?
        var timedOut: Bool { errorNumber == ETIMEDOUT || errorNumber == EAGAIN }
    }

    /// One thread per concurrently connecting check (the engine runs 32 at a time by default).
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 32)
        pool.start()
        return pool
    }()

    /// The connected descriptor; the caller owns it (NIO closes it with its channel).
    /// `threads`: `trace` dials on a pool of its own, so traces never hold the checks' threads.
    static func connect(to address: SocketAddress, deadline: NIODeadline, options: Options = Options(),
                        on eventLoop: any EventLoop, threads: NIOThreadPool = pool) async throws -> Int32 {
        let (fd, ipv6) = RawSocket.open(.stream, for: address)
        guard fd >= 0 else { throw Failure(errorNumber: errno, report: nil) }
        do {
            try configure(fd, ipv6: ipv6, options: options)
        } catch {
            close(fd)
            throw error
        }

        let connecting = Connecting()
        let future = threads.runIfActive(eventLoop: eventLoop) { () throws -> Int32 in
            let code = connectAndWait(fd, to: address, until: deadline)
            connecting.state.withLock { $0 = false }
            if code == 0 { return fd }
            let report = SocketErrorQueue.read(fd)
            close(fd)
            throw Failure(errorNumber: code, report: report)
        }
        return try await withTaskCancellationHandler {
            let connected = try await future.get()
            // The conversation runs as usual: ICMP errors soft again.
            SocketErrorQueue.enable(connected, ipv6: ipv6, on: false)
            return connected
        } onCancel: {
            // Ends a connect in progress; the pool thread then closes the socket. Once the
            // connect returned, the descriptor may be NIO's or closed (and its number reused).
            connecting.state.withLock { inProgress in
                if inProgress { _ = shutdown(fd, Int32(SHUT_RDWR)) }
            }
        }
    }

    /// A non-blocking connect and poll(2) until the deadline; 0 or the errno that ended it.
    /// Not a blocking connect: the first ICMP error can arrive while connect(2) still owns the
    /// socket, and is then only kept as a soft error that a blocking connect does not wake up
    /// for (it fails at the next SYN, a second later); poll sees it at once, which is what lets
    /// a TTL-limited connect of `trace` end at each hop's time exceeded.
    private static func connectAndWait(_ fd: Int32, to address: SocketAddress, until deadline: NIODeadline) -> Int32 {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(fd, F_SETFL, flags) }
        let result = address.withSockAddr { pointer, size in Glibc.connect(fd, pointer, socklen_t(size)) }
        if result == 0 { return 0 }
        guard errno == EINPROGRESS else { return errno }
        while true {
            let remaining = (deadline - .now()).nanoseconds / 1_000_000
            guard remaining > 0 else { return ETIMEDOUT }
            var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(remaining, Int64(Int32.max))))
            if ready < 0 && errno == EINTR { continue }
            if ready < 0 { return errno }
            if ready == 0 { return ETIMEDOUT }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 else { return errno }
            if error != 0 { return error }
            if descriptor.revents & Int16(POLLHUP) != 0 { return ECONNRESET }
            return 0
        }
    }

    private final class Connecting: Sendable {
        let state = Mutex(true)
    }

    private static func configure(_ fd: Int32, ipv6: Bool, options: Options) throws {
        var one: Int32 = 1
        let size = socklen_t(MemoryLayout<Int32>.size)
        SocketErrorQueue.enable(fd, ipv6: ipv6)
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, size)
        if var segment = options.maximumSegmentSize {
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_MAXSEG, &segment, size)
        }
        if let ttl = options.timeToLive { RawSocket.setTimeToLive(fd, ttl, ipv6: ipv6) }
        if let source = options.source {
            let result = source.withSockAddr { pointer, length in bind(fd, pointer, socklen_t(length)) }
            guard result == 0 else { throw Failure(errorNumber: errno, report: nil) }
        }
    }
}
