import Foundation
import PortMatrixTestSupport
import Testing
@testable import PortMatrixSNMP

/// The previous persistent file, read by root from a directory the run-as account owns: every
/// shape that could make root read another file is refused with the path and the reason (the
/// symbolic and hard link of the file itself run as the agent in the CLI's PrivilegeTests).
@Suite struct NetSNMPStartupFilesTests {
    static func read(_ state: String) -> String {
        do {
            return try NetSNMPStartupFiles.previousPersistentFile(stateDirectory: state, name: "portmatrix")
        } catch {
            return "\(error)"
        }
    }

    @Test func missingIsEmptyAndAPlainFileIsRead() throws {
        let state = makeTemporaryDirectory("snmp-state")
        #expect(Self.read(state) == "")
        try FileManager.default.createDirectory(atPath: "\(state)/persist", withIntermediateDirectories: false)
        #expect(Self.read(state) == "")
        try "oldEngineID 0x80\n".write(toFile: "\(state)/persist/portmatrix.conf", atomically: false, encoding: .utf8)
        #expect(Self.read(state) == "oldEngineID 0x80\n")
    }

    @Test func unsafeShapesAreRefused() throws {
        let elsewhere = makeTemporaryDirectory("snmp-elsewhere")
        let linked = makeTemporaryDirectory("snmp-state")
        try FileManager.default.createSymbolicLink(atPath: "\(linked)/persist", withDestinationPath: elsewhere)
        #expect(Self.read(linked) == "SNMP agent failed to start: \(linked)/persist is not a directory (a symbolic link?): refusing to read it; remove it (net-snmp rebuilds its engine boots and USM keys)")

        let fifo = makeTemporaryDirectory("snmp-state")
        try FileManager.default.createDirectory(atPath: "\(fifo)/persist", withIntermediateDirectories: false)
        #expect(mkfifo("\(fifo)/persist/portmatrix.conf", 0o600) == 0)
        #expect(Self.read(fifo) == "SNMP agent failed to start: \(fifo)/persist/portmatrix.conf is not a regular file: refusing to read it; remove it (net-snmp rebuilds its engine boots and USM keys)")

        let big = makeTemporaryDirectory("snmp-state")
        try FileManager.default.createDirectory(atPath: "\(big)/persist", withIntermediateDirectories: false)
        try Data(count: NetSNMPStartupFiles.maximumPersistentSize + 1).write(to: URL(fileURLWithPath: "\(big)/persist/portmatrix.conf"))
        #expect(Self.read(big) == "SNMP agent failed to start: \(big)/persist/portmatrix.conf is larger than 1 MiB: refusing to read it; remove it (net-snmp rebuilds its engine boots and USM keys)")
    }
}
