import Foundation
import Logging
import NIOCore
import NIOPosix
@testable import PortMatrixEngine
import PortMatrixModel

/// Runs registered probes the way the scheduler does: `registry.probe(named:)?.run(...)`.
enum Probing {
    static let context = ProbeContext(eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
                                      logger: Logger(label: "portmatrix.tests"))

    static func run(_ probe: String, host: String = "127.0.0.1", port: Int, transport: Transport = .tcp,
                    seconds: Int64 = 2, sourceAddress: String? = nil, proxy: ProxyEndpoint? = nil,
                    options configure: (inout ProbeOptions) -> Void = { _ in }) async -> ProbeOutcome {
        var options = ProbeOptions()
        configure(&options)
        let request = ProbeRequest(host: host, port: port, transport: transport, deadline: .now() + .seconds(seconds),
                                   sourceAddress: sourceAddress, proxy: proxy, options: options)
        guard let implementation = ProbeRegistry.standard.probe(named: probe) else {
            return .failure(.internalError, "no probe named \(probe)", status: .unknown)
        }
        return await implementation.run(request, context: context)
    }

    /// Whether ::1 is configured on this host (containers sometimes lack it).
    static var hasIPv6Loopback: Bool {
        (try? String(contentsOfFile: "/proc/net/if_inet6", encoding: .utf8))?
            .contains("00000000000000000000000000000001") ?? false
    }
}
