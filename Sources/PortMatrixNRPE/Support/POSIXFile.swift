#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file operations this module needs, without pulling Foundation into a network daemon.
enum POSIXFile {
    struct Failure: Error, CustomStringConvertible {
        var path: String
        var operation: String
        var code: Int32
        var description: String { "\(path): \(operation) failed: \(String(cString: strerror(code)))" }
    }

    /// The file as text; above `limit` bytes it fails with EFBIG (checked while reading, so a
    /// FIFO or a growing file cannot make it read forever).
    static func read(_ path: String, limit: Int = .max) throws(Failure) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(path: path, operation: "open", code: errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw Failure(path: path, operation: "read", code: errno) }
            if count == 0 { break }
            bytes += chunk[..<count]
            if bytes.count > limit { throw Failure(path: path, operation: "read (larger than \(limit) bytes)", code: EFBIG) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Creates `path` with `mode` (the mode applies at creation, so a key is never readable by others).
    static func create(_ path: String, contents: String, mode: mode_t) throws(Failure) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Failure(path: path, operation: "create", code: errno) }
        defer { close(fd) }
        var bytes = Array(contents.utf8)[...]
        while !bytes.isEmpty {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw Failure(path: path, operation: "write", code: errno) }
            bytes = bytes.dropFirst(count)
        }
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// The path with links and `..` resolved, nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func makeDirectory(_ path: String, mode: mode_t) throws(Failure) {
        guard mkdir(path, mode) == 0 || errno == EEXIST else { throw Failure(path: path, operation: "mkdir", code: errno) }
    }

    static func mode(of path: String) -> mode_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
    }

    /// Names in `directory`, sorted bytewise (nrpe's include_dir order).
    static func entries(of directory: String) throws(Failure) -> [String] {
        guard let dir = opendir(directory) else { throw Failure(path: directory, operation: "opendir", code: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }
}
