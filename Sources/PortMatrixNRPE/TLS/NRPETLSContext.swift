import Logging
import NIOSSL

/// Builds the server's TLS context: TLS 1.2 and 1.3, certificate based (check_nrpe's
/// anonymous-DH fallback is not offered; BoringSSL has no ADH and every 4.x client works
/// without it).
enum NRPETLSContext {
    /// ECDHE with AES-GCM or ChaCha20-Poly1305, for ECDSA and RSA certificates.
    static let cipherSuites = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")

    static func make(_ configuration: NRPEConfiguration, logger: Logger) throws -> NIOSSLContext {
        let certFile: String
        let keyFile: String
        if let configuredCert = configuration.certFile, let configuredKey = configuration.keyFile {
            (certFile, keyFile) = (configuredCert, configuredKey)
        } else {
            let generated = try NRPESelfSignedCertificate.ensure(in: configuration.stateDirectory)
            (certFile, keyFile) = (generated.certFile, generated.keyFile)
            if generated.generated {
                logger.notice("NRPE: generated a self-signed certificate", metadata: ["cert_file": "\(certFile)", "key_file": "\(keyFile)"])
            }
        }
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certFile).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
        )
        tls.minimumTLSVersion = .tlsv12
        tls.maximumTLSVersion = .tlsv13
        // TLS 1.2: forward-secret key exchange and AEAD only (NIOSSL's default list still has
        // RSA key exchange and CBC). Every TLS 1.3 suite already is; check_nrpe 4.x offers these.
        tls.cipherSuites = Self.cipherSuites
        if let caFile = configuration.caFile {
            tls.trustRoots = .file(caFile)
            tls.sendCANameList = true
        }
        switch configuration.clientCertificates {
        case .none: tls.certificateVerification = .none
        case .ask: tls.certificateVerification = .optionalVerification
        case .require: tls.certificateVerification = .noHostnameVerification
        }
        return try NIOSSLContext(configuration: tls)
    }
}
