import Foundation

/// A throwaway directory shaped like /proc: socket tables under net/, processes with fd links and comm.
///
/// fd links point at `socket:[inode]` exactly as the kernel's do; they dangle, which is all readlink needs.
/// Callers `defer { tree.remove() }`.
struct FakeProcTree {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("portmatrix-proc-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/net", withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }

    func table(_ name: String, _ text: String) throws {
        try text.write(toFile: "\(root)/net/\(name)", atomically: true, encoding: .utf8)
    }

    /// A process directory; `comm: nil` is a process that exited between listing and reading.
    func process(_ pid: String, comm: String?, links: [String]) throws {
        let fd = "\(root)/\(pid)/fd"
        try FileManager.default.createDirectory(atPath: fd, withIntermediateDirectories: true)
        for (number, target) in links.enumerated() {
            try FileManager.default.createSymbolicLink(atPath: "\(fd)/\(number)", withDestinationPath: target)
        }
        if let comm {
            try "\(comm)\n".write(toFile: "\(root)/\(pid)/comm", atomically: true, encoding: .utf8)
        }
    }
}
