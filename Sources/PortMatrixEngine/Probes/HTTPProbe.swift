import PortMatrixModel
/// HTTP/1.1 request line and status line: any valid status is an answer (a 401 or 404 still
/// proves the server is there); the engine judges codes if it wants to.
public struct HTTPProbe: Probe {
    public let name: String
    let tls: Bool
    public let observationTypes: [any Observation.Type] = [HTTPObservation.self, TLSObservation.self]
    public var optionKeys: [ProbeOptionKey] { [ProbeOptionKey(.httpPath), .expectBanner] + (tls ? ProbeOptionKey.tls : []) }

    /// `http`, or `https` with TLS first.
    public init(tls: Bool) {
        self.tls = tls
        self.name = tls ? "https" : "http"
    }

    public func run(_ request: ProbeRequest, context: ProbeContext) async -> ProbeOutcome {
        await ProbeSession.run(request, context: context, start: tls ? .tls : .plain) { connection in
            let host = request.host.contains(":") && !request.host.hasPrefix("[") ? "[\(request.host)]" : request.host
            let defaultPort = tls ? 443 : 80
            let authority = request.port == defaultPort ? host : "\(host):\(request.port)"
            let path = request.options.httpPath.hasPrefix("/") ? request.options.httpPath : "/" + request.options.httpPath
            try await connection.write("HEAD \(path) HTTP/1.1\r\nHost: \(authority)\r\nUser-Agent: portmatrix\r\nAccept: */*\r\nConnection: close\r\n\r\n")
            let statusLine = try await connection.readLine(maxLength: HTTPResponseHead.maximumLength)
            connection.observations.banner = statusLine
            guard let status = HTTPStatusLine(statusLine) else {
                throw ProbeFailure(.protocolError, "not an HTTP status line: \(statusLine.prefix(80).printable)")
            }
            connection.observations.http = HTTPObservation(statusCode: status.code, statusLine: statusLine)
            try connection.checkExpectedBanner(statusLine)
            var message = statusLine.printable
            if let tls = connection.observations.tls { message += ", " + tls.summary }
            return message
        }
    }
}
