import Foundation
import PortMatrixModel
import Testing

/// The files of Sources/PortMatrixModel/Resources are compiled into the binary by the
/// EmbedResources plugin: what the binary holds is each file exactly, and every profile there is
/// a built-in one.
struct EmbeddedResourcesTests {
    static let resources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/PortMatrixModel/Resources")

    @Test func theEmbeddedDefaultIsTheFileByteForByte() throws {
        let file = try Data(contentsOf: Self.resources.appendingPathComponent("default-config.yaml"))
        let embedded = try #require(ConfigurationLoader.embeddedDefaultText)
        #expect(Data(embedded.utf8) == file)
    }

    @Test func everyProfileFileIsBuiltInAndParsesFromTheBinary() throws {
        let folder = Self.resources.appendingPathComponent("profiles")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
        #expect(!names.isEmpty)
        #expect(Profile.builtinNames == names)
        for name in names {
            let fromBinary = try Profile.load(name)
            let fromFile = try ProfileLoader.load(file: folder.appendingPathComponent("\(name).yaml").path)
            #expect(fromBinary.name == fromFile.name && fromBinary.paths.count == fromFile.paths.count, "\(name)")
        }
    }

    /// No resource bundle: an unknown name is an error that lists the built-in ones.
    @Test func anUnknownProfileNameIsAnErrorNotATrap() {
        #expect(throws: (any Error).self) { try Profile.load("no-such-profile") }
        do { _ = try Profile.load("seppmial") } catch {
            #expect("\(error)".contains("did you mean 'seppmail'?") && "\(error)".contains("built-in: seppmail"), "\(error)")
        }
    }
}
