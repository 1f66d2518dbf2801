import CNetSNMPShim
import NIOConcurrencyHelpers

/// Work handed to the net-snmp thread: other threads enqueue and wake it through an eventfd
/// that the loop watches (register_readfd), because agent_check_and_process otherwise sleeps
/// until the next net-snmp timer.
final class NetSNMPMailbox: Sendable {
    enum Command: Sendable {
        /// pmPathStatusChange for the row at this pmPathIndex.
        case notify(pathIndex: Int, path: MIBPathRow)
        case stop
    }

    let wakeupFD: Int32
    private let commands = NIOLockedValueBox<[Command]>([])

    init() throws {
        let fd = pm_wakeup_create()
        guard fd >= 0 else { throw SNMPAgentError.startFailed("eventfd failed") }
        wakeupFD = fd
    }

    func post(_ command: Command) {
        commands.withLockedValue { $0.append(command) }
        _ = pm_wakeup_signal(wakeupFD)
    }

    /// On the net-snmp thread.
    func take() -> [Command] {
        pm_wakeup_drain(wakeupFD)
        return commands.withLockedValue { pending in
            defer { pending.removeAll() }
            return pending
        }
    }
}
