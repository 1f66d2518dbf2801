// libFuzzer entry for the NRPE decoder, compiled together with Sources/PortMatrixNRPE/Codec
// by fuzz.sh. Invariants: decoding never traps; what decodes re-encodes to bytes that decode
// to the same packet; the streaming framer agrees with whole-packet decoding.

@_cdecl("LLVMFuzzerTestOneInput")
public func nrpeFuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    var bytes = start.map { Array(UnsafeRawBufferPointer(start: $0, count: count)) } ?? []
    check(bytes)
    // Random bytes almost never carry a valid CRC-32; fix it up so the paths behind the CRC
    // check (buffer extraction, NUL handling, v3 trailer) get fuzzed too.
    if bytes.count >= 8 {
        let crc = bytes.withUnsafeBytes { NRPECRC32.checksum(ofPacket: $0) }
        bytes.storeBigEndian(crc, at: 4)
        check(bytes)
    }
    return 0
}

private func check(_ bytes: [UInt8]) {
    let whole = Result { () throws(NRPEDecodingError) in try NRPEPacket(decoding: bytes) }
    if case .success(let packet) = whole, packet.buffer.count <= NRPEPacket.capacity(of: packet.version) {
        let again = try? NRPEPacket(decoding: packet.encoded())
        precondition(again == packet, "re-encoding changed the packet")
    }

    // The framer, fed the same bytes, must find the same packet (or the same error) once it
    // has a whole frame, and must never ask for a frame larger than the header allows.
    do {
        if let size = try NRPEPacket.frameSize(startingWith: bytes.prefix(NRPEPacket.headerSize), maximumBufferLength: NRPEPacket.maximumBufferLength) {
            precondition(size <= NRPEPacket.headerSize + NRPEPacket.maximumBufferLength + 3)
            if bytes.count == size {
                let framed = Result { () throws(NRPEDecodingError) in try NRPEPacket.decodeFrame(bytes) }
                switch (framed, whole) {
                case (.success(let a), .success(let b)): precondition(a == b)
                case (.failure(let a), .failure(let b)): precondition(a == b)
                default: preconditionFailure("framer and decoder disagree")
                }
            }
        }
    } catch {
        if case .success = whole { preconditionFailure("framer refused a packet the decoder accepts") }
    }
}
