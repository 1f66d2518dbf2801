import Foundation
import NIOCore
import PortMatrixModel

/// SNTP client exchange (RFC 4330): one request, offset and delay from the four timestamps.
/// The offset is only observed here; the engine applies the `ntp_offset` threshold.
public struct SNTPProbe: Probe {
    public let name = "sntp"
    public let observationTypes: [any Observation.Type] = [NTPObservation.self, UDPOutcome.self]

    public init() {}

    public func run(_ request: ProbeRequest, context: ProbeContext) async -> ProbeOutcome {
        let t1 = NTPTimestamp(unixSeconds: WallClock.now())
        let packet = SNTPPacket.request(transmit: t1)
        let result: DatagramExchange.Result
        do {
            result = try await DatagramExchange.exchange(request, context: context, payload: packet.encoded()) { datagram in
                datagram.readableBytes >= SNTPPacket.length
            }
        } catch {
            let failure = ProbeFailure.from(error, phase: .reading)
            return .failure(failure.reason, failure.message, status: failure.status,
                            observations: Observations(udp: failure.reason == .refused ? .refused : nil))
        }
        var observations = Observations(udp: .answered, peerAddress: result.peerAddress)
        guard case .answered(let datagram, let t4) = result.answer else {
            observations.udp = .noAnswer
            return .failure(.noAnswer, "no NTP answer before the deadline", phases: result.timings, observations: observations)
        }
        do {
            let reply = try Self.validate(datagram, request: packet)
            let (offset, delay) = SNTPPacket.offsetAndDelay(t1: t1.unixSeconds, t2: reply.receiveTime.unixSeconds,
                                                            t3: reply.transmitTime.unixSeconds, t4: t4)
            observations.ntp = NTPObservation(offset: offset, delay: delay, stratum: Int(reply.stratum),
                                              leap: Int(reply.leap), refid: reply.referenceText)
            if reply.leap == 3 {
                throw ProbeFailure(.protocolError, "server clock is not synchronised (leap indicator 3), stratum \(reply.stratum)")
            }
            let message = String(format: "offset %+.6f s, delay %.6f s, stratum ", offset, delay) + "\(reply.stratum), refid \(reply.referenceText)"
            return .success(message, phases: result.timings, observations: observations)
        } catch {
            let failure = ProbeFailure.from(error, phase: .reading)
            return .failure(failure.reason, failure.message, status: failure.status, phases: result.timings, observations: observations)
        }
    }

    /// Mode 4, our T1 echoed as origin, a kiss code at stratum 0, stratum at most 15.
    static func validate(_ datagram: ByteBuffer, request: SNTPPacket) throws -> SNTPPacket {
        let reply: SNTPPacket
        do {
            reply = try SNTPPacket(decoding: datagram.readableBytesView)
        } catch {
            throw ProbeFailure(.protocolError, "NTP answer shorter than 48 bytes")
        }
        guard reply.mode == 4 else { throw ProbeFailure(.protocolError, "NTP answer has mode \(reply.mode), not 4 (server)") }
        guard reply.originTime == request.transmitTime else {
            throw ProbeFailure(.protocolError, "NTP answer does not echo our transmit timestamp (bogus or replayed)")
        }
        if reply.stratum == 0 {
            throw ProbeFailure(.kissOfDeath, "kiss-o'-death \(reply.kissCode ?? "?")")
        }
        guard reply.stratum <= 15 else { throw ProbeFailure(.protocolError, "NTP stratum \(reply.stratum) is invalid") }
        return reply
    }
}
