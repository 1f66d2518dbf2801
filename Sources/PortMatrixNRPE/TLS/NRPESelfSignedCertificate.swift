#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto
import SwiftASN1
import X509

/// The certificate used when the operator configures none: generated once (P-256, ten
/// years), then reused, so `check_nrpe -A` pinning keeps working across restarts.
enum NRPESelfSignedCertificate {
    static let certificateName = "nrpe-cert.pem"
    static let keyName = "nrpe-key.pem"

    /// Paths of the certificate and key in `stateDirectory`, created when missing.
    /// Returns whether they were generated now.
    static func ensure(in stateDirectory: String, hostName: String = "portmatrix") throws -> (certFile: String, keyFile: String, generated: Bool) {
        let certFile = "\(stateDirectory)/\(certificateName)"
        let keyFile = "\(stateDirectory)/\(keyName)"
        switch (POSIXFile.exists(certFile), POSIXFile.exists(keyFile)) {
        case (true, true):
            return (certFile, keyFile, false)
        case (true, false), (false, true):
            // Never overwrite half a pair: the operator may have put one file there on purpose.
            throw IncompletePair(directory: stateDirectory)
        case (false, false):
            break
        }
        try POSIXFile.makeDirectory(stateDirectory, mode: 0o700)
        let (certificatePEM, keyPEM) = try generate(commonName: hostName)
        // Key first, created 0600: a crash in between leaves no certificate without its key.
        try POSIXFile.create(keyFile, contents: keyPEM, mode: 0o600)
        try POSIXFile.create(certFile, contents: certificatePEM, mode: 0o644)
        return (certFile, keyFile, true)
    }

    struct IncompletePair: Error, CustomStringConvertible {
        var directory: String
        var description: String {
            "\(directory) holds only one of \(certificateName) and \(keyName); remove it to have both generated, or configure cert_file and key_file"
        }
    }

    static func generate(commonName: String) throws -> (certificatePEM: String, keyPEM: String) {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            OrganizationName("portmatrix")
            CommonName(commonName)
        }
        let now = Date()
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(10 * 365 * 86400),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([.dnsName(commonName)])
            },
            issuerPrivateKey: .init(key)
        )
        return (try certificate.serializeAsPEM().pemString, key.pemRepresentation)
    }
}
