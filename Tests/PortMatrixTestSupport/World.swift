import Foundation

/// The routed test world of `Tests/World/world.sh`: a gateway namespace where probes run, an
/// nftables firewall, and a far side with real daemons, IPv4 and IPv6, as described by its
/// `world.env`.
///
/// Built once per test process (postfix and friends take a second or two) under a prefix made
/// from the pid, so two test runs never share namespaces; `world.sh up` first removes leftovers
/// of the same prefix, and the world is torn down when the process exits, pass or fail.
/// Without root, `ip` or `nft` the world is unavailable and its tests are skipped with the reason.
public struct World: Sendable {
    public let values: [String: String]

    public subscript(_ name: String) -> String {
        get throws {
            guard let value = values[name] else { throw Unavailable(description: "world.env has no \(name)") }
            return value
        }
    }

    public var gatewayNamespace: String { values["GATEWAY_NS"] ?? "" }

    /// Built on first use by a world test, never by merely listing or filtering suites.
    public static let located: Result<World, Unavailable> = build()

    /// Whether this machine can build the world at all (cheap: for `.enabled(if:)`).
    public static var unavailableReason: String? {
        guard getuid() == 0 else { return "the routed world needs root" }
        for tool in ["/usr/sbin/ip", "/usr/sbin/nft", "/usr/lib/postfix/sbin/master", "/usr/sbin/dnsmasq"]
        where !FileManager.default.isExecutableFile(atPath: tool) {
            return "\(tool) is missing (scripts/install-deps test installs it)"
        }
        return nil
    }

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    static var script: String { Peers.packageRoot.appendingPathComponent("Tests/World/world.sh").path }
    public static let prefix = "pm\(getpid())"

    private static func build() -> Result<World, Unavailable> {
        if let reason = unavailableReason { return .failure(Unavailable(description: reason)) }
        removeWorldsOfDeadRuns()
        let log = NSTemporaryDirectory() + "portmatrix-world-\(prefix).log"
        atexit {
            World.down()
            unlink(NSTemporaryDirectory() + "portmatrix-world-\(World.prefix).log")
        }
        guard run("up", log: log) == 0,
              let text = try? String(contentsOfFile: "/tmp/\(prefix)-world/world.env", encoding: .utf8) else {
            down()
            let tail = (try? String(contentsOfFile: log, encoding: .utf8))?.suffix(600) ?? ""
            return .failure(Unavailable(description: "world.sh up \(prefix) failed: \(tail)"))
        }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return .success(World(values: values))
    }

    /// A test process killed before its exit handler ran leaves `pmPID-*` namespaces behind:
    /// those of pids that no longer run are removed before a new world is built.
    static func removeWorldsOfDeadRuns() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/run/netns") else { return }
        let prefixes = Set(names.compactMap { name -> String? in
            guard name.hasPrefix("pm"), let dash = name.firstIndex(of: "-"),
                  let pid = Int32(name[name.index(name.startIndex, offsetBy: 2)..<dash]) else { return nil }
            return kill(pid, 0) == 0 || errno == EPERM ? nil : String(name[..<dash])
        })
        for stale in prefixes {
            _ = system("bash '\(script)' down \(stale) >/dev/null 2>&1 </dev/null")
        }
    }

    static func down() {
        _ = run("down", log: "/dev/null")
    }

    @discardableResult
    static func run(_ verb: String, log: String) -> Int32 {
        // The far side's daemons must not inherit the test runner's pipes.
        let status = system("bash '\(script)' \(verb) \(prefix) >>'\(log)' 2>&1 </dev/null")
        return status == -1 ? -1 : (status >> 8) & 0xFF
    }

    /// Arguments that run `command` inside the gateway namespace (`ip netns exec GW ...`).
    public func inGateway(_ command: [String]) -> (String, [String]) {
        ("/usr/sbin/ip", ["netns", "exec", gatewayNamespace] + command)
    }

    /// The same in another namespace of the world (`FIREWALL_NS`, `FAR_NS`).
    public func inNamespace(_ variable: String, _ command: [String]) -> (String, [String]) {
        ("/usr/sbin/ip", ["netns", "exec", values[variable] ?? "", ] + command)
    }
}
