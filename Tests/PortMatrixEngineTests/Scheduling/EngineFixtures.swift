import Foundation
import Logging
import NIOCore
import NIOPosix
@testable import PortMatrixEngine
import PortMatrixModel

/// Probes that answer from a table, to exercise scheduling and aggregation without a network.
/// Protocol behaviour is tested against real daemons elsewhere; these are the engine's own rules.
struct ScriptedProbe: Probe {
    let name: String
    let outcome: @Sendable (ProbeRequest) async -> ProbeOutcome
    /// Answers by host name, which never resolves: the engine must not pin an address.
    var connectsPerAddress: Bool { false }

    func run(_ request: ProbeRequest, context: ProbeContext) async -> ProbeOutcome { await outcome(request) }
}

enum EngineFixtures {
    static let group = MultiThreadedEventLoopGroup.singleton

    static func plan(_ yaml: String) throws -> Plan {
        let (config, profile) = try ConfigurationLoader.parse(yaml, file: "test.yaml")
        return Planner(profile: profile, configuration: config).plan()
    }

    static func engine(_ plan: Plan, probes: [any Probe], listeners: (any ListenerLookup)? = nil) -> Engine {
        let runner = CheckRunner(registry: ProbeRegistry(probes), context: ProbeContext(eventLoopGroup: group, logger: Logger(label: "test")))
        return Engine(plan: plan, runner: runner, logger: Logger(label: "test"), listenerSource: { _ in listeners })
    }

    /// Outcome by target host: `ok`, `refused`, `slow`, `hang` (ignores cancellation).
    static func byHost(_ name: String) -> ScriptedProbe {
        ScriptedProbe(name: name) { request in
            switch request.host {
            case let host where host.hasPrefix("ok"):
                return .success("fine", phases: PhaseTimings(total: 0.002))
            case let host where host.hasPrefix("slow"):
                return .success("slow", phases: PhaseTimings(total: 2.5))
            case let host where host.hasPrefix("hang"):
                // A broken probe that never honours its deadline nor cancellation.
                await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }
                return .success("never")
            default:
                return .failure(.refused, "connection refused")
            }
        }
    }
}
