import Logging
import Synchronization

/// Keeps every log line of an in-process server, so a test can assert the one line a refused
/// connection or request leaves.
public final class LogRecord: Sendable {
    private let lines = Mutex<[(Logger.Level, String)]>([])

    public init() {}

    public var all: [(level: Logger.Level, message: String)] { lines.withLock { $0.map { (level: $0.0, message: $0.1) } } }

    public func messages(containing text: String) -> [String] { all.map(\.message).filter { $0.contains(text) } }

    public func logger(label: String) -> Logger {
        Logger(label: label) { [self] _ in Handler(record: self) }
    }

    fileprivate func append(_ level: Logger.Level, _ message: String) { lines.withLock { $0.append((level, message)) } }

    struct Handler: LogHandler {
        let record: LogRecord
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { record.append(event.level, event.message.description) }
    }
}
