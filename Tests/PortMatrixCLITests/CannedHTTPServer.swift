import Foundation
import PortMatrixTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A loopback HTTP peer for `plan --status URL`: every connection gets the same bytes after
/// its request head, or nothing at all (`answer: nil`) until the server closes. Raw bytes, so
/// a test can serve garbage as easily as a document.
final class CannedHTTPServer: @unchecked Sendable {
    private let listener: TCPListener
    private let lock = NSLock()
    private var held: [Int32] = []
    private var requests: [String] = []
    private var closed = false

    var port: Int { listener.port }
    var url: String { "http://127.0.0.1:\(port)/status.json" }

    init(answer: [UInt8]?) throws {
        listener = try TCPListener()
        let thread = Thread { [self] in serve(answer) }
        thread.start()
    }

    /// `HTTP/1.1 <status>` with a Content-Length and the body.
    static func response(_ status: String, body: String, contentType: String = "application/json") -> [UInt8] {
        Array("HTTP/1.1 \(status)\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)".utf8)
    }

    /// The body in chunked transfer encoding, as a streaming server sends it.
    static func chunked(_ body: String) -> [UInt8] {
        let bytes = Array(body.utf8)
        var text = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        for start in stride(from: 0, to: bytes.count, by: 100) {
            let chunk = bytes[start..<min(start + 100, bytes.count)]
            text += String(chunk.count, radix: 16) + "\r\n" + String(decoding: chunk, as: UTF8.self) + "\r\n"
        }
        return Array((text + "0\r\n\r\n").utf8)
    }

    /// The request heads received so far.
    var received: [String] {
        lock.lock()
        defer { lock.unlock() }
        return requests
    }

    func close() {
        lock.lock()
        closed = true
        let connections = held
        held = []
        lock.unlock()
        // shutdown wakes the thread blocked in accept.
        shutdown(listener.fd, Int32(SHUT_RDWR))
        listener.close()
        connections.forEach { _ = Glibc.close($0) }
    }

    private func serve(_ answer: [UInt8]?) {
        while true {
            lock.lock()
            let stop = closed
            lock.unlock()
            if stop { return }
            let fd = accept(listener.fd, nil, nil)
            guard fd >= 0 else { return }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            let head = readHead(fd)
            lock.lock()
            requests.append(head)
            let keep = answer == nil && !closed
            if keep { held.append(fd) }
            lock.unlock()
            guard let answer else {
                if !keep { _ = Glibc.close(fd) }
                continue
            }
            var sent = 0
            while sent < answer.count {
                let n = answer[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { break }
                sent += n
            }
            _ = Glibc.close(fd)
        }
    }

    /// Reads up to the blank line that ends a request head.
    private func readHead(_ fd: Int32) -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while !bytes.ends(with: Array("\r\n\r\n".utf8)), bytes.count < 65536 {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

private extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
