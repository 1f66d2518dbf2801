public enum StatusHTTPServerError: Error, CustomStringConvertible, Equatable {
    case invalidListenAddress(String, String)
    case cannotListen(String, String)
    case shutDown

    public var description: String {
        switch self {
        case .invalidListenAddress(let text, let why): "status endpoint: listen address '\(text)': \(why)"
        case .cannotListen(let text, let why): "status endpoint: cannot listen on \(text): \(why)"
        case .shutDown: "status endpoint: the server was shut down"
        }
    }
}
