/// A pmPathStatusChange to send, captured from the snapshot that caused it.
struct PathStatusChange: Sendable, Equatable {
    var pathIndex: Int
    var id: String
    var previous: MIBStatus
    var current: MIBStatus
    var message: String
}
