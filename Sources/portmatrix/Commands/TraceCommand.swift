import ArgumentParser
import Foundation
import NIOPosix
import PortMatrixEngine
import PortMatrixModel
import PortMatrixReport

/// `portmatrix trace PATH-ID`: wiring only; the tracing is the engine's (`Tracer`), the lines
/// and the document are `TraceRenderer`'s.
struct TraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Hop by hop with the path's own transport and port (TTL-limited, unprivileged); exit 0 reached, 2 blocked, 3 error.",
        discussion: "Each concrete check of the path (or only --target) is traced on every address its target resolves to. "
            + "Refused counts as reached: the packet got there.")

    @Argument(help: ArgumentHelp("The path to trace.", valueName: "path-id"))
    var pathID: String

    @OptionGroup var config: ConfigOption

    @Option(help: ArgumentHelp("Only this target of the path.", valueName: "host[:port]"))
    var target: String?

    @Option(help: ArgumentHelp("Highest TTL to try, 1-64 (default: trace.max_hops, 30).", valueName: "n"))
    var maxHops: Int?

    @Option(help: "Output format: text or json.")
    var format: String = "text"

    func run() async throws {
        // Bad input is exit 2 with the reason, as for an unknown path (not ArgumentParser's 64).
        guard ["text", "json"].contains(format) else { throw fail("--format must be text or json, not '\(format)'") }
        if let maxHops, !TraceSettings.maxHopsRange.contains(maxHops) {
            throw fail("--max-hops \(maxHops) is out of range 1-64")
        }
        let loaded = try config.loadAll()
        let plan = Planner(profile: loaded.profile, configuration: loaded.site).plan()
        let checks = try Self.checks(of: pathID, in: plan, target: target).get()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var traces: [Trace] = []
        for check in checks {
            let request = TraceRequest(check: check, settings: loaded.trace, maxHops: maxHops)
            do {
                traces += try await Tracer.trace(request, group: group)
            } catch {
                try? await group.shutdownGracefully()
                Output.error("portmatrix: trace \(check.targetDescription) (\(check.portSpec)): \(error)")
                throw ExitCode(3)
            }
        }
        try? await group.shutdownGracefully()
        let document = TraceDocument(path: pathID, traces: traces)
        print(format == "json" ? try JSON.encode(document) : TraceRenderer.text(document, maxHops: maxHops ?? loaded.trace.maxHops))
        if !document.allArrived { throw ExitCode(2) }
    }

    private func fail(_ reason: String) -> ExitCode {
        Output.error("portmatrix: " + reason)
        return ExitCode(2)
    }

    /// The checks to trace, or why there are none (exit 2): an unknown path (with a
    /// did-you-mean), a path that does not apply or only listens here, a target not of the path.
    static func checks(of id: String, in plan: Plan, target: String?) -> Result<[PlannedCheck], ExitCode> {
        func fail(_ reason: String) -> Result<[PlannedCheck], ExitCode> {
            Output.error("portmatrix: " + reason)
            return .failure(ExitCode(2))
        }
        guard let path = plan.path(id) else {
            let hint = suggestion(for: id, among: plan.paths.map(\.id)).map { "; did you mean '\($0)'?" } ?? ""
            return fail("no path '\(id)'\(hint)")
        }
        if let reason = path.skipReason { return fail("path \(id) does not apply here: \(reason)") }
        let probes = path.checks.filter { $0.kind == .probe }
        if probes.isEmpty {
            if !path.missingTargets.isEmpty {
                return fail("path \(id) has no hosts for \(path.missingTargets.joined(separator: ", ")): nothing to trace")
            }
            return fail("path \(id) is not probed from here (the local role listens for it): trace runs on the path's source")
        }
        guard let target else { return .success(probes) }
        guard case .success(let wanted) = TargetAddress.parse(target) else {
            return fail("--target '\(target)' is not HOST or HOST:PORT")
        }
        let host = wanted.host.lowercased()
        let matching = probes.filter {
            check in check.host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]")) == host
                && (wanted.port.map { $0 == check.port } ?? true)
        }
        if matching.isEmpty {
            let known = probes.map(\.targetDescription).joined(separator: ", ")
            return fail("--target \(target) is not a target of path \(id); its targets: \(known)")
        }
        return .success(matching)
    }
}
