import PortMatrixTestSupport
import Testing
@testable import PortMatrixModel

struct ProfileValidationTests {
    static let base = """
    name: lab
    roles:
      - { id: a, description: A }
      - { id: b, description: B }
    paths:

    """

    func errors(_ paths: String) -> [ConfigurationError] {
        configurationErrors { _ = try ProfileLoader.parse(Self.base + paths, file: "lab.yaml") }
    }

    @Test func unknownRoleIsNamedWithAHint() {
        let found = errors("""
          - { id: p, function: F, endpoints: [{ port: tcp/1, probe: tcp }], source: a, target: bb, applies: required }
        """)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("unknown role 'bb'; did you mean 'b'?") == true)
        #expect(found.first?.line == 6)
    }

    @Test func duplicateIdPortOutOfRangeAndEmptyEndpoints() {
        let found = errors("""
          - { id: p, function: F, endpoints: [{ port: tcp/1, probe: tcp }], source: a, target: b, applies: required }
          - { id: p, function: F, endpoints: [{ port: tcp/1, probe: tcp }], source: a, target: b, applies: required }
          - { id: q, function: F, endpoints: [{ port: udp/70000, probe: udp }], source: a, target: b, applies: required }
          - { id: r, function: F, endpoints: [], source: a, target: b, applies: required }
          - { id: s, function: F, endpoints: [{ port: tcp/2, probe: tcp }], source: a, target: b, applies: sometimes }
        """)
        let messages = found.map(\.message)
        #expect(messages.contains("duplicate path id 'p'"))
        #expect(messages.contains("port 70000 is out of range 1-65535"))
        #expect(messages.contains("a path needs at least one endpoint"))
        #expect(messages.contains { $0.contains("'sometimes' is not required") })
        #expect(found.map(\.line).sorted() == [7, 8, 9, 10])
    }

    @Test func aValidLabProfileLoadsAndPlans() throws {
        let profile = try ProfileLoader.parse(Self.base + """
          - { id: p, function: F, endpoints: [{ port: tcp/7, probe: tcp }], source: a, target: b, applies: "feature:x" }
        """, file: "lab.yaml")
        #expect(profile.features == ["x"])
        var config = SiteConfiguration()
        config.roles = ["a"]
        config.features = ["x"]
        config.hosts["b"] = [TargetAddress(host: "127.0.0.1")]
        let plan = Planner(profile: profile, configuration: config).plan()
        #expect(plan.checks.map(\.targetDescription) == ["127.0.0.1:7"])
    }
}
