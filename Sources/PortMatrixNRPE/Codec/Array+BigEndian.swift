/// Big-endian integer access for the packet layouts; all NRPE integers are big-endian.
extension [UInt8] {
    mutating func storeBigEndian<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        withUnsafeMutableBytes { $0.storeBytes(of: value.bigEndian, toByteOffset: offset, as: T.self) }
    }
}

extension ArraySlice<UInt8> {
    /// Reads a big-endian integer at `offset` from the start of the slice.
    func loadBigEndian<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        var value = T.zero
        for byte in self[(startIndex + offset)..<(startIndex + offset + MemoryLayout<T>.size)] {
            value = value << 8 | T(byte)
        }
        return value
    }
}
