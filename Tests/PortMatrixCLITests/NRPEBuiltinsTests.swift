import Foundation
import Logging
import PortMatrixEngine
import PortMatrixEngineTestSupport
import PortMatrixModel
import PortMatrixNRPE
import PortMatrixReport
import PortMatrixSNMP
import PortMatrixTestSupport
import Testing
@testable import portmatrix

/// The NRPE built-ins through Debian's real check_nrpe: state and text equal what
/// `portmatrix check --format nagios` renders for the same snapshot.
@Suite(.serialized)
struct NRPEBuiltinsTests {
    /// An engine whose checks answer from a script, so the snapshot is the same for both sides.
    static func engine() async throws -> Engine {
        let engine = EngineFixtures.engine(try EngineFixtures.plan("""
        hosts: { vendor-servers: [up.test, down.test] }
        choices: { ntp: internal }
        """), probes: [StubProbe()])
        _ = await engine.runCycle()
        return engine
    }

    static func query(_ port: Int, _ arguments: [String]) async throws -> (Int32, String) {
        let result = try await CLIRunner.toolAsync(CheckNRPE.path, CheckNRPE.arguments(port, arguments))
        var text = result.stdout
        if text.hasSuffix("\n") { text.removeLast() }
        return (result.status, text)
    }

    @Test(.enabled(if: CheckNRPE.isInstalled))
    func builtinsMatchTheCheckCommandsRendering() async throws {
        let engine = try await Self.engine()
        var configuration = NRPEConfiguration()
        configuration.listen = ["127.0.0.1:0"]
        configuration.tlsMode = .off
        let server = try NRPEServer(configuration: configuration,
                                    builtins: EngineNRPECommands(store: engine.store, links: { [("snmp", .ok, "connected")] }),
                                    logger: Logger(label: "t"))
        let port = try #require(try await server.start().first?.port)
        try await runAsService(server) {
            let snapshot = engine.store.snapshot

            let overall = NagiosRenderer.compliance(snapshot)
            let (status, text) = try await Self.query(port, ["-c", "check_portmatrix"])
            #expect(status == overall.exitCode)
            #expect(text == overall.text)
            #expect(overall.status == .critical)

            let path = NagiosRenderer.path(snapshot, id: "licence-ssh")
            let (pathStatus, pathText) = try await Self.query(port, ["-c", "check_path", "-a", "licence-ssh"])
            #expect(pathStatus == path.exitCode)
            #expect(pathText == path.text)
            #expect(pathText.hasPrefix("PORTMATRIX CRITICAL - licence-ssh: 1 of 2 checks failing"))

            let (unknownStatus, unknownText) = try await Self.query(port, ["-c", "check_path", "-a", "no-such-path"])
            #expect(unknownStatus == 3)
            #expect(unknownText.hasPrefix("PORTMATRIX UNKNOWN - no path 'no-such-path'"))

            let (agentStatus, agentText) = try await Self.query(port, ["-c", "check_agent"])
            #expect(agentStatus == 0)
            #expect(agentText.contains("[OK] snmp: connected"))
        }
    }
}

/// `up.*` answers, everything else refuses.
struct StubProbe: Probe {
    let name = "ssh"
    let connectsPerAddress = false
    func run(_ request: ProbeRequest, context: ProbeContext) async -> ProbeOutcome {
        request.host.hasPrefix("up") ? .success("SSH-2.0-stub", phases: PhaseTimings(total: 0.001))
            : .failure(.refused, "connection refused", phases: PhaseTimings(total: 0.0005))
    }
}

/// The engine's reason vocabulary and PORTMATRIX-MIB's PmFailureReason name the same things.
struct ReasonVocabularyTests {
    @Test func everyEngineReasonHasItsOwnMIBValue() {
        for reason in FailureReason.allCases {
            let mib = MIBFailureReason(name: reason.rawValue)
            #expect(mib.name == reason.rawValue, "\(reason.rawValue) is served as \(mib.name)")
        }
    }
}
