import Testing
@testable import portmatrix

/// A request that read its snapshot just before a publish reaches the cache after a newer
/// answer was kept: it gets its own answer, and the newer one stays.
struct RenderedAnswersRaceTests {
    @Test func anOlderSnapshotIsAnsweredWithoutEvictingTheNewerOne() async throws {
        let older = try await NRPEBuiltinsTests.engine().store.snapshot
        var newer = older
        newer.generation += 1
        let answers = RenderedAnswers<String, String>(capacity: 2)
        #expect(answers.answer("a", from: newer) { "a of \($0.generation)" } == "a of \(newer.generation)")
        #expect(answers.answer("a", from: older) { "a of \($0.generation)" } == "a of \(older.generation)")
        #expect(answers.renders == 2)
        #expect(answers.count == 1)
        #expect(answers.answer("a", from: newer) { _ in "rendered again" } == "a of \(newer.generation)")
        #expect(answers.renders == 2)
    }
}
