/// The process holding a socket open: what an operator needs to tell `master` from a stray `nc`.
public struct SocketOwner: Sendable, Hashable, Codable, CustomStringConvertible {
    public var pid: Int
    /// /proc/PID/comm: the kernel's 15-character process name.
    public var process: String

    public init(pid: Int, process: String) {
        self.pid = pid
        self.process = process
    }

    /// `smtpd, pid 812`
    public var description: String { "\(process), pid \(pid)" }
}
