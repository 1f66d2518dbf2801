import NIOCore
import NIOHTTP1

/// What one client may take of the server: bounded so a slow, broken or hostile client
/// costs a little memory for a little while, never the endpoint.
public struct StatusHTTPLimits: Sendable, Hashable {
    /// Request target plus header names and values (NIO counts these, not the separators):
    /// more gets 431 and the connection closed.
    public var maxRequestHeadBytes = 8 * 1024
    public var maxHeaderCount = 64
    /// A complete request must arrive within this after the connection opens or the
    /// previous answer; a partial one then gets 408, an idle keep-alive connection is closed.
    public var requestTimeout = TimeAmount.seconds(10)
    /// After an answer that closes the connection, how long the client may take to read it
    /// (the server has stopped sending but still drains what the client sends).
    public var lingerTimeout = TimeAmount.seconds(2)
    /// Open connections across all listeners; one more gets 503 and is closed.
    public var maxConnections = 32

    public init() {}

    var decoderLimits: NIOHTTPDecoderLimitConfiguration {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = maxRequestHeadBytes
        limits.maxHeaderListSize = maxRequestHeadBytes
        limits.maxHeaderFieldCount = maxHeaderCount
        return limits
    }
}
