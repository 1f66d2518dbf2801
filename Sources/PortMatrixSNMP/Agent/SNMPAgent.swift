import CNetSNMP
import Dispatch
import Foundation
import Logging
import NIOConcurrencyHelpers

/// Serves PORTMATRIX-MIB as an AgentX subagent or an embedded master agent.
///
/// The engine calls `publish(_:)` after each cycle; requests are answered from the latest
/// snapshot without waiting for the engine. The snapshot says which paths changed status (the
/// engine keeps the history: previous status, last change); each is sent as pmPathStatusChange.
/// The agent keeps no history of its own.
///
/// net-snmp keeps process-global state: create one agent per process and start it once.
/// Starting sets MIBS="" and unsets SNMPCONFPATH / SNMP_PERSISTENT_DIR in this process, so that
/// net-snmp reads only the agent's own state directory.
public final class SNMPAgent: Sendable {
    public let configuration: SNMPAgentConfiguration
    private let logger: Logger
    private let healthState: NIOLockedValueBox<SNMPAgentHealth>
    private let publishLock = NIOLock()
    private let running = NIOLockedValueBox<Running?>(nil)
    /// PORTMATRIX-MIB under the configured root; served once started, published to at any time.
    private let subtree: MIBSubtree

    /// net-snmp can be initialised once per process.
    private static let processStarted = NIOLockedValueBox(false)

    private struct Running: Sendable {
        let mailbox: NetSNMPMailbox
        let finished: DispatchSemaphore
        /// Signalled by `serve()`: until then the net-snmp thread handles no request.
        let serving: DispatchSemaphore
    }

    public init(configuration: SNMPAgentConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.healthState = NIOLockedValueBox(SNMPAgentHealth(
            mode: configuration.mode, state: configuration.mode == .off ? .disabled : .notStarted))
        // An invalid root is reported by start(); until then the placeholder keeps publish working.
        let root = OID(configuration.rootOID) ?? PortMatrixMIB.placeholderRoot
        self.subtree = MIBSubtree(root: root, view: MIBView(snapshot: .empty(agentVersion: ""), root: root))
    }

    public var health: SNMPAgentHealth { healthState.withLockedValue { $0 } }

    /// Starts the net-snmp thread and returns once it serves (agentx: also while the master is
    /// still missing, it attaches later). Throws on invalid configuration or, in master mode,
    /// when it cannot listen.
    public func start() throws {
        try bind()
        serve()
    }

    /// `start()` without answering: the master port is bound or the AgentX session opened, but
    /// the net-snmp thread handles no request (they wait in the socket) until `serve()`, so a
    /// daemon started as root answers nothing before it has dropped root.
    public func bind() throws {
        guard configuration.mode != .off else { return }
        let problems = configuration.validate()
        guard problems.isEmpty, let root = OID(configuration.rootOID) else {
            throw SNMPAgentError.invalidConfiguration(problems.map(\.description).joined(separator: "; "))
        }
        let files = try NetSNMPConfigFiles(configuration: configuration, root: root)
        let claimed = Self.processStarted.withLockedValue { started in
            defer { started = true }
            return !started
        }
        guard claimed else { throw SNMPAgentError.alreadyStarted }

        var subtrees = [subtree]
        if configuration.mode == .master {
            subtrees.append(MIBSubtree(root: MIBView.systemGroup, view: MIBView(
                systemDescription: "portmatrix port-matrix monitoring agent (net-snmp \(String(cString: netsnmp_get_version())))",
                objectID: root, contact: configuration.systemContact, name: ProcessInfo.processInfo.hostName,
                location: configuration.systemLocation)))
        }
        let mailbox = try NetSNMPMailbox()
        let logSink = NetSNMPLogSink(logger: logger, health: healthState)
        let result = NIOLockedValueBox<Result<Void, SNMPAgentError>?>(nil)
        let started = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let serving = DispatchSemaphore(value: 0)
        let thread = Thread { [configuration, healthState, subtrees] in
            // Created on its thread: the runtime never leaves it.
            let runtime = NetSNMPRuntime(
                configuration: configuration, files: files, subtrees: subtrees,
                notifications: NetSNMPNotifier(root: root), mailbox: mailbox, logSink: logSink, health: healthState)
            runtime.run(started: { outcome in
                result.withLockedValue { $0 = outcome }
                started.signal()
            }, serving: { serving.wait() })
            finished.signal()
        }
        thread.name = "portmatrix-snmp"
        thread.start()
        started.wait()
        try result.withLockedValue { $0 }?.get()
        running.withLockedValue { $0 = Running(mailbox: mailbox, finished: finished, serving: serving) }
        logger.info("SNMP agent started", metadata: [
            "mode": "\(configuration.mode.rawValue)", "root": "\(root)",
            "endpoint": "\(configuration.mode == .agentx ? configuration.agentXSocket : configuration.listen.joined(separator: ","))",
        ])
    }

    /// Lets the net-snmp thread handle requests (after `bind()`); queued ones are answered now.
    public func serve() {
        running.withLockedValue { $0 }?.serving.signal()
    }

    /// Serves `snapshot` from now on and, once started, sends pmPathStatusChange for each path
    /// in its `changedPaths` (an index with no row is ignored). Publish each snapshot once: a
    /// second publish notifies its changes again.
    public func publish(_ snapshot: MIBSnapshot) {
        publishLock.withLock {
            subtree.view = MIBView(snapshot: snapshot, root: subtree.root)
            let now = UInt32(clamping: time(nil))
            healthState.withLockedValue { $0.lastPublish = now }
            if let mailbox = running.withLockedValue({ $0?.mailbox }) {
                for index in snapshot.changedPaths where snapshot.paths.indices.contains(index - 1) {
                    mailbox.post(.notify(pathIndex: index, path: snapshot.paths[index - 1]))
                }
            }
        }
    }

    /// Stops serving and waits for the net-snmp thread to shut down (it disconnects from the
    /// master or closes its ports). The agent cannot be started again in this process.
    public func stop() {
        guard let running = running.withLockedValue({ current in
            defer { current = nil }
            return current
        }) else { return }
        running.mailbox.post(.stop)
        running.serving.signal()  // bound but never served: the thread still has to stop
        running.finished.wait()
        logger.info("SNMP agent stopped")
    }
}
