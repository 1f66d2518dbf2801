import PortMatrixEngine
import PortMatrixModel
import PortMatrixNRPE
import PortMatrixReport

/// The NRPE built-ins, answered from the engine's latest snapshot (never probing inline),
/// with the same renderer `portmatrix check` prints with. Answers that depend on the snapshot
/// alone are rendered once per published snapshot; `check_agent` reads the clock and the SNMP
/// link, so it is rendered per request (it is small).
struct EngineNRPECommands: NRPEBuiltinCommands {
    let store: ResultStore
    /// Extra components for `check_agent` (the SNMP link), read at request time.
    let links: @Sendable () -> [(name: String, status: Status, message: String)]
    /// `check_portmatrix` and `check_listeners`.
    let reports = RenderedAnswers<String, NRPEResult>(capacity: 2)
    /// `check_path` per path id of the snapshot; an unknown id's answer names that id, so it is
    /// rendered per request and never kept. The plan bounds the keys; the capacity bounds a
    /// plan of thousands of paths.
    let paths = RenderedAnswers<String, NRPEResult>(capacity: 1024)

    func run(command: String, arguments: [String]) async -> NRPEResult? {
        switch command {
        case "check_portmatrix":
            return reports.answer(command, from: store.snapshot) { Self.kept(NagiosRenderer.compliance($0)) }
        case "check_path":
            guard let id = arguments.first, !id.isEmpty else {
                return NRPEResult(state: .unknown, output: "PORTMATRIX UNKNOWN - check_path needs a path id: check_nrpe -c check_path -a <path-id>")
            }
            let snapshot = store.snapshot
            guard snapshot.path(id) != nil else { return Self.result(NagiosRenderer.path(snapshot, id: id)) }
            return paths.answer(id, from: snapshot) { Self.kept(NagiosRenderer.path($0, id: id)) }
        case "check_listeners":
            return reports.answer(command, from: store.snapshot) { Self.kept(NagiosRenderer.listeners($0)) }
        case "check_agent":
            return Self.result(NagiosRenderer.agent(store.snapshot, links: links()))
        default:
            return nil
        }
    }

    private static func result(_ output: PluginOutput) -> NRPEResult {
        NRPEResult(state: NRPEState(exitCode: output.exitCode), output: output.text)
    }

    /// A result kept for the snapshot's lifetime, with its reply packets encoded once.
    private static func kept(_ output: PluginOutput) -> NRPEResult {
        result(output).encodingReplies()
    }
}
