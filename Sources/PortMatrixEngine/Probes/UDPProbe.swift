import PortMatrixModel

/// Generic UDP: an empty datagram, then one of three outcomes. An answer proves open; ICMP
/// port unreachable proves closed; silence proves nothing (open and ignoring us, or filtered),
/// so it is ok with `udp: no_answer` rather than a failure.
public struct UDPProbe: Probe {
    public let name = "udp"
    public let observationTypes: [any Observation.Type] = [UDPOutcome.self]
    public let optionKeys = [ProbeOptionKey.expectBanner]

    public init() {}

    public func run(_ request: ProbeRequest, context: ProbeContext) async -> ProbeOutcome {
        do {
            let result = try await DatagramExchange.exchange(request, context: context, payload: []) { _ in true }
            var observations = Observations(peerAddress: result.peerAddress)
            switch result.answer {
            case .answered(let datagram, _):
                observations.udp = .answered
                let text = String(decoding: datagram.readableBytesView.prefix(512), as: UTF8.self)
                observations.banner = String(text.prefix(120)).printable
                if let expected = request.options.expectBanner, !text.contains(expected) {
                    return .failure(.bannerMismatch, "expected '\(expected)' in the answer", phases: result.timings, observations: observations)
                }
                return .success("answered with \(datagram.readableBytes) bytes, \(ProbeSession.milliseconds(result.timings.total))",
                                phases: result.timings, observations: observations)
            case .silent:
                observations.udp = .noAnswer
                return .success("no answer: open or filtered", phases: result.timings, observations: observations)
            }
        } catch {
            let failure = ProbeFailure.from(error, phase: .reading)
            let observations = Observations(udp: failure.reason == .refused ? .refused : nil)
            // An ICMP error read from the socket names its sender already ("closed: 10.0.0.5 answered ...").
            let message = failure.reason == .refused && !failure.message.hasPrefix("closed") ? "port unreachable (ICMP): closed" : failure.message
            return .failure(failure.reason, message, status: failure.status, observations: observations)
        }
    }
}
