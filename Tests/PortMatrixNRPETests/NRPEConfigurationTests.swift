import Foundation
import NIOCore
import PortMatrixListening
import PortMatrixTestSupport
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

@Suite struct NRPEConfigurationTests {
    @Test func defaultsAreValid() {
        #expect(NRPEConfiguration().validate().isEmpty)
    }

    @Test func reportsEveryMistake() {
        var configuration = NRPEConfiguration()
        configuration.listen = ["0.0.0.0", "[::1]:99999"]
        configuration.allowedHosts = ["127.0.0.1", "10.0.0.0/40"]
        configuration.certFile = "/x.pem"
        configuration.clientCertificates = .require
        configuration.commandTimeout = 0
        let keys = configuration.validate().map(\.key)
        #expect(keys == ["listen[0]", "listen[1]", "allowed_hosts[1]", "tls", "tls.ca_file", "command_timeout"])
        #expect(throws: NRPEConfigurationErrors.self) {
            try NRPEServer(configuration: configuration, logger: .init(label: "x"))
        }
    }

    @Test func tlsModeTakesBothYAMLSpellings() throws {
        for text in ["on", "true", "YES"] { #expect(try NRPEConfigurationYAMLTests.read("nrpe: { tls: { mode: \(text) } }").0.tlsMode == .on) }
        for text in ["off", "false", "no"] { #expect(try NRPEConfigurationYAMLTests.read("nrpe: { tls: { mode: \(text) } }").0.tlsMode == .off) }
        #expect(try NRPEConfigurationYAMLTests.read("nrpe: { tls: { mode: maybe } }").1.map(\.message) == ["expected true or false (or on/off, yes/no), found 'maybe'"])
    }

    @Test func parsesListenAddresses() throws {
        let v6 = try ListenAddress(parsing: "[::]:5666")
        #expect(v6.host == "::" && v6.port == 5666 && v6.isIPv6)
        let v4 = try ListenAddress(parsing: "0.0.0.0:0")
        #expect(v4.host == "0.0.0.0" && v4.port == 0 && !v4.isIPv6)
        #expect(throws: ListenAddress.ParseError.self) { try ListenAddress(parsing: "::1:5666") }
    }
}

/// Includes that used to recurse until the stack ran out, or read without bound.
@Suite struct NRPEConfigIncludeTests {
    private func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    private func errors(_ path: String) -> String {
        do {
            _ = try NRPEConfigFile(contentsOf: path)
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test func cycleIsAnErrorNamingTheFiles() throws {
        let directory = makeTemporaryDirectory("nrpe-cfg")
        try write("command[a]=/bin/a\ninclude=\(directory)/b.cfg\n", to: "\(directory)/a.cfg")
        try write("include=\(directory)/a.cfg\n", to: "\(directory)/b.cfg")
        let text = errors("\(directory)/a.cfg")
        #expect(text.contains("\(directory)/b.cfg:1: include cycle: \(directory)/a.cfg -> \(directory)/b.cfg -> \(directory)/a.cfg"))
    }

    @Test func selfIncludeIsAnError() throws {
        let directory = makeTemporaryDirectory("nrpe-cfg")
        try write("include=\(directory)/./self.cfg\n", to: "\(directory)/self.cfg")
        #expect(errors("\(directory)/self.cfg").contains("\(directory)/self.cfg:1: include cycle"))
    }

    @Test func includeDirCycleThroughASymlink() throws {
        let directory = makeTemporaryDirectory("nrpe-cfg")
        try FileManager.default.createDirectory(atPath: "\(directory)/d", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: "\(directory)/d/loop", withDestinationPath: "\(directory)/d")
        try write("include_dir=\(directory)/d\n", to: "\(directory)/main.cfg")
        #expect(errors("\(directory)/main.cfg").contains("include cycle"))
    }

    @Test func tooDeepChainIsAnError() throws {
        let directory = makeTemporaryDirectory("nrpe-cfg")
        for level in 0...20 { try write("include=\(directory)/\(level + 1).cfg\n", to: "\(directory)/\(level).cfg") }
        try write("command[x]=/bin/x\n", to: "\(directory)/21.cfg")
        #expect(errors("\(directory)/0.cfg").contains("\(directory)/16.cfg:1: include of '\(directory)/17.cfg' nested deeper than 16 levels"))
    }

    @Test func oversizedFileIsAnError() throws {
        let directory = makeTemporaryDirectory("nrpe-cfg")
        try write(String(repeating: "# padding\n", count: 110_000), to: "\(directory)/big.cfg")
        try write("include=\(directory)/big.cfg\n", to: "\(directory)/main.cfg")
        #expect(errors("\(directory)/main.cfg").contains("\(directory)/main.cfg:1: include \(directory)/big.cfg: read (larger than 1048576 bytes) failed"))
        #expect(errors("\(directory)/big.cfg").contains("\(directory)/big.cfg: read (larger than 1048576 bytes) failed"))
    }

    @Test func includeDirRecursesLikeNRPEInNameOrder() throws {
        let directory = makeTemporaryDirectory("nrpe-cfg")
        try FileManager.default.createDirectory(atPath: "\(directory)/d/sub", withIntermediateDirectories: true)
        try write("command[x]=/bin/from-a\n", to: "\(directory)/d/a.cfg")
        try write("command[x]=/bin/from-sub\ncommand[y]=/bin/y\n", to: "\(directory)/d/sub/z.cfg")
        try write("command[z]=/bin/ignored\n", to: "\(directory)/d/sub/z.txt")
        try write("include_dir=\(directory)/d\n", to: "\(directory)/main.cfg")
        let file = try NRPEConfigFile(contentsOf: "\(directory)/main.cfg")
        #expect(file.commands == ["x": "/bin/from-sub", "y": "/bin/y"])
    }
}
