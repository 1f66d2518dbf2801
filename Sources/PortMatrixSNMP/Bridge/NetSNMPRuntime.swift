import CNetSNMP
import CNetSNMPShim
import Foundation
import Logging
import NIOConcurrencyHelpers

/// Owns net-snmp on its dedicated thread: initialisation, registration, the event loop,
/// notifications and shutdown all happen in `run`, because the library is neither thread-safe
/// nor re-entrant. Other threads talk to it only through the mailbox and the subtrees' views.
final class NetSNMPRuntime {
    private let configuration: SNMPAgentConfiguration
    private let files: NetSNMPConfigFiles
    private let subtrees: [MIBSubtree]
    private let notifications: NetSNMPNotifier
    private let mailbox: NetSNMPMailbox
    private let logSink: NetSNMPLogSink
    private let health: NIOLockedValueBox<SNMPAgentHealth>
    private var stopping = false
    /// The logging callback's argument. Unregistered before snmp_shutdown, whose clear_callback
    /// would free() it: a Swift object, so the heap was corrupted at every stop.
    private lazy var logSinkArgument = Unmanaged.passRetained(logSink).toOpaque()

    init(
        configuration: SNMPAgentConfiguration, files: NetSNMPConfigFiles, subtrees: [MIBSubtree],
        notifications: NetSNMPNotifier, mailbox: NetSNMPMailbox, logSink: NetSNMPLogSink,
        health: NIOLockedValueBox<SNMPAgentHealth>
    ) {
        self.configuration = configuration
        self.files = files
        self.subtrees = subtrees
        self.notifications = notifications
        self.mailbox = mailbox
        self.logSink = logSink
        self.health = health
    }

    /// Initialises net-snmp, reports the outcome through `started`, waits for `serving` to
    /// return, then serves until a stop command arrives.
    func run(started: (Result<Void, SNMPAgentError>) -> Void, serving: () -> Void) {
        do {
            try start()
        } catch {
            health.withLockedValue { $0.state = .failed; $0.lastError = "\(error)" }
            started(.failure(error as? SNMPAgentError ?? .startFailed("\(error)")))
            return
        }
        health.withLockedValue {
            $0.state = .running
            $0.connected = configuration.mode == .master || pm_agentx_connected() != 0
        }
        started(.success(()))
        serving()
        while !stopping {
            agent_check_and_process(1)
            if configuration.mode == .agentx {
                let connected = pm_agentx_connected() != 0
                health.withLockedValue { $0.connected = connected }
            }
        }
        shutdown()
    }

    private func start() throws {
        signal(SIGPIPE, SIG_IGN)
        let startup = try files.write()
        // Read by init_snmp below; afterwards net-snmp saves into the state directory.
        defer { startup.remove() }
        // No MIB files: the agent serves numeric OIDs and would otherwise log every missing module.
        setenv("MIBS", "", 1)
        // SNMPCONFPATH wins over NETSNMP_DS_LIB_CONFIGURATION_DIR when config files are read:
        // an inherited one would silently drop our access control.
        unsetenv("SNMPCONFPATH")
        unsetenv("SNMP_PERSISTENT_DIR")

        snmp_disable_log()
        snmp_register_callback(
            SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, netSNMPLogCallback, logSinkArgument)
        snmp_enable_calllog()

        netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_CONFIGURATION_DIR, startup.configurationDirectory)
        netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_PERSISTENT_DIR, startup.persistentDirectory)
        let application = NetSNMPConfigFiles.applicationName
        switch configuration.mode {
        case .agentx:
            netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1)
            netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET, configuration.agentXSocket)
        case .master:
            netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 0)
            // Otherwise every request logs "Connection from UDP: ..." at info level.
            netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_DONT_LOG_TCPWRAPPERS_CONNECTS, 1)
            netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_PORTS, configuration.listen.joined(separator: ","))
        case .off:
            return
        }

        guard init_agent(application) == 0 else { throw SNMPAgentError.startFailed("init_agent failed") }
        if configuration.mode == .agentx {
            // init_agent resets it to 15 s; without a ping a lost master is never retried.
            netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, Int32(configuration.agentXPingInterval))
        } else {
            // Without it rocommunity/rouser lines are ignored and any USM user reads everything.
            pm_init_vacm_conf()
        }
        for subtree in subtrees {
            try register(subtree)
        }
        init_snmp(application)
        netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_PERSISTENT_DIR, files.persistentDirectory)
        if configuration.mode == .master, init_master_agent() != 0 {
            throw SNMPAgentError.startFailed("cannot listen on \(configuration.listen.joined(separator: ","))")
        }
        guard register_readfd(mailbox.wakeupFD, netSNMPWakeupCallback, Unmanaged.passUnretained(self).toOpaque()) == 0 else {
            throw SNMPAgentError.startFailed("register_readfd failed")
        }
    }

    private func register(_ subtree: MIBSubtree) throws {
        let registration = subtree.root.arcs.withUnsafeBufferPointer { arcs in
            netsnmp_create_handler_registration(
                "portmatrix-\(subtree.root)", netSNMPRequestHandler, arcs.baseAddress, arcs.count, pm_handler_can_ronly())
        }
        guard let registration, let handler = registration.pointee.handler else {
            throw SNMPAgentError.startFailed("cannot create a handler for \(subtree.root)")
        }
        // Released never: net-snmp may call the handler until the process ends.
        handler.pointee.myvoid = Unmanaged.passRetained(subtree).toOpaque()
        guard netsnmp_register_handler(registration) == MIB_REGISTERED_OK else {
            throw SNMPAgentError.startFailed("cannot register \(subtree.root) (already registered?)")
        }
    }

    /// Drains the mailbox; called by net-snmp when the eventfd is readable.
    fileprivate func handleMail() {
        for command in mailbox.take() {
            switch command {
            case .notify(let pathIndex, let path):
                notifications.send(pathIndex: pathIndex, path: path)
                health.withLockedValue { $0.notificationsSent += 1 }
            case .stop:
                stopping = true
            }
        }
    }

    private func shutdown() {
        unregister_readfd(mailbox.wakeupFD)
        let application = NetSNMPConfigFiles.applicationName
        snmp_unregister_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, netSNMPLogCallback, logSinkArgument, 1)
        snmp_shutdown(application)
        if configuration.mode == .master {
            shutdown_master_agent()
        }
        health.withLockedValue { $0.state = .stopped; $0.connected = false }
    }
}

/// register_readfd callback for the mailbox's eventfd; data is the runtime.
func netSNMPWakeupCallback(fd: Int32, data: UnsafeMutableRawPointer?) {
    guard let data else { return }
    Unmanaged<NetSNMPRuntime>.fromOpaque(data).takeUnretainedValue().handleMail()
}
