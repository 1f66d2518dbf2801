import Foundation
import PortMatrixTestSupport
import Testing
@testable import PortMatrixModel

/// Hostile configuration files: too large, keys that are lists or mappings, aliases that expand
/// exponentially. Each is refused with FILE:LINE:COL before Yams composes it.
struct ConfigurationBoundsTests {
    /// `levels` anchors of nine aliases each to the one before, used as a key at the end: Yams'
    /// duplicate-key check hashes 9^(levels+1) nodes. Measured once on the old code (debug
    /// build): levels 5 0.4 s, 6 2.1 s, 7 24 s, so levels 10 takes hours.
    static func billionLaughs(levels: Int = 10, asKey: Bool = true) -> String {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        for level in 1...levels {
            text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        return text + (asKey ? "? *a\(levels)\n: x\n" : "roles: *a\(levels)\n")
    }

    func errors(_ text: String) -> [ConfigurationError] {
        configurationErrors { _ = try ConfigurationLoader.parse(text, file: "site.yaml") }
    }

    @Test func billionLaughsIsRefusedWhereItsExpansionPassesTheBound() {
        let found = errors(Self.billionLaughs())
        // a6 is the first anchor whose nine aliases take the document past a million nodes.
        #expect(found.map(\.description) == [
            "site.yaml:7:10: invalid YAML: the document has more than 1000000 nodes with its aliases expanded (a \"billion laughs\"); write the values out instead",
        ])
    }

    @Test func aSmallerBillionLaughsIsRefusedAtItsAliasKey() {
        let found = errors(Self.billionLaughs(levels: 4))
        #expect(found.map(\.description) == ["site.yaml:6:3: invalid YAML: an alias as a key; keys must be plain names"])
    }

    @Test func billionLaughsAsAValueIsBoundedByTheExpandedSize() {
        let found = errors(Self.billionLaughs(asKey: false))
        #expect(found.count == 1)
        #expect(found.first?.description.hasPrefix("site.yaml:") == true)
        #expect(found.first?.message.contains("more than 1000000 nodes with its aliases expanded") == true, "\(found)")
    }

    @Test(arguments: [
        ("? [a, b]\n: x\n", "1:3", "a list as a key"),
        ("? { a: b }\n: x\n", "1:3", "a mapping as a key"),
        ("roles: [appliance]\nnrpe: { [a, b]: x }\n", "2:9", "a list as a key"),
        ("x: &k a\nhosts: { *k : [h] }\n", "2:10", "an alias as a key"),
    ])
    func complexKeysAreRefused(text: String, position: String, message: String) {
        let found = errors(text)
        #expect(found.map(\.description) == ["site.yaml:\(position): invalid YAML: \(message); keys must be plain names"])
    }

    @Test func aliasesOfModestSizeAndMergeKeysStillWork() throws {
        let text = """
        roles: &roles [appliance]
        hosts: { email-server: &mail [mail.example.internal], smarthost: *mail }
        paths:
          smtp-to-mailserver: &path { targets: [mail.example.internal] }
        """
        let config = try ConfigurationLoader.parse(text, file: "site.yaml").0
        #expect(config.hosts["smarthost"]?.map(\.host) == ["mail.example.internal"])
        // 1 mapping + a + [x, x] (3) + b + [ ... ] + 3 aliases of 3 = 16 nodes.
        #expect(YAMLBounds.check("a: &a [x, x]\nb: [*a, *a, *a]\n", maxExpandedNodes: 16) == nil)
        #expect(YAMLBounds.check("a: &a [x, x]\nb: [*a, *a, *a]\n", maxExpandedNodes: 15) != nil)
    }

    @Test func aFileAboveOneMebibyteIsRefusedUnread() throws {
        let dir = try makeTestDirectory("portmatrix-bounds")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("big.yaml")
        // Valid YAML all the way (a comment), so only the size can refuse it.
        try Data(("roles: [appliance]\n#" + String(repeating: "x", count: (1 << 20) - 20) + "\n").utf8).write(to: file)
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int == (1 << 20) + 1)
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(file: file.path) }
        do { _ = try ConfigurationLoader.load(file: file.path) } catch let error as ConfigurationError {
            #expect(error.description == "\(file.path):0:0: configuration file is too large: the file has 1048577 bytes; at most 1 MiB (1048576 bytes) is read")
        }
        // One byte less is read.
        try Data(("roles: [appliance]\n#" + String(repeating: "x", count: (1 << 20) - 21) + "\n").utf8).write(to: file)
        #expect(try ConfigurationLoader.load(file: file.path).0.roles == ["appliance"])
    }
}
