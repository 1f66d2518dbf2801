/// An NTP packet as SNTP (RFC 4330) uses it: the 48-byte header, no extension fields.
struct SNTPPacket: Hashable, Sendable {
    var leap: UInt8 = 0
    var version: UInt8 = 4
    var mode: UInt8 = 3
    var stratum: UInt8 = 0
    var poll: Int8 = 0
    var precision: Int8 = 0
    var rootDelay: UInt32 = 0
    var rootDispersion: UInt32 = 0
    /// Reference clock (stratum 1), upstream address (stratum 2+) or kiss code (stratum 0).
    var referenceID: [UInt8] = [0, 0, 0, 0]
    var referenceTime = NTPTimestamp(raw: 0)
    var originTime = NTPTimestamp(raw: 0)
    var receiveTime = NTPTimestamp(raw: 0)
    var transmitTime = NTPTimestamp(raw: 0)

    static let length = 48

    enum DecodingError: Error, Equatable {
        case tooShort(Int)
    }

    /// A client request: LI 0, VN 4, mode 3 (byte 0 = 0x23), T1 in the transmit timestamp.
    static func request(transmit: NTPTimestamp) -> SNTPPacket {
        SNTPPacket(transmitTime: transmit)
    }

    init(leap: UInt8 = 0, version: UInt8 = 4, mode: UInt8 = 3, stratum: UInt8 = 0,
         referenceID: [UInt8] = [0, 0, 0, 0], originTime: NTPTimestamp = NTPTimestamp(raw: 0),
         receiveTime: NTPTimestamp = NTPTimestamp(raw: 0), transmitTime: NTPTimestamp = NTPTimestamp(raw: 0)) {
        self.leap = leap
        self.version = version
        self.mode = mode
        self.stratum = stratum
        self.referenceID = referenceID
        self.originTime = originTime
        self.receiveTime = receiveTime
        self.transmitTime = transmitTime
    }

    /// Reads the 48-byte header; extension fields and MACs after it are never looked at.
    init(decoding bytes: some Collection<UInt8>) throws {
        let b = Array(bytes.prefix(Self.length))
        guard b.count >= Self.length else { throw DecodingError.tooShort(b.count) }
        leap = b[0] >> 6
        version = (b[0] >> 3) & 0x07
        mode = b[0] & 0x07
        stratum = b[1]
        poll = Int8(bitPattern: b[2])
        precision = Int8(bitPattern: b[3])
        rootDelay = Self.uint32(b, 4)
        rootDispersion = Self.uint32(b, 8)
        referenceID = Array(b[12..<16])
        referenceTime = NTPTimestamp(raw: Self.uint64(b, 16))
        originTime = NTPTimestamp(raw: Self.uint64(b, 24))
        receiveTime = NTPTimestamp(raw: Self.uint64(b, 32))
        transmitTime = NTPTimestamp(raw: Self.uint64(b, 40))
    }

    func encoded() -> [UInt8] {
        var b: [UInt8] = [(leap << 6) | ((version & 0x07) << 3) | (mode & 0x07), stratum,
                          UInt8(bitPattern: poll), UInt8(bitPattern: precision)]
        Self.append(&b, rootDelay)
        Self.append(&b, rootDispersion)
        b += referenceID.prefix(4) + Array(repeating: 0, count: max(0, 4 - referenceID.count))
        for stamp in [referenceTime, originTime, receiveTime, transmitTime] {
            Self.append(&b, UInt32(truncatingIfNeeded: stamp.raw >> 32))
            Self.append(&b, UInt32(truncatingIfNeeded: stamp.raw))
        }
        return b
    }

    /// Stratum 0 carries a four-letter ASCII kiss code (`RATE`, `DENY`, `RSTR`...) in the refid.
    var kissCode: String? {
        stratum == 0 ? String(decoding: referenceID.filter { $0 >= 32 && $0 < 127 }, as: UTF8.self) : nil
    }

    /// The refid for people: ASCII for stratum 0 and 1, an IPv4 address above.
    var referenceText: String {
        if stratum <= 1 { return kissCode ?? String(decoding: referenceID.filter { $0 >= 32 && $0 < 127 }, as: UTF8.self) }
        return referenceID.map(String.init).joined(separator: ".")
    }

    /// RFC 4330 section 5: offset = ((T2 - T1) + (T3 - T4)) / 2, delay = (T4 - T1) - (T3 - T2).
    /// Positive offset: the server is ahead of us.
    static func offsetAndDelay(t1: Double, t2: Double, t3: Double, t4: Double) -> (offset: Double, delay: Double) {
        (((t2 - t1) + (t3 - t4)) / 2, (t4 - t1) - (t3 - t2))
    }

    private static func uint32(_ b: [UInt8], _ at: Int) -> UInt32 {
        b[at..<at + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    private static func uint64(_ b: [UInt8], _ at: Int) -> UInt64 {
        b[at..<at + 8].reduce(0) { $0 << 8 | UInt64($1) }
    }

    private static func append(_ b: inout [UInt8], _ value: UInt32) {
        b += [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }
}

/// NTP's 32.32 fixed-point seconds since 1900.
struct NTPTimestamp: Hashable, Sendable {
    var raw: UInt64

    /// Seconds between 1900-01-01 (NTP era 0) and 1970-01-01.
    static let unixEpochOffset: Double = 2_208_988_800

    init(raw: UInt64) {
        self.raw = raw
    }

    init(unixSeconds: Double) {
        let ntp = unixSeconds + Self.unixEpochOffset
        let seconds = ntp.rounded(.down)
        let fraction = ((ntp - seconds) * 4_294_967_296).rounded(.down)
        raw = UInt64(seconds) << 32 | UInt64(min(fraction, 4_294_967_295))
    }

    var unixSeconds: Double {
        Double(raw >> 32) - Self.unixEpochOffset + Double(raw & 0xFFFF_FFFF) / 4_294_967_296
    }
}
