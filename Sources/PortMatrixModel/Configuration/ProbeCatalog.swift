import PortMatrixConfiguration

/// The probes a configuration may name and the option keys each takes. The engine's
/// `ProbeRegistry` is one; the loader checks profile endpoints, `paths.<id>.endpoints` and
/// `paths.<id>.probe` against it, so `probe: smpt` fails `config validate`, not the check.
public protocol ProbeCatalog: Sendable {
    var probeNames: [String] { get }
    /// The `paths.<id>.probe` keys the probe takes; nil for a name the catalog does not know.
    func optionKeys(forProbe name: String) -> [String]?
    /// Reads `value` as the probe will, so a bad value is refused at load, not at run time.
    func checkOption(_ value: ProbeOptionValue, forProbe name: String) throws
}

extension ProbeCatalog {
    public func checkOption(_ value: ProbeOptionValue, forProbe name: String) throws {}
}

extension ProbeCatalog {
    /// Refuses a probe name (`endpoints[].probe`, `tcp/995:pop3s`) the catalog lacks, at the
    /// name's place, with the nearest known name.
    public func checkProbeName(_ value: YAMLValue, name: String? = nil) throws {
        let name = try name ?? value.string()
        guard !probeNames.contains(name) else { return }
        let hint = suggestion(for: name, among: probeNames).map { "; did you mean '\($0)'?" } ?? ""
        throw value.error("unknown probe '\(name)'\(hint)")
    }

    /// Checks each `paths.<id>.probe` key against the probes of the path's endpoints: a key
    /// none of them takes is refused where it is written, naming the path's probes and the keys
    /// they take (and the probe a key belongs to, or the nearest key they do take); a value is
    /// read by the first probe that takes its key.
    public func checkOptions(_ options: ProbeOptions, probes: [String]) -> [ConfigurationError] {
        var known: [String] = []
        for probe in probes where optionKeys(forProbe: probe) != nil && !known.contains(probe) { known.append(probe) }
        guard !known.isEmpty else { return [] }
        let accepted = Set(known.flatMap { optionKeys(forProbe: $0) ?? [] }).sorted()
        let subject = "this path's probe\(known.count == 1 ? "" : "s") \(known.joined(separator: ", "))"
        let takes = accepted.isEmpty ? "take\(known.count == 1 ? "s" : "") no options"
            : "take\(known.count == 1 ? "s" : "") \(accepted.joined(separator: ", "))"
        var errors: [ConfigurationError] = []
        for value in options.values.values.sorted(by: { ($0.line, $0.column) < ($1.line, $1.column) }) {
            guard let probe = known.first(where: { optionKeys(forProbe: $0)?.contains(value.key) == true }) else {
                let owners = probeNames.filter { optionKeys(forProbe: $0)?.contains(value.key) == true }
                if !owners.isEmpty {
                    let of = "probe\(owners.count == 1 ? "" : "s") \(owners.joined(separator: ", "))"
                    errors.append(value.error("'\(value.key)' is an option of \(of), not of \(subject) (\(known.count == 1 ? "it" : "they") \(takes))"))
                } else {
                    let hint = suggestion(for: value.key, among: accepted).map { "; did you mean '\($0)'?" } ?? ""
                    errors.append(value.error("unknown option '\(value.key)'\(hint) (\(subject) \(takes))"))
                }
                continue
            }
            do { try checkOption(value, forProbe: probe) } catch let error as ConfigurationError { errors.append(error) } catch {
                errors.append(value.error("\(error)"))
            }
        }
        return errors
    }
}
