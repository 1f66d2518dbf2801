import PortMatrixReport
import Testing

/// The firewall request is handed over as it is: a cell must never break a row or run as a formula.
@Suite struct FirewallRequestTests {
    let row = FirewallRequest.Row(sourceAddress: "10.10.1.2", destinationAddress: "10.10.2.2", destinationName: "mx.world",
                                  transport: "tcp", port: 25, purpose: "Email, \"internal\"", verdict: "=HYPERLINK(\"x\")",
                                  whereItDied: "rejected at hop 2 by 10.10.1.1 | a\nb")

    @Test func csvHasTheHeaderAndQuotesWhatNeedsIt() {
        let lines = FirewallRequest(rows: [row]).csv.components(separatedBy: "\r\n")
        #expect(lines[0] == "source_address,destination_address,destination_name,protocol,port,purpose,verdict,where_it_died")
        #expect(lines[1].hasPrefix("10.10.1.2,10.10.2.2,mx.world,tcp,25,\"Email, \"\"internal\"\"\",\"'=HYPERLINK(\"\"x\"\")\",\"rejected"))
        #expect(FirewallRequest(rows: []).csv.split(separator: "\r\n").count == 1, "a header even without rows")
    }

    @Test func markdownEscapesPipesAndLineBreaks() {
        let lines = FirewallRequest(rows: [row]).markdown.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[2].hasSuffix("| rejected at hop 2 by 10.10.1.1 \\| a b |"))
        #expect(lines[2].filter { $0 == "|" }.count == 10, "nine cell borders and one escaped pipe")
    }
}
