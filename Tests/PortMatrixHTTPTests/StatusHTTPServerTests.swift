import Foundation
import NIOCore
import PortMatrixHTTP
import PortMatrixTestSupport
import Testing

/// The status endpoint's server against real curl (and a raw socket for what curl will not
/// send) on 127.0.0.1. After every bad request, the next good one must still be served.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")))
struct StatusHTTPServerTests {
    /// The server is still there and serving: a plain GET after each bad request.
    func expectServed(_ server: TestServer, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let after = try await server.curl([])
        #expect(after.code == 200 && after.output == TestRoutes.data, "after: \(after.code) \(after.stderr)", sourceLocation: sourceLocation)
    }

    @Test func getAndHeadOfEachRoute() async throws {
        try await TestServer.withRunning { server in
            let data = try await server.curl(["-i"])
            #expect(data.code == 200)
            #expect(data.header("Content-Type") == "text/plain; charset=utf-8")
            #expect(data.header("Content-Length") == "\(TestRoutes.data.utf8.count)")
            #expect(data.body == TestRoutes.data)
            let json = try await server.curl(["-i"], path: "/json?ignored=1")
            #expect(json.code == 200)
            #expect(json.header("Content-Type") == "application/json")
            #expect(json.body == TestRoutes.json)
            // HEAD: the same head, no body.
            let head = try await server.curl(["-I"])
            #expect(head.code == 200)
            #expect(head.header("Content-Length") == "\(TestRoutes.data.utf8.count)")
            #expect(head.body == "")
            let index = try await server.curl([], path: "/")
            #expect(index.output == "/data\n/json\n")
            #expect(server.log.refusals.isEmpty, "\(server.log.refusals)")
        }
    }

    @Test func unknownPathIs404() async throws {
        try await TestServer.withRunning { server in
            let missing = try await server.curl(["-i"], path: "/nope")
            #expect(missing.code == 404)
            #expect(missing.body.contains("/nope"))
            #expect(server.answers(404) == 1)
            try await expectServed(server)
        }
    }

    @Test func otherMethodsAre405WithAllow() async throws {
        try await TestServer.withRunning { server in
            for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
                let result = try await server.curl(["-i", "-X", method])
                #expect(result.code == 405, "\(method)")
                #expect(result.header("Allow") == "GET, HEAD", "\(method)")
            }
            // With a body the answer is the same, and the connection closes rather than read it.
            let post = try await server.curl(["-i", "--data-binary", "a=1"])
            #expect(post.code == 405)
            #expect(post.header("Connection") == "close")
            #expect(server.answers(405) == 5)
            try await expectServed(server)
        }
    }

    @Test func requestBodiesAre413() async throws {
        try await TestServer.withRunning { server in
            let small = try await server.curl(["-i", "-X", "GET", "--data-binary", "abc"])
            #expect(small.code == 413)
            #expect(small.header("Connection") == "close")
            // A megabyte the server never reads: the client still gets the answer, not a reset.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("portmatrix-body-\(UUID().uuidString)")
            try Data(repeating: 0x61, count: 1 << 20).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let large = try await server.curl(["-i", "-X", "GET", "-H", "Expect:", "--data-binary", "@\(file.path)"])
            #expect(large.code == 413, "\(large.stderr)")
            let chunked = try await server.curl(["-i", "-X", "GET", "-H", "Transfer-Encoding: chunked", "--data-binary", "abc"])
            #expect(chunked.code == 413)
            #expect(server.answers(413) == 3)
            try await expectServed(server)
        }
    }

    @Test func garbageIs400ThenClosed() async throws {
        try await TestServer.withRunning { server in
            let inputs: [[UInt8]] = [
                Array("GARBAGE\r\n\r\n".utf8),
                [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03] + Array(repeating: 0, count: 64),  // a TLS ClientHello
                Array("GET /data HTTP/9.9\r\n\r\n".utf8),
                Array("GET /data HTTP/1.1\r\nBad Header\r\n\r\n".utf8),
                Array("GET /data HTTP/1.1\r\nContent-Length: -5\r\n\r\n".utf8),
                Array("GET data HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8),
            ]
            for bytes in inputs {
                let connection = try LoopbackClient(port: server.port)
                try connection.write(bytes)
                let (answer, closed) = await connection.readToEnd()
                #expect(answer.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "\(bytes.prefix(20)): \(answer)")
                #expect(answer.contains("Connection: close"))
                #expect(closed)
                try await expectServed(server)
            }
            #expect(server.answers(400) == inputs.count, "\(server.log.all)")
        }
    }

    @Test func oversizedRequestHeadIs431() async throws {
        try await TestServer.withRunning { server in
            let big = try await server.curl(["-i", "-H", "X-Big: " + String(repeating: "b", count: 9000)])
            #expect(big.code == 431)
            let longTarget = try await server.curl(["-i"], path: "/data?" + String(repeating: "q", count: 9000))
            #expect(longTarget.code == 431)
            let many = try await server.curl(["-i"] + (1...70).flatMap { ["-H", "X-H\($0): v"] })
            #expect(many.code == 431)
            // Under the limit is fine.
            let fits = try await server.curl(["-H", "X-Big: " + String(repeating: "b", count: 6000)])
            #expect(fits.code == 200)
            #expect(server.answers(431) == 3)
            try await expectServed(server)
        }
    }

    @Test func slowAndSilentClientsAreClosed() async throws {
        try await TestServer.withRunning { server in
            // Half a request, then nothing: 408 once the request timeout passes.
            let slow = try LoopbackClient(port: server.port)
            try slow.write("GET /data HTTP/1.1\r\nHost: localhost\r\n")
            let (answer, closed) = await slow.readToEnd()
            #expect(answer.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"), "\(answer)")
            #expect(closed)
            try await expectServed(server)
            // A connection that never says anything: closed without an answer.
            let silent = try LoopbackClient(port: server.port)
            let (nothing, silentClosed) = await silent.readToEnd()
            #expect(nothing == "")
            #expect(silentClosed)
            #expect(server.log.messages(containing: "no complete request within 1 s").count == 1)
            #expect(server.log.messages(containing: "no request within 1 s").count == 1)
            try await expectServed(server)
        }
    }

    @Test func keepAliveAndPipelinedRequests() async throws {
        try await TestServer.withRunning { server in
            // curl reuses one connection for both transfers.
            let both = try await runTool("/usr/bin/curl", ["-sS", "-w", "%{http_code} %{num_connects}\n", "\(server.base)/data", "\(server.base)/json"])
            #expect(both.stdout == TestRoutes.data + "200 1\n" + TestRoutes.json + "200 0\n", "the second transfer made no new connection")
            // Three requests in one write: three answers in order; the last asks to close.
            let raw = try LoopbackClient(port: server.port)
            try raw.write("GET /json HTTP/1.1\r\nHost: localhost\r\n\r\nHEAD /data HTTP/1.1\r\nHost: localhost\r\n\r\nGET /data HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            let (answers, closed) = await raw.readToEnd()
            #expect(answers.components(separatedBy: "HTTP/1.1 200 OK").count == 4, "\(answers)")
            #expect(answers.hasSuffix(TestRoutes.data))
            let json = try #require(answers.range(of: TestRoutes.json)), data = try #require(answers.range(of: TestRoutes.data))
            #expect(json.lowerBound < data.lowerBound)
            #expect(closed)
            // HTTP/1.0 without keep-alive: answered and closed.
            let old = try await server.curl(["-i", "--http1.0"])
            #expect(old.code == 200)
            #expect(old.header("Connection") == "close")
        }
    }

    @Test func aClientThatDoesNotReadIsDropped() async throws {
        try await TestServer.withRunning({ $0.requestTimeout = .seconds(30) }) { server in
            // 64 megabytes of answers asked for in one write, none read.
            let greedy = try LoopbackClient(port: server.port)
            try greedy.write(String(repeating: "GET /big HTTP/1.1\r\nHost: localhost\r\n\r\n", count: 64))
            #expect(eventually(timeout: 20, every: 0.05) { !server.log.messages(containing: "does not read its answers").isEmpty })
            #expect(eventually(timeout: 10, every: 0.02) { server.server.openConnections == 0 })
            greedy.close()
            let big = try await server.curl([], path: "/big")
            #expect(big.code == 200 && big.output == TestRoutes.big)
            try await expectServed(server)
        }
    }

    @Test func connectionLimitAnswers503() async throws {
        try await TestServer.withRunning({ $0.maxConnections = 2; $0.requestTimeout = .seconds(30) }) { server in
            let held = [try LoopbackClient(port: server.port), try LoopbackClient(port: server.port)]
            #expect(eventually(timeout: 10, every: 0.02) { server.server.openConnections == 2 })
            let refused = try await server.curl(["-i"])
            #expect(refused.code == 503)
            #expect(server.answers(503) == 1)
            held.forEach { $0.close() }
            #expect(eventually(timeout: 10, every: 0.02) { server.server.openConnections == 0 })
            try await expectServed(server)
        }
    }

    @Test func updateKeepsUnchangedListenersAndBindsNewOnes() async throws {
        try await TestServer.withRunning { server in
            let second = try freePort()
            let both = try await server.server.update(listen: ["127.0.0.1:0", "127.0.0.1:\(second)"])
            #expect(both.map(\.port) == [server.port, second], "the unchanged listener keeps its port")
            #expect(try await Curl.run(["http://127.0.0.1:\(second)/data"]).code == 200)
            try await expectServed(server)

            // A bad address: an error, and the listeners stay as they were.
            await #expect(throws: StatusHTTPServerError.self) { try await server.server.update(listen: ["127.0.0.1:0", "nonsense"]) }
            #expect(await server.server.boundAddresses.map(\.port) == [server.port, second])
            try await expectServed(server)

            // A port in use: logged, and the other addresses apply (NRPE's policy too).
            let taken = try TCPListener()
            defer { taken.close() }
            let applied = try await server.server.update(listen: ["127.0.0.1:0", "127.0.0.1:\(second)", "127.0.0.1:\(taken.port)"])
            #expect(applied.map(\.port) == [server.port, second])
            #expect(server.log.messages(containing: "status endpoint: cannot listen on 127.0.0.1:\(taken.port): Address already in use").count == 1,
                    "\(server.log.all)")
            try await expectServed(server)

            // Dropping the first closes it; the second goes on serving.
            let only = try await server.server.update(listen: ["127.0.0.1:\(second)"])
            #expect(only.map(\.port) == [second])
            let gone = try await server.curl([])
            #expect(gone.status == 7, "connection refused: \(gone.stderr)")
            #expect(try await Curl.run(["http://127.0.0.1:\(second)/data"]).code == 200)
        }
    }

    @Test func shutdownClosesListenersAndConnections() async throws {
        let server = try await TestServer.start { $0.requestTimeout = .seconds(30) }
        let idle = try LoopbackClient(port: server.port)
        #expect(eventually(timeout: 10, every: 0.02) { server.server.openConnections == 1 })
        await server.stop()
        let (text, closed) = await idle.readToEnd()
        #expect(text == "" && closed)
        let after = try await server.curl([])
        #expect(after.status == 7, "connection refused: \(after.stderr)")
        await #expect(throws: StatusHTTPServerError.shutDown) { try await server.server.update(listen: ["127.0.0.1:0"]) }
    }
}
