import Foundation
import PortMatrixTestSupport
import Synchronization
import Testing

/// The agent started as root, written as the attacks on it (issue 12, "Privileges"): nothing is
/// answered before root is dropped, root never follows a link the run user planted in its
/// state, and a missing default user is never silently root. Real check_nrpe, loopback only.
@Suite(.serialized, .enabled(if: geteuid() == 0 && CheckNRPE.isInstalled))
struct PrivilegeTests {
    /// A small site: NRPE on `nrpePort` with `check_id` (the uid the command runs as), SNMP in
    /// master mode on `snmpPort` with its state in `snmpState`.
    static func site(nrpePort: Int, snmpPort: Int, snmpState: String, nrpe: String = "tls: { mode: off }",
                     agent: String = "agent: { user: nobody }") -> String {
        """
        roles: [appliance]
        choices: { ntp: internal }
        hosts: { vendor-servers: [127.0.0.1], name-server-internal: ["127.0.0.1:1"] }
        paths: { licence-ssh: { endpoints: ["tcp/1:tcp"] } }
        schedule: { interval: 1s, timeout: 500ms, jitter: 0s }
        nrpe: { listen: ["127.0.0.1:\(nrpePort)"], \(nrpe), commands: { check_id: "/usr/bin/id -u" } }
        snmp:
          mode: master
          listen: ["udp:127.0.0.1:\(snmpPort)"]
          communities: [{ name: public, source: 127.0.0.1 }]
          users: [{ name: ops, auth: SHA-256, auth_pass: "ops-secret-1", priv: AES, priv_pass: "ops-secret-2" }]
          state_directory: \(snmpState)
        \(agent)
        """
    }

    /// A root-owned file (mode 0600) outside the state, that links planted in the state point at.
    struct Secret {
        static let content = "pm-root-secret-line shadow-like content\n"
        let url: URL
        init(in dir: URL) throws {
            url = dir.appendingPathComponent("root-secret")
            try Self.content.write(to: url, atomically: false, encoding: .utf8)
            chmod(url.path, 0o600)
        }
        /// Content, owner and mode as they were created.
        var isUntouched: Bool {
            var info = stat()
            guard lstat(url.path, &info) == 0 else { return false }
            return info.st_uid == 0 && info.st_gid == 0 && info.st_mode & 0o7777 == 0o600
                && CLIRunner.text(url) == Self.content
        }
        var describe: String {
            var info = stat()
            _ = lstat(url.path, &info)
            return "uid \(info.st_uid) gid \(info.st_gid) mode \(String(info.st_mode & 0o7777, radix: 8)) content \(CLIRunner.text(url).debugDescription)"
        }
    }

    /// Files below `directory` (not following links) whose content holds the secret.
    static func leaks(below directory: URL) -> [String] {
        guard let entries = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        return entries.compactMap { $0 as? String }.filter { name in
            let path = directory.appendingPathComponent(name).path
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_nlink == 1 else { return false }
            return CLIRunner.text(URL(fileURLWithPath: path)).contains("pm-root-secret-line")
        }
    }

    /// Item 1: check_nrpe already hammers the port when the agent starts; a request that lands
    /// between the bind and the drop of root must wait for the drop. Every answer is nobody's uid.
    @Test func requestsArrivingWhileTheAgentStartsAreAnsweredAsTheRunUser() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let nrpePort = try freePort(SOCK_STREAM), snmpPort = try freePort(SOCK_DGRAM)
        let config = dir.appendingPathComponent("portmatrix.yaml")
        try Self.site(nrpePort: nrpePort, snmpPort: snmpPort, snmpState: dir.appendingPathComponent("snmp").path)
            .write(to: config, atomically: true, encoding: .utf8)

        let answers = Mutex<[CLIRunner.Result]>([])
        let stop = Mutex(false)
        let hammers = (0..<3).map { _ in
            Thread {
                while !stop.withLock({ $0 }) {
                    guard let answer = try? CheckNRPE.run(nrpePort, ["-c", "check_id"]) else { continue }
                    answers.withLock { $0.append(answer) }
                }
            }
        }
        hammers.forEach { $0.start() }
        defer {
            stop.withLock { $0 = true }
            while hammers.contains(where: { !$0.isFinished }) { usleep(10_000) }
        }
        // The hammers run before the agent exists: the first attempts are refused.
        #expect(eventually(timeout: 20) { answers.withLock { $0.count } >= 3 })

        let log = dir.appendingPathComponent("agent.log")
        let agent = try CLIRunner.spawn(CLIRunner.executable.path, ["agent", "--config", config.path], in: dir, output: log)
        defer { agent.terminate(signal: SIGKILL) }
        let answered = eventually(timeout: 30, every: 0.1) {
            answers.withLock { $0.filter { $0.status == 0 }.count } >= 12
        }
        stop.withLock { $0 = true }
        while hammers.contains(where: { !$0.isFinished }) { usleep(10_000) }
        kill(agent.pid, SIGTERM)
        #expect(agent.wait(timeout: 20) == 0)
        #expect(answered, "log: \(CLIRunner.text(log))")

        let heard = answers.withLock { $0 }
        let served = heard.filter { $0.status == 0 }
        #expect(!served.isEmpty)
        for answer in served {
            #expect(answer.stdout == "65534\n", "answered as another uid than nobody's: \(answer.stdout.debugDescription)")
        }
        // Before the bind check_nrpe is refused; nothing else may go wrong.
        for answer in heard where answer.status != 0 {
            #expect((answer.stdout + answer.stderr).contains("Connection refused"), "\(answer.status) \(answer.stdout) \(answer.stderr)")
        }
    }

    /// `agent --config` started as root: the exit status (the agent is killed if it is still
    /// running after `timeout`, which a refused start never is) and its output.
    static func start(_ config: URL, in dir: URL, timeout: TimeInterval = 15) throws -> (status: Int32, output: String) {
        let log = dir.appendingPathComponent("agent-\(UUID().uuidString).log")
        let agent = try CLIRunner.spawn(CLIRunner.executable.path, ["agent", "--config", config.path], in: dir, output: log)
        let status = agent.wait(timeout: timeout)
        return (status, CLIRunner.text(log))
    }

    /// A state directory as an earlier start left it: the run user's, mode 0700.
    static func makeStateDirectory(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        chmod(url.path, 0o700)
        chown(url.path, 65534, 65534)
    }

    /// Item 2, NRPE: the account plants a symbolic and a hard link to a root-owned file in the
    /// state directory of the generated TLS key. The old start handed the whole tree over with
    /// lchown, which changes the owner of a hard link's target.
    @Test func linksPlantedInTheNRPEStateAreNeverFollowedAsRoot() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let secret = try Secret(in: dir)
        let state = dir.appendingPathComponent("nrpe-state")
        try Self.makeStateDirectory(state)
        try FileManager.default.createSymbolicLink(atPath: state.appendingPathComponent("planted-symlink").path, withDestinationPath: secret.url.path)
        try FileManager.default.linkItem(atPath: secret.url.path, toPath: state.appendingPathComponent("planted-hardlink").path)
        let nrpePort = try freePort(SOCK_STREAM), snmpPort = try freePort(SOCK_DGRAM)
        let config = dir.appendingPathComponent("portmatrix.yaml")
        try Self.site(nrpePort: nrpePort, snmpPort: snmpPort, snmpState: dir.appendingPathComponent("snmp").path,
                      nrpe: "tls: { mode: on }, state_directory: \(state.path)")
            .write(to: config, atomically: true, encoding: .utf8)
        let log = dir.appendingPathComponent("agent.log")
        let agent = try CLIRunner.spawn(CLIRunner.executable.path, ["agent", "--config", config.path], in: dir, output: log)
        defer { agent.terminate(signal: SIGKILL) }
        var answer = CLIRunner.Result(status: -1, stdout: "", stderr: "")
        let up = eventually(timeout: 30, every: 0.2) {
            answer = (try? CheckNRPE.run(nrpePort, tls: true, ["-c", "check_id"])) ?? answer
            return answer.status == 0
        }
        #expect(up, "\(answer.stdout) \(answer.stderr)\n\(CLIRunner.text(log))")
        #expect(answer.stdout == "65534\n")
        kill(agent.pid, SIGTERM)
        #expect(agent.wait(timeout: 20) == 0)

        #expect(secret.isUntouched, "the planted links' target changed: \(secret.describe)")
        var key = stat()
        #expect(lstat(state.appendingPathComponent("nrpe-key.pem").path, &key) == 0 && key.st_uid == 65534 && key.st_mode & 0o777 == 0o600,
                "the key is generated by the run user")
        #expect(Self.leaks(below: state).isEmpty)
    }

    /// Item 2, SNMP: the account replaces net-snmp's persistent file with a symbolic or a hard
    /// link to a root-owned file. The old start read it as root, wrote its lines into the new
    /// persistent file and handed that to the account. Now the start is refused, naming the file.
    @Test(arguments: ["symbolic", "hard"])
    func linksPlantedInTheSNMPStateAreNeverFollowedAsRoot(link: String) throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let secret = try Secret(in: dir)
        let state = dir.appendingPathComponent("snmp")
        let persist = state.appendingPathComponent("persist")
        try Self.makeStateDirectory(state)
        try Self.makeStateDirectory(persist)
        let planted = persist.appendingPathComponent("portmatrix-snmp.conf").path
        if link == "symbolic" {
            try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: secret.url.path)
        } else {
            try FileManager.default.linkItem(atPath: secret.url.path, toPath: planted)
        }
        let config = dir.appendingPathComponent("portmatrix.yaml")
        try Self.site(nrpePort: try freePort(SOCK_STREAM), snmpPort: try freePort(SOCK_DGRAM), snmpState: state.path)
            .write(to: config, atomically: true, encoding: .utf8)
        let (status, output) = try Self.start(config, in: dir)
        #expect(status == 2, "\(output)")
        #expect(output.contains("\(planted) \(link == "symbolic" ? "is a symbolic link" : "has 2 hard links"): refusing to read it"), "\(output)")
        #expect(!output.contains("running as nobody"), "\(output)")
        #expect(secret.isUntouched, "\(secret.describe)")
        #expect(Self.leaks(below: state).isEmpty, "the secret was copied into the state: \(Self.leaks(below: state))")
    }

    /// Item 2: a state directory that is a link, someone else's, or writable by others is
    /// refused before anything opens (exit 2); the old start used it and handed it over.
    @Test func aStateDirectoryTheRunUserCannotOwnAloneIsRefused() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rootOwned = dir.appendingPathComponent("root-owned")
        try FileManager.default.createDirectory(at: rootOwned, withIntermediateDirectories: true)
        let cases: [(name: String, make: (URL) throws -> Void, message: String)] = [
            ("writable", { url in try Self.makeStateDirectory(url); chmod(url.path, 0o777) }, "has mode 777: group or others may write to it"),
            ("stranger", { url in try Self.makeStateDirectory(url); chown(url.path, 12345, 12345) }, "belongs to uid 12345, not to nobody (uid 65534) or root"),
            ("link", { url in try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: rootOwned.path) }, "is a symbolic link or not a directory"),
        ]
        for item in cases {
            let state = dir.appendingPathComponent(item.name)
            try item.make(state)
            let config = dir.appendingPathComponent("\(item.name).yaml")
            try Self.site(nrpePort: try freePort(SOCK_STREAM), snmpPort: try freePort(SOCK_DGRAM), snmpState: state.path)
                .write(to: config, atomically: true, encoding: .utf8)
            let (status, output) = try Self.start(config, in: dir)
            #expect(status == 2, "\(item.name): \(output)")
            #expect(output.contains("state directory \(state.path) \(item.message)"), "\(item.name): \(output)")
            #expect(!output.contains("NRPE: listening"), "\(item.name): nothing may listen after a refused start: \(output)")
        }
        var info = stat()
        #expect(stat(rootOwned.path, &info) == 0 && info.st_uid == 0, "the link's target stays root's")
    }

    /// Item 3: without `agent.user`, a start as root needs the default account; its absence
    /// is refused with the way to create it, and root is kept only when the file says `root`.
    @Test(.enabled(if: getpwnam("portmatrix") == nil))
    func aMissingDefaultUserIsRefusedUnlessRootIsExplicit() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let nrpePort = try freePort(SOCK_STREAM)
        let config = dir.appendingPathComponent("portmatrix.yaml")
        try Self.site(nrpePort: nrpePort, snmpPort: try freePort(SOCK_DGRAM), snmpState: dir.appendingPathComponent("snmp").path, agent: "")
            .write(to: config, atomically: true, encoding: .utf8)
        let (status, output) = try Self.start(config, in: dir)
        #expect(status == 2, "\(output)")
        #expect(output.contains("the default user 'portmatrix' (agent.user) does not exist: `make install` creates it (or: useradd --system --user-group portmatrix)"), "\(output)")
        #expect(!output.contains("NRPE: listening"), "\(output)")

        try Self.site(nrpePort: nrpePort, snmpPort: try freePort(SOCK_DGRAM), snmpState: dir.appendingPathComponent("snmp").path,
                      agent: "agent: { user: root }")
            .write(to: config, atomically: true, encoding: .utf8)
        let log = dir.appendingPathComponent("root.log")
        let agent = try CLIRunner.spawn(CLIRunner.executable.path, ["agent", "--config", config.path], in: dir, output: log)
        defer { agent.terminate(signal: SIGKILL) }
        var answer = CLIRunner.Result(status: -1, stdout: "", stderr: "")
        #expect(eventually(timeout: 30, every: 0.2) {
            answer = (try? CheckNRPE.run(nrpePort, ["-c", "check_id"])) ?? answer
            return answer.status == 0
        }, "\(CLIRunner.text(log))")
        #expect(answer.stdout == "0\n", "agent.user: root keeps root")
        kill(agent.pid, SIGTERM)
        #expect(agent.wait(timeout: 20) == 0)
    }
}
