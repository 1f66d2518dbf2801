import NIOCore
import NIOPosix
import NIOSSL
import PortMatrixModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one error type inside probes: a reason from the fixed vocabulary plus a line for people.
/// Probes throw it; `ProbeSession` turns it into a `ProbeOutcome`.
struct ProbeFailure: Error, Sendable, CustomStringConvertible {
    var reason: FailureReason
    var message: String
    var status: Status = .critical

    init(_ reason: FailureReason, _ message: String, status: Status = .critical) {
        self.reason = reason
        self.message = message
        self.status = status
    }

    var description: String { "\(reason.rawValue): \(message)" }

    /// Maps whatever NIO, the kernel or BoringSSL threw onto the vocabulary.
    /// `phase` names what was going on, for the message and for errors that only make sense in context.
    static func from(_ error: any Error, phase: Phase) -> ProbeFailure {
        if let failure = error as? ProbeFailure { return failure }
        if let connection = error as? NIOConnectionError {
            if let first = connection.connectionErrors.first { return from(first.error, phase: phase) }
            if connection.dnsAError != nil || connection.dnsAAAAError != nil {
                return ProbeFailure(.dns, "\(connection.host) does not resolve")
            }
        }
        if let channelError = error as? ChannelError {
            switch channelError {
            case .connectTimeout: return ProbeFailure(.connectTimeout, "connect timed out")
            case .eof, .alreadyClosed, .ioOnClosedChannel, .outputClosed:
                return phase == .tls ? ProbeFailure(.tlsHandshake, "connection closed during TLS handshake")
                                     : ProbeFailure(.protocolError, "connection closed by peer while \(phase.rawValue)")
            default: break
            }
        }
        if let io = error as? IOError { return from(errno: io.errnoCode, phase: phase, detail: "\(io)") }
        if let address = error as? SocketAddressError {
            return ProbeFailure(.dns, "\(address)")
        }
        if let ssl = error as? NIOSSLError {
            switch ssl {
            case .handshakeFailed(let inner):
                let text = "\(inner)"
                if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate verify failed") {
                    return ProbeFailure(.certInvalid, "certificate verification failed: \(text)")
                }
                return ProbeFailure(.tlsHandshake, "TLS handshake failed: \(text)")
            case .uncleanShutdown:
                return phase == .tls ? ProbeFailure(.tlsHandshake, "peer closed the connection during the TLS handshake")
                                     : ProbeFailure(.protocolError, "peer closed the TLS connection uncleanly")
            default:
                return ProbeFailure(.tlsHandshake, "TLS error: \(ssl)")
            }
        }
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return ProbeFailure(.certInvalid, "certificate does not match the server name: \(extra)")
        }
        if error is NIOSSLExtraError || error is BoringSSLError {
            let text = "\(error)"
            if text.contains("CERTIFICATE_VERIFY_FAILED") { return ProbeFailure(.certInvalid, "certificate verification failed: \(text)") }
            return ProbeFailure(.tlsHandshake, "TLS error: \(text)")
        }
        if error is CancellationError { return .cancelled }
        return ProbeFailure(.internalError, "\(phase.rawValue): \(error)", status: .unknown)
    }

    static func from(errno code: Int32, phase: Phase, detail: String) -> ProbeFailure {
        switch code {
        case ECONNREFUSED: return ProbeFailure(.refused, "connection refused")
        case ETIMEDOUT: return phase == .connecting ? ProbeFailure(.connectTimeout, "connect timed out") : ProbeFailure(.readTimeout, "timed out")
        case ENETUNREACH, EHOSTUNREACH, EHOSTDOWN, ENETDOWN: return ProbeFailure(.unreachable, "network unreachable (\(detail))")
        case ECONNRESET, EPIPE, ECONNABORTED:
            return phase == .tls ? ProbeFailure(.tlsHandshake, "connection reset during TLS handshake")
                                 : ProbeFailure(.reset, "connection reset by peer while \(phase.rawValue)")
        case EADDRNOTAVAIL:
            // Only bind(2) of a client socket fails this way: the source address is not ours.
            return ProbeFailure(.sourceAddress, "source address is not local (\(detail))")
        default:
            return ProbeFailure(.internalError, "\(phase.rawValue): \(detail)", status: .unknown)
        }
    }

    static let cancelled = ProbeFailure(.internalError, "probe cancelled", status: .unknown)

    /// What the probe was doing, for messages and for errors whose meaning depends on it.
    enum Phase: String, Sendable {
        case resolving
        case binding
        case connecting
        case proxying = "talking to the proxy"
        case tls
        case reading
        case writing
    }
}
