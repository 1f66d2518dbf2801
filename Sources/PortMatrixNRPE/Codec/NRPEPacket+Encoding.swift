extension NRPEPacket {
    /// The wire bytes. Text beyond the version's capacity is cut (see ``truncatedBuffer(for:)``);
    /// v2 unused bytes and padding are zero, v3/v4 carry buffer_length = text + NUL, unpadded,
    /// exactly like the 4.1.0 daemon's responses.
    public func encoded() -> [UInt8] {
        let text = Self.truncated(buffer, to: Self.capacity(of: version))
        var bytes: [UInt8]
        switch version {
        case .v2:
            bytes = [UInt8](repeating: 0, count: Self.v2PacketSize)
            bytes.replaceSubrange(10..<(10 + text.count), with: text)
        case .v3, .v4:
            let bufferLength = text.count + 1
            let trailer = version == .v3 ? 3 : 0
            bytes = [UInt8](repeating: 0, count: Self.headerSize + bufferLength + trailer)
            bytes.storeBigEndian(UInt32(bufferLength), at: 12)
            bytes.replaceSubrange(16..<(16 + text.count), with: text)
        }
        bytes.storeBigEndian(version.rawValue, at: 0)
        bytes.storeBigEndian(type.rawValue, at: 2)
        bytes.storeBigEndian(UInt16(bitPattern: resultCode), at: 8)
        let crc = bytes.withUnsafeBytes { NRPECRC32.checksum(ofPacket: $0) }
        bytes.storeBigEndian(crc, at: 4)
        return bytes
    }

    /// Cuts `bytes` to `limit` without splitting a UTF-8 sequence, so a cut output stays valid text.
    static func truncated(_ bytes: [UInt8], to limit: Int) -> ArraySlice<UInt8> {
        guard bytes.count > limit else { return bytes[...] }
        var end = limit
        // Step back over continuation bytes (10xxxxxx) to the start of the cut character.
        while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return bytes[..<end]
    }
}
