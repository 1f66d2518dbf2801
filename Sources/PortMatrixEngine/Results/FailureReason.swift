/// Why a check did not pass: a fixed vocabulary, so dashboards and SNMP can count by reason.
public enum FailureReason: String, Sendable, Hashable, Codable, CaseIterable {
    case dns
    case refused
    case connectTimeout = "connect_timeout"
    case readTimeout = "read_timeout"
    /// ICMP net or host unreachable; the message names the router that said so.
    case unreachable
    /// ICMP administratively prohibited / communication filtered: a firewall on the way refuses.
    case rejected
    case reset
    case sourceAddress = "source_address"
    case tlsHandshake = "tls_handshake"
    /// A TLS handshake that stalls at the default MSS and completes with MSS 536.
    case mtuBlackhole = "mtu_blackhole"
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
