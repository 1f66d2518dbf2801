/// An immutable, sorted view of one registered subtree, built once per published snapshot so
/// that GET and GETNEXT are binary searches instead of scans over rows.
struct MIBView: Sendable {
    /// Sorted, unique instance OIDs.
    private(set) var oids: [[UInt]] = []
    private(set) var values: [MIBValue] = []
    /// OIDs of the object types (scalars, columns): a GET below one of them that has no
    /// instance is noSuchInstance, anything else noSuchObject.
    private(set) var objects: [OID] = []

    init() {}

    /// Adds an instance; callers append in ascending OID order.
    mutating func append(_ oid: [UInt], _ value: MIBValue) {
        assert(oids.last.map { OID.compare($0, oid) < 0 } ?? true, "MIBView entries must be appended in order")
        oids.append(oid)
        values.append(value)
    }

    mutating func declareObject(_ oid: OID) {
        objects.append(oid)
    }

    var count: Int { oids.count }

    func value(at oid: [UInt]) -> MIBValue? {
        let index = lowerBound(oid)
        guard index < oids.count, oids[index] == oid else { return nil }
        return values[index]
    }

    /// The first instance after `oid` (or at it, for AgentX's inclusive search ranges).
    func next(after oid: [UInt], inclusive: Bool = false) -> (oid: [UInt], value: MIBValue)? {
        var index = lowerBound(oid)
        if !inclusive, index < oids.count, oids[index] == oid {
            index += 1
        }
        guard index < oids.count else { return nil }
        return (oids[index], values[index])
    }

    func hasObject(covering oid: [UInt]) -> Bool {
        objects.contains { $0.isPrefix(of: oid) && $0.arcs.count < oid.count }
    }

    /// Index of the first entry not less than `oid`.
    private func lowerBound(_ oid: [UInt]) -> Int {
        var low = 0
        var high = oids.count
        while low < high {
            let mid = (low + high) / 2
            if OID.compare(oids[mid], oid) < 0 {
                low = mid + 1
            } else {
                high = mid
            }
        }
        return low
    }
}
