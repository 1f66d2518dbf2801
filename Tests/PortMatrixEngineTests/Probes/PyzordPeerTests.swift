import Foundation
@testable import PortMatrixEngine
import PortMatrixModel
import Testing

enum Pyzord {
    /// pyzord and the gdbm module its default engine needs (without it pyzord dies at start).
    static var installed: Bool {
        let fm = FileManager.default
        guard fm.isExecutableFile(atPath: "/usr/bin/pyzord") else { return false }
        let pythons = (try? fm.contentsOfDirectory(atPath: "/usr/lib")) ?? []
        return pythons.filter { $0.hasPrefix("python3") }.contains { python in
            let dynload = "/usr/lib/\(python)/lib-dynload"
            return ((try? fm.contentsOfDirectory(atPath: dynload)) ?? []).contains { $0.hasPrefix("_gdbm") }
        }
    }
}

/// The pyzor probe against the real `pyzord` (Debian packages pyzor and python3-gdbm), which
/// `peers.sh` does not run: started here on a free loopback port and stopped afterwards.
@Suite(.enabled(if: Pyzord.installed, "pyzord not installed (apt-get install pyzor python3-gdbm)"))
struct PyzordPeerTests {
    @Test func pingIsAnsweredByPyzord() async throws {
        let port = try await UDPFixture.closedPort()
        let home = NSTemporaryDirectory() + "portmatrix-pyzord-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pyzord")
        process.arguments = ["-a", "127.0.0.1", "-p", String(port), "--homedir", home]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            // pyzord ignores SIGTERM; waiting for it would block a cooperative thread forever.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? FileManager.default.removeItem(atPath: home)
        }
        // pyzord needs a moment to bind; the probe itself must not be lenient, so retry it.
        var outcome = await Probing.run("pyzor", port: port, transport: .udp, seconds: 1)
        for _ in 0..<10 where outcome.status != .ok && process.isRunning {
            try await Task.sleep(for: .milliseconds(500))
            outcome = await Probing.run("pyzor", port: port, transport: .udp, seconds: 1)
        }
        #expect(outcome.status == .ok, "\(outcome.message)")
        #expect(outcome.observations.banner == "Code: 200 OK")
    }
}
