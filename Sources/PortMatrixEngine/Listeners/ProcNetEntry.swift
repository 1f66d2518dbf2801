import PortMatrixModel

/// One socket line of /proc/net/{tcp,tcp6,udp,udp6}, reduced to what listener compliance needs.
public struct ProcNetEntry: Sendable, Hashable {
    public var transport: Transport
    public var localAddress: ListenerAddress
    public var localPort: Int
    /// The kernel socket state (`st` column): TCP uses the TCP_* states, UDP reuses them.
    public var state: UInt8
    /// The socket inode, the key to its owner through /proc/PID/fd links; 0 for sockets being torn down.
    public var inode: UInt64

    public init(transport: Transport, localAddress: ListenerAddress, localPort: Int, state: UInt8, inode: UInt64) {
        self.transport = transport
        self.localAddress = localAddress
        self.localPort = localPort
        self.state = state
        self.inode = inode
    }

    /// TCP_LISTEN, in the kernel's numbering.
    public static let tcpListenState: UInt8 = 0x0A
    /// TCP_CLOSE: what an unconnected UDP socket reports, i.e. one that receives from anyone.
    public static let udpUnconnectedState: UInt8 = 0x07

    /// A TCP socket in LISTEN, or a UDP socket bound but not connected: the sockets a peer can reach.
    public var isListening: Bool {
        switch transport {
        case .tcp: return state == Self.tcpListenState
        case .udp: return state == Self.udpUnconnectedState
        }
    }
}
