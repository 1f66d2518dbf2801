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
    /// registry), probe names of the profile and of `paths.<id>.endpoints`, and the
    /// `paths.<id>.probe` keys (per the path's probes), are checked against it; without one
    /// (the model's own tests) probe option keys are taken as written.
    public static func parse<Sections: ConfigurationSections>(_ text: String, file: String, sections: inout Sections,
                                                              catalog: (any ProbeCatalog)? = nil) throws -> (SiteConfiguration, Profile) {
        let reader = YAMLReader(file: file)
        guard let root = reader.root(of: text) else { throw ConfigurationErrors(reader.errors) }
        let parser = ConfigurationParser(reader: reader, file: file, catalog: catalog)
        let result = reader.attempt { try parser.parse(root, sections: &sections) }
        try reader.throwIfFailed()
        // Not reached with nil: attempt returns nil only after recording an error.
        guard let result else { throw ConfigurationErrors(reader.errors) }
        return result
    }
}

/// The walk over one document: the profile first (the other sections name what it defines),
/// then each top-level key to the reader of its section, in document order.
struct ConfigurationParser {
    let reader: YAMLReader
    let file: String
    let catalog: (any ProbeCatalog)?

    static let topLevelKeys = ["profile", "roles", "choices", "features", "hosts", "paths", "proxy", "source_address", "address_families",
                               "thresholds", "schedule", "listeners"]

    func parse<Sections: ConfigurationSections>(_ root: YAMLValue, sections: inout Sections) throws -> (SiteConfiguration, Profile) {
        var config = SiteConfiguration()
        config.origin = file
        let entries = try root.mapping(allowed: Self.topLevelKeys + ComponentSection.keys)
        let profileEntry = entries.first { $0.key == "profile" }
        if let value = profileEntry?.value { config.profile = try value.nonEmptyString() }
        let profile: Profile
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
                reader.attempt { try read(key, value, into: &config, profile: profile) }
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

    /// One of the model's sections, read by its type's `+YAML` reader.
    private func read(_ key: String, _ value: YAMLValue, into config: inout SiteConfiguration, profile: Profile) throws {
        switch key {
        case "roles": config.roles = try SiteConfiguration.roles(yaml: value, profile: profile)
        case "choices": config.choices = try SiteConfiguration.choices(yaml: value, profile: profile)
        case "features": config.features = try SiteConfiguration.features(yaml: value, profile: profile)
        case "hosts": config.hosts = try SiteConfiguration.hosts(yaml: value, profile: profile)
        case "paths": config.paths = try PathOverride.paths(yaml: value, profile: profile, catalog: catalog)
        case "proxy": config.proxy = try ProxySettings(yaml: value)
        case "source_address": config.sourceAddress = try value.ipAddress()
        case "address_families": config.addressFamilies = try AddressFamilies(yaml: value)
        case "thresholds": config.thresholds = config.thresholds.merging(try PartialThresholds(yaml: value))
        case "schedule": config.schedule = try Schedule(yaml: value)
        case "listeners": config.listeners = try ListenerSettings(yaml: value)
        default: break
        }
    }
}
