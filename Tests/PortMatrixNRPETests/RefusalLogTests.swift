import PortMatrixListening
import PortMatrixTestSupport
import Testing

/// Refusal lines are rate-limited per reason: a flood is counted, not written line by line,
/// and another reason still gets its lines.
struct RefusalLogTests {
    @Test func aFloodIsCountedAndSummedUpInTheNextWindow() {
        let record = LogRecord()
        let logger = record.logger(label: "refusals")
        let refusals = RefusalLog(server: "NRPE", burst: 3, window: .seconds(60))
        let start = ContinuousClock.now
        for n in 1...10 { refusals.log(logger, reason: "allowed_hosts", at: start, "denied \(n)") }
        refusals.log(logger, reason: "bad CRC", at: start + .seconds(1), "crc 1")
        #expect(record.all.map(\.message) == [
            "denied 1", "denied 2", "denied 3",
            "NRPE: more than 3 refusals (allowed_hosts) within 60 s; the rest are counted, not logged",
            "crc 1",
        ])
        refusals.log(logger, reason: "allowed_hosts", at: start + .seconds(61), "denied 11")
        #expect(record.all.map(\.message).suffix(2) == [
            "NRPE: 7 more refusals (allowed_hosts) were not logged in an earlier 60 s", "denied 11",
        ])
        // The new window logs again from the start of its burst.
        refusals.log(logger, reason: "allowed_hosts", at: start + .seconds(62), "denied 12")
        #expect(record.all.last?.message == "denied 12")
    }

    @Test func manyDistinctReasonsShareOneWindowBeyondTheLimit() {
        let record = LogRecord()
        let refusals = RefusalLog(server: "NRPE", burst: 1, window: .seconds(60))
        let now = ContinuousClock.now
        for n in 0..<200 { refusals.log(record.logger(label: "r"), reason: "reason \(n)", at: now, "line \(n)") }
        // 64 reasons get their own line; the other 136 share one window of burst 1.
        #expect(record.messages(containing: "line ").count == 65)
        #expect(record.messages(containing: "more than 1 refusals (other reasons)").count == 1)
    }
}
