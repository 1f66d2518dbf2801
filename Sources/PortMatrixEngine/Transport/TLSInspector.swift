import Foundation
import NIOCore
import NIOSSL
import PortMatrixModel
import X509

/// TLS client configuration from probe options, and what a finished handshake shows.
enum TLSInspector {
    /// Verification is off unless asked for: a monitoring probe must still report version and
    /// expiry of a self-signed certificate. Hostname checking needs an explicit `serverName`,
    /// because targets are often IP addresses.
    static func makeContext(options: ProbeOptions, host: String) throws -> (NIOSSLContext, serverName: String?) {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if options.verifyCertificate {
            configuration.certificateVerification = options.serverName != nil ? .fullVerification : .noHostnameVerification
            if let caFile = options.caFile { configuration.trustRoots = .file(caFile) }
        } else {
            configuration.certificateVerification = .none
            // Nothing to verify against: skip parsing the system bundle on every check.
            configuration.trustRoots = .certificates([])
        }
        // Old gateways still speak TLS 1.0; the probe reports the version, thresholds judge it.
        configuration.minimumTLSVersion = .tlsv1
        let sni = options.serverName ?? (isIPLiteral(host) ? nil : host)
        do {
            let context = try TLSContextCache.shared.context(verification: configuration.certificateVerification,
                                                           caFile: options.verifyCertificate ? options.caFile : nil) {
                try NIOSSLContext(configuration: configuration)
            }
            return (context, sni)
        } catch {
            throw ProbeFailure(.internalError, "TLS configuration unusable (caFile \(options.caFile ?? "-")): \(error)", status: .unknown)
        }
    }

    static func isIPLiteral(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        return (try? SocketAddress(ipAddress: bare, port: 0)) != nil
    }

    /// Version and leaf certificate of the finished handshake. BoringSSL's negotiated cipher is
    /// not exposed by swift-nio-ssl, so `cipher` stays empty.
    static func inspect(_ info: TLSHandshakeInfo, verified: Bool?) -> TLSObservation {
        var observation = TLSObservation(verified: verified)
        observation.version = info.version.map(name(of:))
        if let der = info.leafCertificate, let certificate = try? Certificate(derEncoded: der) {
            observation.subject = certificate.subject.description
            observation.issuer = certificate.issuer.description
            let notAfter = certificate.notValidAfter.timeIntervalSince1970
            observation.notAfter = notAfter
            observation.daysLeft = Int(((notAfter - Date().timeIntervalSince1970) / 86_400).rounded(.down))
        }
        return observation
    }

    static func name(of version: TLSVersion) -> String {
        switch version {
        case .tlsv1: return "TLSv1"
        case .tlsv11: return "TLSv1.1"
        case .tlsv12: return "TLSv1.2"
        case .tlsv13: return "TLSv1.3"
        }
    }
}

extension TLSObservation {
    /// `TLSv1.3, CN=mail.example, 87 days left` for messages.
    var summary: String {
        var parts: [String] = []
        if let version { parts.append(version) }
        if let subject { parts.append(subject) }
        if let daysLeft { parts.append("cert \(daysLeft) days left") }
        return parts.joined(separator: ", ")
    }
}
