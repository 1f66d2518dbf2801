#if canImport(Glibc)
import Glibc
#endif
import Foundation

extension RunAsAccount {
    /// Makes a state directory (the generated NRPE key, net-snmp's persistent data) safe before
    /// root opens anything: called as root, before the sockets open. Creates it (0700) when
    /// missing; refuses it when it is a symbolic link, belongs to someone other than `account`
    /// (or root, before it is handed over) or group or others may write to it; hands it to
    /// `account` through its descriptor. Its content is not touched: the account works in it
    /// after the drop, and root (net-snmp's start) only reads through descriptors that follow no
    /// link. `account` nil means the agent stays root: the directory must be root's.
    static func prepareStateDirectory(_ path: String, for account: RunAsAccount?) throws {
        let owner = account?.uid ?? 0, group = account?.gid ?? 0
        let who = account.map { "\($0.user) (uid \($0.uid))" } ?? "root"
        var directory = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if directory < 0, errno == ENOENT {
            let parent = (path as NSString).deletingLastPathComponent
            if !parent.isEmpty {
                try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true,
                                                         attributes: [.posixPermissions: 0o755])
            }
            guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
                throw RunAsError("state directory \(path): cannot create it: \(String(cString: strerror(errno)))")
            }
            directory = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        }
        guard directory >= 0 else {
            let reason = errno == ELOOP || errno == ENOTDIR ? "is a symbolic link or not a directory" : String(cString: strerror(errno))
            throw RunAsError("state directory \(path) \(reason): refusing it as root; make it a directory owned by \(who), mode 0700")
        }
        defer { close(directory) }
        var info = stat()
        guard fstat(directory, &info) == 0 else {
            throw RunAsError("state directory \(path): \(String(cString: strerror(errno)))")
        }
        guard info.st_uid == owner || info.st_uid == 0 else {
            throw RunAsError("state directory \(path) belongs to uid \(info.st_uid), not to \(who) or root: refusing it as root (chown \(account?.user ?? "root") \(path))")
        }
        guard info.st_mode & 0o022 == 0 else {
            throw RunAsError("state directory \(path) has mode \(String(info.st_mode & 0o7777, radix: 8)): group or others may write to it; refusing it as root (chmod go-w \(path))")
        }
        if info.st_uid != owner, fchown(directory, owner, group) != 0 {
            throw RunAsError("cannot hand \(path) to \(who): \(String(cString: strerror(errno)))")
        }
    }
}
