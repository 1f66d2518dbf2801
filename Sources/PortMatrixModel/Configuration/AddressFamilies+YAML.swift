import PortMatrixConfiguration

extension AddressFamilies {
    /// `all`, `ipv4`, `ipv6` or `any`; anything else gets a did-you-mean.
    init(yaml value: YAMLValue) throws {
        self = try value.mode()
    }
}
