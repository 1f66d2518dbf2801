/// One protocol's part of what a probe saw (`tls`, `smtp`, `ntp`...): a Codable value that the
/// check document carries under `key` without knowing the type. A probe family declares its
/// type in its own file and lists it in ``Probe/observationTypes``; nothing else changes.
public protocol Observation: Codable, Sendable, Hashable {
    /// The key in `check --format json` and in ``Observations``; unique among the types a
    /// registry knows.
    static var key: String { get }
}

/// An observation of any type, compared and hashed by value.
struct AnyObservation: Sendable, Hashable {
    let value: any Observation

    static func == (lhs: AnyObservation, rhs: AnyObservation) -> Bool {
        AnyHashable(lhs.value) == AnyHashable(rhs.value)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(AnyHashable(value))
    }
}

/// A check document's key for an observation type known only at run time.
struct ObservationKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension CodingUserInfoKey {
    /// `[any Observation.Type]` to decode a check document's observations with; absent, the
    /// types of ``ProbeRegistry/standard``.
    public static let observationTypes: CodingUserInfoKey = {
        guard let key = CodingUserInfoKey(rawValue: "portmatrix.observationTypes") else {
            preconditionFailure("a non-empty raw value is a valid CodingUserInfoKey")
        }
        return key
    }()
}
