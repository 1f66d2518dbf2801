import Logging
import NIOConcurrencyHelpers

/// Keeps every log message so tests can assert the one line a refused connection leaves.
struct RecordingLogHandler: LogHandler {
    final class Store: Sendable {
        private let lines = NIOLockedValueBox<[(Logger.Level, String)]>([])
        func append(_ level: Logger.Level, _ message: String) { lines.withLockedValue { $0.append((level, message)) } }
        var all: [(level: Logger.Level, message: String)] { lines.withLockedValue { $0.map { (level: $0.0, message: $0.1) } } }
        func messages(containing text: String) -> [String] { all.map(\.message).filter { $0.contains(text) } }
        var refusals: [String] { messages(containing: "without reply") }
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        store.append(event.level, event.message.description)
    }

    static func make() -> (Logger, Store) {
        let store = Store()
        return (Logger(label: "nrpe-test") { _ in RecordingLogHandler(store: store) }, store)
    }
}
