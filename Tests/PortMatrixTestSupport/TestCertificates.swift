import Foundation

/// A CA, a server certificate and a client certificate for TLS on 127.0.0.1, written as PEM
/// files once per run (TestCertificate makes them in-process).
public struct TestCertificates: Sendable {
    public let directory: String
    public var caFile: String { "\(directory)/ca.pem" }
    public var serverCert: String { "\(directory)/server.pem" }
    public var serverKey: String { "\(directory)/server.key" }
    public var clientCert: String { "\(directory)/client.pem" }
    public var clientKey: String { "\(directory)/client.key" }
    /// A CA that signed nothing here: the server's certificate must fail against it.
    public var otherCAFile: String { "\(directory)/other-ca.pem" }

    public static let shared: TestCertificates = {
        let directory = makeTemporaryDirectory("nrpe-certs")
        do {
            let ca = try TestCertificate(commonName: "nrpe-test-ca", notBefore: Date().addingTimeInterval(-3_600),
                                         notAfter: Date().addingTimeInterval(86_400 * 2))
            try ca.write("ca", in: directory)
            try TestCertificate(commonName: "nrpe-other-ca", notBefore: Date().addingTimeInterval(-3_600),
                                notAfter: Date().addingTimeInterval(86_400 * 2)).write("other-ca", in: directory)
            for who in ["server", "client"] {
                try TestCertificate(commonName: "nrpe-test-\(who)", signedBy: ca).write(who, in: directory)
            }
        } catch {
            fatalError("cannot make the test certificates: \(error)")
        }
        return TestCertificates(directory: directory)
    }()
}
