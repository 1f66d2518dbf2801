extension Profile {
    /// Names of the profiles compiled into the binary (Resources/profiles/*.yaml).
    public static var builtinNames: [String] {
        EmbeddedResources.files.keys
            .filter { $0.hasPrefix("profiles/") && $0.hasSuffix(".yaml") && !$0.dropFirst(9).contains("/") }
            .map { String($0.dropFirst(9).dropLast(5)) }
            .sorted()
    }

    /// Loads a built-in profile by name, or a profile file by path (anything with a `/` or `.yaml`).
    public static func load(_ nameOrPath: String, catalog: (any ProbeCatalog)? = nil) throws -> Profile {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") {
            return try ProfileLoader.load(file: nameOrPath, catalog: catalog)
        }
        guard let text = EmbeddedResources.files["profiles/\(nameOrPath).yaml"] else {
            let names = builtinNames
            throw ConfigurationError(
                file: "<profile>", line: 0, column: 0, keyPath: "profile",
                message: "unknown built-in profile '\(nameOrPath)'"
                    + (suggestion(for: nameOrPath, among: names).map { "; did you mean '\($0)'?" } ?? "")
                    + " (built-in: \(names.joined(separator: ", ")); or give a file path)")
        }
        return try ProfileLoader.parse(text, file: "profile:\(nameOrPath)", catalog: catalog)
    }

    /// The SEPPmail matrix shipped with the package.
    public static func seppmail() throws -> Profile { try load("seppmail") }
}
