extension NRPEPacket {
    /// Decodes exactly one packet: `bytes` must hold the packet and nothing else.
    public init(decoding bytes: some Collection<UInt8>, maximumBufferLength: Int = NRPEPacket.maximumBufferLength) throws(NRPEDecodingError) {
        let bytes = Array(bytes)
        guard let size = try Self.frameSize(startingWith: bytes[...], maximumBufferLength: maximumBufferLength) else {
            throw .truncated(expected: Self.minimumKnownSize(of: bytes[...]), received: bytes.count)
        }
        if bytes.count != size {
            if try Self.parseVersion(bytes[...]) == .v2 { throw .wrongV2Size(bytes.count) }
            guard bytes.count > size else { throw .truncated(expected: size, received: bytes.count) }
            throw .trailingBytes(bytes.count - size)
        }
        self = try Self.decodeFrame(bytes)
    }

    /// Size of the packet that begins with `prefix`, or nil while the header is incomplete.
    /// Throws as soon as the header alone proves the bytes are not NRPE, so garbage and
    /// absurd lengths are refused without waiting for (or buffering) more input.
    static func frameSize(startingWith prefix: ArraySlice<UInt8>, maximumBufferLength: Int) throws(NRPEDecodingError) -> Int? {
        guard prefix.count >= 4 else {
            if prefix.count >= 2 { _ = try parseVersion(prefix) }
            return nil
        }
        let version = try parseVersion(prefix)
        let rawType = prefix.loadBigEndian(UInt16.self, at: 2)
        guard PacketType(rawValue: rawType) != nil else { throw .badType(rawType) }
        switch version {
        case .v2:
            return v2PacketSize
        case .v3, .v4:
            guard prefix.count >= headerSize else { return nil }
            let length = prefix.loadBigEndian(UInt32.self, at: 12)
            guard length <= maximumBufferLength else { throw .oversizedBufferLength(length, maximum: maximumBufferLength) }
            return headerSize + Int(length) + (version == .v3 ? 3 : 0)
        }
    }

    /// Decodes a complete frame whose size ``frameSize(startingWith:maximumBufferLength:)`` vouched for.
    static func decodeFrame(_ frame: [UInt8]) throws(NRPEDecodingError) -> NRPEPacket {
        let version = try parseVersion(frame[...])
        let received = frame[...].loadBigEndian(UInt32.self, at: 4)
        let computed = frame.withUnsafeBytes { NRPECRC32.checksum(ofPacket: $0) }
        guard received == computed else { throw .badCRC(received: received, computed: computed) }
        let rawType = frame[...].loadBigEndian(UInt16.self, at: 2)
        guard let type = PacketType(rawValue: rawType) else { throw .badType(rawType) }
        let resultCode = Int16(bitPattern: frame[...].loadBigEndian(UInt16.self, at: 8))
        let area = version == .v2 ? frame[10..<(10 + v2BufferSize)] : frame[headerSize..<(frame.count - (version == .v3 ? 3 : 0))]
        // The text ends at the first NUL; what follows is padding (random in v2 queries).
        let text = area.prefix { $0 != 0 }
        return NRPEPacket(version: version, type: type, resultCode: resultCode, buffer: Array(text))
    }

    private static func parseVersion(_ prefix: ArraySlice<UInt8>) throws(NRPEDecodingError) -> Version {
        let raw = prefix.loadBigEndian(UInt16.self, at: 0)
        guard let version = Version(rawValue: raw) else { throw .badVersion(raw) }
        return version
    }

    private static func minimumKnownSize(of prefix: ArraySlice<UInt8>) -> Int {
        prefix.count >= 2 && prefix.loadBigEndian(UInt16.self, at: 0) == 2 ? v2PacketSize : headerSize
    }
}
