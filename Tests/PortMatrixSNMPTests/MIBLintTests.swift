import Foundation
import PortMatrixTestSupport
import PortMatrixSNMP
import Testing

@Suite struct MIBLintTests {
    @Test func mibIsCleanUnderSmilintLevel6() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("smilint.out")
        let child = try Spawned(
            executable: "/usr/bin/smilint", arguments: ["-l", "6", "-s", TestEnvironment.mibFile.path],
            environment: ["SMIPATH": TestEnvironment.sharedDirectory.appendingPathComponent("mibs/ietf").path + ":/usr/share/snmp/mibs"],
            output: output.path, errors: output.path + ".err", withInput: false)
        let status = child.wait(timeout: 60)
        let text = try String(contentsOf: output, encoding: .utf8) + String(contentsOfFile: output.path + ".err", encoding: .utf8)
        #expect(text == "")
        #expect(status == 0)
    }

    /// The MIB file and the agent's constants must name the same OIDs.
    @Test func mibOIDsMatchTheAgent() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try SNMPTool(directory: directory).run("snmptranslate", [
            "-M", TestEnvironment.mibDirectories, "-m", "PORTMATRIX-MIB", "-On",
            "PORTMATRIX-MIB::portmatrixMIB", "PORTMATRIX-MIB::pmPathStatusChange", "PORTMATRIX-MIB::pmCheckLastSuccess",
            "PORTMATRIX-MIB::pmPathPreviousStatus", "PORTMATRIX-MIB::pmAgentVersion", "PORTMATRIX-MIB::pmCheckTrace",
        ])
        let root = SNMPAgentConfiguration.placeholderRootOID
        #expect(result.lines == [".\(root)", ".\(root).0.1", ".\(root).1.3.1.11", ".\(root).1.2.1.11", ".\(root).1.1.9", ".\(root).1.3.1.12"], "\(result.errors)")
    }
}
