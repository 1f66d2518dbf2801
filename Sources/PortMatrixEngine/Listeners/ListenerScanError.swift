/// Why a listener scan could not read the kernel's socket tables.
public enum ListenerScanError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A /proc file exists but could not be read.
    case unreadable(path: String, errno: Int32)
    /// None of /proc/net/{tcp,tcp6,udp,udp6} exists: no procfs, or not Linux.
    case noSocketTables(procRoot: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let errno): return "cannot read \(path) (errno \(errno))"
        case .noSocketTables(let root): return "no socket tables under \(root)/net: is procfs mounted?"
        }
    }
}
