/// Why a byte sequence is not an NRPE packet. The descriptions end up in the one log line the
/// server writes per refused connection, so they name the field and the numbers involved.
public enum NRPEDecodingError: Error, Sendable, Hashable {
    /// Fewer bytes than the header announces.
    case truncated(expected: Int, received: Int)
    /// A version other than 2, 3 or 4.
    case badVersion(UInt16)
    /// A type other than query (1) or response (2).
    case badType(UInt16)
    case badCRC(received: UInt32, computed: UInt32)
    /// buffer_length larger than the configured maximum (or negative as an int32).
    case oversizedBufferLength(UInt32, maximum: Int)
    /// A v2 packet whose size is not 1036 bytes.
    case wrongV2Size(Int)
    /// More bytes than one packet; NRPE carries exactly one request per connection.
    case trailingBytes(Int)
}

extension NRPEDecodingError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .truncated(let expected, let received):
            "truncated packet: \(received) of \(expected) bytes"
        case .badVersion(let version) where version == 0x1603:
            "bad packet version 0x1603: a TLS handshake on a plaintext listener (client without -n?)"
        case .badVersion(let version):
            "bad packet version \(version) (expected 2, 3 or 4)"
        case .badType(let type):
            "bad packet type \(type) (expected 1 query or 2 response)"
        case .badCRC(let received, let computed):
            "bad CRC-32: packet says 0x\(String(received, radix: 16)), content gives 0x\(String(computed, radix: 16))"
        case .oversizedBufferLength(let length, let maximum):
            "buffer_length \(length) exceeds the maximum of \(maximum)"
        case .wrongV2Size(let size):
            "v2 packet of \(size) bytes (must be \(NRPEPacket.v2PacketSize))"
        case .trailingBytes(let count):
            "\(count) unexpected bytes after the packet"
        }
    }
}
