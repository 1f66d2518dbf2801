import Foundation

/// A fresh folder below the temporary directory for one test, which removes it when it ends.
public func makeTestDirectory(_ prefix: String = "portmatrix-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes `text` to the file `name` in `dir` (a configuration, a profile, a hosts file) and
/// returns where it is.
@discardableResult
public func writeFile(_ text: String, _ name: String, in dir: URL) throws -> URL {
    let file = dir.appendingPathComponent(name)
    try text.write(to: file, atomically: true, encoding: .utf8)
    return file
}
