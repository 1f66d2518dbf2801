/// One NRPE packet as it travels on the wire, versions 2, 3 and 4.
///
/// A pure value: ``encoded()`` and ``init(decoding:maximumBufferLength:)`` are the only ways
/// bytes enter or leave, so the server, the tests and the fuzzer share one definition of the
/// format. Layouts (big-endian, measured against NRPE 4.1.0, see docs/nrpe.md):
/// - v2: 1036 bytes: version, type, crc32, result_code, buffer[1024], 2 padding bytes.
/// - v3: 16-byte header (…, int16 alignment, int32 buffer_length), buffer, 3 zero bytes.
/// - v4: 16-byte header, buffer.
public struct NRPEPacket: Sendable, Hashable {
    public enum Version: UInt16, Sendable, Hashable, CaseIterable {
        case v2 = 2
        case v3 = 3
        case v4 = 4
    }

    public enum PacketType: UInt16, Sendable, Hashable {
        case query = 1
        case response = 2
    }

    public var version: Version
    public var type: PacketType
    /// The plugin state in a response; clients fill it with noise in a v2 query.
    public var resultCode: Int16
    /// The text without its terminating NUL: `command!arg1!arg2` or the plugin output.
    public var buffer: [UInt8]

    public init(version: Version, type: PacketType, resultCode: Int16 = 0, buffer: [UInt8]) {
        self.version = version
        self.type = type
        self.resultCode = resultCode
        self.buffer = buffer
    }

    public init(version: Version, type: PacketType, resultCode: Int16 = 0, text: String) {
        self.init(version: version, type: type, resultCode: resultCode, buffer: Array(text.utf8))
    }

    /// The buffer as text; invalid UTF-8 is repaired rather than rejected, as plugins emit anything.
    public var text: String { String(decoding: buffer, as: UTF8.self) }
}

extension NRPEPacket {
    /// Size of every v2 packet.
    public static let v2PacketSize = 1036
    /// Size of the v2 buffer including its NUL.
    public static let v2BufferSize = 1024
    /// Size of the v3/v4 header before the buffer.
    public static let headerSize = 16
    /// Largest buffer_length that check_nrpe 4.1.0 accepts, NUL included.
    public static let maximumBufferLength = 65536

    /// How many text bytes a packet of `version` can carry (the NUL takes one).
    public static func capacity(of version: Version) -> Int {
        switch version {
        case .v2: v2BufferSize - 1
        case .v3, .v4: maximumBufferLength - 1
        }
    }
}
