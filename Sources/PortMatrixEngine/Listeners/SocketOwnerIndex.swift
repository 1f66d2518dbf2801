/// Socket inode → owning process, built from the /proc/PID/fd links of every process we may read.
///
/// One scan per listener scan: walking /proc is the expensive part, so it is done once and
/// looked up per socket. Sockets shared by several processes (a daemon and its forked
/// workers) resolve to the lowest pid, normally the parent that opened the socket.
/// Processes that vanish or that we may not read are skipped: their sockets stay unowned.
public struct SocketOwnerIndex: Sendable {
    public private(set) var owners: [UInt64: SocketOwner]

    public init(owners: [UInt64: SocketOwner] = [:]) {
        self.owners = owners
    }

    public subscript(inode: UInt64) -> SocketOwner? { owners[inode] }

    /// Scans `procRoot`; with `inodes`, records only those sockets (the listening ones), keeping the index small.
    public static func scan(procRoot: String = "/proc", inodes: Set<UInt64>? = nil) -> SocketOwnerIndex {
        var index = SocketOwnerIndex()
        for name in ProcFile.listDirectory(procRoot) {
            guard let pid = Int(name), pid > 0 else { continue }
            let processDirectory = "\(procRoot)/\(name)"
            var found: [UInt64] = []
            for fd in ProcFile.listDirectory("\(processDirectory)/fd") {
                guard let link = ProcFile.readLink("\(processDirectory)/fd/\(fd)"),
                      let inode = socketInode(link: link),
                      inodes?.contains(inode) ?? true else { continue }
                found.append(inode)
            }
            guard !found.isEmpty else { continue }
            // No comm: the process exited mid-scan; its sockets are closed or owned by another process.
            guard let comm = (try? ProcFile.readText("\(processDirectory)/comm")) ?? nil else { continue }
            let owner = SocketOwner(pid: pid, process: trimmed(comm))
            for inode in found {
                index.record(owner, for: inode)
            }
        }
        return index
    }

    /// Keeps the lowest pid per inode, so the result does not depend on directory order.
    public mutating func record(_ owner: SocketOwner, for inode: UInt64) {
        if let existing = owners[inode], existing.pid <= owner.pid { return }
        owners[inode] = owner
    }

    /// `socket:[12345]` → 12345; anything else (files, pipes, `anon_inode:`) → `nil`.
    public static func socketInode(link: String) -> UInt64? {
        guard link.hasPrefix("socket:["), link.hasSuffix("]") else { return nil }
        return UInt64(link.dropFirst("socket:[".count).dropLast())
    }

    private static func trimmed(_ comm: String) -> String {
        var text = Substring(comm)
        while text.last?.isNewline == true { text.removeLast() }
        return String(text)
    }
}
