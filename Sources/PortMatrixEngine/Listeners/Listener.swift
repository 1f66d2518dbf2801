import PortMatrixModel

/// A socket on this machine that peers can reach: TCP in LISTEN, or UDP bound and unconnected.
///
/// Encodes as `{"transport": "tcp", "address": "0.0.0.0", "port": 25, "scope": "any", "pid": 812, "process": "smtpd"}`;
/// `pid` and `process` are absent when the owner could not be resolved (another user's or
/// another namespace's process, without the privilege to see it).
public struct Listener: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var transport: Transport
    /// Canonical text: `0.0.0.0`, `127.0.0.1`, `::`, `::1`, `::ffff:127.0.0.1`.
    public var address: String
    public var port: Int
    public var scope: ListenerScope
    public var pid: Int?
    public var process: String?

    /// `scope` defaults to the scope of `address` (`.specific` when it is not an IP address).
    public init(transport: Transport, address: String, port: Int, scope: ListenerScope? = nil,
                pid: Int? = nil, process: String? = nil) {
        self.transport = transport
        self.address = address
        self.port = port
        self.scope = scope ?? ListenerAddress(address)?.scope ?? .specific
        self.pid = pid
        self.process = process
    }

    /// A listener as a socket table entry and its owner show it.
    public init(_ entry: ProcNetEntry, owner: SocketOwner?) {
        self.init(transport: entry.transport, address: entry.localAddress.description, port: entry.localPort,
                  scope: entry.localAddress.scope, pid: owner?.pid, process: owner?.process)
    }

    public var portSpec: PortSpec { PortSpec(transport, port) }

    /// The owner when both parts are known.
    public var owner: SocketOwner? {
        guard let pid, let process else { return nil }
        return SocketOwner(pid: pid, process: process)
    }

    /// `tcp/25 on 0.0.0.0 (smtpd, pid 812)`, or without the parenthesis when the owner is unknown.
    public var description: String {
        let base = "\(portSpec) on \(address)"
        switch (process, pid) {
        case let (process?, pid?): return "\(base) (\(process), pid \(pid))"
        case let (nil, pid?): return "\(base) (pid \(pid))"
        case let (process?, nil): return "\(base) (\(process))"
        case (nil, nil): return base
        }
    }

    /// Ordered by transport, port, then address: the order of `ss -ltun` and of the port matrix.
    public static func < (lhs: Listener, rhs: Listener) -> Bool {
        (lhs.transport, lhs.port, lhs.address) < (rhs.transport, rhs.port, rhs.address)
    }
}
