/// Why a check did not pass: a fixed vocabulary, so dashboards and SNMP can count by reason.
public enum FailureReason: String, Sendable, Hashable, Codable, CaseIterable {
    case dns
    case refused
    case connectTimeout = "connect_timeout"
    case readTimeout = "read_timeout"
    case unreachable
    case reset
    case sourceAddress = "source_address"
    case tlsHandshake = "tls_handshake"
    case certInvalid = "cert_invalid"
    case certExpiring = "cert_expiring"
    case bannerMismatch = "banner_mismatch"
    case protocolError = "protocol_error"
    case proxyDenied = "proxy_denied"
    case proxyError = "proxy_error"
    case noAnswer = "no_answer"
    case kissOfDeath = "kiss_of_death"
    case ntpOffset = "ntp_offset"
    case latency
    case notListening = "not_listening"
    case discouraged
    case noTarget = "no_target"
    case stale
    case internalError = "internal"
}
