#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PortMatrixModel

/// The account the agent runs as once its privileged sockets are open (`agent.user`).
struct RunAsAccount: Sendable, Equatable {
    var user: String
    var uid: uid_t
    var gid: gid_t

    /// What starting as `processUID` with these settings means: nil when there is nothing to
    /// drop (not root, or `user: root`). A user that does not exist is an error, the default
    /// `portmatrix` too (before `make install`): root is kept only when the file says so.
    static func resolve(_ settings: AgentSettings, processUID: uid_t = geteuid(),
                        warn: (String) -> Void) throws -> RunAsAccount? {
        let name = settings.user ?? AgentSettings.defaultUser
        guard processUID == 0 else {
            if let user = settings.user, let account = lookup(user: user, group: settings.group), account.uid != processUID {
                warn("agent.user '\(user)' is not applied: the agent was not started as root (running as uid \(processUID))")
            }
            return nil
        }
        guard name != "root" else { return nil }
        guard let account = lookup(user: name, group: settings.group) else {
            if settings.user == nil {
                throw RunAsError("""
                    started as root, and the default user '\(name)' (agent.user) does not exist: `make install` creates it \
                    (or: useradd --system --user-group \(name)); set agent.user to another account, or to root to run as root
                    """)
            }
            throw RunAsError("agent.user '\(name)' does not exist" + (settings.group.map { " (or group '\($0)' does not)" } ?? ""))
        }
        return account
    }

    static func lookup(user: String, group: String?) -> RunAsAccount? {
        var entry = passwd(), result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        if let id = uid_t(user) {
            guard getpwuid_r(id, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        } else {
            guard getpwnam_r(user, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        }
        var account = RunAsAccount(user: String(cString: entry.pw_name), uid: entry.pw_uid, gid: entry.pw_gid)
        if let group {
            var groupEntry = Glibc.group(), groupResult: UnsafeMutablePointer<Glibc.group>?
            var groupBuffer = [CChar](repeating: 0, count: 16_384)
            if let id = gid_t(group) {
                account.gid = id
            } else {
                guard getgrnam_r(group, &groupEntry, &groupBuffer, groupBuffer.count, &groupResult) == 0,
                      groupResult != nil else { return nil }
                account.gid = groupEntry.gr_gid
            }
        }
        return account
    }

    /// Drops root for good: supplementary groups, group, then user (glibc applies each to every
    /// thread of the process). Fails unless root can no longer be regained.
    func drop() throws {
        guard initgroups(user, gid) == 0 || setgroups(1, [gid]) == 0 else {
            throw RunAsError("setgroups for \(user) failed: \(String(cString: strerror(errno)))")
        }
        guard setgid(gid) == 0 else { throw RunAsError("setgid(\(gid)) failed: \(String(cString: strerror(errno)))") }
        guard setuid(uid) == 0 else { throw RunAsError("setuid(\(uid)) failed: \(String(cString: strerror(errno)))") }
        guard uid == 0 || setuid(0) != 0 else { throw RunAsError("root could be regained after dropping to \(user)") }
    }
}

struct RunAsError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
