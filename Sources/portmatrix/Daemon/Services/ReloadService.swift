import ServiceLifecycle
import UnixSignals

/// SIGHUP reloads the configuration, one reload at a time.
struct ReloadService: Service {
    let runtime: AgentRuntime
    /// Made before the sockets open: from then on SIGHUP no longer terminates the process.
    let signals: UnixSignalsSequence

    func run() async throws {
        for await _ in signals.cancelOnGracefulShutdown() {
            await runtime.reload()
        }
    }
}
