import NIOCore
import PortMatrixModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the network said when a connect or a datagram failed, as one sentence that names who
/// said it: the ICMP error's sender when there was one, else what silence or a RST means.
extension ProbeFailure {
    /// A connect that got no answer at all.
    static let noAnswer = ProbeFailure(.connectTimeout, "no answer: dropped on the way, or the host is down")

    /// A failed connect to `address` (TCP) as a sentence, with the ICMP sender when known.
    static func connecting(to address: SocketAddress, transport: Transport, _ error: any Error) -> ProbeFailure {
        guard let failure = error as? SocketDialer.Failure else { return from(error, phase: .connecting) }
        let port = "\(transport.rawValue)/\(address.port ?? 0)"
        if let report = failure.report, let verdict = network(report, port: port) { return verdict }
        switch failure.errorNumber {
        case _ where failure.timedOut: return noAnswer
        case ECONNREFUSED: return ProbeFailure(.refused, "connection refused")
        case ENETUNREACH: return ProbeFailure(.unreachable, "no route to \(address.ipAddress ?? "?") from this host")
        case EHOSTUNREACH, EHOSTDOWN:
            return ProbeFailure(.unreachable, "host \(address.ipAddress ?? "?") unreachable: no answer to ARP or neighbour discovery")
        case ENETDOWN: return ProbeFailure(.unreachable, "the local network is down")
        case EADDRNOTAVAIL: return ProbeFailure(.sourceAddress, "source address is not local")
        case ECONNABORTED, ECONNRESET: return Task.isCancelled ? .cancelled : ProbeFailure(.reset, "connection reset while connecting")
        default:
            return ProbeFailure(.internalError, "connect: \(String(cString: strerror(failure.errorNumber)))", status: .unknown)
        }
    }

    /// The verdict an ICMP error stands for; nil for kinds that do not end a path by themselves.
    static func network(_ report: SocketErrorReport, port: String) -> ProbeFailure? {
        let sender = report.offender ?? "a router"
        switch report.kind {
        case .rejected:
            return ProbeFailure(.rejected, "rejected by \(sender) (\(report.meaning)): a firewall on the way refuses \(port)")
        case .unreachable:
            return ProbeFailure(.unreachable, "unreachable, reported by \(sender) (\(report.meaning))")
        case .portUnreachable:
            return ProbeFailure(.refused, "closed: \(sender) answered \(report.meaning)")
        case .timeExceeded:
            return ProbeFailure(.unreachable, "time exceeded at \(sender) (\(report.meaning)): a routing loop on the way")
        case .packetTooBig, .other:
            return nil
        }
    }
}
