import PortMatrixConfiguration
import PortMatrixListening

extension StatusEndpointConfiguration {
    static let keys = ["listen", "allowed_hosts", "server_names"]

    /// The `status_endpoint:` section; mistakes are recorded on the value's reader with their
    /// position, and reading goes on.
    public init(yaml value: YAMLValue) throws {
        self.init()
        let reader = value.reader
        let entries = try value.mapping(allowed: Self.keys)
        for (key, item) in entries where key != "listen" {
            reader.attempt {
                if key == "server_names" {
                    serverNames = try item.list().map(Self.serverName)
                } else {
                    allowedHosts = try Self.allowedHosts(item)
                }
            }
        }
        guard let listen = entries.first(where: { $0.key == "listen" })?.value else { return }
        let open = !allowedHosts.isEmpty
        reader.attempt {
            // Without allowed_hosts it answers on loopback only: it has no authentication.
            self.listen = try listen.listenAddresses(example: "127.0.0.1:9166", loopbackOnly: open ? nil : { host in
                NetworkPrefix.parseAddress(host).map(AllowedHost.isLoopback) ?? false
            })
        }
    }

    private static func serverName(_ node: YAMLValue) throws -> String {
        let name = try node.nonEmptyString().lowercased()
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard NetworkPrefix.parseAddress(name) == nil, name.utf8.count <= 253, labels.allSatisfy({ label in
            !label.isEmpty && label.count <= 63 && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }) else { throw node.error("'\(name)' is not a host name (addresses need no entry here)") }
        return name
    }

    /// Addresses and networks only: a name would be resolved per connection or go stale.
    private static func allowedHosts(_ item: YAMLValue) throws -> [String] {
        let nodes = try item.list()
        guard !nodes.isEmpty else {
            throw item.error("an empty allowed_hosts; list the monitoring servers' addresses or networks, or remove the key (loopback only)")
        }
        let hosts = try item.allowedHosts()
        for (node, host) in zip(nodes, hosts) {
            let address = host.split(separator: "/").first.map(String.init) ?? host
            if NetworkPrefix.parseAddress(address) == nil {
                throw node.error("'\(host)' is not an address or network; the status endpoint does not resolve names")
            }
        }
        return hosts
    }
}
