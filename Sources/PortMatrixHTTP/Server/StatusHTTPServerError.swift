/// A listen list the status endpoint refuses whole; an address that cannot bind is a
/// ``ListenError`` (PortMatrixListening) instead, as for NRPE.
public enum StatusHTTPServerError: Error, CustomStringConvertible, Equatable {
    case invalidListenAddress(String, String)
    case shutDown

    public var description: String {
        switch self {
        case .invalidListenAddress(let text, let why): "status endpoint: listen address '\(text)': \(why)"
        case .shutDown: "status endpoint: the server was shut down"
        }
    }
}
