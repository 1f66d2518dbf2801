import Testing
@testable import PortMatrixModel

struct NagiosRangeTests {
    func range(_ text: String) throws -> NagiosRange { try NagiosRange.parse(text).get() }

    @Test(arguments: [
        // (range, value, alerts) from the plugin development guidelines' table
        ("10", -1.0, true), ("10", 0.0, false), ("10", 10.0, false), ("10", 10.1, true),
        ("10:", 9.9, true), ("10:", 10.0, false), ("10:", 1e9, false),
        ("~:10", -1e9, false), ("~:10", 10.0, false), ("~:10", 10.5, true),
        ("10:20", 9.0, true), ("10:20", 15.0, false), ("10:20", 21.0, true),
        ("@10:20", 9.0, false), ("@10:20", 10.0, true), ("@10:20", 20.0, true), ("@10:20", 20.5, false),
    ])
    func guidelineSemantics(text: String, value: Double, alerts: Bool) throws {
        #expect(try range(text).alerts(value) == alerts)
    }

    @Test func malformedRangesAreRejectedWithAReason() {
        #expect(NagiosRange.parse("") == .failure(.empty))
        #expect(NagiosRange.parse("abc") == .failure(.badNumber("abc")))
        #expect(NagiosRange.parse("20:10") == .failure(.startAfterEnd("20:10")))
        #expect(NagiosRange.parse("@") == .failure(.empty))
    }

    @Test func durationsAsBounds() throws {
        let latency = try NagiosRange.parse("500ms", number: DurationParser.seconds).get()
        #expect(latency.end == 0.5)
        #expect(latency.alerts(0.6))
        #expect(latency.description == "0.5")
        #expect(try range("30:").description == "30:")
        #expect(try range("~:10").description == "~:10")
        #expect(try range("@10:20").description == "@10:20")
    }

    @Test func thresholdCriticalBeatsWarning() throws {
        let days = Threshold(warning: try range("30:"), critical: try range("7:"))
        #expect(days.evaluate(100) == .ok)
        #expect(days.evaluate(20) == .warning)
        #expect(days.evaluate(3) == .critical)
        #expect(days.evaluate(-1) == .critical)
    }

    @Test func durationSpellings() {
        #expect(DurationParser.parse("500ms") == .milliseconds(500))
        #expect(DurationParser.parse("5s") == .seconds(5))
        #expect(DurationParser.parse("2m") == .seconds(120))
        #expect(DurationParser.parse("1.5s") == .milliseconds(1500))
        #expect(DurationParser.parse("7") == .seconds(7))
        #expect(DurationParser.parse("5 parsecs") == nil)
        #expect(DurationParser.parse("-1s") == nil)
        #expect(Duration.seconds(120).configString == "2m")
        #expect(Duration.milliseconds(1500).configString == "1500ms")
    }

    @Test func targetsAndPrefixes() throws {
        #expect(try TargetAddress.parse("mail.example:2525").get() == TargetAddress(host: "mail.example", port: 2525))
        #expect(try TargetAddress.parse("[::1]:53").get() == TargetAddress(host: "::1", port: 53))
        #expect(try TargetAddress.parse("fd00::53").get() == TargetAddress(host: "fd00::53"))
        #expect(TargetAddress.parse("host:70000") == .failure(.portOutOfRange(70000)))
        #expect(try NetworkPrefix.parse("10.0.0.0/8").get().contains(NetworkPrefix.parseAddress("10.1.2.3")!))
        #expect(try !NetworkPrefix.parse("10.0.0.0/8").get().contains(NetworkPrefix.parseAddress("11.0.0.1")!))
        #expect(try NetworkPrefix.parse("127.0.0.1").get().contains(NetworkPrefix.parseAddress("::ffff:127.0.0.1")!))
        #expect(NetworkPrefix.parse("10.0.0.1/8") == .failure(.hostBitsSet("10.0.0.1/8", network: "10.0.0.0/8")))
        #expect(NetworkPrefix.parse("10.0.0.0/33") == .failure(.badPrefixLength("10.0.0.0/33", max: 32)))
        #expect(try NetworkPrefix.parse("fd00::/8").get().contains(NetworkPrefix.parseAddress("fd12::1")!))
    }
}
