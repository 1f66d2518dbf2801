// Build-time tool of the EmbedResources plugin: writes a Swift file holding each input file's
// text as a string literal. Usage: ResourceEmbedder OUTPUT NAME=PATH...
// Not part of the product; it runs only while building. Glibc only, so it builds in seconds.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func fail(_ message: String) -> Never {
    let line = Array("ResourceEmbedder: \(message)\n".utf8)
    _ = write(2, line, line.count)
    exit(1)
}

func readFile(_ path: String) -> [UInt8] {
    guard let file = fopen(path, "rb") else { fail("cannot read \(path): \(String(cString: strerror(errno)))") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count > 0 { bytes.append(contentsOf: buffer[0..<count]) }
        if count < buffer.count { break }
    }
    if ferror(file) != 0 { fail("cannot read \(path)") }
    return bytes
}

/// A Swift string literal with exactly the file's text: every character that a literal treats
/// specially is escaped, so no content can end the literal or interpolate.
func literal(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20 || scalar.value == 0x7f:
            out += "\\u{\(String(scalar.value, radix: 16))}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else { fail("usage: ResourceEmbedder OUTPUT NAME=PATH...") }
var entries: [String] = []
for pair in arguments.dropFirst() {
    guard let equals = pair.firstIndex(of: "=") else { fail("expected NAME=PATH, got \(pair)") }
    let name = String(pair[..<equals]), path = String(pair[pair.index(after: equals)...])
    let bytes = readFile(path)
    guard let text = String(validating: bytes, as: UTF8.self) else { fail("\(path) is not UTF-8 text") }
    entries.append("        \(literal(name)): \(literal(text)),")
}
let source = """
    // Generated at build time by the EmbedResources plugin from the target's Resources folder.
    // Do not edit: edit the files there.

    /// The files of Resources/, by their path below it, as text.
    enum EmbeddedResources {
        static let files: [String: String] = [
    \(entries.isEmpty ? "        :" : entries.joined(separator: "\n"))
        ]
    }

    """
guard let file = fopen(output, "wb") else { fail("cannot write \(output): \(String(cString: strerror(errno)))") }
let bytes = Array(source.utf8)
if fwrite(bytes, 1, bytes.count, file) != bytes.count || fclose(file) != 0 { fail("cannot write \(output)") }
