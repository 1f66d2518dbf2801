import Foundation
import PortMatrixTestSupport

/// Debian's real Nagios 4 core in a temporary directory: own object files, status, log, lock,
/// query socket and check result paths, running in the foreground as the current user.
/// `interval_length=1` makes `check_interval 1` one second.
struct NagiosCore {
    static let binary = "/usr/sbin/nagios4"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    /// What the exported objects may rely on: the 24x7 time period and the admins contact
    /// group that the Debian sample configuration defines, and its generic-host /
    /// generic-service templates.
    static let baseObjects = """
    define timeperiod {
        timeperiod_name     24x7
        alias               24 Hours A Day, 7 Days A Week
        sunday              00:00-24:00
        monday              00:00-24:00
        tuesday             00:00-24:00
        wednesday           00:00-24:00
        thursday            00:00-24:00
        friday              00:00-24:00
        saturday            00:00-24:00
    }
    define contact {
        contact_name                    nobody
        host_notifications_enabled      0
        service_notifications_enabled   0
        host_notification_period        24x7
        service_notification_period     24x7
        host_notification_options       n
        service_notification_options    n
        host_notification_commands      notify-nobody
        service_notification_commands   notify-nobody
    }
    define contactgroup {
        contactgroup_name   admins
        alias               Administrators
        members             nobody
    }
    define command {
        command_name    notify-nobody
        command_line    /bin/true
    }
    define host {
        name                    generic-host
        max_check_attempts      3
        check_period            24x7
        notification_interval   60
        notification_period     24x7
        contacts                nobody
        register                0
    }
    define service {
        name                    generic-service
        max_check_attempts      3
        check_interval          10
        retry_interval          2
        check_period            24x7
        notification_interval   60
        notification_period     24x7
        contacts                nobody
        register                0
    }

    """

    let dir: URL
    var configFile: URL { dir.appendingPathComponent("nagios.cfg") }
    var statusFile: URL { dir.appendingPathComponent("status.dat") }
    var logFile: URL { dir.appendingPathComponent("nagios.log") }

    /// Writes nagios.cfg and one object file per entry of `objects` (after the base objects).
    init(dir: URL, objects: [String], intervalLength: Int = 60) throws {
        self.dir = dir
        let results = dir.appendingPathComponent("checkresults")
        try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
        var files = [dir.appendingPathComponent("base.cfg")]
        try Self.baseObjects.write(to: files[0], atomically: true, encoding: .utf8)
        for (index, text) in objects.enumerated() {
            let file = try writeFile(text, "objects-\(index).cfg", in: dir)
            files.append(file)
        }
        let (user, group) = CLIRunner.currentUserAndGroup
        let path = dir.path
        let settings = files.map { "cfg_file=\($0.path)" } + [
            "log_file=\(path)/nagios.log",
            "object_cache_file=\(path)/objects.cache",
            "precached_object_file=\(path)/objects.precache",
            "status_file=\(path)/status.dat",
            "state_retention_file=\(path)/retention.dat",
            "retain_state_information=0",
            "lock_file=\(path)/nagios.lock",
            "temp_file=\(path)/nagios.tmp",
            "temp_path=\(path)",
            "query_socket=\(path)/nagios.qh",
            "check_result_path=\(results.path)",
            "command_file=\(path)/nagios.cmd",
            "check_external_commands=0",
            "nagios_user=\(user)",
            "nagios_group=\(group)",
            "interval_length=\(intervalLength)",
            "status_update_interval=1",
            "check_result_reaper_frequency=1",
            "max_service_check_spread=1",
            "max_host_check_spread=1",
            "log_rotation_method=n",
            "use_syslog=0",
            "enable_notifications=0",
            "enable_event_handlers=0",
            "check_service_freshness=0",
            "check_host_freshness=0",
            "illegal_object_name_chars=`~!$%^&*|'\"<>?,()=",
            "illegal_macro_output_chars=`~$&|'\"<>",
        ]
        try (settings.joined(separator: "\n") + "\n").write(to: configFile, atomically: true, encoding: .utf8)
    }

    /// `nagios4 -v`: exit 0 and "Things look okay" when the objects are valid.
    func verify() throws -> CLIRunner.Result {
        try CLIRunner.tool(Self.binary, ["-v", configFile.path])
    }

    /// The core in the foreground; stop it with SIGTERM.
    func start() throws -> Spawned {
        let out = dir.appendingPathComponent("nagios.out").path
        return try Spawned(executable: Self.binary, arguments: [configFile.path], environment: ProcessInfo.processInfo.environment,
                           output: out, errors: out, withInput: false)
    }

    /// status.dat's servicestatus blocks, keyed `host/service description`.
    func services() -> [String: [String: String]] {
        guard let text = try? String(contentsOf: statusFile, encoding: .utf8) else { return [:] }
        var services: [String: [String: String]] = [:]
        var block: [String: String]?
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "servicestatus {" {
                block = [:]
            } else if trimmed == "}" {
                if let entry = block, let host = entry["host_name"], let service = entry["service_description"] {
                    services["\(host)/\(service)"] = entry
                }
                block = nil
            } else if block != nil, let equals = trimmed.firstIndex(of: "=") {
                block![String(trimmed[..<equals])] = String(trimmed[trimmed.index(after: equals)...])
            }
        }
        return services
    }
}
