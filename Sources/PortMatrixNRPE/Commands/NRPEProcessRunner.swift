#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs an external command the way nrpe 4.1.0 does: `/bin/sh -c` in its own process group,
/// a wiped environment, stdout captured, and on timeout SIGTERM then SIGKILL to the group.
///
/// ``run(commandLine:timeoutSeconds:outputLimit:)`` blocks its thread until the command ends
/// or is killed, so callers run it on a thread pool, never on an event loop.
struct NRPEProcessRunner: Sendable {
    /// The environment nrpe gives its plugins (measured), minus the user identity variables:
    /// this agent does not switch users.
    static let environment = [
        "PATH=/usr/bin:/bin:/usr/sbin:/sbin",
        "IFS= \t\n",
        "NRPE_PROGRAMVERSION=4.1.0",
        "NRPE_MULTILINESUPPORT=1",
    ]
    /// Time between SIGTERM and SIGKILL.
    var killGraceMilliseconds: Int32 = 1000

    func run(commandLine: String, timeoutSeconds: Int, outputLimit: Int) -> NRPEResult {
        var pipeFDs: [Int32] = [-1, -1]
        guard GNUSpawnExtensions.pipe2(&pipeFDs, O_CLOEXEC) == 0 else {
            return NRPEResult(state: .unknown, output: "NRPE: Unable to create pipe: \(String(cString: strerror(errno)))")
        }
        let (readFD, writeFD) = (pipeFDs[0], pipeFDs[1])
        // posix_spawn clones this thread's credentials: no ambient capability (the unit's
        // CAP_NET_BIND_SERVICE) may pass to /bin/sh and the plugin. Only this thread's ambient
        // set changes; its own effective capabilities stay.
        GNUSpawnExtensions.clearAmbientCapabilities()
        let pid: pid_t
        do {
            pid = try spawn(commandLine: commandLine, stdout: writeFD)
        } catch {
            close(readFD); close(writeFD)
            return NRPEResult(state: .unknown, output: "NRPE: Unable to run command: \(String(cString: strerror(error.code)))")
        }
        close(writeFD)
        defer { close(readFD) }

        var output: [UInt8] = []
        var timedOut = false
        let deadline = Self.now() + Int64(timeoutSeconds) * 1000
        var killDeadline: Int64?
        var chunk = [UInt8](repeating: 0, count: 16384)
        readLoop: while true {
            let now = Self.now()
            if killDeadline == nil, now >= deadline {
                timedOut = true
                kill(-pid, SIGTERM)
                killDeadline = now + Int64(killGraceMilliseconds)
            }
            if let killDeadline, now >= killDeadline {
                kill(-pid, SIGKILL)
                break readLoop
            }
            var pollFD = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
            let wait = Int32(clamping: (killDeadline ?? deadline) - now)
            let ready = poll(&pollFD, 1, max(wait, 0))
            if ready < 0, errno == EINTR { continue }
            if ready <= 0 { continue }
            let count = chunk.withUnsafeMutableBytes { read(readFD, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break readLoop }
            // Keep draining past the limit so the plugin never blocks on a full pipe.
            output.append(contentsOf: chunk[..<min(count, max(0, outputLimit + 1 - output.count))])
        }
        // The shell may have left children holding the pipe open; the group goes with it.
        if timedOut { kill(-pid, SIGKILL) }
        var status: Int32 = 0
        if timedOut {
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        } else if !wait(for: pid, status: &status, deadline: deadline) {
            timedOut = true  // closed stdout and kept running
        }

        if timedOut {
            return NRPEResult(state: .unknown, output: "NRPE: Command timed out after \(timeoutSeconds) seconds")
        }
        if output.last == UInt8(ascii: "\n") { output.removeLast() }  // nrpe strips one newline
        guard !output.isEmpty else {
            return NRPEResult(state: .unknown, output: "NRPE: Unable to read output")
        }
        let exited = status & 0x7f == 0
        let state = exited ? NRPEState(exitCode: (status >> 8) & 0xff) : .unknown
        return NRPEResult(state: state, output: String(decoding: output, as: UTF8.self))
    }

    /// Reaps `pid` once it exits; a command that closed stdout and kept running gets SIGTERM
    /// at `deadline`, SIGKILL after the grace, to its whole group. False when it was killed.
    private func wait(for pid: pid_t, status: inout Int32, deadline: Int64) -> Bool {
        var pause: UInt32 = 200  // microseconds, doubling: a plugin usually exits right after EOF
        var killDeadline: Int64?
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { return killDeadline == nil }
            if reaped < 0, errno != EINTR { return killDeadline == nil }  // ECHILD: nothing to wait for
            let now = Self.now()
            if killDeadline == nil, now >= deadline {
                kill(-pid, SIGTERM)
                killDeadline = now + Int64(killGraceMilliseconds)
            }
            if let killDeadline, now >= killDeadline {
                kill(-pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0, errno == EINTR {}
                return false
            }
            usleep(pause)
            pause = min(pause * 2, 50_000)
        }
    }

    private struct SpawnError: Error { var code: Int32 }

    private func spawn(commandLine: String, stdout: Int32) throws(SpawnError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        GNUSpawnExtensions.addChdir(&actions, "/")
        // Nothing but 0-2 reaches the plugin, even an fd another thread opened without CLOEXEC.
        GNUSpawnExtensions.addClosefrom(&actions, 3)
        // Own process group (so a timeout kills the whole pipeline) and default signal
        // dispositions: the server ignores SIGPIPE, plugins must not inherit that.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let words: [String] = ["/bin/sh", "-c", commandLine]
        let argv = words.map { strdup($0) } + [nil]
        let envp = Self.environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
        guard result == 0 else { throw SpawnError(code: result) }
        return pid
    }

    private static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }
}

/// glibc functions that Swift's Glibc module hides (they sit behind _GNU_SOURCE), looked up
/// once at run time. Debian 12's glibc 2.36 has all of them; where one is missing the
/// fallback is weaker but correct (fcntl CLOEXEC, inherited cwd, no closefrom).
private enum GNUSpawnExtensions {
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    private static func symbol<T>(_ name: String, as _: T.Type) -> T? {
        guard let handle = dlopen(nil, RTLD_NOW), let pointer = dlsym(handle, name) else { return nil }
        return unsafeBitCast(pointer, to: T.self)
    }

    /// prctl is variadic (Swift does not import it); every argument here is an integer.
    private typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
    private static let prctlFunction = symbol("prctl", as: Prctl.self)
    private static let pipe2Function = symbol("pipe2", as: Pipe2.self)
    private static let addChdirFunction = symbol("posix_spawn_file_actions_addchdir_np", as: AddChdir.self)
    private static let addClosefromFunction = symbol("posix_spawn_file_actions_addclosefrom_np", as: AddClosefrom.self)

    /// prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL) on the calling thread; a kernel without
    /// ambient capabilities (before 4.3) has none to pass on.
    static func clearAmbientCapabilities() {
        _ = prctlFunction?(47, 4, 0, 0, 0)
    }

    static func pipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32 {
        if let pipe2Function { return pipe2Function(fds, flags) }
        guard pipe(fds) == 0 else { return -1 }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return 0
    }

    static func addChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: String) {
        _ = addChdirFunction?(actions, path)
    }

    static func addClosefrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32) {
        _ = addClosefromFunction?(actions, lowest)
    }
}
