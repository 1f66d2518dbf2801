import Foundation
import PortMatrixHTTP
import PortMatrixModel
import PortMatrixReport

/// Where `--status` reads the paths' statuses from: a `check --format json` document in a
/// file, `-` for standard input, or the agent's status endpoint, which serves the same
/// document (`http://127.0.0.1:9166/status.json`).
enum StatusInput: Equatable {
    case file(String)
    case standardInput
    case http(HTTPGet)

    /// nil for a URL that is not plain `http://host[:port]/path`.
    init?(_ argument: String) {
        if argument == "-" {
            self = .standardInput
        } else if argument.contains("://") {
            guard let get = HTTPGet(url: argument) else { return nil }
            self = .http(get)
        } else {
            self = .file(argument)
        }
    }

    /// Status by path id, or a one-line reason.
    func statuses(timeout: Duration) async throws(StatusInputError) -> [String: Status] {
        let data = try await read(timeout: timeout)
        do {
            return try PathStatusDocument.decode(data).statuses
        } catch {
            throw StatusInputError(source: name, reason: error.description)
        }
    }

    /// The whole `check --format json` document (the report shows its evidence too).
    func document(timeout: Duration) async throws(StatusInputError) -> CheckDocument {
        let data = try await read(timeout: timeout)
        // Checked first: its errors say where the document is wrong, in one line.
        do {
            _ = try PathStatusDocument.decode(data)
        } catch {
            throw StatusInputError(source: name, reason: error.description)
        }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(CheckDocument.self, from: data)
        } catch let error as DecodingError {
            throw StatusInputError(source: name, reason: PathStatusDocumentError(error).description)
        } catch {
            throw StatusInputError(source: name, reason: "\(error)")
        }
    }

    /// The bytes of the document, or a one-line reason.
    private func read(timeout: Duration) async throws(StatusInputError) -> Data {
        let data: Data
        switch self {
        case .standardInput:
            data = FileHandle.standardInput.readDataToEndOfFile()
        case .file(let path):
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw StatusInputError(source: path, reason: FileManager.default.fileExists(atPath: path) ? "cannot read it" : "no such file")
            }
            data = contents
        case .http(let get):
            do {
                data = Data(try await get.fetch(timeout: timeout, userAgent: "portmatrix/\(PortMatrixVersion.string)").readableBytesView)
            } catch {
                throw StatusInputError(source: get.url, reason: error.description)
            }
        }
        return data
    }

    var name: String {
        switch self {
        case .standardInput: return "standard input"
        case .file(let path): return path
        case .http(let get): return get.url
        }
    }
}

struct StatusInputError: Error, CustomStringConvertible {
    var source: String
    var reason: String

    var description: String { "status \(source): \(reason)" }
}
