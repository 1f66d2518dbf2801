import Foundation
import NIOSSL
import Synchronization

/// Client TLS contexts, one per distinct configuration, shared by every check.
///
/// Building a context that verifies against the system store parses the whole CA bundle:
/// 6.6 ms of CPU per check (ProbeBench, `tls verify=on`), spent on the event loop the probe
/// runs on. A context is reused while the file it trusts is unchanged (size and modification
/// time), so a replaced CA file or an updated system bundle counts from the next check.
final class TLSContextCache: Sendable {
    static let shared = TLSContextCache()

    /// The system bundle NIOSSL loads on Debian and RHEL; its stamp stands for the store.
    static let systemBundles = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"]

    private struct Key: Hashable {
        var verification: CertificateVerification
        var caFile: String?
        var stamp: FileStamp?
    }

    private struct FileStamp: Hashable {
        var size: Int
        var modified: Double

        init?(path: String) {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  let size = attributes[.size] as? Int, let modified = attributes[.modificationDate] as? Date else { return nil }
            self.size = size
            self.modified = modified.timeIntervalSince1970
        }
    }

    /// Past this many configurations the cache starts over; a profile has a handful.
    private let capacity = 64
    private let contexts = Mutex<[Key: NIOSSLContext]>([:])

    /// The context for `verification` trusting `caFile` (or the system store), built by `make`
    /// when there is none yet for the file as it is now.
    func context(verification: CertificateVerification, caFile: String?,
                 make: () throws -> NIOSSLContext) rethrows -> NIOSSLContext {
        var stamp: FileStamp?
        if verification != .none {
            stamp = caFile.flatMap(FileStamp.init(path:)) ?? Self.systemBundles.lazy.compactMap(FileStamp.init(path:)).first
        }
        let key = Key(verification: verification, caFile: caFile, stamp: stamp)
        if let cached = contexts.withLock({ $0[key] }) { return cached }
        let context = try make()
        contexts.withLock { contexts in
            if contexts.count >= capacity { contexts.removeAll() }
            contexts[key] = context
        }
        return context
    }
}
