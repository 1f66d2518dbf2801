import NIOCore
import PortMatrixModel

/// A UDP probe's first datagram: `trace` sends exactly it with growing TTLs, so a firewall
/// that looks into UDP payloads (DNS, NTP) sees the path's real traffic.
public protocol FirstDatagram: Probe {
    func firstDatagram(_ request: ProbeRequest) -> [UInt8]
}

extension UDPProbe: FirstDatagram {
    public func firstDatagram(_ request: ProbeRequest) -> [UInt8] { [] }
}

extension DNSProbe: FirstDatagram {
    public func firstDatagram(_ request: ProbeRequest) -> [UInt8] {
        let type = DNSMessage.recordType(named: request.options.dnsQueryType) ?? 1
        let query = DNSMessage.query(id: UInt16.random(in: 0...UInt16.max), name: request.options.dnsQueryName, type: type)
        return (try? query.encoded()) ?? []
    }
}

extension SNTPProbe: FirstDatagram {
    public func firstDatagram(_ request: ProbeRequest) -> [UInt8] {
        SNTPPacket.request(transmit: NTPTimestamp(unixSeconds: WallClock.now())).encoded()
    }
}

extension PyzorProbe: FirstDatagram {
    public func firstDatagram(_ request: ProbeRequest) -> [UInt8] {
        PyzorMessage.ping(thread: UInt16.random(in: 1024...UInt16.max), time: Int(WallClock.now())).encoded()
    }
}

extension TraceRequest {
    /// The trace of one concrete check: its target, transport, port and source address, and
    /// for UDP its probe's first datagram.
    public init(check: PlannedCheck, settings: TraceSettings, maxHops: Int? = nil, registry: ProbeRegistry = .standard) {
        var datagram: [UInt8] = []
        if check.transport == .udp, let probe = registry.probe(named: check.probe) as? any FirstDatagram {
            let request = ProbeRequest(host: check.host, port: check.port, transport: check.transport, deadline: .now(),
                                       sourceAddress: check.sourceAddress, options: check.options)
            datagram = probe.firstDatagram(request)
        }
        self.init(host: check.host, port: check.port, transport: check.transport, sourceAddress: check.sourceAddress,
                  datagram: datagram, maxHops: maxHops ?? settings.maxHops, hopTimeout: settings.hopTimeout,
                  window: settings.window)
    }
}
