/// One line at the start of what a peer sent, bounded: bytes in, decision out. Every line
/// protocol (SMTP, HTTP, SSH, POP3, IMAP...) reads through it via `ProbeConnection.readLine`, so a
/// peer that never sends a newline costs `maxLength` bytes and a protocol error, not memory.
enum TextLine: Equatable {
    /// The line without its LF (and CR before it), and the bytes it took with its terminator.
    case line([UInt8], consumed: Int)
    /// No newline yet, and what is there can still become a line of at most `maxLength` bytes.
    case incomplete
    /// More than `maxLength` bytes before the newline.
    case tooLong

    /// Looks at most at `maxLength + 2` bytes (the line and its CR LF), whatever is buffered.
    static func scan(_ bytes: some Collection<UInt8>, maxLength: Int) -> TextLine {
        let window = Array(bytes.prefix(maxLength + 2))
        if let newline = window.firstIndex(of: 10) {
            var line = Array(window[..<newline])
            if line.last == 13 { line.removeLast() }
            guard line.count <= maxLength else { return .tooLong }
            return .line(line, consumed: newline + 1)
        }
        // A CR at the end may still be followed by its LF.
        let pending = window.last == 13 ? window.count - 1 : window.count
        return pending > maxLength ? .tooLong : .incomplete
    }
}
