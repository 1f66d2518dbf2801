/// A value the agent serves, in SNMP's types.
enum MIBValue: Sendable, Equatable {
    case integer(Int32)
    /// Gauge32 and Unsigned32 share one wire type.
    case gauge(UInt32)
    case string([UInt8])
    case objectIdentifier(OID)
    /// sysUpTime: read from net-snmp when answered, not when published.
    case agentUpTime

    /// DisplayString: at most 255 octets, cut on a character boundary.
    static func displayString(_ text: String) -> MIBValue {
        var bytes: [UInt8] = []
        for scalar in text.unicodeScalars {
            let encoded = Array(String(scalar).utf8)
            if bytes.count + encoded.count > 255 { break }
            bytes += encoded
        }
        return .string(bytes)
    }
}
