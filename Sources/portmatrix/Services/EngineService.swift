import Logging
import PortMatrixEngine
import ServiceLifecycle

/// The check engine's schedule as a lifecycle service; logs one line per path status change.
struct EngineService: Service {
    let engine: Engine
    let logger: Logger
    /// Every status change also goes here (SNMP notifications).
    let onChange: @Sendable ([PathStatusChange], Snapshot) -> Void

    func run() async throws {
        let logger = self.logger
        let onChange = self.onChange
        await withDiscardingTaskGroup { group in
            group.addTask {
                await cancelWhenGracefulShutdown {
                    await engine.run { changes, snapshot in
                        for change in changes {
                            logger.notice("path \(change.pathID): \(change.old.rawValue) -> \(change.new.rawValue): \(change.message)")
                        }
                        onChange(changes, snapshot)
                    }
                }
            }
            // Staleness shows even if a cycle hangs: rebuild the snapshot every few seconds.
            group.addTask {
                while !Task.isCancelled && !Task.isShuttingDownGracefully {
                    try? await Task.sleep(for: .seconds(5))
                    let changes = engine.republish()
                    for change in changes {
                        logger.notice("path \(change.pathID): \(change.old.rawValue) -> \(change.new.rawValue): \(change.message)")
                    }
                    if !changes.isEmpty { onChange(changes, engine.store.snapshot) }
                }
            }
        }
    }
}
