import NIOCore
import PortMatrixModel

/// DNS query over UDP (retried over TCP when truncated) or over TCP with the 2-byte length
/// prefix, per `request.transport`. NOERROR and NXDOMAIN are answers; SERVFAIL, REFUSED and
/// the rest mean the server is there but not serving.
public struct DNSProbe: Probe {
    public let name = "dns"
    public let observationTypes: [any Observation.Type] = [DNSObservation.self, UDPOutcome.self]
    public let optionKeys = [ProbeOptionKey(.queryName), ProbeOptionKey(.queryType)]

    public init() {}

    public func run(_ request: ProbeRequest, context: ProbeContext) async -> ProbeOutcome {
        guard let type = DNSMessage.recordType(named: request.options.dnsQueryType) else {
            return .failure(.internalError, "unknown DNS query type \(request.options.dnsQueryType)", status: .unknown)
        }
        let query = DNSMessage.query(id: UInt16.random(in: 0...UInt16.max), name: request.options.dnsQueryName, type: type)
        guard let bytes = try? query.encoded() else {
            return .failure(.internalError, "invalid DNS query name \(request.options.dnsQueryName)", status: .unknown)
        }
        if request.transport == .tcp { return await overTCP(request, context: context, query: query, bytes: bytes, truncated: false) }

        let id = query.id
        do {
            let result = try await DatagramExchange.exchange(request, context: context, payload: bytes) { datagram in
                // Answers to other queries (a late one, a spoofed one) are not ours.
                (try? DNSMessage(decoding: datagram.readableBytesView)).map { $0.id == id && $0.isResponse } ?? false
            }
            var observations = Observations(peerAddress: result.peerAddress)
            guard case .answered(let datagram, _) = result.answer else {
                observations.udp = .noAnswer
                return .failure(.noAnswer, "no DNS answer over UDP before the deadline", phases: result.timings, observations: observations)
            }
            observations.udp = .answered
            let answer = try DNSMessage(decoding: datagram.readableBytesView)
            if answer.isTruncated {
                return await overTCP(request, context: context, query: query, bytes: bytes, truncated: true)
            }
            return Self.judge(answer, transport: "udp", phases: result.timings, observations: observations)
        } catch {
            let failure = ProbeFailure.from(error, phase: .reading)
            var observations = Observations()
            if failure.reason == .refused { observations.udp = .refused }
            return .failure(failure.reason, failure.message, status: failure.status, observations: observations)
        }
    }

    private func overTCP(_ request: ProbeRequest, context: ProbeContext, query: DNSMessage, bytes: [UInt8], truncated: Bool) async -> ProbeOutcome {
        await ProbeSession.run(request, context: context) { connection in
            try await connection.write([UInt8(bytes.count >> 8), UInt8(bytes.count & 0xFF)] + bytes)
            let frame = try await connection.read { buffer -> [UInt8]? in
                guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
                      buffer.readableBytes >= 2 + Int(length) else { return nil }
                buffer.moveReaderIndex(forwardBy: 2)
                return buffer.readBytes(length: Int(length))
            }
            let answer: DNSMessage
            do {
                answer = try DNSMessage(decoding: frame)
            } catch {
                throw ProbeFailure(.protocolError, "malformed DNS answer over TCP")
            }
            guard answer.id == query.id, answer.isResponse else {
                throw ProbeFailure(.protocolError, "DNS answer over TCP does not match the query id")
            }
            connection.observations.dns = DNSObservation(rcode: answer.rcodeName, answers: Int(answer.answerCount), truncated: truncated)
            let message = Self.summary(answer, transport: truncated ? "tcp after truncated udp" : "tcp")
            guard Self.isServing(answer) else { throw ProbeFailure(.protocolError, message) }
            return message
        }
    }

    /// NOERROR and NXDOMAIN are both real answers.
    private static func isServing(_ answer: DNSMessage) -> Bool { answer.rcode == 0 || answer.rcode == 3 }

    private static func summary(_ answer: DNSMessage, transport: String) -> String {
        "\(answer.rcodeName), \(answer.answerCount) answers over \(transport)"
    }

    private static func judge(_ answer: DNSMessage, transport: String, phases: PhaseTimings, observations: Observations) -> ProbeOutcome {
        var observations = observations
        observations.dns = DNSObservation(rcode: answer.rcodeName, answers: Int(answer.answerCount), truncated: false)
        let message = summary(answer, transport: transport)
        guard isServing(answer) else {
            return .failure(.protocolError, message, phases: phases, observations: observations)
        }
        return .success(message + ", " + ProbeSession.milliseconds(phases.total), phases: phases, observations: observations)
    }
}
