// libFuzzer entries for the probe codecs (Sources/PortMatrixEngine/Probes/Codecs), compiled
// together with them by Fuzz/run.sh; exactly one FUZZ_* flag picks the decoder. Each entry
// feeds the bytes the way the probe does and checks the bound the decoder promises, so a
// violated bound is a crash, not only a trap.

private func bytes(_ start: UnsafeRawPointer?, _ count: Int) -> [UInt8] {
    start.map { Array(UnsafeRawBufferPointer(start: $0, count: count)) } ?? []
}

#if FUZZ_DNS
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = bytes(start, count)
    if let message = try? DNSMessage(decoding: input) {
        precondition(message.questions.count <= DNSMessage.decodedQuestionLimit)
        for question in message.questions {
            // A name is at most 255 wire octets: at most 254 characters of labels and dots,
            // each label byte at most 3 UTF-8 bytes once decoded (U+FFFD).
            precondition(question.name.utf8.count <= 3 * DNSMessage.maximumNameLength)
        }
    }
    // Every offset as the start of a name, as a record section would use them.
    for offset in stride(from: 12, to: min(input.count, 64), by: 1) {
        var cursor = offset
        if (try? DNSMessage.readName(input, at: &cursor)) != nil {
            precondition(cursor > offset && cursor <= input.count)
        }
    }
    return 0
}
#endif

#if FUZZ_LDAP
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = bytes(start, count)
    let maximum = 64 * 1024
    if let length = try? LDAPMessage.frameLength(input, maximum: maximum) {
        precondition(length >= 2 && length <= maximum)
        if length <= input.count { _ = try? LDAPMessage.decodeResponse(input.prefix(length)) }
    }
    _ = try? LDAPMessage.decodeResponse(input)
    return 0
}
#endif

#if FUZZ_SNTP
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = bytes(start, count)
    if let packet = try? SNTPPacket(decoding: input) {
        precondition(packet.encoded() == Array(input.prefix(SNTPPacket.length)), "SNTP header does not round-trip")
        _ = packet.referenceText
        _ = packet.kissCode
        _ = packet.transmitTime.unixSeconds
    }
    return 0
}
#endif

#if FUZZ_PYZOR
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let message = PyzorMessage(decoding: bytes(start, count))
    precondition(message.fields.count <= PyzorMessage.maximumFields)
    _ = message["Code"]
    _ = message["Thread"]
    _ = message.text
    return 0
}
#endif

#if FUZZ_SMTP
/// As `SMTPReply.read`: lines framed by `TextLine`, assembled until the reply ends.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    var input = bytes(start, count)[...]
    var assembler = SMTPReply.Assembler()
    var lines = 0 // of the reply being assembled
    while true {
        guard case .line(let line, let consumed) = TextLine.scan(input, maxLength: SMTPReply.maximumLineLength) else { break }
        precondition(consumed > 0 && consumed <= input.count && line.count <= SMTPReply.maximumLineLength)
        input = input.dropFirst(consumed)
        lines += 1
        precondition(lines <= SMTPReply.maximumLines + 1, "assembler accepted more lines than its bound")
        do {
            if let reply = try assembler.add(String(decoding: line, as: UTF8.self)) {
                precondition((0...999).contains(reply.code) && reply.lines.count <= SMTPReply.maximumLines)
                _ = reply.text
                assembler = SMTPReply.Assembler()
                lines = 0
            }
        } catch {
            _ = error.message
            break
        }
    }
    return 0
}
#endif

#if FUZZ_HTTP_HEAD
/// As the HTTP probe: one status line of at most 8 KiB.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = bytes(start, count)
    if case .line(let line, let consumed) = TextLine.scan(input, maxLength: HTTPResponseHead.maximumLength) {
        precondition(line.count <= HTTPResponseHead.maximumLength && consumed <= input.count)
        if let status = HTTPStatusLine(String(decoding: line, as: UTF8.self)) {
            precondition((100...599).contains(status.code))
        }
    }
    return 0
}
#endif

#if FUZZ_PROXY_REPLY
/// As the CONNECT tunnel: the head up to the empty line within 8 KiB, then its status line.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = bytes(start, count)
    // Small bounds too, so the fuzzer reaches the too-long path with short inputs.
    for maxLength in [HTTPResponseHead.maximumLength, 64] {
        switch HTTPResponseHead.scan(input, maxLength: maxLength) {
        case .head(let head, let consumed):
            precondition(consumed <= maxLength && consumed <= input.count)
            if let status = HTTPStatusLine(HTTPResponseHead.statusLine(of: head)) {
                precondition((100...599).contains(status.code))
            }
        case .incomplete: precondition(input.count < maxLength)
        case .tooLong: precondition(input.count >= maxLength)
        }
    }
    return 0
}
#endif
