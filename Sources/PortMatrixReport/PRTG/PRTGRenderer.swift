import Foundation
import PortMatrixEngine
import PortMatrixModel

/// PRTG's JSON for custom sensors (`check --format prtg` for EXE/Script Advanced and SSH Script
/// Advanced, the status endpoint's `/prtg.json` for HTTP Data Advanced): `{"prtg": {"text",
/// "result": [channels]}}`, or `{"prtg": {"error": 1, "text"}}`.
///
/// Channels: `Compliance` and one per path that applies here, each a Nagios code (0 ok, 1
/// warning, 2 critical, 3 unknown) shown through the value lookup `portmatrix.state`
/// (dist/prtg/portmatrix.state.ovl), which sets the channel's state; then `Last cycle age`,
/// `Cycle duration` and `Certificate days` with limits. A lookup channel carries no limits:
/// PRTG takes either, not both.
public enum PRTGRenderer {
    /// PRTG reads at most 50 channels per sensor.
    public static let maximumChannels = 50
    /// PRTG shows at most 2000 characters of a sensor's message.
    public static let maximumText = 2000
    public static let valueLookup = "portmatrix.state"

    public static func render(_ snapshot: Snapshot, paths only: Set<String>? = nil, now: Date = Date()) -> String {
        render(snapshot, paths: only, now: now, channelLimit: maximumChannels)
    }

    /// `channelLimit` below 50 lets the tests see the cut with a profile of 33 paths.
    static func render(_ snapshot: Snapshot, paths only: Set<String>?, now: Date, channelLimit: Int) -> String {
        let health = snapshot.health
        guard let cycleStart = health.lastCycleStart else {
            return error("portmatrix: no check cycle has completed yet")
        }
        let compliance = NagiosRenderer.complianceParts(snapshot, paths: only)
        var fixed = [Channel(channel: "Compliance", state: compliance.status)]
        var ageChannel = Channel(channel: "Last cycle age", value: .integer(cycleAge(cycleStart, now: now)), unit: "TimeSeconds")
        ageChannel.limit(maxWarning: 2 * health.interval,
                         maxError: Aggregation.staleAfterIntervals * health.interval)
        fixed.append(ageChannel)
        if let duration = health.lastCycleDuration {
            var channel = Channel(channel: "Cycle duration", value: .decimal((duration * 1000).rounded() / 1000), unit: "TimeSeconds")
            channel.float = 1
            channel.limit(maxWarning: health.interval / 2, maxError: health.interval)
            fixed.append(channel)
        }
        let applicable = snapshot.paths.filter { $0.status != .skipped && (only?.contains($0.id) ?? true) }
        let tls = applicable.flatMap(\.checks).filter { $0.observations.tls?.daysLeft != nil }
        if let soonest = tls.min(by: { ($0.observations.tls?.daysLeft ?? 0) < ($1.observations.tls?.daysLeft ?? 0) }),
           let days = soonest.observations.tls?.daysLeft {
            var channel = Channel(channel: "Certificate days", value: .integer(days), unit: "Custom")
            channel.customunit = "d"
            let thresholds = soonest.check.thresholds.certDays
            channel.limit(minWarning: lowerBound(thresholds.warning), minError: lowerBound(thresholds.critical))
            fixed.append(channel)
        }
        let room = max(0, min(channelLimit, maximumChannels) - fixed.count)
        let shown = applicable.prefix(room), left = applicable.dropFirst(room)
        var text = compliance.summary
        if !left.isEmpty {
            text += "; \(left.count) paths have no channel (PRTG reads at most \(channelLimit)), their states count in Compliance: "
                + left.map(\.id).joined(separator: ", ")
        }
        let channels = fixed.prefix(1) + shown.map { Channel(channel: $0.id, state: $0.status) } + fixed.dropFirst()
        return encode(Document(prtg: Body(text: clip(text), result: Array(channels))))
    }

    /// The only part of the document that changes while the snapshot stays the same: the
    /// `Last cycle age` channel's whole seconds (nil before the first cycle). A cache keeps a
    /// rendered document while snapshot and age stay the same.
    public static func cycleAge(_ snapshot: Snapshot, now: Date) -> Int? {
        snapshot.health.lastCycleStart.map { cycleAge($0, now: now) }
    }

    private static func cycleAge(_ start: Date, now: Date) -> Int {
        Int(max(0, now.timeIntervalSince(start)).rounded())
    }

    /// The error form: PRTG shows the sensor down with this message.
    public static func error(_ message: String) -> String {
        encode(Document(prtg: Body(error: 1, text: clip(message))))
    }

    /// `30:` (warn below 30 days) -> 30; other shapes have no PRTG minimum.
    private static func lowerBound(_ range: NagiosRange?) -> Double? {
        guard let range, !range.alertsInside, range.start.isFinite, range.end == .infinity else { return nil }
        return range.start
    }

    private static func clip(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count <= maximumText ? flat : String(flat.prefix(maximumText - 3)) + "..."
    }

    private static func encode(_ document: Document) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Nothing here fails to encode (strings and finite numbers only).
        return String(decoding: (try? encoder.encode(document)) ?? Data(), as: UTF8.self) + "\n"
    }

    struct Document: Encodable {
        var prtg: Body
    }

    struct Body: Encodable {
        var error: Int?
        var text: String
        var result: [Channel]?

        init(error: Int? = nil, text: String, result: [Channel]? = nil) {
            self.error = error
            self.text = text
            self.result = result
        }
    }

    enum Number: Encodable, Equatable {
        case integer(Int)
        case decimal(Double)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .integer(let value): try container.encode(value)
            case .decimal(let value): try container.encode(value.isFinite ? value : 0)
            }
        }
    }

    struct Channel: Encodable {
        var channel: String
        var value: Number
        var unit: String
        var customunit: String?
        var float: Int?
        var valuelookup: String?
        var notifychanged: Int?
        var limitmode: Int?
        var limitmaxwarning: Double?
        var limitmaxerror: Double?
        var limitminwarning: Double?
        var limitminerror: Double?

        init(channel: String, value: Number, unit: String) {
            self.channel = channel
            self.value = value
            self.unit = unit
        }

        /// A state channel: the Nagios code through the lookup, a notification when it changes.
        init(channel: String, state: Status) {
            self.init(channel: channel, value: .integer(Int(state.exitCode)), unit: "Custom")
            valuelookup = PRTGRenderer.valueLookup
            notifychanged = 1
        }

        mutating func limit(maxWarning: Double? = nil, maxError: Double? = nil, minWarning: Double? = nil, minError: Double? = nil) {
            limitmaxwarning = maxWarning.map(Self.round)
            limitmaxerror = maxError.map(Self.round)
            limitminwarning = minWarning.map(Self.round)
            limitminerror = minError.map(Self.round)
            if [limitmaxwarning, limitmaxerror, limitminwarning, limitminerror].contains(where: { $0 != nil }) { limitmode = 1 }
        }

        private static func round(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
    }
}
