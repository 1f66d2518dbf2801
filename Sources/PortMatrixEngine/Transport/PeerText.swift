/// Peer-supplied text made safe for one-line messages.
extension StringProtocol {
    /// Control characters escaped, for putting peer text into a one-line message.
    var printable: String {
        String(unicodeScalars.map { $0.value < 32 || $0.value == 127 ? "." : Character($0) })
    }
}

extension String {
    var trimmingTrailingWhitespace: String {
        var text = self
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text.removeLast() }
        return text
    }
}
