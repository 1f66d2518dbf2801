import Foundation
import Logging
import NIOCore
import NIOPosix
import PortMatrixEngine
import PortMatrixModel

/// Probes that answer from a table, to exercise scheduling and aggregation without a network.
/// Protocol behaviour is tested against real daemons elsewhere; these are the engine's own rules.
public struct ScriptedProbe: Probe {
    public let name: String
    public let outcome: @Sendable (ProbeRequest) async -> ProbeOutcome
    /// Answers by host name, which never resolves: the engine must not pin an address.
    public var connectsPerAddress: Bool { false }

    public init(name: String, outcome: @escaping @Sendable (ProbeRequest) async -> ProbeOutcome) {
        self.name = name
        self.outcome = outcome
    }

    public func run(_ request: ProbeRequest, context: ProbeContext) async -> ProbeOutcome { await outcome(request) }
}

public enum EngineFixtures {
    public static let group = MultiThreadedEventLoopGroup.singleton

    public static func plan(_ yaml: String) throws -> Plan {
        let (config, profile) = try ConfigurationLoader.parse(yaml, file: "test.yaml")
        return Planner(profile: profile, configuration: config).plan()
    }

    public static func engine(_ plan: Plan, probes: [any Probe], listeners: (any ListenerLookup)? = nil,
                              tracer: EvidenceTracer? = nil) -> Engine {
        let runner = CheckRunner(registry: ProbeRegistry(probes), context: ProbeContext(eventLoopGroup: group, logger: Logger(label: "test")))
        return Engine(plan: plan, runner: runner, logger: Logger(label: "test"), tracer: tracer, listenerSource: { _ in listeners })
    }

    /// Outcome by target host: `ok`, `refused`, `slow`, `hang` (ignores cancellation).
    public static func byHost(_ name: String) -> ScriptedProbe {
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
