import Logging
import NIOCore
import PortMatrixEngine
import PortMatrixModel

/// Builds the engine the same way for `check` and `agent`.
enum Wiring {
    static func engine(plan: Plan, group: any EventLoopGroup, logger: Logger) -> Engine {
        let runner = CheckRunner(registry: .standard, context: ProbeContext(eventLoopGroup: group, logger: logger))
        return Engine(plan: plan, runner: runner, logger: logger)
    }
}
