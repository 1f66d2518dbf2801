import CNetSNMP

/// Sends pmPathStatusChange with send_v2trap: to the master over AgentX in agentx mode, to the
/// configured trap sinks in master mode. Runs on the net-snmp thread.
struct NetSNMPNotifier {
    private static let snmpTrapOID = OID([1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0])
    let root: OID

    func send(_ change: PathStatusChange) {
        var varbinds: UnsafeMutablePointer<netsnmp_variable_list>?
        let instance = { (column: PortMatrixMIB.PathColumn) in
            PortMatrixMIB.pathInstance(root: root, column: column, pathIndex: change.pathIndex)
        }
        let values: [(OID, MIBValue)] = [
            (Self.snmpTrapOID, .objectIdentifier(root.appending(PortMatrixMIB.pathStatusChange))),
            (instance(.id), .displayString(change.id)),
            (instance(.previousStatus), .integer(Int32(change.previous.rawValue))),
            (instance(.status), .integer(Int32(change.current.rawValue))),
            (instance(.message), .displayString(change.message)),
        ]
        for (oid, value) in values {
            oid.arcs.withUnsafeBufferPointer { arcs in
                MIBValue.withEncoding(value) { type, pointer, length in
                    _ = snmp_varlist_add_variable(&varbinds, arcs.baseAddress, arcs.count, type, pointer, length)
                }
            }
        }
        send_v2trap(varbinds)
        snmp_free_varbind(varbinds)
    }
}
