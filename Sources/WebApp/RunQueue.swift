import Foundation
import Scheduler
import Store
import Synchronization

/// Where a run is, as pages, the API and the event stream show it.
public struct RunProgress: Codable, Sendable, Equatable {
    public var elapsed: Double
    public var unmetSessions: Int
    public var objective: Double
    public var bound: Double
    public var gap: Double
    public var subproblems: Int
    public var stopReason: String?

    init(_ p: SolveProgress) {
        elapsed = (p.elapsed * 10).rounded() / 10
        unmetSessions = p.unmetSessions
        objective = p.objective
        bound = p.bound
        // JSON has no infinity: a gap without a bound above zero reads as 100 %.
        gap = p.gap.isFinite ? (p.gap * 10_000).rounded() / 10_000 : 1
        subproblems = p.subproblems
        stopReason = p.stopReason?.rawValue
    }

    var json: String { String(decoding: (try? JSONEncoder.sorted.encode(self)) ?? Data("{}".utf8), as: UTF8.self) }
}

/// What a run's event stream carries: progress while it runs, then its final state once.
enum RunEvent: Sendable {
    case progress(RunProgress)
    case finished(RunState)
}

/// Solves off the request path: a fixed number of lanes (one per core less one, at least one) take
/// queued runs in order. A lane waits without a thread; each solve gets a dedicated thread of its
/// own (`onDedicatedThread`), so solving never holds one of the cooperative threads that serve the
/// pages and feeds.
final class RunQueue: Sendable {
    private struct State {
        var pending: [Int64] = []
        var idleLanes: [CheckedContinuation<Int64, Never>] = []
        var cancelRequested: Set<Int64> = []
        var listeners: [Int64: [Int: AsyncStream<RunEvent>.Continuation]] = [:]
        var nextListener = 0
        var latest: [Int64: RunProgress] = [:]
    }

    private let state = Mutex(State())
    let workers: Int

    init(workers: Int) {
        self.workers = max(1, workers)
    }

    /// Starts the lanes. `execute` does one run from start to its final state in the store.
    func start(execute: @escaping @Sendable (Int64, RunQueue) async -> RunState) {
        for _ in 0..<workers {
            Task { [self] in
                while true {
                    let id = await next()
                    finish(id, state: await execute(id, self))
                }
            }
        }
    }

    /// The oldest queued run, waiting for one when there is none.
    private func next() async -> Int64 {
        await withCheckedContinuation { lane in
            let id: Int64? = state.withLock { s in
                if s.pending.isEmpty {
                    s.idleLanes.append(lane)
                    return nil
                }
                return s.pending.removeFirst()
            }
            if let id { lane.resume(returning: id) }
        }
    }

    func submit(_ id: Int64) {
        let lane = state.withLock { s in
            if s.idleLanes.isEmpty {
                s.pending.append(id)
                return CheckedContinuation<Int64, Never>?.none
            }
            return s.idleLanes.removeFirst()
        }
        lane?.resume(returning: id)
    }

    /// Asks a queued or running run to stop; the solver finds out between sub-problems.
    func requestCancel(_ id: Int64) {
        _ = state.withLock { $0.cancelRequested.insert(id) }
    }

    func isCancelRequested(_ id: Int64) -> Bool {
        state.withLock { $0.cancelRequested.contains(id) }
    }

    func latestProgress(_ id: Int64) -> RunProgress? {
        state.withLock { $0.latest[id] }
    }

    func report(_ id: Int64, progress: RunProgress) {
        let listeners = state.withLock { s in
            s.latest[id] = progress
            return Array((s.listeners[id] ?? [:]).values)
        }
        for listener in listeners { listener.yield(.progress(progress)) }
    }

    private func finish(_ id: Int64, state final: RunState) {
        let listeners = state.withLock { s in
            s.cancelRequested.remove(id)
            s.latest[id] = nil
            return s.listeners.removeValue(forKey: id).map { Array($0.values) } ?? []
        }
        for listener in listeners { Self.end(listener, final) }
    }

    private static func end(_ listener: AsyncStream<RunEvent>.Continuation, _ final: RunState) {
        listener.yield(.finished(final))
        listener.finish()
    }

    /// Progress of one run until it finishes, and `end`, which the caller calls when the store says
    /// the run has finished: a run that ended before the stream was registered ends it that way.
    /// Listening first and asking the store second leaves no gap between the two.
    func events(_ id: Int64) -> (stream: AsyncStream<RunEvent>, end: @Sendable (RunState) -> Void) {
        let (stream, continuation) = AsyncStream<RunEvent>.makeStream(bufferingPolicy: .bufferingNewest(16))
        let key: Int = state.withLock { s in
            let key = s.nextListener
            s.nextListener += 1
            s.listeners[id, default: [:]][key] = continuation
            if let latest = s.latest[id] { continuation.yield(.progress(latest)) }
            return key
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.listeners[id]?.removeValue(forKey: key) }
        }
        return (stream, { final in Self.end(continuation, final) })
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
