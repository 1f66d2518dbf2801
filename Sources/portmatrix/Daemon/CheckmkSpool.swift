import Foundation
import Logging
import PortMatrixEngine
import PortMatrixModel
import PortMatrixReport
import Synchronization

/// Writes the Checkmk local-check lines into `checkmk.spool_file` on every published snapshot.
/// The file is replaced by rename, so the Checkmk agent never reads half a file; a failure is
/// logged once until the error changes or writing works again, and never stops the agent.
final class CheckmkSpool: Sendable {
    let path: String
    private let logger: Logger
    private let lastError = Mutex<String?>(nil)

    init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
    }

    func write(_ snapshot: Snapshot, links: [(name: String, status: Status, message: String)]) {
        let text = CheckmkLocalRenderer.render(snapshot, links: links)
        let failure = Self.replace(path, with: text)
        let change = lastError.withLock { last -> (old: String?, new: String?)? in
            guard last != failure else { return nil }
            defer { last = failure }
            return (last, failure)
        }
        guard let change else { return }
        if let error = change.new {
            logger.error("checkmk spool file \(path): \(error) (the agent keeps running; logged again when the error changes)")
        } else if change.old != nil {
            logger.notice("checkmk spool file \(path): written again")
        }
    }

    /// Writes a hidden temporary file beside `path` (the Checkmk agent skips dot files), then
    /// renames it over `path`. nil on success, else what failed.
    static func replace(_ path: String, with text: String) -> String? {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { return "cannot create \(temporary): \(String(cString: strerror(errno)))" }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(fd)
                unlink(temporary)
                return "cannot write \(temporary): \(reason)"
            }
            written += count
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            return "cannot rename \(temporary) to \(path): \(reason)"
        }
        return nil
    }
}
