import PortMatrixSNMP

enum Fixtures {
    static let root = "1.3.6.1.4.1.8072.9999.9999.5666"

    /// Three paths with every kind of column, including absent cert days / NTP offsets.
    static let small = MIBSnapshot(
        overallStatus: .warning, lastCycleTime: 1_764_400_000, lastCycleDurationMilliseconds: 1234,
        agentVersion: "0.1.0-test",
        paths: [
            MIBPathRow(
                id: "dns-internal", function: "Name resolution", source: "appliance", target: "name-server-internal",
                endpoints: "tcp/53 udp/53", applicability: "choice:dns=internal", status: .ok, message: "all 2 checks ok",
                lastChange: 1_764_300_000,
                checks: [
                    MIBCheckRow(target: "10.0.0.53", transport: .tcp, port: 53, status: .ok, latencyMicroseconds: 1500, lastSuccess: 1_764_400_000),
                    MIBCheckRow(target: "10.0.0.53", transport: .udp, port: 53, status: .ok, latencyMicroseconds: 900, lastSuccess: 1_764_400_000),
                ]),
            MIBPathRow(
                id: "gina-https", function: "GINA", source: "internet", target: "appliance", endpoints: "tcp/443",
                applicability: "required", status: .warning, message: "certificate expires in 20 days",
                checks: [
                    MIBCheckRow(
                        target: "0.0.0.0", transport: .tcp, port: 443, status: .warning, reason: .certExpiring,
                        latencyMicroseconds: 20000, certificateDays: 20, consecutiveFailures: 3),
                ]),
            MIBPathRow(
                id: "ntp-internet", function: "Time synchronisation", source: "appliance", target: "internet",
                endpoints: "udp/123", applicability: "choice:ntp=internet", status: .critical, message: "",
                checks: [
                    MIBCheckRow(
                        target: "pool.ntp.org", transport: .udp, port: 123, status: .critical, reason: .connectTimeout,
                        latencyMicroseconds: 5_000_000, ntpOffsetMicroseconds: -2500, consecutiveFailures: 7,
                        lastSuccess: 1_764_000_000, trace: "dropped after hop 3 (192.0.2.1)"),
                ]),
            MIBPathRow(
                id: "admin-restapi", function: "Administration access", source: "admin-pc", target: "appliance",
                endpoints: "tcp/8445", applicability: "feature:restapi", status: .skipped, message: "feature restapi not enabled"),
        ])

    /// `snapshot` after the engine found path `index` (0-based) changed to `status`: the row
    /// carries the previous status and the snapshot lists the change, as the executable maps them.
    static func changing(_ snapshot: MIBSnapshot, path index: Int, to status: MIBStatus, message: String) -> MIBSnapshot {
        var changed = snapshot
        changed.paths[index].previousStatus = snapshot.paths[index].status
        changed.paths[index].status = status
        changed.paths[index].message = message
        changed.changedPaths = [index + 1]
        return changed
    }

    /// The default-sized snapshot: `paths` paths of `checks` checks each.
    static func generated(paths: Int = 40, checks: Int = 3) -> MIBSnapshot {
        let statuses: [MIBStatus] = [.ok, .ok, .warning, .critical, .unknown, .skipped]
        let reasons = MIBFailureReason.allCases
        return MIBSnapshot(
            overallStatus: .critical, lastCycleTime: 1_764_400_000, lastCycleDurationMilliseconds: 812, agentVersion: "0.1.0",
            paths: (1...paths).map { p in
                MIBPathRow(
                    id: "path-\(p)", function: "Function \(p)", source: "appliance", target: "role-\(p % 7)",
                    endpoints: "tcp/\(1000 + p) udp/\(1000 + p)", applicability: p % 2 == 0 ? "required" : "feature:f\(p)",
                    status: statuses[p % statuses.count], message: "message for path \(p)", lastChange: UInt32(1_764_000_000 + p),
                    checks: (0..<checks).map { $0 + 1 }.map { c in
                        MIBCheckRow(
                            target: "host-\(p)-\(c).example", transport: c % 2 == 0 ? .udp : .tcp, port: UInt16(1000 + p),
                            status: statuses[(p + c) % statuses.count], reason: reasons[(p * c) % reasons.count],
                            latencyMicroseconds: UInt32(p * 1000 + c), certificateDays: c == 1 ? Int32(p - 20) : nil,
                            ntpOffsetMicroseconds: c == 2 ? Int32(-p * 10) : nil, consecutiveFailures: UInt32(c),
                            lastSuccess: UInt32(1_764_300_000 + c),
                            trace: c == 3 ? "rejected at hop \(p % 5 + 1) by 192.0.2.\(p)" : nil)
                    })
            })
    }

    /// What `snmpwalk -On -Oq` prints for a snapshot: an oracle written from the MIB, independent
    /// of the agent's own view builder.
    static func expectedWalk(_ snapshot: MIBSnapshot, root: String = root) -> [String: String] {
        var values: [String: String] = [:]
        let quoted = { (text: String) in "\"\(text)\"" }
        let summary: [String] = [
            "\(snapshot.overallStatus.rawValue)", "\(snapshot.paths.count)",
            "\(snapshot.paths.filter { $0.status == .ok }.count)", "\(snapshot.paths.filter { $0.status == .warning }.count)",
            "\(snapshot.paths.filter { $0.status == .critical }.count)", "\(snapshot.paths.filter { $0.status == .unknown }.count)",
            "\(snapshot.lastCycleTime)", "\(snapshot.lastCycleDurationMilliseconds)", quoted(snapshot.agentVersion),
        ]
        for (offset, value) in summary.enumerated() {
            values[".\(root).1.1.\(offset + 1).0"] = value
        }
        for (p, path) in snapshot.paths.enumerated() {
            let columns = [
                quoted(path.id), quoted(path.function), quoted(path.source), quoted(path.target), quoted(path.endpoints),
                quoted(path.applicability), "\(path.status.rawValue)", quoted(path.message), "\(path.lastChange)",
                "\(path.previousStatus.rawValue)",
            ]
            for (offset, value) in columns.enumerated() {
                values[".\(root).1.2.1.\(offset + 2).\(p + 1)"] = value
            }
            for (c, check) in path.checks.enumerated() {
                let cells: [String?] = [
                    quoted(check.target), "\(check.transport.rawValue)", "\(check.port)", "\(check.status.rawValue)",
                    "\(check.reason.rawValue)", "\(check.latencyMicroseconds)", check.certificateDays.map { "\($0)" },
                    check.ntpOffsetMicroseconds.map { "\($0)" }, "\(check.consecutiveFailures)", "\(check.lastSuccess)",
                    quoted(check.trace ?? ""),
                ]
                for (offset, value) in cells.enumerated() {
                    if let value { values[".\(root).1.3.1.\(offset + 2).\(p + 1).\(c + 1)"] = value }
                }
            }
        }
        return values
    }
}
