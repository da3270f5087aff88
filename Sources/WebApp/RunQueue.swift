import Foundation
import Logging
import Scheduler
import ServiceLifecycle
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

    // JSON has no infinity: an objective or bound not known yet is written as null, and read back as infinite.
    enum CodingKeys: String, CodingKey { case elapsed, unmetSessions, objective, bound, gap, subproblems, stopReason }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        elapsed = try c.decode(Double.self, forKey: .elapsed)
        unmetSessions = try c.decode(Int.self, forKey: .unmetSessions)
        objective = try c.decodeIfPresent(Double.self, forKey: .objective) ?? .infinity
        bound = try c.decodeIfPresent(Double.self, forKey: .bound) ?? -.infinity
        gap = try c.decode(Double.self, forKey: .gap)
        subproblems = try c.decode(Int.self, forKey: .subproblems)
        stopReason = try c.decodeIfPresent(String.self, forKey: .stopReason)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(elapsed, forKey: .elapsed)
        try c.encode(unmetSessions, forKey: .unmetSessions)
        try c.encode(objective.isFinite ? objective : nil, forKey: .objective)
        try c.encode(bound.isFinite ? bound : nil, forKey: .bound)
        try c.encode(gap, forKey: .gap)
        try c.encode(subproblems, forKey: .subproblems)
        try c.encodeIfPresent(stopReason, forKey: .stopReason)
    }

    /// Every field is finite or null, so encoding cannot fail; "{}" only keeps the type honest.
    var json: String { String(decoding: (try? JSONEncoder.sorted.encode(self)) ?? Data("{}".utf8), as: UTF8.self) }
}

/// What a run's event stream carries: progress while it runs, then its final state once.
enum RunEvent: Sendable {
    case progress(RunProgress)
    case finished(RunState)
}

/// Long work the queue does off the request path, one job per lane at a time.
enum QueueJob: Sendable, Hashable {
    /// A solve (or a what-if variant), by run id.
    case solve(Int64)
    /// Explain's trial re-solves for a finished run, by explanation id.
    case explain(Int64)
}

/// What the queue calls to do one job. A solve's final state ends its event streams.
protocol JobExecutor: Sendable {
    func execute(_ job: QueueJob, queue: RunQueue) async -> RunState?
}

/// Solves and explain's trials off the request path, as a service of the server's service group: a fixed number of lanes
/// (one per core less one, at least one) take queued runs in order. A lane waits without a thread;
/// each solve gets a dedicated thread of its own (`onDedicatedThread`), so solving never holds one
/// of the cooperative threads that serve the pages and feeds.
///
/// On graceful shutdown no queued run starts (they stay queued in the store and start at the next
/// start), and running ones are asked to stop: they stop between sub-problems and keep the best
/// timetable found, as `interrupted`. The queue waits for them up to `shutdownDeadline`; a solve
/// still running then is left to the process's end and marked `interrupted` at the next start.
final class RunQueue: Service {
    private struct State {
        var executor: (any JobExecutor)?
        var stopping = false
        var pending: [QueueJob] = []
        var idleLanes: [CheckedContinuation<QueueJob?, Never>] = []
        var cancelRequested: Set<Int64> = []
        /// Solves a lane is working on now.
        var solving: Set<Int64> = []
        var listeners: [Int64: [Int: AsyncStream<RunEvent>.Continuation]] = [:]
        var nextListener = 0
        var latest: [Int64: RunProgress] = [:]
        /// Runs that ended but whose end could not be saved (a full disk), with why.
        var unsaved: [Int64: String] = [:]
    }

    private let state = Mutex(State())
    let workers: Int
    let shutdownDeadline: Duration
    private let logger = Logger(label: "flexsched.runqueue")

    init(workers: Int, shutdownDeadline: Duration) {
        self.workers = max(1, workers)
        self.shutdownDeadline = shutdownDeadline
    }

    /// Who does the runs; set once, before the service group starts the queue.
    func attach(_ executor: any JobExecutor) {
        state.withLock { $0.executor = executor }
    }

    func run() async throws {
        guard let executor = state.withLock({ $0.executor }) else { preconditionFailure("the run queue started with no executor") }
        let lanes = (0..<workers).map { _ in
            Task { [self] in
                while let job = await next() {
                    if case .solve(let id) = job { _ = state.withLock { $0.solving.insert(id) } }
                    let final = await executor.execute(job, queue: self)
                    if case .solve(let id) = job {
                        _ = state.withLock { $0.solving.remove(id) }
                        if let final { finish(id, state: final) }
                    }
                }
            }
        }
        // Until the server stops: a graceful shutdown, or the service group's cancellation.
        try? await gracefulShutdown()
        // Streams of queued runs end now, as those runs will not start in this process: their
        // clients would otherwise hold the server's graceful stop open.
        let (idle, queued) = state.withLock { s in
            s.stopping = true
            defer { s.idleLanes.removeAll() }
            let ids = s.listeners.keys.filter { !s.solving.contains($0) }
            return (s.idleLanes, ids.flatMap { s.listeners.removeValue(forKey: $0).map { Array($0.values) } ?? [] })
        }
        for lane in idle { lane.resume(returning: nil) }
        for listener in queued { listener.finish() }
        if await !Self.finish(lanes, within: shutdownDeadline) {
            logger.warning("solves still running \(shutdownDeadline) after shutdown began are left; the next start marks them interrupted")
        }
        let open = state.withLock { s in
            defer { s.listeners.removeAll() }
            return s.listeners.values.flatMap(\.values)
        }
        for listener in open { listener.finish() }
    }

    /// Whether the lanes ended within `deadline`. Lanes are not waited for past it, nor once the
    /// service group cancels the queue: a solve that does not stop must not keep the server from stopping.
    private static func finish(_ lanes: [Task<Void, Never>], within deadline: Duration) async -> Bool {
        let timer = Mutex<Task<Void, Never>?>(nil)
        let once = Mutex<CheckedContinuation<Bool, Never>?>(nil)
        let answer: @Sendable (Bool) -> Void = { value in once.withLock { $0?.resume(returning: value); $0 = nil } }
        let ended = await withTaskCancellationHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Bool, Never>) in
                once.withLock { $0 = done }
                if Task.isCancelled { answer(false) }
                Task {
                    for lane in lanes { await lane.value }
                    answer(true)
                }
                timer.withLock { $0 = Task { if (try? await Task.sleep(for: deadline)) != nil { answer(false) } } }
            }
        } onCancel: { answer(false) }
        timer.withLock { $0?.cancel() }
        return ended
    }

    /// The oldest queued job, waiting for one when there is none; nil once the queue stops.
    private func next() async -> QueueJob? {
        await withCheckedContinuation { lane in
            let job: QueueJob?? = state.withLock { s in
                if s.stopping { return .some(nil) }
                if s.pending.isEmpty {
                    s.idleLanes.append(lane)
                    return nil
                }
                return s.pending.removeFirst()
            }
            if let job { lane.resume(returning: job) }
        }
    }

    /// Queued runs wait in the store too: one submitted while the server stops starts at the next start.
    func submit(_ job: QueueJob) {
        let lane = state.withLock { s in
            if s.idleLanes.isEmpty || s.stopping {
                s.pending.append(job)
                return CheckedContinuation<QueueJob?, Never>?.none
            }
            return s.idleLanes.removeFirst()
        }
        lane?.resume(returning: job)
    }

    /// True once a graceful shutdown began: a solve stopped now is interrupted, not cancelled.
    var isStopping: Bool { state.withLock { $0.stopping } }

    /// Asks a queued or running run to stop; the solver finds out between sub-problems.
    func requestCancel(_ id: Int64) {
        _ = state.withLock { $0.cancelRequested.insert(id) }
    }

    func isCancelRequested(_ id: Int64) -> Bool {
        state.withLock { $0.stopping || $0.cancelRequested.contains(id) }
    }

    /// A run that ended without its end being saved shows as failed, with why, until the next
    /// start marks it interrupted.
    func recordUnsaved(_ id: Int64, summary: String) {
        state.withLock { $0.unsaved[id] = summary }
    }

    func unsavedSummary(_ id: Int64) -> String? {
        state.withLock { $0.unsaved[id] }
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
