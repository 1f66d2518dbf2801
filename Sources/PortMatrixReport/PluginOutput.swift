import PortMatrixModel

/// A Nagios plugin answer: the state and the text (status line, long output, perfdata).
public struct PluginOutput: Sendable, Equatable {
    public var status: Status
    public var text: String

    public init(status: Status, text: String) {
        self.status = status
        self.text = text
    }

    /// The Nagios exit code of `status`.
    public var exitCode: Int32 { status.exitCode }
}

/// One perfdata item, `'label'=value[UOM];[warn];[crit];[min];[max]` in the C locale.
public struct PerfDatum: Sendable, Equatable {
    public var label: String
    public var value: Double
    public var unit: String
    public var warning: NagiosRange?
    public var critical: NagiosRange?
    public var min: Double?
    public var max: Double?

    public init(_ label: String, _ value: Double, unit: String = "", warning: NagiosRange? = nil, critical: NagiosRange? = nil,
                min: Double? = nil, max: Double? = nil) {
        self.label = label
        self.value = value
        self.unit = unit
        self.warning = warning
        self.critical = critical
        self.min = min
        self.max = max
    }

    public var text: String {
        let safeLabel = label.replacingOccurrences(of: "'", with: "_").replacingOccurrences(of: "=", with: "_")
        let fields = [warning?.description ?? "", critical?.description ?? "",
                      min.map(NagiosRange.formatNumber) ?? "", max.map(NagiosRange.formatNumber) ?? ""]
        var text = "'\(safeLabel)'=\(NagiosRange.formatNumber(value))\(unit);" + fields.joined(separator: ";")
        while text.hasSuffix(";") { text.removeLast() }
        return text
    }
}
