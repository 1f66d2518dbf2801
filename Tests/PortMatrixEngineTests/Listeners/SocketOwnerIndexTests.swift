import Testing

@testable import PortMatrixEngine

@Suite struct SocketOwnerIndexTests {
    @Test(arguments: [
        ("socket:[84483]", UInt64(84483) as UInt64?), ("socket:[]", nil), ("socket:[12x]", nil),
        ("pipe:[84483]", nil), ("anon_inode:[eventpoll]", nil), ("/dev/null", nil),
    ])
    func readsInodeFromSocketLinks(link: String, inode: UInt64?) {
        #expect(SocketOwnerIndex.socketInode(link: link) == inode)
    }

    @Test func mapsInodesToProcessesAndPrefersTheLowestPid() throws {
        let tree = try FakeProcTree()
        defer { tree.remove() }
        try tree.process("812", comm: "smtpd", links: ["/dev/null", "socket:[100]", "pipe:[7]"])
        try tree.process("1200", comm: "smtpd-worker", links: ["socket:[100]", "socket:[101]"])
        try tree.process("90", comm: "master", links: ["socket:[100]"])
        try tree.process("self", comm: "ignored", links: ["socket:[102]"])
        try tree.process("1300", comm: nil, links: ["socket:[103]"])

        let index = SocketOwnerIndex.scan(procRoot: tree.root)
        #expect(index[100] == SocketOwner(pid: 90, process: "master"))
        #expect(index[101] == SocketOwner(pid: 1200, process: "smtpd-worker"))
        #expect(index[102] == nil, "non-numeric /proc entries are not processes")
        #expect(index[103] == nil, "a process without comm has exited")
        #expect(index[7] == nil, "pipes are not sockets")
    }

    @Test func recordsOnlyTheRequestedInodes() throws {
        let tree = try FakeProcTree()
        defer { tree.remove() }
        try tree.process("5", comm: "sshd", links: ["socket:[1]", "socket:[2]"])
        let index = SocketOwnerIndex.scan(procRoot: tree.root, inodes: [2])
        #expect(index.owners == [2: SocketOwner(pid: 5, process: "sshd")])
    }

    @Test func missingProcRootGivesAnEmptyIndex() {
        #expect(SocketOwnerIndex.scan(procRoot: "/nonexistent-portmatrix-proc").owners.isEmpty)
    }
}
