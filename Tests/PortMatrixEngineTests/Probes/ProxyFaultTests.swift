@testable import PortMatrixEngine
import PortMatrixModel
import PortMatrixTestSupport
import Testing

/// HTTP CONNECT proxies that deny, babble, or tunnel to an SSH fixture.
@Suite struct ProxyFaultTests {
    static func proxy(answer: String, then banner: String? = nil) async throws -> FaultServer {
        try await FaultServer.start(PeerScript(onLine: { line, link in
            // The request head ends with an empty line.
            guard line.isEmpty else { return }
            link.send(answer)
            if let banner { link.send(banner) }
        }))
    }

    @Test func denyingProxyIsProxyDenied() async throws {
        try await withRunning(Self.proxy(answer: "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")) { proxy in
            let outcome = await Probing.run("ssh", host: "ssh.example.test", port: 22, proxy: ProxyEndpoint(host: "127.0.0.1", port: proxy.port))
            #expect(outcome.reason == .proxyDenied)
            #expect(outcome.observations.route == "proxy")
        }
    }

    @Test func garbageProxyIsProxyError() async throws {
        try await withRunning(Self.proxy(answer: "SSH-2.0-not-a-proxy\r\n\r\n")) { proxy in
            let outcome = await Probing.run("ssh", host: "ssh.example.test", port: 22, proxy: ProxyEndpoint(host: "127.0.0.1", port: proxy.port))
            #expect(outcome.reason == .proxyError)
        }
    }

    @Test func unreachableProxyIsProxyError() async throws {
        let server = try await FaultServer.start(PeerScript())
        let port = server.port
        await server.stop()
        let outcome = await Probing.run("ssh", host: "ssh.example.test", port: 22, proxy: ProxyEndpoint(host: "127.0.0.1", port: port))
        #expect(outcome.reason == .proxyError)
    }

    @Test func tunnelCarriesTheProtocol() async throws {
        try await withRunning(Self.proxy(answer: "HTTP/1.1 200 Connection established\r\n\r\n", then: "SSH-2.0-behind-proxy\r\n")) { proxy in
            let outcome = await Probing.run("ssh", host: "ssh.example.test", port: 22, proxy: ProxyEndpoint(host: "127.0.0.1", port: proxy.port))
            #expect(outcome.status == .ok)
            #expect(outcome.observations.banner == "SSH-2.0-behind-proxy")
            #expect(outcome.observations.route == "proxy")
            #expect(outcome.observations.peerAddress == "ssh.example.test:22")
        }
    }
}
