import Crypto
import Foundation
import SwiftASN1
import X509

/// A throw-away certificate and its P-256 key, made in-process: self-signed with whatever
/// validity a test needs (expired, expiring in three days...), or signed by a test CA for TLS
/// on 127.0.0.1 (NRPE's server and client certificates).
public struct TestCertificate {
    public let certificate: Certificate
    public let privateKey: P256.Signing.PrivateKey
    /// The certificate as PEM.
    public let pem: String
    /// The key as PKCS#8 PEM.
    public var keyPEM: String { privateKey.pemRepresentation }

    /// Self-signed, usable as a CA, with `commonName` as its DNS name.
    public init(commonName: String = "portmatrix.test", notBefore: Date, notAfter: Date) throws {
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
        try self.init(certificate: certificate, privateKey: privateKey)
    }

    /// Valid from a month ago for `days` days from now (negative: expired).
    public init(daysLeft days: Double, commonName: String = "portmatrix.test") throws {
        let now = Date()
        try self.init(commonName: commonName, notBefore: now.addingTimeInterval(-86_400 * 30),
                      notAfter: now.addingTimeInterval(86_400 * days))
    }

    /// A leaf for 127.0.0.1, for server and client authentication, signed by `issuer`; valid
    /// from an hour ago for `days` days.
    public init(commonName: String, signedBy issuer: TestCertificate, days: Double = 2) throws {
        let privateKey = P256.Signing.PrivateKey()
        let now = Date()
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: .init(privateKey.publicKey),
            notValidBefore: now.addingTimeInterval(-3_600),
            notValidAfter: now.addingTimeInterval(86_400 * days),
            issuer: issuer.certificate.subject,
            subject: try DistinguishedName { CommonName(commonName) },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                BasicConstraints.notCertificateAuthority
                KeyUsage(digitalSignature: true)
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                SubjectAlternativeNames([.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))])
            },
            issuerPrivateKey: .init(issuer.privateKey)
        )
        try self.init(certificate: certificate, privateKey: privateKey)
    }

    private init(certificate: Certificate, privateKey: P256.Signing.PrivateKey) throws {
        self.certificate = certificate
        self.privateKey = privateKey
        pem = try certificate.serializeAsPEM().pemString
    }

    /// Writes the certificate as a CA file for `caFile` options.
    public func writePEM() throws -> String {
        let path = NSTemporaryDirectory() + "portmatrix-ca-\(UUID().uuidString).pem"
        try pem.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Writes the certificate to `NAME.pem` and its key to `NAME.key` in `directory`.
    public func write(_ name: String, in directory: String) throws {
        try pem.write(toFile: "\(directory)/\(name).pem", atomically: true, encoding: .utf8)
        try keyPEM.write(toFile: "\(directory)/\(name).key", atomically: true, encoding: .utf8)
    }
}
