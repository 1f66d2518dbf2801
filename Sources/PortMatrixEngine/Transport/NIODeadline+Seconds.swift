import NIOCore

extension NIODeadline {
    func seconds(since start: NIODeadline) -> Double {
        Double((self - start).nanoseconds) / 1e9
    }
}
