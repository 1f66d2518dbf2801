import Foundation
import PortMatrixTestSupport
import Testing

/// `portmatrix report`'s bad input: a --status it cannot use and an --output it cannot write
/// are exit 2 with the reason and no report; a bad --status-timeout is a usage error.
@Suite struct ReportCommandTests {
    @Test func unusableStatusIsExit2WithTheReasonAndNoReport() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try writeFile(DotCommandTests.site, "site.yaml", in: dir).path
        let missing = dir.appendingPathComponent("missing.json").path
        // A status document `plan --status` takes, but without the checks' evidence the report shows.
        let statusOnly = try writeFile(DotCommandTests.statusDocument, "status.json", in: dir).path
        for (status, reason) in [(missing, "status \(missing): no such file"),
                                 (statusOnly, "status \(statusOnly): not a `portmatrix check --format json` document: 'generated_at' is missing")] {
            let result = try CLIRunner.run(["report", "--config", config, "--status", status])
            #expect(result.status == 2, "\(result.stderr)")
            #expect(result.stderr == "portmatrix: \(reason)\n")
            #expect(result.stdout.isEmpty)
        }
        let usage = try CLIRunner.run(["report", "--config", config, "--status", statusOnly, "--status-timeout", "soon"])
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("--status-timeout 'soon' is not a duration"), "\(usage.stderr)")
    }

    @Test func unknownPathsAreNamedAndAnUnwritableOutputIsExit2() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let peer = try TCPListener()
        defer { peer.close() }
        let config = try MonitoringFormatsTests.site(dir, peer: peer).path
        let check = try CLIRunner.run(["check", "--config", config, "--format", "json"])
        // A document from an older profile: one path this plan does not have.
        var document = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        var paths = try #require(document["paths"] as? [[String: Any]])
        var retired = try #require(paths.first)
        retired["id"] = "retired-path"
        paths.append(retired)
        document["paths"] = paths
        let status = dir.appendingPathComponent("status.json")
        try JSONSerialization.data(withJSONObject: document).write(to: status)

        let html = dir.appendingPathComponent("report.html")
        let written = try CLIRunner.run(["report", "--config", config, "--status", status.path, "--output", html.path])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stderr == "portmatrix: warning: status \(status.path) names paths this plan does not have, ignored: retired-path\n")
        #expect(CLIRunner.text(html).contains("data-path=\"licence-ssh\""))

        let nowhere = dir.appendingPathComponent("no-such-folder/report.html").path
        let unwritable = try CLIRunner.run(["report", "--config", config, "--status", status.path, "--output", nowhere])
        #expect(unwritable.status == 2)
        #expect(unwritable.stderr.contains("portmatrix: cannot write \(nowhere): "), "\(unwritable.stderr)")
        #expect(unwritable.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: nowhere))
    }
}
