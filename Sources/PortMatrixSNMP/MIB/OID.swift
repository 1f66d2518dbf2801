/// An SNMP object identifier, ordered lexicographically by arc as GETNEXT requires.
public struct OID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var arcs: [UInt]

    public init(_ arcs: [UInt]) {
        self.arcs = arcs
    }

    /// Parses dotted notation, with or without the leading dot (`1.3.6.1.4.1` or `.1.3.6.1.4.1`).
    public init?(_ text: String) {
        let trimmed = text.hasPrefix(".") ? text.dropFirst() : Substring(text)
        var arcs: [UInt] = []
        for part in trimmed.split(separator: ".", omittingEmptySubsequences: false) {
            guard let arc = UInt(part), arc <= UInt(UInt32.max) else { return nil }
            arcs.append(arc)
        }
        guard arcs.count >= 2, arcs.count <= 128 else { return nil }
        self.arcs = arcs
    }

    public var description: String { arcs.map(String.init).joined(separator: ".") }

    public func appending(_ suffix: [UInt]) -> OID { OID(arcs + suffix) }

    public func isPrefix(of other: [UInt]) -> Bool {
        other.count >= arcs.count && other.starts(with: arcs)
    }

    public static func < (lhs: OID, rhs: OID) -> Bool { compare(lhs.arcs, rhs.arcs) < 0 }

    /// -1, 0 or 1, as snmp_oid_compare.
    static func compare(_ lhs: [UInt], _ rhs: [UInt]) -> Int {
        for (l, r) in zip(lhs, rhs) where l != r {
            return l < r ? -1 : 1
        }
        return lhs.count == rhs.count ? 0 : (lhs.count < rhs.count ? -1 : 1)
    }
}
