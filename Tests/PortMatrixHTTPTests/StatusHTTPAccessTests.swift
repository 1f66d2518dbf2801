import Foundation
import NIOCore
import PortMatrixTestSupport
import Testing
@testable import PortMatrixHTTP

/// Which hosts and peers the status endpoint answers (DNS rebinding): the parsing and matching.
@Suite struct StatusHTTPAccessTests {
    @Test(arguments: [
        ("localhost", StatusHTTPAccess.HostName.name("localhost")), ("LocalHost:9166", .name("localhost")),
        ("127.0.0.1", .address([127, 0, 0, 1])), ("127.0.0.1:9166", .address([127, 0, 0, 1])), ("localhost:", .name("localhost")),
        ("[::1]:9166", .address(Array(repeating: 0, count: 15) + [1])), ("[::1]", .address(Array(repeating: 0, count: 15) + [1])),
        ("evil.example", .name("evil.example")), ("192.0.2.1:80", .address([192, 0, 2, 1])),
    ])
    func hostNames(text: String, expected: StatusHTTPAccess.HostName) {
        #expect(StatusHTTPAccess.hostName(text) == expected)
    }

    @Test(arguments: ["", ":9166", "[::1", "[::1]x", "::1", "localhost:99999", "localhost:9a", "evil..example", "localhost.",
                      "[127.0.0.1]", "[fe80::1%eth0]", "a b", "127.0.0.1:1:2", "\u{430}pple.example"])
    func malformedHosts(text: String) {
        #expect(StatusHTTPAccess.hostName(text) == nil)
        #expect(StatusHTTPAccess.loopbackOnly.refusal(host: text) != nil)
    }

    @Test func byDefaultOnlyLoopbackNamesAndPeers() throws {
        let access = StatusHTTPAccess.loopbackOnly
        for host in ["localhost", "localhost:9166", "127.0.0.1:9166", "127.8.9.10", "[::1]:9166", "[::ffff:127.0.0.1]:9166"] {
            #expect(access.refusal(host: host) == nil, "\(host)")
        }
        for host in ["evil.example", "evil.example:9166", "192.0.2.1:9166", "[2001:db8::1]", "localhost.evil.example"] {
            #expect(access.refusal(host: host) != nil, "\(host)")
        }
        #expect(access.admits(peer: try SocketAddress(ipAddress: "127.0.0.1", port: 1)))
        #expect(access.admits(peer: try SocketAddress(ipAddress: "::1", port: 1)))
        #expect(access.admits(peer: try SocketAddress(ipAddress: "::ffff:127.0.0.1", port: 1)))
        #expect(!access.admits(peer: try SocketAddress(ipAddress: "192.0.2.7", port: 1)))
        #expect(!access.admits(peer: try SocketAddress(ipAddress: "2001:db8::7", port: 1)))
        #expect(!access.admits(peer: nil))
    }

    @Test func allowedHostsOpenPeersAndIPLiteralsAndServerNamesAddNames() throws {
        let access = try StatusHTTPAccess(allowedHosts: ["192.0.2.0/24", "2001:db8::/32"], serverNames: ["Status.Example.Internal"])
        #expect(access.admits(peer: try SocketAddress(ipAddress: "192.0.2.7", port: 1)))
        #expect(access.admits(peer: try SocketAddress(ipAddress: "2001:db8::7", port: 1)))
        #expect(access.admits(peer: try SocketAddress(ipAddress: "127.0.0.1", port: 1)), "loopback stays allowed")
        #expect(!access.admits(peer: try SocketAddress(ipAddress: "198.51.100.1", port: 1)))
        for host in ["192.0.2.1:9166", "198.51.100.9", "[2001:db8::1]:9166", "status.example.internal:9166", "localhost"] {
            #expect(access.refusal(host: host) == nil, "\(host)")
        }
        #expect(access.refusal(host: "evil.example") != nil)
        #expect(throws: (any Error).self) { try StatusHTTPAccess(allowedHosts: ["monitor.example"], serverNames: []) }
    }
}

/// The same against a running server with real curl: a browser's rebinding request names its
/// own DNS name (curl `--resolve` or `-H Host:`) and gets 421, never the data.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")))
struct StatusHTTPHostTests {
    @Test func rebindingHostsAreRefusedWith421() async throws {
        try await TestServer.withRunning { server in
            // Before: answered 200 with the data whatever the Host said.
            let evil = try await server.curl(["-i", "-H", "Host: evil.example"])
            #expect(evil.code == 421, "\(evil.output)")
            #expect(!evil.output.contains(TestRoutes.data))
            let resolved = try await Curl.run(["-i", "--resolve", "evil.example:\(server.port):127.0.0.1", "http://evil.example:\(server.port)/data"])
            #expect(resolved.code == 421, "\(resolved.output) \(resolved.stderr)")
            #expect(!resolved.output.contains(TestRoutes.data))
            let literal = try await server.curl(["-H", "Host: 192.0.2.1:9166"])
            #expect(literal.code == 421, "without allowed_hosts only loopback addresses")
            for host in ["localhost", "localhost:\(server.port)", "127.0.0.1", "[::1]:\(server.port)"] {
                let good = try await server.curl(["-H", "Host: \(host)"])
                #expect(good.code == 200 && good.output == TestRoutes.data, "\(host): \(good.code)")
            }
            #expect(try await server.curl([]).code == 200, "curl's own Host: 127.0.0.1:PORT")
            let named = try await Curl.run(["--resolve", "localhost:\(server.port):127.0.0.1", "http://localhost:\(server.port)/data"])
            #expect(named.code == 200)
            #expect(server.answers(421) == 3, "one rate-limited log line each: \(server.log.all)")
            #expect(server.log.messages(containing: "evil.example").count == 2)
        }
    }

    @Test func absoluteFormMissingAndRepeatedHosts() async throws {
        try await TestServer.withRunning { server in
            let cases: [(String, String)] = [
                ("GET http://evil.example/data HTTP/1.1\r\nHost: localhost\r\n\r\n", "HTTP/1.1 421 Misdirected Request\r\n"),
                ("GET /data HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n"),
                ("GET /data HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n"),
                ("GET http://localhost:1/data HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", "HTTP/1.1 200 OK\r\n"),
                ("GET /data HTTP/1.0\r\n\r\n", "HTTP/1.1 200 OK\r\n"),
            ]
            for (request, expected) in cases {
                let client = try LoopbackClient(port: server.port)
                try client.write(request)
                let (answer, _) = await client.readToEnd()
                #expect(answer.hasPrefix(expected), "\(request.debugDescription): \(answer)")
                #expect(answer.hasSuffix(TestRoutes.data) == expected.contains("200"))
            }
        }
    }

    @Test func allowedHostsAnswerIPLiteralsAndServerNamesUntilAReloadTakesThemAway() async throws {
        try await TestServer.withRunning(
            access: try StatusHTTPAccess(allowedHosts: ["192.0.2.0/24"], serverNames: ["status.example.internal"])) { server in
            for host in ["192.0.2.1:9166", "198.51.100.1", "status.example.internal:9166", "localhost"] {
                let result = try await server.curl(["-H", "Host: \(host)"])
                #expect(result.code == 200, "\(host)")
            }
            #expect(try await server.curl(["-H", "Host: evil.example"]).code == 421)
            server.server.update(access: .loopbackOnly)
            #expect(try await server.curl(["-H", "Host: 192.0.2.1:9166"]).code == 421)
            #expect(try await server.curl(["-H", "Host: status.example.internal"]).code == 421)
            #expect(try await server.curl(["-H", "Host: localhost"]).code == 200)
        }
    }
}
