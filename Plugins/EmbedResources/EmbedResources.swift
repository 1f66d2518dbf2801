import Foundation
import PackagePlugin

/// Compiles the files under a target's `Resources` folder into the target as Swift string
/// constants (`EmbeddedResources.files`), so the binary needs no resource bundle beside it and
/// never asks `Bundle` at run time. The files stay the single source of truth: the generated
/// source is rebuilt whenever one of them changes, and a file added there is picked up at the
/// next build.
@main
struct EmbedResources: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let target = target as? SwiftSourceModuleTarget else { throw EmbedError("\(target.name) is not a Swift target") }
        let resources = target.directoryURL.appendingPathComponent("Resources")
        let files = try Self.files(under: resources)
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedResources.swift")
        // Each argument is `name=path`, the name being the path below Resources.
        let pairs = files.map { "\($0.name)=\($0.url.path)" }
        return [.buildCommand(
            displayName: "Embedding \(files.count) resource file(s) in \(target.name)",
            executable: try context.tool(named: "ResourceEmbedder").url,
            arguments: [output.path] + pairs,
            inputFiles: files.map(\.url),
            outputFiles: [output])]
    }

    /// Regular files below `root`, sorted by name (the generated source is the same on every machine).
    static func files(under root: URL) throws -> [(name: String, url: URL)] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw EmbedError("no folder \(root.path)")
        }
        var found: [(name: String, url: URL)] = []
        let prefix = root.standardizedFileURL.path + "/"
        for case let url as URL in walker {
            guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(prefix) else { throw EmbedError("\(path) is not below \(prefix)") }
            found.append((String(path.dropFirst(prefix.count)), url))
        }
        return found.sorted { $0.name < $1.name }
    }
}

struct EmbedError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
