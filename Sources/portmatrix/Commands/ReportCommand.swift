import ArgumentParser
import Foundation
import Logging
import NIOPosix
import PortMatrixEngine
import PortMatrixModel
import PortMatrixReport

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML commissioning report: compliance, the matrix, every path's evidence, the firewall changes.",
        discussion: "Without --status it runs one cycle now. The Graphviz drawing is embedded when `dot` is installed.")

    @OptionGroup var config: ConfigOption

    @Option(name: .customLong("status"), help: ArgumentHelp(
        "Report these results instead of running a cycle: a 'portmatrix check --format json' document, - for standard input, "
            + "or the agent's status endpoint (http://127.0.0.1:PORT/status.json).", valueName: "file|-|url"))
    var statusSource: String?

    @Option(name: .customLong("status-timeout"), help: ArgumentHelp("How long to wait for a --status URL (e.g. 5s, 500ms).", valueName: "duration"))
    var statusTimeout: String = "5s"

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the HTML here instead of standard output.", valueName: "file"))
    var output: String?

    func validate() throws {
        try StatusInput.validate(source: statusSource, timeout: statusTimeout)
    }

    func run() async throws {
        let (configuration, profile) = try config.load()
        let plan = Planner(profile: profile, configuration: configuration).plan()
        let document: CheckDocument
        let source: String
        if let statusSource, let input = StatusInput(statusSource) {
            do {
                document = try await input.document(timeout: DurationParser.parse(statusTimeout) ?? .seconds(5))
            } catch {
                Output.error("portmatrix: \(error)")
                throw ExitCode(2)
            }
            source = "read from \(input.name)"
            let strangers = document.paths.map(\.id).filter { plan.path($0) == nil }.sorted()
            if !strangers.isEmpty {
                Output.error("portmatrix: warning: status \(input.name) names paths this plan does not have, ignored: \(strangers.joined(separator: ", "))")
            }
        } else {
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
            let engine = Wiring.engine(plan: plan, group: group, logger: Logging.Logger(label: "portmatrix.report"))
            let snapshot = await engine.runCycle().snapshot
            try? await group.shutdownGracefully()
            document = CheckDocument(snapshot)
            source = "one cycle run by this command"
        }
        let statuses = Dictionary(document.paths.compactMap { path in Status(rawValue: path.status).map { (path.id, $0) } },
                                  uniquingKeysWith: { first, _ in first })
        let svg = Self.graphviz(DotRenderer.render(plan, statuses: statuses, options: DotRenderer.Options(applicableOnly: true)))
        let html = HTMLReportRenderer.render(HTMLReportRenderer.Input(
            plan: plan, document: document, svg: svg, source: source, hostName: ExportOptions.localHostName(), version: PortMatrixVersion.string))
        guard let output else {
            print(html, terminator: "")
            return
        }
        do {
            try html.write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            Output.error("portmatrix: cannot write \(output): \(error.localizedDescription)")
            throw ExitCode(2)
        }
    }

    /// `dot -Tsvg` of the coloured plan, or nil when Graphviz is not installed or fails.
    static func graphviz(_ dot: String) -> String? {
        let candidates = ["/usr/bin/dot", "/usr/local/bin/dot"]
        guard let path = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-Tsvg"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        // Written from another thread: dot may fill its output pipe before reading all input.
        let writer = Thread {
            input.fileHandleForWriting.write(Data(dot.utf8))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let svg = String(data: data, encoding: .utf8), svg.contains("<svg") else { return nil }
        return svg
    }
}
