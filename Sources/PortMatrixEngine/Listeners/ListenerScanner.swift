import PortMatrixModel

/// Finds the sockets listening on this machine from the kernel's socket tables in /proc.
///
/// Reading /proc/net avoids netlink and `ss` and works unprivileged; owners of other users'
/// sockets need root (or CAP_SYS_PTRACE) and stay unknown otherwise.
public enum ListenerScanner {
    /// The socket tables, by transport. A missing table (IPv6 disabled) is not an error.
    static let tables: [(file: String, transport: Transport)] = [
        ("net/tcp", .tcp), ("net/tcp6", .tcp), ("net/udp", .udp), ("net/udp6", .udp),
    ]

    /// TCP LISTEN and unconnected UDP sockets, with owners where resolvable, sorted.
    ///
    /// `procRoot` is a parameter so a captured /proc tree can stand in for the real one.
    public static func scan(procRoot: String = "/proc") throws(ListenerScanError) -> [Listener] {
        var entries: [ProcNetEntry] = []
        var foundTable = false
        for table in tables {
            guard let text = try ProcFile.readText("\(procRoot)/\(table.file)") else { continue }
            foundTable = true
            entries += ProcNetParser.parse(text, transport: table.transport)
        }
        guard foundTable else { throw .noSocketTables(procRoot: procRoot) }
        let listening = entries.filter(\.isListening)
        let owners = SocketOwnerIndex.scan(procRoot: procRoot, inodes: Set(listening.map(\.inode)))
        return listeners(from: listening, owners: owners)
    }

    /// Listening entries as listeners: one per transport, address and port, sorted.
    ///
    /// SO_REUSEPORT daemons (one socket per worker) show the same endpoint several times;
    /// the one with a known owner and the lowest pid stands for all of them.
    public static func listeners(from entries: [ProcNetEntry], owners: SocketOwnerIndex) -> [Listener] {
        var byEndpoint: [Listener: Listener] = [:]
        for entry in entries where entry.isListening {
            let listener = Listener(entry, owner: owners[entry.inode])
            let key = Listener(transport: listener.transport, address: listener.address, port: listener.port, scope: listener.scope)
            if let kept = byEndpoint[key], !represents(listener, better: kept) { continue }
            byEndpoint[key] = listener
        }
        return byEndpoint.values.sorted()
    }

    private static func represents(_ candidate: Listener, better kept: Listener) -> Bool {
        switch (candidate.pid, kept.pid) {
        case let (new?, old?): return new < old
        case (_?, nil): return true
        case (nil, _): return false
        }
    }
}
