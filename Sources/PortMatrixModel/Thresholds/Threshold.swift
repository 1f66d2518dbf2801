/// A warning and a critical range for one measured quantity.
public struct Threshold: Sendable, Hashable {
    public var warning: NagiosRange?
    public var critical: NagiosRange?

    public init(warning: NagiosRange? = nil, critical: NagiosRange? = nil) {
        self.warning = warning
        self.critical = critical
    }

    /// Critical beats warning, as check plugins do.
    public func evaluate(_ value: Double) -> Status {
        if let critical, critical.alerts(value) { return .critical }
        if let warning, warning.alerts(value) { return .warning }
        return .ok
    }

    /// Overlays the ranges `other` sets (per-path over global).
    public func merging(_ other: Threshold?) -> Threshold {
        guard let other else { return self }
        return Threshold(warning: other.warning ?? warning, critical: other.critical ?? critical)
    }
}

/// The thresholds a check is judged by.
public struct Thresholds: Sendable, Hashable {
    /// Total check time, seconds.
    public var latency: Threshold
    /// Days until the peer certificate expires.
    public var certDays: Threshold
    /// |NTP offset|, seconds.
    public var ntpOffset: Threshold

    public init(latency: Threshold = Threshold(), certDays: Threshold = Threshold(), ntpOffset: Threshold = Threshold()) {
        self.latency = latency
        self.certDays = certDays
        self.ntpOffset = ntpOffset
    }

    /// The defaults of design §5.
    public static let standard = Thresholds(
        latency: Threshold(warning: NagiosRange(end: 1), critical: NagiosRange(end: 3)),
        certDays: Threshold(warning: NagiosRange(start: 30), critical: NagiosRange(start: 7)),
        ntpOffset: Threshold(warning: NagiosRange(end: 0.5), critical: NagiosRange(end: 1)))

    public func merging(_ other: PartialThresholds?) -> Thresholds {
        guard let other else { return self }
        return Thresholds(latency: latency.merging(other.latency),
                          certDays: certDays.merging(other.certDays),
                          ntpOffset: ntpOffset.merging(other.ntpOffset))
    }
}

/// Thresholds as a configuration section states them: any subset.
public struct PartialThresholds: Sendable, Hashable {
    public var latency: Threshold?
    public var certDays: Threshold?
    public var ntpOffset: Threshold?

    public init(latency: Threshold? = nil, certDays: Threshold? = nil, ntpOffset: Threshold? = nil) {
        self.latency = latency
        self.certDays = certDays
        self.ntpOffset = ntpOffset
    }
}
