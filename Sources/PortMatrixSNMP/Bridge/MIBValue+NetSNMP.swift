import CNetSNMP
import CNetSNMPShim

private let asnInteger = pm_asn_integer()
private let asnOctetString = pm_asn_octet_str()
private let asnObjectID = pm_asn_object_id()
private let asnGauge = pm_asn_gauge()
private let asnTimeTicks = pm_asn_timeticks()

extension UnsafeMutablePointer<netsnmp_variable_list> {
    /// Stores a value into the varbind (net-snmp copies it).
    func set(_ value: MIBValue) {
        MIBValue.withEncoding(value) { type, pointer, length in
            _ = snmp_set_var_typed_value(self, type, pointer, length)
        }
    }
}

extension MIBValue {
    /// The ASN.1 type and the bytes net-snmp expects for the value (long for integers).
    static func withEncoding<R>(_ value: MIBValue, _ body: (UInt8, UnsafeRawPointer, Int) -> R) -> R {
        switch value {
        case .integer(let number):
            var long = Int(number)
            return withUnsafeBytes(of: &long) { body(asnInteger, $0.baseAddress!, $0.count) }
        case .gauge(let number):
            var long = Int(number)
            return withUnsafeBytes(of: &long) { body(asnGauge, $0.baseAddress!, $0.count) }
        case .agentUpTime:
            var long = Int(bitPattern: netsnmp_get_agent_uptime())
            return withUnsafeBytes(of: &long) { body(asnTimeTicks, $0.baseAddress!, $0.count) }
        case .string(let bytes):
            // A non-nil pointer even for "": net-snmp treats NULL as "no value".
            let padded = bytes + [0]
            return padded.withUnsafeBytes { body(asnOctetString, $0.baseAddress!, bytes.count) }
        case .objectIdentifier(let oid):
            return oid.arcs.withUnsafeBytes { body(asnObjectID, $0.baseAddress!, $0.count) }
        }
    }
}
