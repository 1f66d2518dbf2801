import Logging
import Synchronization

/// The one line a refused connection leaves is the operator's only clue why a client got
/// nothing; a port scanner or a misconfigured poller can make thousands a minute. Per reason
/// and window, the first `burst` refusals are logged, the rest only counted, and the count is
/// logged when that reason comes up again in a later window. Reasons are counted apart, so a
/// flood of one kind does not hide another.
public final class RefusalLog: Sendable {
    private struct Window {
        var start: ContinuousClock.Instant
        var logged = 0
        var suppressed = 0
    }

    /// Names the server in the summary lines (`NRPE`, `status endpoint`).
    public let server: String
    public let burst: Int
    public let window: Duration
    private let windows = Mutex<[String: Window]>([:])
    /// Reasons are a small vocabulary; beyond this many, the rest share one window.
    private static let maxReasons = 64

    public init(server: String, burst: Int = 100, window: Duration = .seconds(60)) {
        self.server = server
        self.burst = burst
        self.window = window
    }

    public func log(_ logger: Logger, level: Logger.Level = .warning, reason: String, at now: ContinuousClock.Instant = .now,
                    _ message: @autoclosure () -> String) {
        let (key, emit, limitReached, previouslySuppressed) = windows.withLock { windows in
            let key = windows[reason] != nil || windows.count < Self.maxReasons ? reason : "other reasons"
            var current = windows[key] ?? Window(start: now)
            var previouslySuppressed = 0
            if now - current.start >= window {
                previouslySuppressed = current.suppressed
                current = Window(start: now)
            }
            defer { windows[key] = current }
            guard current.logged < burst else {
                current.suppressed += 1
                return (key, false, current.suppressed == 1, previouslySuppressed)
            }
            current.logged += 1
            return (key, true, false, previouslySuppressed)
        }
        let seconds = Int(window.components.seconds)
        if previouslySuppressed > 0 {
            logger.warning("\(server): \(previouslySuppressed) more refusals (\(key)) were not logged in an earlier \(seconds) s")
        }
        if emit {
            logger.log(level: level, "\(message())")
        } else if limitReached {
            logger.warning("\(server): more than \(burst) refusals (\(key)) within \(seconds) s; the rest are counted, not logged")
        }
    }
}
