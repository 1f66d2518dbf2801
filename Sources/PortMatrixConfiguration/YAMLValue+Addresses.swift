/// Addresses as the listeners' sections write them (`nrpe:`, `status_endpoint:`).
extension YAMLValue {
    /// `0.0.0.0:5666`, `[::]:5666`, `127.0.0.1:15666`; `loopbackOnly` rejects other addresses.
    public func listenAddresses(example: String = "0.0.0.0:5666 or [::]:5666",
                                loopbackOnly isLoopback: ((String) -> Bool)? = nil) throws -> [String] {
        try list().map { node in
            let text = try node.string()
            guard case .success(let target) = TargetAddress.parse(text), let port = target.port,
                  NetworkPrefix.parseAddress(target.host) != nil, port > 0 else {
                throw node.error("'\(text)' is not a listen address; expected ADDRESS:PORT such as \(example)")
            }
            if let isLoopback, !isLoopback(target.host) {
                throw node.error("'\(text)' is not a loopback address (127.0.0.0/8 or [::1]): the endpoint has no authentication; set allowed_hosts to open it to other peers")
            }
            return text
        }
    }

    /// Addresses, networks (checked strictly: no host bits) and host names.
    public func allowedHosts() throws -> [String] {
        try list().map { node in
            let text = try node.nonEmptyString()
            let looksNumeric = text.contains("/") || text.contains(":") || text.allSatisfy { $0.isNumber || $0 == "." }
            if looksNumeric, case .failure(let error) = NetworkPrefix.parse(text) { throw node.error(error.description) }
            return text
        }
    }

    /// A positive duration (`timeout: 0s` would never wait).
    public func positiveDuration() throws -> Duration {
        let value = try duration()
        guard value > .zero else { throw error("must be greater than zero") }
        return value
    }

    /// The value at `key` of this mapping, if it is one and has it (read without recording anything).
    public func child(_ key: String) -> YAMLValue? {
        guard case .mapping(let mapping) = node else { return nil }
        return mapping.first { keyNode, _ in keyNode.scalar?.string == key }.map {
            YAMLValue(node: $0.value, path: path.isEmpty ? key : "\(path).\(key)", reader: reader)
        }
    }
}
