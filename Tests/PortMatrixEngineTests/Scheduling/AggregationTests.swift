import Foundation
import Testing
@testable import PortMatrixEngine
import PortMatrixEngineTestSupport
import PortMatrixModel

struct AggregationTests {
    let probes: [any Probe] = ["ssh", "smtp", "pop3s", "imaps", "pop3", "imap", "tcp", "udp", "dns", "sntp"].map(EngineFixtures.byHost)

    @Test func ruleAllNeedsEveryCheckAndAnyNeedsOne() async throws {
        let plan = try EngineFixtures.plan("""
        features: [fetchmail, nrpe]
        hosts: { internet: [refused.test] , vendor-servers: [ok1.test, refused.test] }
        paths: { fetchmail: { targets: [refused.test, ok.test] } }
        """)
        let snapshot = await EngineFixtures.engine(plan, probes: probes).runCycle().snapshot
        let licence = try #require(snapshot.path("licence-ssh"))
        #expect(licence.status == .critical)
        #expect(licence.message == "1 of 2 checks failing: ssh tcp://refused.test:22: connection refused")
        let fetchmail = try #require(snapshot.path("fetchmail"))
        #expect(fetchmail.planned.path.rule == .any)
        #expect(fetchmail.status == .ok)
        #expect(fetchmail.message.hasPrefix("4 of 8 reachable"))
        #expect(snapshot.status == .critical)
        #expect(snapshot.path("mpki")?.status == .skipped)
    }

    @Test func missingTargetIsUnknownAndFindingsRaiseTheOverallStatus() async throws {
        let plan = try EngineFixtures.plan("features: [cluster]\nchoices: { mail_outbound: direct }\nhosts: { vendor-servers: [ok.test], cluster-peer: [ok2.test] }")
        let snapshot = await EngineFixtures.engine(plan, probes: probes).runCycle().snapshot
        #expect(snapshot.path("smtp-out-internet")?.status == .unknown)
        #expect(snapshot.path("smtp-out-internet")?.message.hasPrefix("no target configured for internet") == true)
        #expect(snapshot.path("cluster-ssh")?.status == .ok)
        #expect(snapshot.status == .critical, "NTP is mandatory in a cluster")
        #expect(snapshot.summary.contains("Time synchronisation is optional, but mandatory in a cluster"))
    }

    @Test func latencyThresholdsWarnAndGoCritical() async throws {
        let plan = try EngineFixtures.plan("""
        hosts: { vendor-servers: [slow.test] }
        paths: { licence-ssh: { thresholds: { latency: { warning: 1s, critical: 2s } } } }
        """)
        let snapshot = await EngineFixtures.engine(plan, probes: probes).runCycle(paths: ["licence-ssh"]).snapshot
        let check = try #require(snapshot.path("licence-ssh")?.checks.first)
        #expect(check.status == .critical)
        #expect(check.reason == .latency)
        #expect(check.message.contains("latency 2.5 s outside 2s"))
    }

    @Test func consecutiveFailuresAndLastSuccessAreTracked() async throws {
        let plan = try EngineFixtures.plan("hosts: { vendor-servers: [refused.test] }")
        let engine = EngineFixtures.engine(plan, probes: probes)
        _ = await engine.runCycle(paths: ["licence-ssh"])
        let second = await engine.runCycle(paths: ["licence-ssh"]).snapshot
        let check = try #require(second.path("licence-ssh")?.checks.first)
        #expect(check.consecutiveFailures == 2)
        #expect(check.lastSuccess == nil)
        #expect(second.health.cycles == 2)
    }

    @Test func statusChangesAreReported() async throws {
        let flip = FlipProbe()
        let plan = try EngineFixtures.plan("hosts: { vendor-servers: [a.test] }")
        let engine = EngineFixtures.engine(plan, probes: [flip])
        let first = await engine.runCycle(paths: ["licence-ssh"])
        #expect(first.changes.isEmpty)
        let second = await engine.runCycle(paths: ["licence-ssh"])
        #expect(second.changes.map(\.pathID) == ["licence-ssh"])
        #expect(second.changes.first?.old == .ok && second.changes.first?.new == .critical)
        #expect(second.changes.first?.pathIndex == 1)
    }

    @Test func aHungProbeCannotStallTheCycle() async throws {
        let plan = try EngineFixtures.plan("""
        hosts: { vendor-servers: [hang.test, ok.test] }
        schedule: { timeout: 1s, interval: 10s }
        """)
        let snapshot = await EngineFixtures.engine(plan, probes: probes).runCycle(paths: ["licence-ssh"]).snapshot
        let checks = try #require(snapshot.path("licence-ssh")?.checks)
        #expect(checks.count == 2)
        #expect(checks.first?.reason == .readTimeout)
        #expect(checks.first?.message.contains("overran") == true)
        #expect(checks.last?.status == .ok)
    }

    @Test func discouragedOpenPortWarnsAndClosedIsGood() async throws {
        let open = try EngineFixtures.plan("roles: [admin-pc]\nhosts: { appliance: [ok.test] }")
        let http = ScriptedProbe(name: "http") { request in
            request.host.hasPrefix("ok") ? .success("HTTP/1.1 200 OK") : .failure(.refused, "connection refused")
        }
        let warned = await EngineFixtures.engine(open, probes: [http]).runCycle(paths: ["admin-http"]).snapshot
        #expect(warned.path("admin-http")?.status == .warning)
        #expect(warned.path("admin-http")?.checks.first?.reason == .discouraged)
        let closed = try EngineFixtures.plan("roles: [admin-pc]\nhosts: { appliance: [closed.test] }")
        let good = await EngineFixtures.engine(closed, probes: [http]).runCycle(paths: ["admin-http"]).snapshot
        #expect(good.path("admin-http")?.status == .ok)
        #expect(good.path("admin-http")?.message.contains("closed, as recommended") == true)
        let allowed = try EngineFixtures.plan("roles: [admin-pc]\nhosts: { appliance: [ok.test] }\npaths: { admin-http: { allowed: true } }")
        let fine = await EngineFixtures.engine(allowed, probes: [http]).runCycle(paths: ["admin-http"]).snapshot
        #expect(fine.path("admin-http")?.status == .ok)
    }

    @Test func proxyFallbackOnlyWhenDirectIsBlocked() async throws {
        let probe = ScriptedProbe(name: "ssh") { request in
            request.proxy == nil ? .failure(.connectTimeout, "connect timed out") : .success("SSH-2.0-test via proxy")
        }
        let plan = try EngineFixtures.plan("""
        hosts: { vendor-servers: [update.test] }
        proxy: { url: "http://127.0.0.1:3128" }
        """)
        let snapshot = await EngineFixtures.engine(plan, probes: [probe]).runCycle(paths: ["licence-ssh"]).snapshot
        let check = try #require(snapshot.path("licence-ssh")?.checks.first)
        #expect(check.status == .ok)
        #expect(check.observations.route == "proxy")
        #expect(check.message.hasPrefix("direct: connect timed out; via proxy: SSH-2.0-test"))
        let never = try EngineFixtures.plan("""
        hosts: { vendor-servers: [update.test] }
        proxy: { url: "http://127.0.0.1:3128" }
        paths: { licence-ssh: { via_proxy: never } }
        """)
        let direct = await EngineFixtures.engine(never, probes: [probe]).runCycle(paths: ["licence-ssh"]).snapshot
        #expect(direct.path("licence-ssh")?.status == .critical)
    }

    @Test func unknownProbeNameIsUnknownNotACrash() async throws {
        let plan = try EngineFixtures.plan("hosts: { vendor-servers: [ok.test] }")
        let snapshot = await EngineFixtures.engine(plan, probes: []).runCycle(paths: ["licence-ssh"]).snapshot
        #expect(snapshot.path("licence-ssh")?.status == .unknown)
        #expect(snapshot.path("licence-ssh")?.checks.first?.message.hasPrefix("no probe named 'ssh'") == true)
    }
}

/// OK on the first run, refused afterwards.
final class FlipProbe: Probe, Sendable {
    let name = "ssh"
    let connectsPerAddress = false
    private let runs = Mutex(0)

    func run(_ request: ProbeRequest, context: ProbeContext) async -> ProbeOutcome {
        let count = runs.withLock { value -> Int in
            value += 1
            return value
        }
        return count == 1 ? .success("up") : .failure(.refused, "down")
    }
}

import Synchronization

struct SchedulingOrderTests {
    /// Records the order in which hosts are probed; `silent*` hosts time out.
    final class OrderProbe: Probe, Sendable {
        let name = "ssh"
        let connectsPerAddress = false
        let order = Mutex<[String]>([])

        func run(_ request: ProbeRequest, context: ProbeContext) async -> ProbeOutcome {
            order.withLock { $0.append(request.host) }
            return request.host.hasPrefix("silent") ? .failure(.readTimeout, "no banner") : .success("SSH-2.0-x")
        }
    }

    @Test func checksThatTimedOutStartFirstNextCycle() async throws {
        let probe = OrderProbe()
        let plan = try EngineFixtures.plan("""
        hosts: { vendor-servers: [a.test, b.test, silent.test] }
        schedule: { concurrency: 1 }
        """)
        let engine = EngineFixtures.engine(plan, probes: [probe])
        _ = await engine.runCycle(paths: ["licence-ssh"])
        #expect(probe.order.withLock { $0 } == ["a.test", "b.test", "silent.test"])
        probe.order.withLock { $0 = [] }
        _ = await engine.runCycle(paths: ["licence-ssh"])
        #expect(probe.order.withLock { $0 } == ["silent.test", "a.test", "b.test"])
    }
}
