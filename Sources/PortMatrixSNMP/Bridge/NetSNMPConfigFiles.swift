import Foundation

/// The agent's own net-snmp configuration: access control and trap sinks as net-snmp config
/// lines (there is no stable C API for them), given to net-snmp in a private directory so
/// nothing under /etc/snmp or /var/lib/snmp is read or touched.
struct NetSNMPConfigFiles {
    static let applicationName = "portmatrix-snmp"
    static let viewName = "portmatrix"

    let stateDirectory: String
    /// Where net-snmp saves its persistent data (at shutdown): `<state_directory>/persist`.
    let persistentDirectory: String
    /// The content of net-snmp's configuration file, `portmatrix-snmp.conf`.
    let agentConfiguration: String
    /// createUser lines for the persistent file, where net-snmp turns them into localized keys.
    let createUserLines: [String]

    init(configuration: SNMPAgentConfiguration, root: OID) throws {
        stateDirectory = configuration.stateDirectory
        persistentDirectory = configuration.stateDirectory + "/persist"
        var lines = ["# Written by portmatrix at every start; edits are lost."]
        createUserLines = try configuration.users.map(Self.createUser)
        if configuration.mode == .master {
            lines.append("view \(Self.viewName) included .\(root)")
            lines.append("view \(Self.viewName) included .\(MIBView.systemGroup)")
            for community in configuration.communities {
                try Self.validateWord(community.name, what: "community name")
                try Self.validateWord(community.source, what: "community source")
                let directive = community.source.contains(":") ? "rocommunity6" : "rocommunity"
                lines.append("\(directive) \(community.name) \(community.source) -V \(Self.viewName)")
            }
            for user in configuration.users {
                lines.append("rouser \(user.name) \(user.privacy == nil ? "auth" : "priv") -V \(Self.viewName)")
            }
            for sink in configuration.trapSinks {
                try Self.validateWord(sink.address, what: "trap sink address")
                try Self.validateWord(sink.community, what: "trap sink community")
                lines.append("trapsess -v 2c -c \(sink.community) \(sink.address)")
            }
        }
        agentConfiguration = lines.joined(separator: "\n") + "\n"
    }

    /// Writes both files for net-snmp's start (see ``NetSNMPStartupFiles``): the persistent one
    /// keeps the engine id and boot counter of the state directory's but drops the previous
    /// users, so removed users are really gone. Creates the state directory when missing; its
    /// `persist` folder is net-snmp's to create when it saves.
    func write() throws -> NetSNMPStartupFiles {
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let previous = try NetSNMPStartupFiles.previousPersistentFile(stateDirectory: stateDirectory, name: Self.applicationName)
        let kept = previous.split(separator: "\n", omittingEmptySubsequences: false).filter {
            !$0.hasPrefix("usmUser") && !$0.hasPrefix("createUser")
        }.map(String.init)
        let persistent = (kept.filter { !$0.isEmpty } + createUserLines).joined(separator: "\n") + "\n"
        return try NetSNMPStartupFiles(configuration: agentConfiguration, persistent: persistent, name: Self.applicationName)
    }

    private static func createUser(_ user: SNMPAgentConfiguration.User) throws -> String {
        try validateWord(user.name, what: "user name")
        try validatePassphrase(user.authenticationPassphrase, user: user.name)
        let authentication = user.authentication == .sha1 ? "SHA" : user.authentication.rawValue
        var line = "createUser \(user.name) \(authentication) \"\(user.authenticationPassphrase)\""
        if let privacy = user.privacy {
            guard let passphrase = user.privacyPassphrase else {
                throw SNMPAgentError.invalidConfiguration("user \(user.name): priv without priv_pass")
            }
            try validatePassphrase(passphrase, user: user.name)
            line += " \(privacy.rawValue) \"\(passphrase)\""
        }
        return line
    }

    /// ASCII letters, digits and `._-:/[]@`: what a net-snmp configuration line carries as one word.
    static func canCarry(_ word: String) -> Bool {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "._-:/[]@"))
        return word.unicodeScalars.allSatisfy { $0.isASCII && allowed.contains($0) }
    }

    private static func validateWord(_ word: String, what: String) throws {
        guard !word.isEmpty, canCarry(word) else {
            throw SNMPAgentError.invalidConfiguration("\(what) '\(word)' is empty or has characters net-snmp config lines cannot carry")
        }
    }

    /// USM requires at least 8 characters; quotes and line breaks cannot be written to a config line.
    private static func validatePassphrase(_ passphrase: String, user: String) throws {
        guard passphrase.count >= 8, !passphrase.contains(where: { $0 == "\"" || $0 == "\\" || $0.isNewline }) else {
            throw SNMPAgentError.invalidConfiguration(
                "user \(user): passphrases need at least 8 characters and no quotes, backslashes or line breaks")
        }
    }
}
