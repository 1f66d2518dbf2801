import CNetSNMP
import Logging
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#endif

/// Receives net-snmp's log lines (snmp_enable_calllog) and forwards them to swift-log; warnings
/// and errors also become the health's last error.
final class NetSNMPLogSink: Sendable {
    private let logger: Logger
    private let health: NIOLockedValueBox<SNMPAgentHealth>
    private let previous = NIOLockedValueBox<String>("")

    init(logger: Logger, health: NIOLockedValueBox<SNMPAgentHealth>) {
        self.logger = logger
        self.health = health
    }

    func log(priority: Int32, message: String) {
        let text = message.trimmingTrailingNewlines()
        guard !text.isEmpty else { return }
        // A lost master is retried every ping interval with the same lines: say it once.
        let repeated = previous.withLockedValue { last in
            defer { last = text }
            return last == text
        }
        let level = repeated ? .debug : Self.level(priority)
        logger.log(level: level, "\(text)", metadata: ["source": "net-snmp"])
        if priority <= LOG_WARNING {
            let now = UInt32(clamping: time(nil))
            health.withLockedValue {
                $0.lastError = text
                $0.lastErrorTime = now
            }
        }
    }

    private static func level(_ priority: Int32) -> Logger.Level {
        switch priority {
        case ...LOG_ERR: .error
        case LOG_WARNING: .warning
        case LOG_NOTICE: .notice
        case LOG_INFO: .info
        default: .debug
        }
    }
}

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var text = Substring(self)
        while let last = text.last, last.isNewline { text = text.dropLast() }
        return String(text)
    }
}

/// SNMPCallback for SNMP_CALLBACK_LIBRARY / SNMP_CALLBACK_LOGGING; clientarg is the sink.
func netSNMPLogCallback(
    majorID: Int32, minorID: Int32, serverArgument: UnsafeMutableRawPointer?, clientArgument: UnsafeMutableRawPointer?
) -> Int32 {
    guard let serverArgument, let clientArgument else { return 0 }
    let message = serverArgument.assumingMemoryBound(to: snmp_log_message.self).pointee
    guard let text = message.msg else { return 0 }
    Unmanaged<NetSNMPLogSink>.fromOpaque(clientArgument).takeUnretainedValue()
        .log(priority: message.priority, message: String(cString: text))
    return 0
}
