import PortMatrixModel

extension ProbeOptions.StartTLS {
    /// Whether to upgrade, given what the server advertised; `required` without the offer fails.
    /// `expected` without the offer does not upgrade; the probe reports `missingIsWarning`.
    func shouldUpgrade(offered: Bool, protocolName: String) throws -> Bool {
        switch self {
        case .off: return false
        case .auto, .expected: return offered
        case .required:
            guard offered else { throw ProbeFailure(.protocolError, "\(protocolName) server does not offer STARTTLS, which is required") }
            return true
        }
    }
}
