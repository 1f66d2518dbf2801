import Crypto
import NIOSSL
import X509

/// One `tls.allowed_clients` entry: the SHA-256 fingerprint of a client certificate
/// (`sha256:AB:CD:…`, colons optional) or a subject attribute (`CN=nagios`) or whole subject
/// (`CN=nagios,O=Example`). Checked after the chain verified against `ca_file`: a valid
/// certificate the CA signed for someone else is still refused.
enum NRPEClientPin: Sendable, Hashable {
    case sha256([UInt8])
    case subject(String)

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    init(parsing entry: String) throws(ParseError) {
        let text = entry.trimmingWhitespace()
        if text.lowercased().hasPrefix("sha256:") {
            let hex = text.dropFirst("sha256:".count).filter { $0 != ":" }
            var bytes: [UInt8] = []
            var rest = hex[...]
            while rest.count >= 2, let byte = UInt8(rest.prefix(2), radix: 16) {
                bytes.append(byte)
                rest = rest.dropFirst(2)
            }
            guard rest.isEmpty, bytes.count == 32 else {
                throw ParseError(description: "'\(entry)' is not a SHA-256 fingerprint (sha256: and 64 hex digits, colons allowed)")
            }
            self = .sha256(bytes)
        } else if text.contains("=") {
            self = .subject(Self.normalized(text))
        } else {
            throw ParseError(description: "'\(entry)' is neither sha256:FINGERPRINT nor a subject such as CN=nagios")
        }
    }

    /// What a client certificate is matched by, and named by in the log.
    struct Identity: Sendable {
        var fingerprint: [UInt8]
        var subject: String
        /// Each attribute of the subject, `CN=nagios`.
        var attributes: [String]

        init(_ certificate: NIOSSLCertificate) throws {
            let der = try certificate.toDERBytes()
            fingerprint = Array(SHA256.hash(data: der))
            let name = try Certificate(derEncoded: der).subject
            subject = NRPEClientPin.normalized(name.description)
            attributes = name.flatMap { $0.map { NRPEClientPin.normalized($0.description) } }
        }

        var fingerprintText: String { "sha256:" + fingerprint.map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined(separator: ":") }
    }

    func matches(_ identity: Identity) -> Bool {
        switch self {
        case .sha256(let bytes): bytes == identity.fingerprint
        case .subject(let text): text == identity.subject || identity.attributes.contains(text)
        }
    }

    /// No blanks around `=` and `,`, so `CN = nagios` and `CN=nagios` are one subject.
    static func normalized(_ text: String) -> String {
        text.split(separator: ",").map { part in
            part.split(separator: "=", maxSplits: 1).map { $0.trimmingWhitespace() }.joined(separator: "=")
        }.joined(separator: ",")
    }
}
