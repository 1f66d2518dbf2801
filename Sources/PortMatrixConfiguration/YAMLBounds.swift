import CYaml

/// Checks a YAML text's events before Yams composes it, so a hostile file costs one linear pass.
///
/// Composing is cheap, but Yams' duplicate-key check hashes every mapping key recursively, and
/// an alias shares a node without copying it: a key such as `? *deep` over nine levels of nine
/// aliases each hashes 9^9 nodes (a "billion laughs"). Configuration keys are plain names, so a
/// list, mapping or alias as a key is refused here, and the document's size with every alias
/// expanded is bounded, for whatever walks the values afterwards.
public enum YAMLBounds {
    /// Nodes in the document with every alias written out. A 1 MiB file holds at most about
    /// 500,000 nodes of its own; aliases may add as many again, not a billion.
    public static let maxExpandedNodes = 1_000_000

    public struct Violation: Error, Equatable {
        /// 1-based, as Yams' marks.
        public var line: Int
        public var column: Int
        public var message: String
    }

    /// The first violation, or nil. A syntax error ends the scan silently: Yams reports it.
    public static func check(_ text: String, maxExpandedNodes limit: Int = maxExpandedNodes) -> Violation? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var scan = Scan(limit: limit)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return nil }
                if let violation = scan.next(event) { return violation }
            }
        }
    }

    /// The open collections and the expanded size of every anchor seen in the current document.
    private struct Scan {
        struct Frame {
            var isMapping: Bool
            var anchor: String?
            /// Expanded nodes in it so far, itself included.
            var size = 1
            /// Children seen; in a mapping, even counts are keys.
            var children = 0
        }

        let limit: Int
        var stack: [Frame] = []
        var anchors: [String: Int] = [:]
        var total = 0

        init(limit: Int) { self.limit = limit }

        mutating func next(_ event: yaml_event_t) -> Violation? {
            let mark = (line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
            switch event.type {
            case YAML_DOCUMENT_START_EVENT:
                anchors = [:]  // anchors do not cross documents
            case YAML_SCALAR_EVENT:
                return leaf(size: 1, anchor: Self.text(event.data.scalar.anchor), mark: mark)
            case YAML_ALIAS_EVENT:
                if isKeyPosition { return Violation(line: mark.line, column: mark.column, message: "an alias as a key; keys must be plain names") }
                // An unknown alias is Yams' error to report; it counts as one node here.
                let size = Self.text(event.data.alias.anchor).flatMap { anchors[$0] } ?? 1
                return leaf(size: size, anchor: nil, mark: mark)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                if isKeyPosition {
                    let kind = event.type == YAML_SEQUENCE_START_EVENT ? "a list" : "a mapping"
                    return Violation(line: mark.line, column: mark.column, message: "\(kind) as a key; keys must be plain names")
                }
                let anchor = event.type == YAML_SEQUENCE_START_EVENT
                    ? Self.text(event.data.sequence_start.anchor) : Self.text(event.data.mapping_start.anchor)
                stack.append(Frame(isMapping: event.type == YAML_MAPPING_START_EVENT, anchor: anchor))
                return count(1, mark: mark)
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { return nil }
                if let anchor = frame.anchor { anchors[anchor] = frame.size }
                addToParent(frame.size)
            default:
                break
            }
            return nil
        }

        private var isKeyPosition: Bool {
            guard let top = stack.last else { return false }
            return top.isMapping && top.children % 2 == 0
        }

        private mutating func leaf(size: Int, anchor: String?, mark: (line: Int, column: Int)) -> Violation? {
            if let anchor { anchors[anchor] = size }
            addToParent(size)
            return count(size, mark: mark)
        }

        private mutating func addToParent(_ size: Int) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].children += 1
            stack[stack.count - 1].size = min(stack[stack.count - 1].size + size, limit + 1)
        }

        /// Every node counts once where it appears, an alias as often as its anchor's nodes.
        private mutating func count(_ size: Int, mark: (line: Int, column: Int)) -> Violation? {
            total = min(total + size, limit + 1)
            guard total > limit else { return nil }
            return Violation(line: mark.line, column: mark.column,
                             message: "the document has more than \(limit) nodes with its aliases expanded (a \"billion laughs\"); write the values out instead")
        }

        private static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: $0) }
        }
    }
}
