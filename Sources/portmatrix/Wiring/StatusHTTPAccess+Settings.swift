import PortMatrixHTTP
import PortMatrixModel

extension StatusHTTPAccess {
    /// `status_endpoint.allowed_hosts` and `server_names` (already validated by the loader).
    init(_ settings: StatusEndpointSettings) throws {
        try self.init(allowedHosts: settings.allowedHosts, serverNames: settings.serverNames)
    }
}
