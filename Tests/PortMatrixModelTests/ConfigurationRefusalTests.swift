import Foundation
import PortMatrixTestSupport
import Testing
@testable import PortMatrixModel

/// The model's section readers' refusals, each at the place of the value it concerns (the
/// cases ConfigurationTests and the CLI's ConfigValidateTests leave out).
struct ConfigurationRefusalTests {
    func errors(_ text: String) -> [String] {
        configurationErrors { _ = try ConfigurationLoader.parse(text, file: "site.yaml") }.map(\.description)
    }

    @Test func sectionsRefuseBadValues() {
        #expect(errors("roles: []") == ["site.yaml:1:8: roles: at least one local role is needed (e.g. [appliance])"])
        #expect(errors("proxy: {}") == ["site.yaml:1:8: proxy: a proxy needs 'url', e.g. http://proxy.example.internal:3128"])
        #expect(errors("proxy: { url: \"https://proxy.example.internal:3128\" }") == [
            "site.yaml:1:15: proxy.url: 'https://proxy.example.internal:3128' is not an HTTP proxy URL; expected http://host:port",
        ])
        #expect(errors("listeners: { unexpected: unknown }") == [
            "site.yaml:1:26: listeners.unexpected: 'unknown' is not one of ok, warning, critical",
        ])
        #expect(errors("source_address: mail.example.internal") == [
            "site.yaml:1:17: source_address: 'mail.example.internal' is not an IPv4 or IPv6 address",
        ])
    }

    @Test func pathOverridesRefuseBadValues() {
        #expect(errors("paths: { fetchmail: { endpoints: [] } }") == [
            "site.yaml:1:34: paths.fetchmail.endpoints: an empty endpoint list; give at least one, e.g. [tcp/995]",
        ])
        #expect(errors("paths: { fetchmail: { endpoints: [{ probe: pop3s }] } }") == [
            "site.yaml:1:35: paths.fetchmail.endpoints[0]: an endpoint needs 'port', e.g. tcp/995",
        ])
        #expect(errors("paths: { fetchmail: { timeout: 0s } }") == [
            "site.yaml:1:32: paths.fetchmail.timeout: must be greater than zero",
        ])
        #expect(errors("paths: { fetchmail: { probe: { http_path: status } } }") == [
            "site.yaml:1:43: paths.fetchmail.probe.http_path: http_path must start with /",
        ])
    }

    @Test func aFileThatIsNotUTF8IsRefused() throws {
        let dir = try makeTestDirectory("portmatrix-refusal")
        let file = dir.appendingPathComponent("latin1.yaml")
        try Data("roles: [appliance]\n# caf\u{e9}\n".data(using: .isoLatin1) ?? Data()).write(to: file)
        #expect(configurationErrorsOfLoad(file.path) == ["\(file.path):1:1: configuration file is not UTF-8 text"])
    }

    private func configurationErrorsOfLoad(_ path: String) -> [String] {
        do {
            _ = try ConfigurationLoader.load(file: path)
            Issue.record("expected an error")
            return []
        } catch let error as ConfigurationError {
            return [error.description]
        } catch {
            return ["\(error)"]
        }
    }
}
