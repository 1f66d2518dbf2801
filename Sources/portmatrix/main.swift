import Dispatch

/// A synchronous entry point on purpose. Under an async `@main`, libdispatch parks the main
/// thread inside pthread_exit, where glibc's setuid no longer reaches it: after the agent
/// dropped root, that thread (and so `ps` and /proc/PID/status) would still say root.
/// Here the main thread only waits, and changes user with the others.
enum Entry {
    static func run() {
        let finished = DispatchSemaphore(value: 0)
        Task.detached {
            await PortMatrixCommand.main()
            finished.signal()
        }
        finished.wait()
    }
}

Entry.run()
