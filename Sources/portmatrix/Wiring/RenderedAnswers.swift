import PortMatrixEngine
import Synchronization

/// Answers rendered from one published snapshot, kept until the store publishes the next: a
/// poller asking many times per cycle costs one render per cycle, not one per request. An
/// answer is rendered on the first request after a publish, so a cycle nobody asks about
/// costs nothing.
///
/// At most `capacity` keys are kept per snapshot; beyond that answers are rendered per
/// request, so clients asking for ever new keys cannot grow memory. An answer that also shows
/// something changing by itself (the cycle age in whole seconds) passes it as `stamp`: a kept
/// answer with another stamp is rendered again and replaced.
final class RenderedAnswers<Key: Hashable & Sendable, Answer: Sendable>: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var answers: [Key: (stamp: Int?, answer: Answer)] = [:]
        var renders = 0
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The answer for `key` from `snapshot`, rendered by `render` unless already rendered from
    /// the same snapshot with the same `stamp`. Rendering holds the lock: concurrent first requests wait for the one
    /// render instead of each doing it.
    func answer(_ key: Key, stamp: Int? = nil, from snapshot: Snapshot, render: (Snapshot) -> Answer) -> Answer {
        state.withLock { state in
            // A request that read an older snapshot than the cached one (a publish raced it)
            // gets its own answer without evicting the newer ones; so does a snapshot no store
            // numbered (generation 0), which cannot be told from another.
            if snapshot.generation < state.generation || snapshot.generation == 0 {
                state.renders += 1
                return render(snapshot)
            }
            if snapshot.generation > state.generation {
                state.generation = snapshot.generation
                state.answers.removeAll(keepingCapacity: true)
            }
            let kept = state.answers[key]
            if let kept, kept.stamp == stamp { return kept.answer }
            state.renders += 1
            let answer = render(snapshot)
            if kept != nil || state.answers.count < capacity { state.answers[key] = (stamp, answer) }
            return answer
        }
    }

    /// How many answers were rendered so far (the tests count them).
    var renders: Int { state.withLock { $0.renders } }
    /// How many answers are kept now.
    var count: Int { state.withLock { $0.answers.count } }
}
