import Foundation
import Synchronization

/// A CA, a server certificate and a client certificate made with the openssl CLI, once per run.
struct TestCertificates: Sendable {
    let directory: String
    var caFile: String { "\(directory)/ca.pem" }
    var serverCert: String { "\(directory)/server.pem" }
    var serverKey: String { "\(directory)/server.key" }
    var clientCert: String { "\(directory)/client.pem" }
    var clientKey: String { "\(directory)/client.key" }
    /// A CA that signed nothing here: the server's certificate must fail against it.
    var otherCAFile: String { "\(directory)/other-ca.pem" }

    static let shared: TestCertificates = {
        let directory = makeTemporaryDirectory("nrpe-certs")
        let script = """
        set -e
        cd '\(directory)'
        ec='-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes'
        openssl req -x509 $ec -keyout ca.key -out ca.pem -days 2 -subj /CN=nrpe-test-ca
        openssl req -x509 $ec -keyout other-ca.key -out other-ca.pem -days 2 -subj /CN=nrpe-other-ca
        printf 'basicConstraints=CA:FALSE\\nkeyUsage=digitalSignature\\nextendedKeyUsage=serverAuth,clientAuth\\nsubjectAltName=IP:127.0.0.1\\n' > ext.cnf
        for who in server client; do
          openssl req $ec -keyout $who.key -out $who.csr -subj /CN=nrpe-test-$who
          openssl x509 -req -in $who.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out $who.pem -days 2 -extfile ext.cnf
        done
        """
        let result = run("/bin/sh", ["-c", script])
        precondition(result.status == 0, "openssl failed: \(result.output)")
        return TestCertificates(directory: directory)
    }()
}

/// A fresh directory below /tmp, removed when the test process exits (state directories,
/// configurations, certificates: a run used to leave some forty behind).
func makeTemporaryDirectory(_ prefix: String) -> String {
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

/// Runs a program to completion; stdout and stderr together.
@discardableResult
func run(_ executable: String, _ arguments: [String]) -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    do { try process.run() } catch { return (-1, "\(error)") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
