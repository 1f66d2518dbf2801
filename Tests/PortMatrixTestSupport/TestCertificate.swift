import Crypto
import Foundation
import NIOSSL
import X509

/// A throw-away self-signed certificate, with whatever validity a test needs (expired,
/// expiring in three days...).
struct TestCertificate {
    let certificate: NIOSSLCertificate
    let key: NIOSSLPrivateKey
    let pem: String

    init(commonName: String = "portmatrix.test", notBefore: Date, notAfter: Date) throws {
        let privateKey = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName(commonName) }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: .init(privateKey.publicKey),
            notValidBefore: notBefore,
            notValidAfter: notAfter,
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                KeyUsage(digitalSignature: true, keyCertSign: true)
                SubjectAlternativeNames([.dnsName(commonName)])
            },
            issuerPrivateKey: .init(privateKey)
        )
        pem = try certificate.serializeAsPEM().pemString
        self.certificate = try NIOSSLCertificate(bytes: Array(pem.utf8), format: .pem)
        key = try NIOSSLPrivateKey(bytes: Array(privateKey.pemRepresentation.utf8), format: .pem)
    }

    /// Valid from yesterday for `days` days from now (negative: expired).
    init(daysLeft days: Double, commonName: String = "portmatrix.test") throws {
        let now = Date()
        try self.init(commonName: commonName, notBefore: now.addingTimeInterval(-86_400 * 30),
                      notAfter: now.addingTimeInterval(86_400 * days))
    }

    func serverContext() throws -> NIOSSLContext {
        try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key)))
    }

    /// Writes the certificate as a CA file for `caFile` options.
    func writePEM() throws -> String {
        let path = NSTemporaryDirectory() + "portmatrix-ca-\(UUID().uuidString).pem"
        try pem.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
