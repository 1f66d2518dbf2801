import Foundation

/// Reads a site configuration and checks it against its profile. Every problem is reported
/// with `file:line:column`, the key path and what was expected.
public enum ConfigurationLoader {
    /// The well-known location used when no `--config` is given.
    public static let systemPath = "/etc/portmatrix/portmatrix.yaml"

    /// The configuration compiled into the binary (Resources/default-config.yaml), comments and all.
    public static var embeddedDefaultText: String? { EmbeddedResources.files["default-config.yaml"] }

    /// The model's sections of the embedded default, `path` or the system file; the
    /// components' sections are passed over (tests, benchmarks): the executable reads all.
    public static func embeddedDefault() throws -> (SiteConfiguration, Profile) {
        var skipped = SkippedSections()
        return try embeddedDefault(sections: &skipped)
    }

    public static func resolve(path: String?) throws -> (SiteConfiguration, Profile) {
        var skipped = SkippedSections()
        return try resolve(path: path, sections: &skipped)
    }

    public static func load(file path: String) throws -> (SiteConfiguration, Profile) {
        var skipped = SkippedSections()
        return try load(file: path, sections: &skipped)
    }

    /// The configuration shipped inside the binary.
    public static func embeddedDefault<Sections: ConfigurationSections>(sections: inout Sections,
                                                                        catalog: (any ProbeCatalog)? = nil) throws -> (SiteConfiguration, Profile) {
        guard let text = embeddedDefaultText else {
            throw ConfigurationError(file: "<embedded default>", line: 0, column: 0, keyPath: "", message: "embedded default configuration is missing")
        }
        return try parse(text, file: "<embedded default>", sections: &sections, catalog: catalog)
    }

    /// `path`, else /etc/portmatrix/portmatrix.yaml if present, else the embedded default.
    public static func resolve<Sections: ConfigurationSections>(path: String?, sections: inout Sections,
                                                                catalog: (any ProbeCatalog)? = nil) throws -> (SiteConfiguration, Profile) {
        if let path { return try load(file: path, sections: &sections, catalog: catalog) }
        if FileManager.default.fileExists(atPath: systemPath) { return try load(file: systemPath, sections: &sections, catalog: catalog) }
        return try embeddedDefault(sections: &sections, catalog: catalog)
    }

    public static func load<Sections: ConfigurationSections>(file path: String, sections: inout Sections,
                                                             catalog: (any ProbeCatalog)? = nil) throws -> (SiteConfiguration, Profile) {
        try parse(read(path, what: "configuration file"), file: path, sections: &sections, catalog: catalog)
    }

    /// A configuration or profile file as text: at most ``BoundedFile/configurationLimit``, UTF-8.
    static func read(_ path: String, displayName: String? = nil, what: String) throws(ConfigurationError) -> String {
        let file = displayName ?? path
        let bytes: [UInt8]
        do { bytes = try BoundedFile.read(path) } catch {
            let reason = if case .tooLarge = error { "\(what) is too large: \(error)" } else { "cannot read \(what): \(error)" }
            throw ConfigurationError(file: file, line: 0, column: 0, keyPath: "", message: reason)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigurationError(file: file, line: 1, column: 1, keyPath: "", message: "\(what) is not UTF-8 text")
        }
        return text
    }

    /// The model's sections; the components' ones (`nrpe:`, ...) are passed over: the
    /// executable reads them with ``parse(_:file:sections:)``.
    public static func parse(_ text: String, file: String) throws -> (SiteConfiguration, Profile) {
        var skipped = SkippedSections()
        return try parse(text, file: file, sections: &skipped)
    }

    /// A whole portmatrix.yaml: the model's sections read here, each component's handed to
    /// `sections` in document order; unknown keys get a did-you-mean among all of them, and
    /// every error of the file is thrown together. With a `catalog` (the engine's probe
    /// registry), probe names of the profile and of `paths.<id>.endpoints` are checked against it.
    public static func parse<Sections: ConfigurationSections>(_ text: String, file: String, sections: inout Sections,
                                                              catalog: (any ProbeCatalog)? = nil) throws -> (SiteConfiguration, Profile) {
        let reader = YAMLReader(file: file)
        guard let root = reader.root(of: text) else { throw ConfigurationErrors(reader.errors) }
        var parser = ConfigurationParser(reader: reader, file: file, catalog: catalog)
        let result = reader.attempt { try parser.parse(root, sections: &sections) }
        if !reader.errors.isEmpty { throw ConfigurationErrors(reader.errors) }
        guard let result else { throw ConfigurationErrors(reader.errors) }
        return result
    }
}

/// The walk over one document; kept apart from the loader's file handling.
struct ConfigurationParser {
    let reader: YAMLReader
    let file: String
    var config = SiteConfiguration()
    var profile: Profile!
    let catalog: (any ProbeCatalog)?

    init(reader: YAMLReader, file: String, catalog: (any ProbeCatalog)?) {
        self.reader = reader
        self.file = file
        self.catalog = catalog
        config.origin = file
    }

    static let topLevelKeys = ["profile", "roles", "choices", "features", "hosts", "paths", "proxy", "source_address", "address_families",
                               "thresholds", "schedule", "listeners"]

    mutating func parse<Sections: ConfigurationSections>(_ root: YAMLValue, sections: inout Sections) throws -> (SiteConfiguration, Profile) {
        let entries = try root.mapping(allowed: Self.topLevelKeys + ComponentSection.keys)
        let profileEntry = entries.first { $0.key == "profile" }
        if let value = profileEntry?.value { config.profile = try value.nonEmptyString() }
        do {
            profile = try Profile.load(resolveProfilePath(config.profile), catalog: catalog)
        } catch let error as ConfigurationError {
            // Unknown name or unreadable file: said at the `profile:` key; a position inside the
            // profile file itself is kept in the message.
            throw (profileEntry?.value ?? root).error(error.line > 0 ? "\(error)" : error.message)
        } catch let errors as ConfigurationErrors {
            throw (profileEntry?.value ?? root).error("profile is invalid:\n" + errors.description)
        }
        for (key, value) in entries where key != "profile" {
            if let section = ComponentSection(rawValue: key) {
                reader.attempt { try sections.read(section, value: value) }
            } else {
                reader.attempt { try parse(key: key, value: value) }
            }
        }
        return (config, profile)
    }

    /// Relative profile paths are taken relative to the configuration file.
    private func resolveProfilePath(_ name: String) -> String {
        guard name.contains("/") || name.hasSuffix(".yaml") || name.hasSuffix(".yml"), !name.hasPrefix("/"),
              !file.hasPrefix("<") else { return name }
        let base = URL(fileURLWithPath: file).deletingLastPathComponent()
        return base.appendingPathComponent(name).path
    }

    private mutating func parse(key: String, value: YAMLValue) throws {
        switch key {
        case "roles":
            config.roles = try value.list().compactMap { node in reader.attempt { try role(node) } }
            if config.roles.isEmpty { throw value.error("at least one local role is needed (e.g. [appliance])") }
        case "choices": try parseChoices(value)
        case "features":
            let known = profile.features
            config.features = Set(try value.list().compactMap { node in
                reader.attempt { () throws -> String in
                    let name = try node.nonEmptyString()
                    guard known.contains(name) else {
                        let hint = suggestion(for: name, among: known).map { "; did you mean '\($0)'?" } ?? ""
                        throw node.error("unknown feature '\(name)'\(hint) (known: \(known.joined(separator: ", ")))")
                    }
                    return name
                }
            })
        case "hosts":
            for (roleName, list) in try value.mapping() {
                reader.attempt {
                    guard profile.role(roleName) != nil else {
                        let hint = suggestion(for: roleName, among: profile.roles.map(\.id)).map { "; did you mean '\($0)'?" } ?? ""
                        throw YAMLValue(node: list.node, path: list.path, reader: reader).error("unknown role '\(roleName)'\(hint)")
                    }
                    config.hosts[roleName] = try targets(list)
                }
            }
        case "paths":
            for (pathID, body) in try value.mapping() {
                reader.attempt {
                    guard profile.path(pathID) != nil else {
                        let hint = suggestion(for: pathID, among: profile.paths.map(\.id)).map { "; did you mean '\($0)'?" } ?? ""
                        throw body.error("unknown path id '\(pathID)'\(hint)")
                    }
                    config.paths[pathID] = try pathOverride(body)
                }
            }
        case "proxy": config.proxy = try proxy(value)
        case "source_address": config.sourceAddress = try address(value)
        case "address_families": config.addressFamilies = try addressFamilies(value)
        case "thresholds": config.thresholds = config.thresholds.merging(try thresholds(value))
        case "schedule": try parseSchedule(value)
        case "listeners": try parseListeners(value)
        default: break
        }
    }

    private func role(_ node: YAMLValue) throws -> String {
        let name = try node.nonEmptyString()
        guard profile.role(name) != nil else {
            let hint = suggestion(for: name, among: profile.roles.map(\.id)).map { "; did you mean '\($0)'?" } ?? ""
            throw node.error("unknown role '\(name)'\(hint)")
        }
        return name
    }

    private mutating func parseChoices(_ value: YAMLValue) throws {
        let offered = profile.choices
        for (name, choice) in try value.mapping(allowed: offered.keys.sorted()) {
            reader.attempt {
                let values = offered[name] ?? []
                config.choices[name] = try choice.oneOf(values)
            }
        }
    }

    private func targets(_ value: YAMLValue) throws -> [TargetAddress] {
        let items = try value.list()
        if case .scalar = value.node, !value.isNull {
            return [try target(value)]
        }
        guard !items.isEmpty else { throw value.error("an empty target list; give at least one host, or remove the key") }
        return try items.map(target)
    }

    private func target(_ node: YAMLValue) throws -> TargetAddress {
        switch TargetAddress.parse(try node.string()) {
        case .success(let target): return target
        case .failure(let error): throw node.error(error.description)
        }
    }

    private func address(_ node: YAMLValue) throws -> String {
        let text = try node.nonEmptyString()
        guard NetworkPrefix.parseAddress(text) != nil else { throw node.error("'\(text)' is not an IPv4 or IPv6 address") }
        return text
    }

    static let pathKeys = ["targets", "endpoints", "via_proxy", "source_address", "address_families", "thresholds", "timeout",
                           "probe", "allowed"]

    private func pathOverride(_ body: YAMLValue) throws -> PathOverride {
        var result = PathOverride()
        for (key, value) in try body.mapping(allowed: Self.pathKeys) {
            reader.attempt {
                switch key {
                case "targets": result.targets = try targets(value)
                case "endpoints":
                    let list = try value.list()
                    guard !list.isEmpty else { throw value.error("an empty endpoint list; give at least one, e.g. [tcp/995]") }
                    result.endpoints = try list.map(endpoint)
                case "via_proxy": result.viaProxy = try proxyUse(value)
                case "source_address": result.sourceAddress = try address(value)
                case "address_families": result.addressFamilies = try addressFamilies(value)
                case "thresholds": result.thresholds = try thresholds(value)
                case "timeout": result.timeout = try positive(value.duration(), value)
                case "probe": result.probe = try ProbeOptions(yaml: value)
                case "allowed": result.allowed = try value.bool()
                default: break
                }
            }
        }
        return result
    }

    /// `tcp/995`, `tcp/10995:pop3s`, or `{ port: tcp/10995, probe: pop3s }`.
    private func endpoint(_ node: YAMLValue) throws -> EndpointOverride {
        if case .mapping = node.node {
            var port: PortSpec?
            var probe: String?
            for (key, value) in try node.mapping(allowed: ["port", "probe"]) {
                if key == "port" { port = try value.portSpec() } else {
                    probe = try value.nonEmptyString()
                    try catalog?.checkProbeName(value)
                }
            }
            guard let port else { throw node.error("an endpoint needs 'port', e.g. tcp/995") }
            return EndpointOverride(port: port, probe: probe)
        }
        let text = try node.string()
        let parts = text.split(separator: ":", maxSplits: 1)
        switch PortSpec.parse(String(parts.first ?? "")) {
        case .success(let port):
            let probe = parts.count == 2 ? String(parts[1]) : nil
            if let probe { try catalog?.checkProbeName(node, name: probe) }
            return EndpointOverride(port: port, probe: probe)
        case .failure(let error): throw node.error(error.description)
        }
    }

    /// `on`/`true` read as `fallback` and `off`/`false` as `never`, for YAML 1.1 habits.
    /// `all`, `ipv4`, `ipv6` or `any`; anything else gets a did-you-mean.
    private func addressFamilies(_ node: YAMLValue) throws -> AddressFamilies {
        AddressFamilies(rawValue: try node.oneOf(AddressFamilies.allCases.map(\.rawValue))) ?? .all
    }

    private func proxyUse(_ node: YAMLValue) throws -> ProxyUse {
        try node.mode(on: ProxyUse.fallback, off: .never)
    }

    private func proxy(_ value: YAMLValue) throws -> ProxySettings? {
        for (key, item) in try value.mapping(allowed: ["url"]) where key == "url" {
            let url = try item.nonEmptyString()
            guard let parsed = URL(string: url), parsed.scheme == "http", let host = parsed.host, !host.isEmpty else {
                throw item.error("'\(url)' is not an HTTP proxy URL; expected http://host:port")
            }
            let port = parsed.port ?? 3128
            guard (1...65535).contains(port) else { throw item.error("port \(port) is out of range 1-65535") }
            return ProxySettings(host: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: port, url: url)
        }
        throw value.error("a proxy needs 'url', e.g. http://proxy.example.internal:3128")
    }

    private func thresholds(_ value: YAMLValue) throws -> PartialThresholds {
        var result = PartialThresholds()
        for (key, item) in try value.mapping(allowed: ["latency", "cert_days", "ntp_offset"]) {
            reader.attempt {
                switch key {
                case "latency": result.latency = try threshold(item, number: DurationParser.seconds)
                case "cert_days": result.certDays = try threshold(item, number: { Double($0) })
                case "ntp_offset": result.ntpOffset = try threshold(item, number: DurationParser.seconds)
                default: break
                }
            }
        }
        return result
    }

    private func threshold(_ value: YAMLValue, number: @escaping (String) -> Double?) throws -> Threshold {
        var result = Threshold()
        for (key, item) in try value.mapping(allowed: ["warning", "critical"]) {
            let text = try item.string()
            switch NagiosRange.parse(text, number: number) {
            case .success(let range):
                if key == "warning" { result.warning = range } else { result.critical = range }
            case .failure(let error):
                throw item.error("\(error); expected a Nagios range such as 10, 10:, ~:10, 10:20 or @10:20")
            }
        }
        return result
    }

    private func positive(_ duration: Duration, _ node: YAMLValue) throws -> Duration {
        guard duration > .zero else { throw node.error("must be greater than zero") }
        return duration
    }

    private mutating func parseSchedule(_ value: YAMLValue) throws {
        for (key, item) in try value.mapping(allowed: ["interval", "timeout", "concurrency", "jitter"]) {
            reader.attempt {
                switch key {
                case "interval": config.schedule.interval = try positive(item.duration(), item)
                case "timeout": config.schedule.timeout = try positive(item.duration(), item)
                case "jitter": config.schedule.jitter = try item.duration()
                case "concurrency": config.schedule.concurrency = try item.int(in: 1...4096)
                default: break
                }
            }
        }
        if config.schedule.timeout >= config.schedule.interval {
            reader.record(value.error("schedule.timeout (\(config.schedule.timeout.configString)) must be shorter than schedule.interval (\(config.schedule.interval.configString))"))
        }
    }

    private mutating func parseListeners(_ value: YAMLValue) throws {
        for (key, item) in try value.mapping(allowed: ["unexpected", "allow", "ignore_loopback", "local"]) {
            reader.attempt {
                switch key {
                case "unexpected":
                    let name = try item.oneOf(["ok", "warning", "critical"])
                    guard let status = Status(rawValue: name) else { throw item.error("'\(name)' is not a status") }
                    config.listeners.unexpected = status
                case "allow": config.listeners.allow = try item.list().map { try $0.portSpec() }
                case "ignore_loopback": config.listeners.ignoreLoopback = try item.bool()
                case "local": config.listeners.local = try item.bool()
                default: break
                }
            }
        }
    }
}
