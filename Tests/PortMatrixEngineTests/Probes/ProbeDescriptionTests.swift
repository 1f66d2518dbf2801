import Foundation
import Logging
import NIOCore
import NIOPosix
import Testing
@testable import PortMatrixEngine
import PortMatrixEngineTestSupport
import PortMatrixModel
@testable import PortMatrixReport

/// What a probe outside the standard set looks like: its option and its observation beside it,
/// nothing else in the tree knows it. This file is that probe's whole definition.
struct KnockProbe: Probe {
    struct KnockObservation: Observation {
        static let key = "knock"
        var knocks: Int
        var answer: String
    }

    static let knocks = ProbeOption("knocks", default: 3) { try $0.int(in: 1...9) }

    let name = "knock"
    let observationTypes: [any Observation.Type] = [KnockObservation.self]
    let optionKeys = [ProbeOptionKey(KnockProbe.knocks), .expectBanner]

    func run(_ request: ProbeRequest, context: ProbeContext) async -> ProbeOutcome {
        var observations = Observations(banner: "who is there", peerAddress: "127.0.0.1:\(request.port)")
        let knocks = request.options[Self.knocks]
        observations[KnockObservation.self] = KnockObservation(knocks: knocks, answer: "come in")
        return .success("\(knocks) knocks answered", observations: observations)
    }
}

/// Probes describe themselves: option keys and values checked through the registry, and
/// observations carried into the check document by type, without a field copied by hand.
struct ProbeDescriptionTests {
    static let registry = ProbeRegistry([KnockProbe(), TCPConnectProbe()])

    static func value(_ key: String, _ text: String) -> ProbeOptionValue {
        ProbeOptionValue(key: key, text: text, file: "site.yaml", line: 7, column: 19, keyPath: "paths.knock.probe.\(key)")
    }

    @Test func theRegistryListsEachProbesOptionKeys() {
        #expect(Self.registry.probeNames == ["knock", "tcp"])
        #expect(Self.registry.optionKeys(forProbe: "knock") == ["knocks", "expect_banner"])
        #expect(Self.registry.optionKeys(forProbe: "smpt") == nil)
        let smtp = ProbeRegistry.standard.optionKeys(forProbe: "smtp") ?? []
        #expect(smtp.contains("starttls") && smtp.contains("helo_name") && !smtp.contains("query_name"))
        #expect(ProbeRegistry.standard.optionKeys(forProbe: "dns") == ["query_name", "query_type"])
        #expect(ProbeRegistry.standard.optionKeys(forProbe: "sntp") == [])
    }

    @Test func aProbesOwnOptionValueIsReadAtLoadWithItsPlace() throws {
        try Self.registry.checkOption(Self.value("knocks", "4"), forProbe: "knock")
        let error = #expect(throws: ConfigurationError.self) {
            try Self.registry.checkOption(Self.value("knocks", "12"), forProbe: "knock")
        }
        #expect(error?.description == "site.yaml:7:19: paths.knock.probe.knocks: 12 is out of range 1-9")
    }

    /// The whole of a new probe with its own option on the configuration side: its file and
    /// its line in a registry; the loader then takes its name and its option, checks the value
    /// as the probe reads it, and refuses a misspelt key with a did-you-mean, at the key's place.
    @Test func theLoaderTakesANewProbesNameAndOptionFromTheRegistry() throws {
        let standard = ProbeRegistry.standard
        let withKnock = ProbeRegistry(standard.names.compactMap { standard.probe(named: $0) } + [KnockProbe()])
        func load(_ options: String, catalog: ProbeRegistry) -> Result<SiteConfiguration, any Error> {
            let yaml = """
            paths:
              licence-ssh:
                endpoints: [{ port: tcp/22, probe: knock }]
                probe: { \(options) }
            """
            var skipped = SkippedSections()
            return Result { try ConfigurationLoader.parse(yaml, file: "site.yaml", sections: &skipped, catalog: catalog).0 }
        }
        let loaded = try load("knocks: 4", catalog: withKnock).get()
        #expect(loaded.paths["licence-ssh"]?.probe?.values["knocks"]?.text == "4")
        func message(_ result: Result<SiteConfiguration, any Error>) -> String {
            if case .failure(let error) = result { return "\(error)" }
            return "loaded"
        }
        #expect(message(load("knocks: 12", catalog: withKnock)).contains("site.yaml:4:22: paths.licence-ssh.probe.knocks: 12 is out of range 1-9"))
        #expect(message(load("knoks: 4", catalog: withKnock)).contains("did you mean 'knocks'?"))
        #expect(message(load("knocks: 4", catalog: standard)).contains("unknown probe 'knock'"))
    }

    @Test func aProbeReadsItsOwnOptionAndItsObservationReachesTheCheckDocument() async throws {
        var options = ProbeOptions()
        options.values["knocks"] = Self.value("knocks", "5")
        let request = ProbeRequest(host: "127.0.0.1", port: 7, transport: .tcp, deadline: NIODeadline.now() + .seconds(1), options: options)
        let context = ProbeContext(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "test"))
        let outcome = await KnockProbe().run(request, context: context)
        #expect(outcome.observations[KnockProbe.KnockObservation.self] == KnockProbe.KnockObservation(knocks: 5, answer: "come in"))

        let plan = try EngineFixtures.plan("paths: {}")
        let planned = try #require(plan.paths.first?.checks.first)
        let result = CheckResult(check: planned, status: .ok, reason: nil, message: outcome.message, phases: outcome.phases,
                                 observations: outcome.observations, startedAt: Date(timeIntervalSince1970: 0), duration: 0.001,
                                 consecutiveFailures: 0, lastSuccess: nil)
        let json = try JSON.encodeReport(CheckDocument.Check(result))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let knock = try #require(object["knock"] as? [String: Any])
        #expect(knock["knocks"] as? Int == 5 && knock["answer"] as? String == "come in")
        #expect(object["banner"] as? String == "who is there" && object["peer_address"] as? String == "127.0.0.1:7")
        #expect(object["observations"] == nil && object["tls"] == nil)

        // Read back, as `--status FILE` does, with the registry that knows the type.
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.userInfo[.observationTypes] = Self.registry.observationTypes
        let back = try decoder.decode(CheckDocument.Check.self, from: Data(json.utf8))
        #expect(back.observations == outcome.observations)
    }

    @Test func theStandardObservationsKeepTheirKeysAndShapes() throws {
        let observations = Observations(
            banner: "220 mx", tls: TLSObservation(version: "TLSv1.3", cipher: "TLS_AES_128_GCM_SHA256", notAfter: 2e9, daysLeft: 40, verified: true),
            ntp: NTPObservation(offset: 0.5, delay: 0.25, stratum: 2, leap: 0, refid: "GPS"), dns: DNSObservation(rcode: "NOERROR", answers: 13),
            smtp: SMTPObservation(starttls: true, extensions: ["STARTTLS"]), http: HTTPObservation(statusCode: 200, statusLine: "HTTP/1.1 200 OK"),
            udp: .noAnswer, peerAddress: "127.0.0.1:25", route: "proxy")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(observations), as: UTF8.self)
        #expect(json == #"{"banner":"220 mx","dns":{"answers":13,"rcode":"NOERROR","truncated":false},"http":{"status_code":200,"status_line":"HTTP\/1.1 200 OK"},"#
            + #""ntp":{"delay":0.25,"leap":0,"offset":0.5,"refid":"GPS","stratum":2},"peer_address":"127.0.0.1:25","route":"proxy","#
            + #""smtp":{"extensions":["STARTTLS"],"starttls":true},"#
            + #""tls":{"cipher":"TLS_AES_128_GCM_SHA256","days_left":40,"not_after":2000000000,"verified":true,"version":"TLSv1.3"},"udp":"no_answer"}"#)
        #expect(try JSONDecoder().decode(Observations.self, from: Data(json.utf8)) == observations)
    }
}
