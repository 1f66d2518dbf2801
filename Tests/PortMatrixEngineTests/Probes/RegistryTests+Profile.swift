import Testing
@testable import PortMatrixEngine
import PortMatrixModel

extension RegistryTests {
    /// A profile names probes as data; every name the built-in matrix uses must have code.
    @Test func everyProbeTheSEPPmailMatrixNamesIsRegistered() throws {
        let profile = try Profile.seppmail()
        let named = Set(profile.paths.flatMap { $0.endpoints.map(\.probe) })
        let missing = named.filter { ProbeRegistry.standard.probe(named: $0) == nil }
        #expect(missing.isEmpty, "no probe for \(missing.sorted())")
        #expect(named.count >= 15)
    }
}
