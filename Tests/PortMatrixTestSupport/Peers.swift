import Foundation

/// The real daemons of `Tests/Peers/peers.sh` (dnsmasq, chrony, sshd, postfix, slapd, dovecot,
/// nginx, openssl s_server, rsync, tinyproxy) on loopback ports, as described by `peers.env`.
///
/// CI starts them once and exports `PORTMATRIX_PEERS_DIR`. Without it the first test that
/// needs them runs `peers.sh start` into a temporary directory and stops them when the test
/// process exits. Without the script (or when it fails) peer tests are skipped with the reason.
public struct Peers: Sendable {
    public let values: [String: String]

    public func port(_ name: String) -> Int? { values[name].flatMap(Int.init) }
    public var caFile: String? { values["CA_FILE"] }

    /// The peers, or why there are none; located once per test process.
    public static let located: Result<Peers, Unavailable> = locate()
    public static var shared: Peers? { try? located.get() }

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    private static func locate() -> Result<Peers, Unavailable> {
        let environment = ProcessInfo.processInfo.environment
        if let dir = environment["PORTMATRIX_PEERS_DIR"], !dir.isEmpty {
            guard let peers = read(dir) else {
                return .failure(Unavailable(description: "PORTMATRIX_PEERS_DIR=\(dir) has no readable peers.env"))
            }
            return .success(peers)
        }
        let script = packageRoot.appendingPathComponent("Tests/Peers/peers.sh").path
        guard FileManager.default.isExecutableFile(atPath: script) else {
            return .failure(Unavailable(description: "no Tests/Peers/peers.sh in this checkout and PORTMATRIX_PEERS_DIR is unset"))
        }
        let dir = NSTemporaryDirectory() + "portmatrix-peers-\(getpid())"
        guard run(script, "start", dir) == 0, let peers = read(dir) else {
            _ = run(script, "stop", dir)
            return .failure(Unavailable(description: "\(script) start \(dir) failed"))
        }
        startedScript = script
        startedDir = dir
        atexit {
            if let script = Peers.startedScript, let dir = Peers.startedDir { _ = Peers.run(script, "stop", dir) }
        }
        return .success(peers)
    }

    // Written once in `locate()`, which `static let` runs exactly once; read at exit.
    nonisolated(unsafe) private static var startedScript: String?
    nonisolated(unsafe) private static var startedDir: String?

    public static var packageRoot: URL {
        // .../Tests/PortMatrixTestSupport/Peers.swift -> package root
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    private static func read(_ dir: String) -> Peers? {
        guard let text = try? String(contentsOfFile: dir + "/peers.env", encoding: .utf8) else { return nil }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            var trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("export ") { trimmed.removeFirst(7) }
            guard !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { continue }
            var value = String(trimmed[trimmed.index(after: equals)...])
            if value.count >= 2, value.first == "\"" || value.first == "'", value.last == value.first {
                value = String(value.dropFirst().dropLast())
            }
            values[String(trimmed[..<equals])] = value
        }
        return Peers(values: values)
    }

    /// `bash SCRIPT VERB DIR`, blocking. system(3) rather than Foundation's Process, whose
    /// waitUntilExit did not return here once the script had left daemons running.
    @discardableResult
    static func run(_ script: String, _ verb: String, _ dir: String) -> Int32 {
        func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        // Output goes to DIR.log: the daemons must not inherit the test runner's pipes.
        let status = system("bash \(quoted(script)) \(verb) \(quoted(dir)) >>\(quoted(dir + ".log")) 2>&1 </dev/null")
        return status == -1 ? -1 : (status >> 8) & 0xFF
    }
}
