import Foundation
import PortMatrixConfiguration

extension ProxySettings {
    /// `proxy: { url: "http://proxy.example.internal:3128" }`: an HTTP proxy, port 3128 unless given.
    init(yaml value: YAMLValue) throws {
        guard let item = try value.mapping(allowed: ["url"]).first(where: { $0.key == "url" })?.value else {
            throw value.error("a proxy needs 'url', e.g. http://proxy.example.internal:3128")
        }
        let url = try item.nonEmptyString()
        guard let parsed = URL(string: url), parsed.scheme == "http", let host = parsed.host, !host.isEmpty else {
            throw item.error("'\(url)' is not an HTTP proxy URL; expected http://host:port")
        }
        let port = parsed.port ?? 3128
        guard (1...65535).contains(port) else { throw item.error("port \(port) is out of range 1-65535") }
        self.init(host: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: port, url: url)
    }
}
