import Logging
import NIOCore
import PortMatrixEngine
import PortMatrixModel

/// Builds the engine the same way for `check` and `agent`.
enum Wiring {
    /// `trace`: the agent's `trace:` section, for its evidence traces of failing checks.
    static func engine(plan: Plan, group: any EventLoopGroup, logger: Logger, trace: TraceSettings? = nil) -> Engine {
        let runner = CheckRunner(registry: .standard, context: ProbeContext(eventLoopGroup: group, logger: logger))
        return Engine(plan: plan, runner: runner, logger: logger,
                      tracer: trace.map { EvidenceTracer(settings: $0, group: group) })
    }
}
