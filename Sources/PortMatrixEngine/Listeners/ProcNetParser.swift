import PortMatrixModel

/// Parses the text of /proc/net/tcp, tcp6, udp and udp6 into entries; pure, so fixtures test it.
///
/// Each line reads `sl: local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...`.
/// Addresses are hex, one 8-digit group per 32-bit word, each word printed in host order,
/// which on every platform we ship (x86_64, arm64) is little-endian: `0100007F` is 127.0.0.1.
/// Ports are hex in network order. The header line and anything malformed are skipped:
/// a kernel with extra columns or a truncated read must not take the scan down.
public enum ProcNetParser {
    /// Entries of one file; `transport` says which file it was, the address width says v4 or v6.
    public static func parse(_ text: String, transport: Transport) -> [ProcNetEntry] {
        text.split(whereSeparator: \.isNewline).compactMap { parseLine($0, transport: transport) }
    }

    /// One line, or `nil` for the header and malformed lines.
    public static func parseLine<S: StringProtocol>(_ line: S, transport: Transport) -> ProcNetEntry? {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        // sl, local, remote, st, tx:rx, tr:when, retrnsmt, uid, timeout, inode
        guard fields.count >= 10, fields[0].last == ":" else { return nil }
        guard let (address, port) = parseEndpoint(fields[1]),
              let state: UInt8 = hexValue(fields[3], digits: 2),
              let inode = UInt64(fields[9]) else { return nil }
        return ProcNetEntry(transport: transport, localAddress: address, localPort: port, state: state, inode: inode)
    }

    /// `0100007F:0019` → (127.0.0.1, 25).
    static func parseEndpoint<S: StringProtocol>(_ text: S) -> (ListenerAddress, Int)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let port: UInt16 = hexValue(parts[1], digits: 4),
              let address = parseAddress(parts[0]) else { return nil }
        return (address, Int(port))
    }

    /// 8 hex digits for IPv4, 32 for IPv6; each 32-bit word little-endian.
    static func parseAddress<S: StringProtocol>(_ hex: S) -> ListenerAddress? {
        let digits = Array(hex.utf8)
        guard digits.count == 8 || digits.count == 32 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for wordStart in stride(from: 0, to: digits.count, by: 8) {
            // Bytes of a word appear most significant first: the last pair is the first byte in memory.
            for pairStart in stride(from: wordStart + 6, through: wordStart, by: -2) {
                guard let high = nibble(digits[pairStart]), let low = nibble(digits[pairStart + 1]) else { return nil }
                bytes.append(high << 4 | low)
            }
        }
        return ListenerAddress(bytes: bytes)
    }

    /// Exactly `digits` ASCII hex digits; `init(_:radix:)` alone would also take a sign.
    private static func hexValue<T: FixedWidthInteger, S: StringProtocol>(_ text: S, digits: Int) -> T? {
        guard text.utf8.count == digits, text.utf8.allSatisfy({ nibble($0) != nil }) else { return nil }
        return T(text, radix: 16)
    }

    private static func nibble(_ ascii: UInt8) -> UInt8? {
        switch ascii {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return ascii - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return ascii - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return ascii - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
