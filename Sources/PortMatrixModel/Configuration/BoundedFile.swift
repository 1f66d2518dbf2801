#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole file a person wrote (a configuration, a profile, an nrpe.cfg) and refuses one
/// above a limit before parsing it: such files are a few KiB, and a huge one is a mistake or an
/// attack on the parser. Shared by every reader of such files, so the limit is one number.
public enum BoundedFile {
    /// 1 MiB: the largest configuration, profile or nrpe.cfg accepted.
    public static let configurationLimit = 1 << 20

    public enum ReadError: Error, Sendable, Equatable, CustomStringConvertible {
        /// open or read failed; the system's reason.
        case unreadable(String)
        /// More than `limit` bytes; `size` when the file system said it (nil: found by reading).
        case tooLarge(size: Int?, limit: Int)

        public var description: String {
            switch self {
            case .unreadable(let reason): return reason
            case .tooLarge(let size, let limit):
                return "the file has \(size.map { "\($0)" } ?? "more than \(limit)") bytes; at most \(BoundedFile.describe(limit)) (\(limit) bytes) is read"
            }
        }
    }

    /// The file's bytes, or an error without reading more than `limit` + 1 bytes.
    public static func read(_ path: String, limit: Int = configurationLimit) throws(ReadError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) > limit {
            throw .tooLarge(size: Int(info.st_size), limit: limit)
        }
        // Read up to one byte past the limit: files that grow, and those stat does not size (/proc).
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count <= limit {
            let wanted = min(chunk.count, limit + 1 - bytes.count)
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, wanted) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw .unreadable(String(cString: strerror(errno))) }
            if count == 0 { return bytes }
            bytes += chunk[..<count]
        }
        throw .tooLarge(size: nil, limit: limit)
    }

    static func describe(_ bytes: Int) -> String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : bytes % 1024 == 0 ? "\(bytes >> 10) KiB" : "\(bytes) bytes"
    }
}
