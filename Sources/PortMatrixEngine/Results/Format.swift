import PortMatrixModel

/// Number formatting for messages and perfdata: C locale, never the process locale.
public enum Format {
    public static func seconds(_ value: Double) -> String {
        if abs(value) < 1 { return "\(NagiosRange.formatNumber((value * 1000 * 10).rounded() / 10)) ms" }
        return "\(NagiosRange.formatNumber((value * 1000).rounded() / 1000)) s"
    }
}
