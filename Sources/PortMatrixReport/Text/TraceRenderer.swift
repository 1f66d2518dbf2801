import Foundation
import PortMatrixEngine

/// `trace` for people, after tracepath: one line per hop, then the verdict sentence.
public enum TraceRenderer {
    public static func text(_ document: TraceDocument, maxHops: Int) -> String {
        var lines: [String] = []
        for trace in document.traces {
            let name = trace.target == trace.address ? trace.address : "\(trace.target) [\(trace.address)]"
            lines.append("trace \(document.path): \(name) \(trace.transport.rawValue)/\(trace.port), max \(maxHops) hops")
            var silentFrom: Int?
            for (index, hop) in trace.hops.enumerated() {
                // A run of silent TTLs is one line: ` 2-16:  no reply`.
                if hop.response == .silent {
                    silentFrom = silentFrom ?? hop.ttl
                    let next = trace.hops.indices.contains(index + 1) ? trace.hops[index + 1] : nil
                    guard next?.response != .silent, let first = silentFrom else { continue }
                    lines.append(first == hop.ttl ? line(hop) : "\(pad(first))-\(hop.ttl):  no reply")
                    silentFrom = nil
                    continue
                }
                lines.append(line(hop))
            }
            lines.append("     " + trace.verdict)
        }
        return lines.joined(separator: "\n")
    }

    static func line(_ hop: TraceHop) -> String {
        let ttl = pad(hop.ttl) + ":"
        guard hop.response != .silent else { return "\(ttl)  no reply" }
        let address = (hop.address ?? "?").padding(toLength: 40, withPad: " ", startingAt: 0)
        let rtt = hop.rttMilliseconds.map { String(format: "%8.3fms", $0) } ?? String(repeating: " ", count: 10)
        return "\(ttl)  \(address) \(rtt) \(hop.response.rawValue.replacingOccurrences(of: "_", with: " "))"
    }

    private static func pad(_ ttl: Int) -> String {
        String(repeating: " ", count: max(0, 2 - String(ttl).count)) + "\(ttl)"
    }
}
