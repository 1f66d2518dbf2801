import Foundation

/// What net-snmp reads while it starts (its configuration and the persistent data carried
/// over), in a private directory of the process's own user, removed once net-snmp has read it.
///
/// The agent may start as root while its state directory belongs to the run-as account, which
/// could plant links there: so root never lets net-snmp open a path in that directory. The
/// previous persistent file is read here through descriptors that follow no link, and net-snmp
/// is pointed at the state directory only after it started, for saving at shutdown (by then as
/// the run-as account).
struct NetSNMPStartupFiles {
    /// Larger persistent files are refused: net-snmp's own holds an engine id, boots and keys.
    static let maximumPersistentSize = 1 << 20

    let directory: String
    var configurationDirectory: String { directory + "/conf" }
    var persistentDirectory: String { directory + "/persist" }

    /// Creates the private directory (0700, in the temporary directory) with both files.
    init(configuration: String, persistent: String, name: String) throws {
        var template = Array((FileManager.default.temporaryDirectory.path + "/portmatrix-snmp.XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw SNMPAgentError.startFailed("cannot create a private directory for net-snmp's start: \(String(cString: strerror(errno)))")
        }
        directory = String(cString: made)
        do {
            for (folder, content) in [(configurationDirectory, configuration), (persistentDirectory, persistent)] {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false,
                                                        attributes: [.posixPermissions: 0o700])
                try content.write(toFile: "\(folder)/\(name).conf", atomically: false, encoding: .utf8)
            }
        } catch {
            remove()
            throw SNMPAgentError.startFailed("cannot write net-snmp's start files in \(directory): \(error)")
        }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The content of `<stateDirectory>/persist/<name>.conf`, "" when there is none yet. Opens
    /// each level without following a link and refuses a file that is not a regular file with a
    /// single link: a symbolic or hard link planted there could make root read any file.
    static func previousPersistentFile(stateDirectory: String, name: String) throws -> String {
        let fileName = "\(name).conf"
        let shown = "\(stateDirectory)/persist/\(fileName)"
        func refuse(_ path: String, _ why: String) -> SNMPAgentError {
            .startFailed("\(path) \(why): refusing to read it; remove it (net-snmp rebuilds its engine boots and USM keys)")
        }
        let state = open(stateDirectory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard state >= 0 else {
            if errno == ENOENT { return "" }
            throw refuse(stateDirectory, errno == ELOOP || errno == ENOTDIR ? "is not a directory (a symbolic link?)" : "cannot be opened (\(String(cString: strerror(errno))))")
        }
        defer { close(state) }
        let persist = openat(state, "persist", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard persist >= 0 else {
            if errno == ENOENT { return "" }
            throw refuse("\(stateDirectory)/persist", errno == ELOOP || errno == ENOTDIR ? "is not a directory (a symbolic link?)" : "cannot be opened (\(String(cString: strerror(errno))))")
        }
        defer { close(persist) }
        let file = openat(persist, fileName, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard file >= 0 else {
            if errno == ENOENT { return "" }
            throw refuse(shown, errno == ELOOP ? "is a symbolic link" : "cannot be opened (\(String(cString: strerror(errno))))")
        }
        defer { close(file) }
        var info = stat()
        guard fstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { throw refuse(shown, "is not a regular file") }
        guard info.st_nlink == 1 else { throw refuse(shown, "has \(info.st_nlink) hard links") }
        guard info.st_size <= maximumPersistentSize else { throw refuse(shown, "is larger than 1 MiB") }
        let data: Data
        do {
            data = try FileHandle(fileDescriptor: file, closeOnDealloc: false).read(upToCount: maximumPersistentSize + 1) ?? Data()
        } catch {
            throw refuse(shown, "cannot be read (\(error))")
        }
        guard data.count <= maximumPersistentSize else { throw refuse(shown, "is larger than 1 MiB") }
        return String(decoding: data, as: UTF8.self)
    }
}
