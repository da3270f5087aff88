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

/// Solves off the request path: a fixed number of worker threads (one per core less one, at least
/// one) take queued runs in order. Solving blocks a thread for up to the time limit, so the workers
/// are plain threads, never Swift concurrency's few cooperative ones, which serve the pages and feeds.
final class RunQueue: Sendable {
    private struct State {
        var pending: [Int64] = []
        var cancelRequested: Set<Int64> = []
        var listeners: [Int64: [Int: AsyncStream<RunEvent>.Continuation]] = [:]
        var nextListener = 0
        var latest: [Int64: RunProgress] = [:]
    }

    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)
    let workers: Int

    init(workers: Int) {
        self.workers = max(1, workers)
    }

    /// Starts the workers. `execute` does one run from start to its final state in the store; it
    /// may call `report`.
    func start(execute: @escaping @Sendable (Int64, RunQueue) -> RunState) {
        for index in 0..<workers {
            let thread = Thread { [self] in
                while true {
                    available.wait()
                    guard let id = state.withLock({ $0.pending.isEmpty ? nil : $0.pending.removeFirst() }) else { continue }
                    let final = execute(id, self)
                    finish(id, state: final)
                }
            }
            thread.name = "flexsched-run-\(index + 1)"
            // GLPK's branch and bound and the model builder recurse; a secondary thread's default is small.
            thread.stackSize = 16 << 20
            thread.start()
        }
    }

    func submit(_ id: Int64) {
        state.withLock { $0.pending.append(id) }
        available.signal()
    }

    /// Asks a queued or running run to stop; the worker finds out between sub-problems.
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
        for listener in listeners {
            listener.yield(.finished(final))
            listener.finish()
        }
    }

    /// Progress of one run until it finishes. `isFinished` is asked under the queue's lock, so a
    /// run that ends between the caller's look at the store and this call still ends the stream.
    func events(_ id: Int64, isFinished: @Sendable () -> RunState?) -> AsyncStream<RunEvent> {
        let (stream, continuation) = AsyncStream<RunEvent>.makeStream(bufferingPolicy: .bufferingNewest(16))
        let key: Int? = state.withLock { s in
            if let done = isFinished() {
                continuation.yield(.finished(done))
                continuation.finish()
                return nil
            }
            let key = s.nextListener
            s.nextListener += 1
            s.listeners[id, default: [:]][key] = continuation
            if let latest = s.latest[id] { continuation.yield(.progress(latest)) }
            return key
        }
        if let key {
            continuation.onTermination = { [weak self] _ in
                self?.state.withLock { _ = $0.listeners[id]?.removeValue(forKey: key) }
            }
        }
        return stream
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
