import NIOCore
import PortMatrixEventLoops
import PortMatrixModel

/// Runs one TCP probe body on an open connection and turns whatever happens into a
/// `ProbeOutcome`: timings, observations gathered so far, the failure reason, and a closed
/// channel on every path, including task cancellation.
enum ProbeSession {
    enum Start {
        case plain
        /// TLS right after connect (HTTPS, LDAPS, POP3S, IMAPS, syslog over TLS).
        case tls
    }

    /// `body` returns the success message; it throws `ProbeFailure` for anything else.
    static func run(_ request: ProbeRequest, context: ProbeContext, start: Start = .plain,
                    _ body: (ProbeConnection) async throws -> String) async -> ProbeOutcome {
        let eventLoop = context.eventLoopGroup.next()
        return await withTaskExecutorPreference(EventLoopTaskExecutor(eventLoop)) {
            await converse(request, context: context, on: eventLoop, start: start, body)
        }
    }

    private static func converse(_ request: ProbeRequest, context: ProbeContext, on eventLoop: any EventLoop,
                                 start: Start, _ body: (ProbeConnection) async throws -> String) async -> ProbeOutcome {
        let started = NIODeadline.now()
        let closer = ChannelCloser()
        defer { closer.finish() }
        return await withTaskCancellationHandler {
            var connection: ProbeConnection?
            do {
                do {
                    let open = try await ProbeConnection.open(request, on: eventLoop, closer: closer)
                    connection = open
                    if start == .tls { try await open.startTLS() }
                    let message = try await body(open)
                    await open.close()
                    await open.finalizeTimings()
                    return .success("\(message), \(milliseconds(open.timings.total))", phases: open.timings, observations: open.observations)
                } catch let stalled as HandshakeStalled {
                    // Path MTU black hole: full-size segments vanish on the way, no ICMP says so.
                    // Once more, announcing MSS 536; if that completes, the path is the finding.
                    await connection?.close()
                    let retry = try await ProbeConnection.open(request, on: eventLoop, closer: closer, maximumSegmentSize: Self.smallSegment)
                    connection = retry
                    if start == .tls { try await retry.startTLS() }
                    _ = try await body(retry)
                    await retry.close()
                    await retry.finalizeTimings()
                    return .failure(.mtuBlackhole, "large packets are dropped on the way (works with MSS \(Self.smallSegment); the TLS handshake stalled for \(milliseconds(stalled.after)) at the default size)",
                                    phases: retry.timings, observations: retry.observations)
                }
            } catch {
                var failure = Task.isCancelled ? ProbeFailure.cancelled : ProbeFailure.from(error, phase: .reading)
                var phases = PhaseTimings()
                var observations = Observations()
                if let connection {
                    await connection.close()
                    await connection.finalizeTimings()
                    phases = connection.timings
                    observations = connection.observations
                } else {
                    phases.total = NIODeadline.now().seconds(since: started)
                }
                if request.proxy != nil { observations.route = "proxy" }
                if failure.message.isEmpty { failure.message = failure.reason.rawValue }
                context.logger.debug("probe failed", metadata: ["host": "\(request.host)", "port": "\(request.port)", "reason": "\(failure.reason.rawValue)"])
                return .failure(failure.reason, failure.message, status: failure.status, phases: phases, observations: observations)
            }
        } onCancel: {
            closer.cancel()
        }
    }

    /// The MSS of the MTU black hole retry: the IPv4 minimum datagram (576) less headers.
    static let smallSegment: Int32 = 536

    static func milliseconds(_ seconds: Double?) -> String {
        guard let seconds else { return "?" }
        let ms = seconds * 1000
        return ms < 10 ? "\((ms * 10).rounded() / 10) ms" : "\(Int(ms.rounded())) ms"
    }
}

extension ProbeConnection {
    /// Fails with `banner_mismatch` when `options.expectBanner` is set and `text` lacks it.
    func checkExpectedBanner(_ text: String) throws {
        if let expected = request.options.expectBanner, !text.contains(expected) {
            throw ProbeFailure(.bannerMismatch, "expected '\(expected)' in: \(text.prefix(120).printable)")
        }
    }
}
