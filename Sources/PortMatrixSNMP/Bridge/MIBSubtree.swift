import NIOConcurrencyHelpers

/// A registered subtree: its current view, swapped whole by `publish` and read by the request
/// handler on the net-snmp thread. Readers copy the view out (a retain), so the lock is held
/// only for that copy and a handler never waits on a publish.
final class MIBSubtree: Sendable {
    let root: OID
    private let current: NIOLockedValueBox<MIBView>

    init(root: OID, view: MIBView) {
        self.root = root
        self.current = NIOLockedValueBox(view)
    }

    var view: MIBView {
        get { current.withLockedValue { $0 } }
        set { current.withLockedValue { $0 = newValue } }
    }
}
