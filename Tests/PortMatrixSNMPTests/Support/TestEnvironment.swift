import Foundation
import PortMatrixTestSupport

/// Where the package, the shared folder, the tools and the test agent are.
enum TestEnvironment {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// CI clones the repository beside `shared/` (`../shared`); a worktree below `wt/` finds
    /// it one level further up. `PORTMATRIX_SHARED_DIR` overrides both.
    static let sharedDirectory: URL = {
        if let override = ProcessInfo.processInfo.environment["PORTMATRIX_SHARED_DIR"] {
            return URL(fileURLWithPath: override)
        }
        let parent = packageRoot.deletingLastPathComponent()
        let candidates = [parent, parent.deletingLastPathComponent()].map { $0.appendingPathComponent("shared") }
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("mibs/ietf").path) }
            ?? candidates[0]
    }()

    static let mibFile = packageRoot.appendingPathComponent("mibs/PORTMATRIX-MIB.txt")

    /// -M for the client tools: IETF base modules, net-snmp's own, then ours.
    static let mibDirectories = [
        sharedDirectory.appendingPathComponent("mibs/ietf").path, "/usr/share/snmp/mibs",
        packageRoot.appendingPathComponent("mibs").path,
    ].joined(separator: ":")

    /// The SNMPTestAgent executable built next to the test bundle.
    static var testAgent: URL {
        get throws {
            let candidates = [
                Bundle.main.executableURL?.deletingLastPathComponent(),
                Bundle.main.bundleURL.deletingLastPathComponent(),
                packageRoot.appendingPathComponent(".build/debug"),
            ].compactMap { $0 }
            for directory in candidates {
                let binary = directory.appendingPathComponent("SNMPTestAgent")
                if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
            }
            throw TestFailure("SNMPTestAgent not built (looked in \(candidates.map(\.path)))")
        }
    }

    /// A fresh temporary directory, removed by the caller's `defer`.
    static func temporaryDirectory() throws -> URL {
        // Short: AgentX socket paths must fit sun_path.
        let url = URL(fileURLWithPath: "/tmp/pmsnmp-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

