import PortMatrixConfiguration

extension YAMLValue {
    /// `tcp/25`, `udp/53`, `tcp/10995`: a port as the matrix writes it.
    func portSpec() throws -> PortSpec {
        switch PortSpec.parse(try string()) {
        case .success(let spec): return spec
        case .failure(let failure): throw error(failure.description)
        }
    }
}
