import Foundation
import Synchronization

/// A fresh folder below the temporary directory for one test, removed when the test process
/// exits (a test may remove it sooner; most CLI tests do not).
public func makeTestDirectory(_ prefix: String = "portmatrix-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    TemporaryDirectories.shared.add(url.path)
    return url
}

/// A fresh directory below /tmp, removed when the test process exits (state directories,
/// configurations, certificates: a run used to leave some forty behind).
public func makeTemporaryDirectory(_ prefix: String) -> String {
    var template = Array("/tmp/\(prefix).XXXXXX".utf8CString)
    guard let pointer = mkdtemp(&template) else { fatalError("mkdtemp failed") }
    let path = String(cString: pointer)
    TemporaryDirectories.shared.add(path)
    return path
}

private final class TemporaryDirectories: Sendable {
    static let shared: TemporaryDirectories = {
        let directories = TemporaryDirectories()
        atexit { TemporaryDirectories.shared.removeAll() }
        return directories
    }()

    private let paths = Mutex<[String]>([])

    func add(_ path: String) { paths.withLock { $0.append(path) } }

    func removeAll() {
        for path in paths.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: path) }
    }
}

/// Writes `text` to the file `name` in `dir` (a configuration, a profile, a hosts file) and
/// returns where it is.
@discardableResult
public func writeFile(_ text: String, _ name: String, in dir: URL) throws -> URL {
    let file = dir.appendingPathComponent(name)
    try text.write(to: file, atomically: true, encoding: .utf8)
    return file
}
