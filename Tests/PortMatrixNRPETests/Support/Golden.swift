import Foundation

/// Packets captured from check_nrpe 4.1.0 talking to nrpe 4.1.0 (Fixtures/capture.sh).
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/golden")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent("\(name).bin")))
    }
}
