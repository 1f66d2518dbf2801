import Foundation
import PortMatrixTestSupport
import Testing

/// `portmatrix report` opened in a real headless browser (Debian's chromium): it renders
/// without console errors, every applicable path id is in the DOM, it prints to a non-empty
/// PDF, and a screenshot is kept beside the test output (its path is printed).
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")))
struct ReportChromiumTests {
    static let chromium = "/usr/bin/chromium"

    static func browser(_ arguments: [String], dir: URL) async throws -> ToolResult {
        // A profile of its own in the test's folder; no sandbox as root in CI.
        try await runTool(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                     "--user-data-dir=\(dir.appendingPathComponent("profile").path)",
                                     "--enable-logging=stderr", "--v=0"] + arguments,
                          environment: ["LC_ALL": "C", "HOME": dir.path], timeout: 120)
    }

    @Test func reportRendersInChromiumPrintsAndHasEveryPath() async throws {
        // Kept after the test: the screenshot is part of the test output.
        let dir = URL(fileURLWithPath: "/tmp/portmatrix-report-test")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let peer = try TCPListener()
        defer { peer.close() }
        let config = try MonitoringFormatsTests.site(dir, peer: peer)
        let html = dir.appendingPathComponent("report.html")

        // From a saved document (--status FILE) and from a cycle of its own: same path ids.
        let json = try CLIRunner.run(["check", "--config", config.path, "--format", "json"])
        let status = try writeFile(json.stdout, "status.json", in: dir)
        let fromFile = try CLIRunner.run(["report", "--config", config.path, "--status", status.path, "--output", html.path])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        let direct = try CLIRunner.run(["report", "--config", config.path])
        #expect(direct.status == 0)
        #expect(direct.stdout.contains("data-path=\"licence-ssh\""))

        let text = try String(contentsOf: html, encoding: .utf8)
        // Self-contained: nothing fetched from anywhere.
        for external in ["src=\"http", "href=\"http", "<link", "@import", "url("] { #expect(!text.contains(external), "\(external)") }
        #expect(text.contains("<svg"))  // Graphviz is installed in CI

        let dom = try await Self.browser(["--dump-dom", "file://\(html.path)"], dir: dir)
        #expect(dom.status == 0, "\(dom.stderr)")
        let consoleErrors = dom.stderr.split(separator: "\n").filter { $0.contains("CONSOLE") || $0.contains("Uncaught") }
        #expect(consoleErrors.isEmpty, "\(consoleErrors)")
        let plan = try CLIRunner.run(["plan", "--config", config.path, "--format", "json"])
        let planned = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        let applicable = (planned["paths"] as? [[String: Any]] ?? []).filter { $0["applicable"] as? Bool == true }.compactMap { $0["id"] as? String }
        #expect(applicable.count >= 2)
        for id in applicable { #expect(dom.stdout.contains("<article class=\"path\" id=\"path-\(id)\" data-path=\"\(id)\">"), "\(id)") }
        #expect(dom.stdout.contains("<h2>Firewall changes</h2>"))
        #expect(dom.stdout.contains("<td>udp/1</td><td>allow</td><td><code>ntp-internal</code></td>"))  // the closed port is a firewall row

        let pdf = dir.appendingPathComponent("report.pdf")
        let printed = try await Self.browser(["--no-pdf-header-footer", "--print-to-pdf=\(pdf.path)", "file://\(html.path)"], dir: dir)
        #expect(printed.status == 0, "\(printed.stderr)")
        let bytes = try Data(contentsOf: pdf)
        #expect(bytes.count > 10_000)
        #expect(bytes.starts(with: Data("%PDF-".utf8)))

        let png = dir.appendingPathComponent("report.png")
        let shot = try await Self.browser(["--window-size=1280,3000", "--screenshot=\(png.path)", "file://\(html.path)"], dir: dir)
        #expect(shot.status == 0)
        #expect((try? Data(contentsOf: png).count) ?? 0 > 10_000)
        print("report screenshot: \(png.path), PDF: \(pdf.path)")
    }
}
