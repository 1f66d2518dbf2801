import Foundation
import PortMatrixSNMP
import Testing

@Suite struct MIBLintTests {
    @Test func mibIsCleanUnderSmilintLevel6() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/smilint")
        process.arguments = ["-l", "6", "-s", TestEnvironment.mibFile.path]
        process.environment = [
            "SMIPATH": TestEnvironment.sharedDirectory.appendingPathComponent("mibs/ietf").path + ":/usr/share/snmp/mibs",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(text == "")
        #expect(process.terminationStatus == 0)
    }

    /// The MIB file and the agent's constants must name the same OIDs.
    @Test func mibOIDsMatchTheAgent() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try SNMPTool(directory: directory).run("snmptranslate", [
            "-M", TestEnvironment.mibDirectories, "-m", "PORTMATRIX-MIB", "-On",
            "PORTMATRIX-MIB::portmatrixMIB", "PORTMATRIX-MIB::pmPathStatusChange", "PORTMATRIX-MIB::pmCheckLastSuccess",
            "PORTMATRIX-MIB::pmPathPreviousStatus", "PORTMATRIX-MIB::pmAgentVersion",
        ])
        let root = SNMPAgentConfiguration.placeholderRootOID
        #expect(result.lines == [".\(root)", ".\(root).0.1", ".\(root).1.3.1.11", ".\(root).1.2.1.11", ".\(root).1.1.9"], "\(result.errors)")
    }
}
