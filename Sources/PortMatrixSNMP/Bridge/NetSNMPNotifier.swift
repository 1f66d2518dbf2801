import CNetSNMP

/// Sends pmPathStatusChange with send_v2trap: to the master over AgentX in agentx mode, to the
/// configured trap sinks in master mode. Runs on the net-snmp thread.
struct NetSNMPNotifier {
    private static let snmpTrapOID = OID([1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0])
    let root: OID

    /// The change is the row's: its status now, and the previous status the engine recorded.
    func send(pathIndex: Int, path: MIBPathRow) {
        var varbinds: UnsafeMutablePointer<netsnmp_variable_list>?
        let instance = { (column: PortMatrixMIB.PathColumn) in
            PortMatrixMIB.pathInstance(root: root, column: column, pathIndex: pathIndex)
        }
        let values: [(OID, MIBValue)] = [
            (Self.snmpTrapOID, .objectIdentifier(root.appending(PortMatrixMIB.pathStatusChange))),
            (instance(.id), .displayString(path.id)),
            (instance(.previousStatus), .integer(Int32(path.previousStatus.rawValue))),
            (instance(.status), .integer(Int32(path.status.rawValue))),
            (instance(.message), .displayString(path.message)),
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
