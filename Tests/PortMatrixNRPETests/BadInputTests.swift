import Foundation
import PortMatrixTestSupport
import Testing
@testable import PortMatrixNRPE

/// Input check_nrpe never sends. Each test ends with a normal check_nrpe that must succeed,
/// and each bad connection must leave exactly one log line saying why it was closed.
@Suite(.enabled(if: CheckNRPE.isInstalled, "needs nagios-nrpe-plugin"))
struct BadInputTests {
    static let query = NRPEPacket(version: .v4, type: .query, text: "_NRPE_CHECK").encoded()

    /// Sends `bytes` on plaintext, expects the server to close without a byte of reply, and
    /// returns the log line it wrote.
    private func sendAndExpectSilentClose(_ bytes: [UInt8], finish: Bool = false) async throws -> String? {
        let server = try await TestServer.start { $0.tlsMode = .off }
        let reply = try await offCooperativePool { () -> Result<[UInt8]?, any Error> in
            Result {
                let client = try LoopbackClient(port: server.port)
                client.send(bytes)
                if finish { client.finishWriting() }
                return client.readUntilClosed(seconds: 10)
            }
        }.get()
        let normal = await server.check(["-n"])
        await server.stop()
        #expect(reply == [])
        #expect(normal.status == 0)
        #expect(normal.text == "NRPE v4.1.0 (portmatrix)")
        #expect(server.log.refusals.count == 1)
        return server.log.refusals.first
    }

    @Test func garbage() async throws {
        let line = try await sendAndExpectSilentClose(Array("GET / HTTP/1.0\r\n\r\n".utf8))
        #expect(line?.contains("bad packet version") == true)
        #expect(line?.contains("127.0.0.1:") == true)
    }

    @Test func truncatedPacket() async throws {
        let line = try await sendAndExpectSilentClose(Array(Self.query.prefix(20)), finish: true)
        #expect(line?.contains("truncated packet: 20 of 28 bytes") == true)
    }

    @Test func wrongCRC() async throws {
        var bytes = Self.query
        bytes[5] ^= 0xff
        let line = try await sendAndExpectSilentClose(bytes)
        #expect(line?.contains("bad CRC-32") == true)
    }

    @Test func bufferLength2GiB() async throws {
        var header = Array(Self.query.prefix(16))
        header[12...15] = [0x80, 0, 0, 0]
        let line = try await sendAndExpectSilentClose(header)
        #expect(line?.contains("buffer_length 2147483648 exceeds") == true)
    }

    @Test func v2OfWrongSize() async throws {
        let v2 = NRPEPacket(version: .v2, type: .query, text: "_NRPE_CHECK").encoded()
        let line = try await sendAndExpectSilentClose(Array(v2.prefix(1000)), finish: true)
        #expect(line?.contains("v2 packet of 1000 bytes") == true)
    }

    @Test func responseInsteadOfQuery() async throws {
        let line = try await sendAndExpectSilentClose(NRPEPacket(version: .v4, type: .response, text: "hi").encoded())
        #expect(line?.contains("response packet") == true)
    }

    @Test func bytesAfterTheQueryAreIgnored() async throws {
        let server = try await TestServer.start { $0.tlsMode = .off }
        let reply = try await offCooperativePool { () -> Result<[UInt8]?, any Error> in
            Result {
                let client = try LoopbackClient(port: server.port)
                client.send(Self.query + Array("trailing garbage".utf8))
                return client.readUntilClosed(seconds: 10)
            }
        }.get()
        await server.stop()
        let packet = try NRPEPacket(decoding: #require(reply))
        #expect(packet.text == "NRPE v4.1.0 (portmatrix)")
        #expect(server.log.refusals.isEmpty)
    }

    @Test func tlsClientOnPlaintextListener() async throws {
        let server = try await TestServer.start { $0.tlsMode = .off }
        let tls = await server.check()
        let normal = await server.check(["-n"])
        await server.stop()
        #expect(tls.status != 0)
        #expect(normal.status == 0)
        // check_nrpe retries with v2 after the first failure: one line per connection.
        #expect(server.log.refusals.count >= 1)
        #expect(server.log.refusals.allSatisfy { $0.contains("TLS handshake on a plaintext listener") })
    }

    @Test func plaintextClientOnTLSListener() async throws {
        let server = try await TestServer.start()
        let plain = await server.check(["-n"])
        let normal = await server.check()
        await server.stop()
        #expect(plain.status != 0)
        #expect(normal.status == 0)
        #expect(server.log.refusals.count >= 1)
        #expect(server.log.refusals.allSatisfy { $0.contains("TLS handshake failed: not TLS, a plaintext client (check_nrpe -n)") })
    }

    @Test func thousandIdleConnections() async throws {
        let server = try await TestServer.start {
            $0.maxConnections = 64
            $0.connectionTimeout = 2
        }
        let idle = await offCooperativePool { (0..<1000).compactMap { _ in try? LoopbackClient(port: server.port) } }
        #expect(server.server.openConnections <= 64)
        // Bounded by max_connections now, by the request timeout soon: a query gets through.
        var result = await server.check()
        for _ in 0..<20 where result.status != 0 {
            try await Task.sleep(for: .milliseconds(500))
            result = await server.check()
        }
        await server.stop()
        #expect(result.status == 0)
        #expect(result.text == "NRPE v4.1.0 (portmatrix)")
        // 936 refused for max_connections: 100 lines and one that says the rest are counted.
        let limited = server.log.messages(containing: "without reply: 64 connections open (max_connections)")
        #expect((1...100).contains(limited.count))
        #expect(limited.count < 100 || server.log.messages(containing: "refusals (max_connections) within 60 s").count == 1)
        #expect(!server.log.messages(containing: "no complete request within 2 s").isEmpty, "another reason still logs")
        withExtendedLifetime(idle) {}
    }

    @Test func byteAtATimeClientIsCut() async throws {
        let server = try await TestServer.start {
            $0.tlsMode = .off
            $0.connectionTimeout = 2
        }
        let client = try LoopbackClient(port: server.port)
        let closed = await offCooperativePool {
            var closed = false
            for byte in Self.query where !closed {
                closed = !client.send([byte]) || client.readUntilClosed(seconds: 0.3) != nil
            }
            return closed
        }
        let normal = await server.check(["-n"])
        await server.stop()
        #expect(closed)
        #expect(server.log.refusals == server.log.messages(containing: "no complete request within 2 s"))
        #expect(server.log.refusals.count == 1)
        #expect(normal.status == 0)
    }
}
