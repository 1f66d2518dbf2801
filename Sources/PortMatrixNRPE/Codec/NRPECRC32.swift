import CZlib

/// The standard reflected CRC-32 (zlib's), computed over a packet with its crc field zeroed.
enum NRPECRC32 {
    /// Offset of the crc32 field in every packet version.
    static let fieldRange = 4..<8

    static func checksum(ofPacket bytes: UnsafeRawBufferPointer) -> UInt32 {
        precondition(bytes.count >= fieldRange.upperBound)
        let zeros: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        var crc = crc32(0, nil, 0)
        crc = update(crc, UnsafeRawBufferPointer(rebasing: bytes[..<fieldRange.lowerBound]))
        crc = withUnsafeBytes(of: zeros) { update(crc, $0) }
        crc = update(crc, UnsafeRawBufferPointer(rebasing: bytes[fieldRange.upperBound...]))
        return UInt32(truncatingIfNeeded: crc)
    }

    private static func update(_ crc: UInt, _ bytes: UnsafeRawBufferPointer) -> UInt {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        return crc32(crc, base.assumingMemoryBound(to: UInt8.self), UInt32(bytes.count))
    }
}
