import Foundation
import NIOCore
import PortMatrixListening
import Testing
@testable import PortMatrixNRPE

@Suite struct NRPEConfigFileTests {
    @Test func importsCommandsWithPrefixIncludesAndLaterWins() throws {
        let directory = makeTemporaryDirectory("nrpe-cfg")
        try FileManager.default.createDirectory(atPath: "\(directory)/nrpe.d", withIntermediateDirectories: true)
        try "command[b]=/bin/b-from-20\n".write(toFile: "\(directory)/nrpe.d/20-b.cfg", atomically: true, encoding: .utf8)
        try "command[b]=/bin/b-from-10\ncommand[c]=/bin/c\n".write(toFile: "\(directory)/nrpe.d/10-c.cfg", atomically: true, encoding: .utf8)
        try "command[d]=/bin/ignored\n".write(toFile: "\(directory)/nrpe.d/d.cfg.disabled", atomically: true, encoding: .utf8)
        try "command[e]=/bin/e\n".write(toFile: "\(directory)/local.cfg", atomically: true, encoding: .utf8)
        let main = """
        # a comment
        server_port=5666
        allowed_hosts=127.0.0.1
        command_prefix=/usr/bin/sudo
        command[a]=/bin/a -w 1
        command[a]=/bin/a -w 2
        bogus_key=1
        not a setting
        include=\(directory)/local.cfg
        include_dir=\(directory)/nrpe.d/
        include=\(directory)/missing.cfg
        """
        let file = NRPEConfigFile(parsing: main, path: "main.cfg")
        #expect(file.commands == [
            "a": "/usr/bin/sudo /bin/a -w 2",
            "b": "/usr/bin/sudo /bin/b-from-20",
            "c": "/usr/bin/sudo /bin/c",
            "e": "/usr/bin/sudo /bin/e",
        ])
        #expect(file.warnings.count == 3)
        #expect(file.warnings.contains { $0.hasPrefix("main.cfg:7:") && $0.contains("bogus_key") })
        #expect(file.warnings.contains { $0.hasPrefix("main.cfg:8:") })
        #expect(file.warnings.contains { $0.hasPrefix("main.cfg:11:") && $0.contains("missing.cfg") })
        #expect(file.ignoredSettings == ["main.cfg:2: server_port", "main.cfg:3: allowed_hosts"])
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/etc/nagios/nrpe.cfg"), "needs nagios-nrpe-server's nrpe.cfg"))
    func readsDebiansStockFile() throws {
        let file = try NRPEConfigFile(contentsOf: "/etc/nagios/nrpe.cfg")
        #expect(file.commands["check_load"]?.hasPrefix("/usr/lib/nagios/plugins/check_load") == true)
    }
}

@Suite struct NRPEAllowedHostTests {
    @Test(arguments: [
        ("127.0.0.1", "127.0.0.1", true), ("127.0.0.1", "127.0.0.2", false),
        ("10.0.0.0/8", "10.200.1.2", true), ("10.0.0.0/8", "11.0.0.1", false),
        ("10.1.2.3/8", "10.9.9.9", true), ("192.168.1.0/25", "192.168.1.200", false),
        ("::1", "::1", true), ("2001:db8::/32", "2001:db8:ffff::1", true), ("2001:db8::/32", "2001:db9::1", false),
        ("127.0.0.0/8", "::ffff:127.0.0.5", true), ("0.0.0.0/0", "8.8.8.8", true),
    ])
    func matches(entry: String, peer: String, expected: Bool) throws {
        let host = try NRPEAllowedHost(parsing: entry)
        let address = try SocketAddress(ipAddress: peer, port: 1)
        #expect(host.matches(NRPEAllowedHost.bytes(of: address)!) == expected)
    }

    @Test(arguments: ["10.0.0.0/33", "::1/129", "10.0.0.256", "1.2.3.4/x", "bad host!", "", "::gg"])
    func rejects(entry: String) {
        #expect(throws: NRPEAllowedHost.ParseError.self) { try NRPEAllowedHost(parsing: entry) }
    }

    @Test func hostNamesResolve() throws {
        #expect(try NRPEAllowedHost(parsing: "localhost") == .hostName("localhost"))
        #expect(NRPEAllowedHost.resolve("localhost").contains([127, 0, 0, 1]))
    }
}

@Suite struct NRPEServerConfigurationTests {
    @Test func defaultsAreValid() {
        #expect(NRPEServerConfiguration().validate().isEmpty)
    }

    @Test func reportsEveryMistake() {
        var configuration = NRPEServerConfiguration()
        configuration.listen = ["0.0.0.0", "[::1]:99999"]
        configuration.allowedHosts = ["127.0.0.1", "10.0.0.0/40"]
        configuration.certFile = "/x.pem"
        configuration.clientCertificates = .require
        configuration.commandTimeout = 0
        let keys = configuration.validate().map(\.key)
        #expect(keys == ["listen[0]", "listen[1]", "allowed_hosts[1]", "tls", "tls.ca_file", "command_timeout"])
        #expect(throws: NRPEServerConfigurationErrors.self) {
            try NRPEServer(configuration: configuration, logger: .init(label: "x"))
        }
    }

    @Test func tlsModeTakesBothYAMLSpellings() {
        #expect(["on", "true", "YES"].map(NRPEServerConfiguration.tlsMode(parsing:)) == [.on, .on, .on])
        #expect(["off", "false", "no"].map(NRPEServerConfiguration.tlsMode(parsing:)) == [.off, .off, .off])
        #expect(NRPEServerConfiguration.tlsMode(parsing: "maybe") == nil)
    }

    @Test func parsesListenAddresses() throws {
        let v6 = try ListenAddress(parsing: "[::]:5666")
        #expect(v6.host == "::" && v6.port == 5666 && v6.isIPv6)
        let v4 = try ListenAddress(parsing: "0.0.0.0:0")
        #expect(v4.host == "0.0.0.0" && v4.port == 0 && !v4.isIPv6)
        #expect(throws: ListenAddress.ParseError.self) { try ListenAddress(parsing: "::1:5666") }
    }
}
