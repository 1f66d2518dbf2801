import PortMatrixModel

extension PlannedCheck {
    /// The target as reports name it: the host probed, or `local` for a listener check.
    /// One definition, so `check --format json` and `/metrics` label a check alike.
    public var reportedTarget: String { kind == .listener ? "local" : host }
}
