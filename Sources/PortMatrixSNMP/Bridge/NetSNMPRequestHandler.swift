import CNetSNMP
import CNetSNMPShim

/// Cached once: the shim's constants are functions.
private let modeGet = pm_mode_get()
private let modeGetNext = pm_mode_getnext()
private let noSuchObject = pm_snmp_nosuchobject()
private let noSuchInstance = pm_snmp_nosuchinstance()

/// Netsnmp_Node_Handler for a registered subtree (handler->myvoid is its MIBSubtree). Answers
/// GET and GETNEXT from the subtree's sorted view; the agent turns GETBULK into GETNEXTs
/// because the registration does not claim HANDLER_CAN_GETBULK. A GETNEXT past the end is
/// left unanswered, so the agent moves on to the next registered subtree.
func netSNMPRequestHandler(
    handler: UnsafeMutablePointer<netsnmp_mib_handler>?,
    registration: UnsafeMutablePointer<netsnmp_handler_registration>?,
    requestInfo: UnsafeMutablePointer<netsnmp_agent_request_info>?,
    requests: UnsafeMutablePointer<netsnmp_request_info>?
) -> Int32 {
    guard let context = handler?.pointee.myvoid, let mode = requestInfo?.pointee.mode else {
        return SNMP_ERR_GENERR
    }
    let view = Unmanaged<MIBSubtree>.fromOpaque(context).takeUnretainedValue().view
    var next = requests
    while let request = next {
        next = request.pointee.next
        guard request.pointee.processed == 0, let varbind = request.pointee.requestvb else { continue }
        let name = Array(UnsafeBufferPointer(start: varbind.pointee.name, count: varbind.pointee.name_length))
        switch mode {
        case modeGet:
            if let value = view.value(at: name) {
                varbind.set(value)
            } else {
                let exception = view.hasObject(covering: name) ? noSuchInstance : noSuchObject
                snmp_set_var_typed_value(varbind, exception, nil, 0)
            }
        case modeGetNext:
            if let (oid, value) = view.next(after: name, inclusive: request.pointee.inclusive != 0) {
                oid.withUnsafeBufferPointer { _ = snmp_set_var_objid(varbind, $0.baseAddress, $0.count) }
                varbind.set(value)
            }
        default:
            return SNMP_ERR_GENERR
        }
    }
    return SNMP_ERR_NOERROR
}
