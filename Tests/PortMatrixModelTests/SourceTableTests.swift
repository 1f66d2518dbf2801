import Testing
@testable import PortMatrixModel

/// Every fact of the vendor's table (shared/reference/seppmail-communication-paths.txt),
/// transcribed by hand here independently of the profile file, must be found in the profile.
struct SourceTableTests {
    struct Fact: CustomStringConvertible {
        var function: String
        var ports: [String]
        var source: String
        var target: String
        var description: String { "\(function): \(ports.joined(separator: " ")) \(source) -> \(target)" }
    }

    /// Row by row as the source reads; "Internet" targets and "Appliance" are the roles.
    static let facts: [Fact] = [
        Fact(function: "Licence Changes Support", ports: ["tcp/22"], source: "appliance", target: "vendor-servers"),
        Fact(function: "Email communication", ports: ["tcp/25"], source: "email-server", target: "appliance"),
        Fact(function: "Email communication", ports: ["tcp/25"], source: "appliance", target: "email-server"),
        Fact(function: "Email communication", ports: ["tcp/25"], source: "internet", target: "appliance"),
        Fact(function: "Email communication", ports: ["tcp/25"], source: "smarthost", target: "appliance"),
        Fact(function: "Email communication", ports: ["tcp/25"], source: "appliance", target: "internet"),
        Fact(function: "Email communication", ports: ["tcp/25"], source: "appliance", target: "smarthost"),
        Fact(function: "Name resolution", ports: ["tcp/53", "udp/53"], source: "appliance", target: "name-server-internal"),
        Fact(function: "Name resolution", ports: ["tcp/53", "udp/53"], source: "appliance", target: "name-server-external"),
        Fact(function: "Name resolution", ports: ["tcp/53", "udp/53"], source: "appliance", target: "internet"),
        Fact(function: "GINA", ports: ["tcp/443"], source: "internet", target: "appliance"),
        Fact(function: "Administration access", ports: ["tcp/8080"], source: "admin-pc", target: "appliance"),
        Fact(function: "Administration access", ports: ["tcp/8443"], source: "admin-pc", target: "appliance"),
        Fact(function: "Administration access", ports: ["tcp/8445"], source: "admin-pc", target: "appliance"),
        Fact(function: "Protection Pack updates", ports: ["tcp/80", "tcp/443", "tcp/873", "tcp/2703", "udp/24441"], source: "appliance", target: "internet"),
        Fact(function: "Fetchmail", ports: ["tcp/995", "tcp/993", "tcp/110", "tcp/143"], source: "appliance", target: "internet"),
        Fact(function: "Cluster communication", ports: ["tcp/22"], source: "appliance", target: "cluster-peer"),
        Fact(function: "Cluster communication", ports: ["tcp/22"], source: "frontend", target: "backend"),
        Fact(function: "Cluster communication (13.0.0)", ports: ["tcp/22"], source: "frontend", target: "backend"),
        Fact(function: "Cluster communication", ports: ["tcp/25"], source: "gina-frontend", target: "email-server"),
        Fact(function: "Time synchronisation", ports: ["udp/123"], source: "appliance", target: "internet"),
        Fact(function: "Time synchronisation", ports: ["udp/123"], source: "appliance", target: "name-server-internal"),
        Fact(function: "System monitoring", ports: ["udp/161"], source: "internal-network", target: "appliance"),
        Fact(function: "System monitoring", ports: ["tcp/5666"], source: "internal-network", target: "appliance"),
        Fact(function: "Syslog", ports: ["udp/514", "tcp/6514"], source: "appliance", target: "syslog-server"),
        Fact(function: "MPKI", ports: ["tcp/443"], source: "appliance", target: "internet"),
        Fact(function: "OCSP / CRL checks", ports: ["tcp/443", "tcp/80"], source: "appliance", target: "internet"),
        Fact(function: "Query of external key server", ports: ["tcp/389", "udp/389", "tcp/636", "udp/636"], source: "appliance", target: "internet"),
        Fact(function: "Query of external key server", ports: ["tcp/389", "udp/389", "tcp/636", "udp/636"], source: "appliance", target: "ldap-server-internal"),
        Fact(function: "Key server internal query", ports: ["tcp/388", "udp/388", "tcp/387", "udp/387", "tcp/635", "udp/635"], source: "internal-network", target: "appliance"),
        Fact(function: "Key server external query", ports: ["tcp/1389", "udp/1389", "tcp/1636", "udp/1636"], source: "internal-network", target: "appliance"),
        Fact(function: "Key server external query", ports: ["tcp/1389", "udp/1389", "tcp/1636", "udp/1636"], source: "firewall", target: "appliance"),
        Fact(function: "Self-Service Password Management", ports: ["tcp/5061"], source: "appliance", target: "internet"),
    ]

    @Test func everyFactOfTheSourceIsInTheProfile() throws {
        let profile = try Profile.seppmail()
        var unmatched = profile.paths
        for fact in Self.facts {
            let index = unmatched.firstIndex { path in
                path.function == fact.function && path.source == fact.source && path.target == fact.target
                    && Set(path.endpoints.map(\.port.description)) == Set(fact.ports)
            }
            #expect(index != nil, "not in profile: \(fact)")
            if let index { unmatched.remove(at: index) }
        }
        #expect(unmatched.isEmpty, "profile paths not in the source: \(unmatched.map(\.id))")
        #expect(profile.paths.count == 33)
    }

    @Test func sourceFactsAppearInTheReferenceText() throws {
        // Guards the transcription above against the vendor's text itself.
        let text = try String(contentsOfFile: SharedFolder.path("reference/seppmail-communication-paths.txt"), encoding: .utf8)
        // The table's own spelling where the profile normalises it.
        let spelling = ["Protection Pack updates": "updates of the Protection Pack",
                        "Key server internal query": "Key server Internal query",
                        "Key server external query": "Key server External query",
                        "Query of external key server": "Query of external Key server",
                        "Cluster communication (13.0.0)": "(new in 13.0.0)"]
        for function in Set(Self.facts.map(\.function)) {
            let phrase = spelling[function] ?? function
            #expect(text.contains(phrase), "source has no '\(phrase)'")
        }
        for port in ["TCP 22", "TCP 25", "TCP/UDP 53", "TCP 443", "TCP 8080", "TCP 8443", "TCP 8445", "UDP 24441", "995", "UDP 123",
                     "UDP 161", "TCP 5666", "UDP 514 TCP 6514", "TCP/UDP 389", "636", "388,387", "635", "1389", "1636", "TCP 5061"] {
            #expect(text.contains(port), "\(port)")
        }
        #expect(text.contains("update.seppmail.ch") && text.contains("support.seppmail.ch"))
    }

    @Test func profileCarriesTheSourcesDescriptionsAndSettings() throws {
        let profile = try Profile.seppmail()
        for path in profile.paths {
            #expect(!path.description.isEmpty, "\(path.id) has no description")
            #expect(!path.settings.isEmpty, "\(path.id) has no settings reference")
        }
        #expect(profile.role("vendor-servers")?.defaultHosts == ["update.seppmail.ch", "support.seppmail.ch"])
        #expect(profile.path("licence-ssh")?.proxy == .fallback)
        #expect(profile.path("mpki")?.proxy == .fallback)
        #expect(profile.path("ocsp-crl")?.proxy == .fallback)
        #expect(profile.path("admin-http")?.applies == .discouraged)
        #expect(profile.path("fetchmail")?.rule == .any)
        #expect(profile.path("dns-builtin")?.defaultTargets.count == 13)
        #expect(profile.rules.first?.requireChoice == "ntp")
    }
}

enum SharedFolder {
    /// `../shared` beside the repository, as CI lays it out.
    static func path(_ relative: String) -> String {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repo.deletingLastPathComponent().appendingPathComponent("shared").appendingPathComponent(relative).path
    }
}

import Foundation
