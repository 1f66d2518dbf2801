import NIOCore

/// LDAP anonymous simple bind (RFC 4511); `ldaps` with TLS first.
///
/// StartTLS (extended operation 1.3.6.1.4.1.1466.20037) is attempted only when `starttls` is
/// `required`: unlike SMTP, LDAP advertises it only in the rootDSE, and trying it blindly under
/// `auto` would turn every server without it into a failed extended operation in its log.
/// A bind refused with a non-zero resultCode is a warning: the server is there and speaks LDAP.
public struct LDAPProbe: Probe {
    public let name: String
    let implicitTLS: Bool
    public let observationTypes: [any Observation.Type] = [TLSObservation.self]
    public var optionKeys: [ProbeOptionKey] { (implicitTLS ? ProbeOptionKey.tls : ProbeOptionKey.startTLS) + [.expectBanner] }

    public init(implicitTLS: Bool) {
        self.implicitTLS = implicitTLS
        self.name = implicitTLS ? "ldaps" : "ldap"
    }

    public func run(_ request: ProbeRequest, context: ProbeContext) async -> ProbeOutcome {
        await ProbeSession.run(request, context: context, start: implicitTLS ? .tls : .plain) { connection in
            var messageID: UInt8 = 1
            if !implicitTLS, request.options.starttls == .required {
                try await connection.write(LDAPMessage.startTLS(messageID: messageID))
                let response = try await readResponse(connection)
                guard response.operation == 0x78, response.resultCode == 0 else {
                    throw ProbeFailure(.protocolError, "StartTLS refused: resultCode \(response.resultCode) \(response.diagnostic.printable)")
                }
                try await connection.startTLS()
                messageID += 1
            }
            try await connection.write(LDAPMessage.anonymousBind(messageID: messageID))
            let response = try await readResponse(connection)
            guard response.operation == 0x61, response.messageID == Int(messageID) else {
                throw ProbeFailure(.protocolError, "answer to bind is not a BindResponse (tag 0x\(String(response.operation, radix: 16)))")
            }
            try? await connection.write(LDAPMessage.unbind(messageID: messageID + 1))
            var message = "anonymous bind: resultCode \(response.resultCode)"
            if let tls = connection.observations.tls { message += ", " + tls.summary }
            connection.observations.banner = message
            // LDAP has no banner: `expectBanner` is matched against this summary and the diagnostic.
            try connection.checkExpectedBanner(message + " " + response.diagnostic)
            guard response.resultCode == 0 else {
                throw ProbeFailure(.protocolError, "anonymous bind refused: resultCode \(response.resultCode) \(response.diagnostic.printable)", status: .warning)
            }
            return message
        }
    }

    private func readResponse(_ connection: ProbeConnection) async throws -> LDAPMessage.Response {
        let frame: [UInt8] = try await connection.read { buffer in
            do {
                guard let length = try LDAPMessage.frameLength(buffer.readableBytesView, maximum: ProbeConnection.bufferCapacity) else { return nil }
                return buffer.readBytes(length: length)
            } catch LDAPMessage.DecodingError.tooLong(let length) {
                throw ProbeFailure(.protocolError, "LDAP message of \(length) bytes")
            } catch LDAPMessage.DecodingError.lengthOverflow {
                throw ProbeFailure(.protocolError, "LDAP message length above 4 GiB")
            } catch {
                throw ProbeFailure(.protocolError, "not an LDAP message")
            }
        }
        do {
            return try LDAPMessage.decodeResponse(frame)
        } catch {
            throw ProbeFailure(.protocolError, "malformed LDAP response")
        }
    }
}
