import PortMatrixConfiguration

/// Targets and addresses as the model's sections write them (`hosts`, `paths.<id>.targets`,
/// `source_address`).
extension YAMLValue {
    /// A non-empty list of `host` or `host:port`.
    func targets() throws -> [TargetAddress] {
        let items = try list()
        guard !items.isEmpty else { throw error("an empty target list; give at least one host, or remove the key") }
        return try items.map { try $0.target() }
    }

    func target() throws -> TargetAddress {
        switch TargetAddress.parse(try string()) {
        case .success(let target): return target
        case .failure(let failure): throw error(failure.description)
        }
    }

    /// An IPv4 or IPv6 address as written (`source_address`).
    func ipAddress() throws -> String {
        let text = try nonEmptyString()
        guard NetworkPrefix.parseAddress(text) != nil else { throw error("'\(text)' is not an IPv4 or IPv6 address") }
        return text
    }
}
