import PortMatrixModel

/// Turns a probe's raw outcome into the check's verdict: thresholds first, then what the
/// path expects (a discouraged path should be closed). One place, so every probe is judged alike.
public enum Verdict {
    public static func judge(_ outcome: ProbeOutcome, thresholds: Thresholds, expectClosed: Bool) -> ProbeOutcome {
        var result = outcome
        if result.status == .ok || result.status == .warning {
            applyThresholds(&result, thresholds)
        }
        if expectClosed { invert(&result) }
        return result
    }

    static func applyThresholds(_ result: inout ProbeOutcome, _ thresholds: Thresholds) {
        var notes: [String] = []
        func raise(_ status: Status, _ reason: FailureReason, _ note: String) {
            guard status.severity > Status.ok.severity else { return }
            notes.append(note)
            if status.severity > result.status.severity {
                result.status = status
                result.reason = reason
            }
        }
        if let total = result.phases.total {
            let status = thresholds.latency.evaluate(total)
            raise(status, .latency, "latency \(Format.seconds(total)) outside \(range(thresholds.latency, status))s")
        }
        if let days = result.observations.tls?.daysLeft {
            let status = thresholds.certDays.evaluate(Double(days))
            raise(status, .certExpiring, "certificate expires in \(days) days (\(range(thresholds.certDays, status)))")
        }
        if let ntp = result.observations.ntp {
            let status = thresholds.ntpOffset.evaluate(abs(ntp.offset))
            raise(status, .ntpOffset, "offset \(Format.seconds(ntp.offset)) outside \(range(thresholds.ntpOffset, status))s")
        }
        if !notes.isEmpty { result.message += "; " + notes.joined(separator: "; ") }
    }

    private static func range(_ threshold: Threshold, _ status: Status) -> String {
        (status == .critical ? threshold.critical : threshold.warning)?.description ?? ""
    }

    /// Open is the finding, closed the good news.
    static func invert(_ result: inout ProbeOutcome) {
        switch (result.status, result.reason) {
        case (.ok, _), (.warning, _):
            result.status = .warning
            result.reason = .discouraged
            result.message = "open, but discouraged: \(result.message)"
        case (_, .some(.refused)), (_, .some(.connectTimeout)), (_, .some(.notListening)), (_, .some(.unreachable)):
            result.status = .ok
            result.message = "closed, as recommended (\(result.message))"
            result.reason = nil
        default:
            break
        }
    }
}
