import NIOCore
import PortMatrixModel

/// Pyzor server `ping` over UDP (24441): a signed anonymous request, `Code: 200` is alive.
public struct PyzorProbe: Probe {
    public let name = "pyzor"
    public let observationTypes: [any Observation.Type] = [UDPOutcome.self]
    public let optionKeys = [ProbeOptionKey.expectBanner]

    public init() {}

    public func run(_ request: ProbeRequest, context: ProbeContext) async -> ProbeOutcome {
        let thread = UInt16.random(in: 1024...UInt16.max)
        let ping = PyzorMessage.ping(thread: thread, time: Int(WallClock.now()))
        let result: DatagramExchange.Result
        do {
            result = try await DatagramExchange.exchange(request, context: context, payload: ping.encoded()) { datagram in
                PyzorMessage(decoding: datagram.readableBytesView)["Thread"] == String(thread)
            }
        } catch {
            let failure = ProbeFailure.from(error, phase: .reading)
            return .failure(failure.reason, failure.message, status: failure.status,
                            observations: Observations(udp: failure.reason == .refused ? .refused : nil))
        }
        var observations = Observations(udp: .answered, peerAddress: result.peerAddress)
        guard case .answered(let datagram, _) = result.answer else {
            observations.udp = .noAnswer
            return .failure(.noAnswer, "no Pyzor answer before the deadline", phases: result.timings, observations: observations)
        }
        let answer = PyzorMessage(decoding: datagram.readableBytesView)
        let summary = "Code: \(answer["Code"] ?? "?") \(answer["Diag"] ?? "")".trimmingTrailingWhitespace
        observations.banner = summary
        if let expected = request.options.expectBanner, !answer.text.contains(expected) {
            return .failure(.bannerMismatch, "expected '\(expected)' in: \(summary)", phases: result.timings, observations: observations)
        }
        guard answer["Code"] == "200" else {
            return .failure(.protocolError, "Pyzor server answered \(summary)", phases: result.timings, observations: observations)
        }
        return .success(summary + ", " + ProbeSession.milliseconds(result.timings.total), phases: result.timings, observations: observations)
    }
}
