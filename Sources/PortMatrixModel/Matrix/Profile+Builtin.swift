import Foundation

extension Profile {
    /// Names of the profiles shipped inside the package.
    public static var builtinNames: [String] {
        guard let url = Bundle.module.url(forResource: "profiles", withExtension: nil),
              let files = try? FileManager.default.contentsOfDirectory(atPath: url.path)
        else { return [] }
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Loads a built-in profile by name, or a profile file by path (anything with a `/` or `.yaml`).
    public static func load(_ nameOrPath: String) throws -> Profile {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") {
            return try ProfileLoader.load(file: nameOrPath)
        }
        guard let url = Bundle.module.url(forResource: "profiles/\(nameOrPath)", withExtension: "yaml") else {
            let names = builtinNames
            throw ConfigurationError(
                file: "<profile>", line: 0, column: 0, keyPath: "profile",
                message: "unknown built-in profile '\(nameOrPath)'"
                    + (suggestion(for: nameOrPath, among: names).map { "; did you mean '\($0)'?" } ?? "")
                    + " (built-in: \(names.joined(separator: ", ")); or give a file path)")
        }
        return try ProfileLoader.load(file: url.path, displayName: "profile:\(nameOrPath)")
    }

    /// The SEPPmail matrix shipped with the package.
    public static func seppmail() throws -> Profile { try load("seppmail") }
}
