import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with posix_spawn and reaped with waitpid by pid. Foundation's
/// Process is not used: on Linux its child monitoring left finished tools unreaped and the
/// reading test blocked.
public final class Spawned: @unchecked Sendable {
    public let pid: pid_t
    private let input: Int32?
    private let lock = NSLock()
    private var exitStatus: Int32?

    /// stdout and stderr go to files; stdin is a pipe if `withInput`, else /dev/null.
    public init(executable: String, arguments: [String], environment: [String: String], output: String, errors: String, withInput: Bool) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var pipeEnds: [Int32] = [-1, -1]
        if withInput {
            guard pipe(&pipeEnds) == 0 else { throw TestFailure("pipe failed") }
            // Only the dup2'ed copy reaches the child; later children must not inherit the ends.
            pipeEnds.forEach { _ = fcntl($0, F_SETFD, FD_CLOEXEC) }
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[0], 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // The spawning thread (a dispatch or cooperative-pool thread) blocks most signals, and a
        // child inherits that mask: nagios4 then never saw SIGTERM. Children start with no
        // signal blocked and every signal at its default action, as from a shell.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        if withInput { close(pipeEnds[0]) }
        guard result == 0 else {
            if withInput { close(pipeEnds[1]) }
            throw TestFailure("cannot start \(executable): \(String(cString: strerror(result)))")
        }
        self.pid = pid
        self.input = withInput ? pipeEnds[1] : nil
    }

    deinit {
        if let input { close(input) }
    }

    /// The exit status once the child has ended (reaping it), nil while it runs.
    public var status: Int32? {
        lock.lock()
        defer { lock.unlock() }
        if exitStatus == nil {
            var raw: Int32 = 0
            if waitpid(pid, &raw, WNOHANG) == pid {
                exitStatus = (raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
            }
        }
        return exitStatus
    }

    public var isRunning: Bool { status == nil }

    public func write(_ text: String) {
        guard let input else { return }
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(input, $0.baseAddress, $0.count) }
    }

    /// Signals the child, then SIGKILL if it is still there after `grace` seconds; reaps it.
    public func terminate(signal: Int32 = SIGTERM, grace: TimeInterval = 5) {
        guard isRunning else { return }
        kill(pid, signal)
        if !eventually(timeout: grace, every: 0.02, { !isRunning }) {
            kill(pid, SIGKILL)
            eventually(timeout: 5, every: 0.02) { !isRunning }
        }
    }

    /// Waits without holding a thread: tests whose child talks to a server in this process
    /// must leave the (two-thread) cooperative pool free for that server.
    public func exitStatus(timeout: TimeInterval) async -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning, Date() < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if isRunning { terminate(signal: SIGKILL) }
        return status ?? -1
    }

    /// Waits for the child to end; kills it after `timeout`.
    public func wait(timeout: TimeInterval) -> Int32 {
        if !eventually(timeout: timeout, every: 0.01, { !isRunning }) {
            terminate(signal: SIGKILL)
        }
        return status ?? -1
    }
}

public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
