import Foundation
import PortMatrixModel

/// What colours a picture: each path's status, read from a `check --format json` document or
/// the agent's status endpoint, which serves the same document. Everything else in it is
/// ignored, so the picture keeps working while the document grows.
public struct PathStatusDocument: Decodable, Sendable, Equatable {
    public struct Path: Decodable, Sendable, Equatable {
        public var id: String
        public var status: Status

        public init(id: String, status: Status) {
            self.id = id
            self.status = status
        }

        private enum CodingKeys: String, CodingKey { case id, status }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            let text = try container.decode(String.self, forKey: .status)
            guard let status = Status(rawValue: text) else {
                let names = Status.allCases.map(\.rawValue).joined(separator: ", ")
                throw DecodingError.dataCorruptedError(forKey: .status, in: container, debugDescription: "'\(text)' is not one of \(names)")
            }
            self.status = status
        }
    }

    public var paths: [Path]

    public init(paths: [Path]) {
        self.paths = paths
    }

    /// Status by path id; the first entry wins if an id repeats.
    public var statuses: [String: Status] {
        Dictionary(paths.map { ($0.id, $0.status) }, uniquingKeysWith: { first, _ in first })
    }

    /// Decodes a document, or says in one line what is wrong with it and where.
    public static func decode(_ data: Data) throws(PathStatusDocumentError) -> PathStatusDocument {
        do {
            return try JSONDecoder().decode(PathStatusDocument.self, from: data)
        } catch let error as DecodingError {
            throw PathStatusDocumentError(error)
        } catch {
            throw PathStatusDocumentError(description: "\(error)")
        }
    }
}

/// Why a status document was refused, e.g. `paths[2].status: 'fine' is not one of ok, ...`.
public struct PathStatusDocumentError: Error, CustomStringConvertible, Equatable {
    public var description: String

    public init(description: String) {
        self.description = description
    }

    public init(_ error: DecodingError) {
        let context: DecodingError.Context
        let detail: String
        switch error {
        case .keyNotFound(let key, let at):
            (context, detail) = (at, "'\(key.stringValue)' is missing")
        case .typeMismatch(let type, let at):
            (context, detail) = (at, "expected \(Self.name(type))")
        case .valueNotFound(let type, let at):
            (context, detail) = (at, "expected \(Self.name(type)), found null")
        case .dataCorrupted(let at):
            (context, detail) = (at, at.codingPath.isEmpty ? "not JSON" : at.debugDescription)
        @unknown default:
            description = "\(error)"
            return
        }
        let location = context.codingPath.reduce("") { text, key in
            key.intValue.map { text + "[\($0)]" } ?? (text.isEmpty ? key.stringValue : text + "." + key.stringValue)
        }
        description = location.isEmpty ? "not a `portmatrix check --format json` document: \(detail)" : "\(location): \(detail)"
    }

    private static func name(_ type: Any.Type) -> String {
        if type == String.self { return "a string" }
        if type is [Any].Type || "\(type)".hasPrefix("Array<") { return "an array" }
        if "\(type)".hasPrefix("Dictionary<") || "\(type)".contains("KeyedDecodingContainer") { return "an object" }
        return "\(type)"
    }
}
