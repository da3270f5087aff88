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
    /// A solve (or a what-if variant), by run id, claimed from the store.
    case solve(Int64)
    /// Explain's trial re-solves for a finished run, by explanation id (kept in this process).
    case explain(Int64)
}

/// What the queue calls to find and do work. A solve's final state ends its event streams; nil
/// when this process no longer holds the run (it was queued again elsewhere).
protocol JobExecutor: Sendable {
    /// The oldest queued run, claimed for `worker`; nil when none is queued (or the store cannot say).
    func claim(worker: String) async -> Int64?
    func execute(_ job: QueueJob, queue: RunQueue) async -> RunState?
    /// Beats the heartbeat of the runs `worker` holds and queues again those of silent workers;
    /// returns the runs this worker must stop (asked to by an admin, or no longer its own).
    func beat(worker: String, solving: Set<Int64>) async -> Set<Int64>
    /// Another process changed what private links open: this server's caches of them go.
    func forgetLinks()
}

/// Solves and explain's trials off the request path, as a service of the server's service group.
/// A fixed number of lanes (one per core less one by default) claim queued runs from the store, the
/// oldest first: in a district, workers on several machines claim from one database and never get
/// the same run. A lane waits without a thread until a run is queued (`wake`, or the store's
/// `runsQueued` event from another process) or its poll comes round; each solve gets a dedicated
/// thread of its own (`onDedicatedThread`), so solving never holds one of the cooperative threads
/// that serve the pages and feeds.
///
/// While it solves, the queue beats each run's heartbeat in the store; it also queues again, once,
/// the runs of workers whose heartbeat stopped (`RunHeartbeat`).
///
/// On graceful shutdown no queued run starts (they stay queued in the store for the next start or
/// another worker), and running ones are asked to stop: they stop between sub-problems and keep the
/// best timetable found, as `interrupted`. The queue waits for them up to `shutdownDeadline`.
final class RunQueue: Service {
    private struct State {
        var executor: (any JobExecutor)?
        var stopping = false
        var explanations: [Int64] = []
        /// Bumped by every wake: a lane that found nothing to do waits only if none came since it looked.
        var wakes = 0
        var waiting: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
        var cancelRequested: Set<Int64> = []
        /// Solves this process's lanes are working on now.
        var solving: Set<Int64> = []
        var listeners: [Int64: [Int: AsyncStream<RunEvent>.Continuation]] = [:]
        var nextListener = 0
        var latest: [Int64: RunProgress] = [:]
        /// Runs that ended but whose end could not be saved (a full disk), with why.
        var unsaved: [Int64: String] = [:]
    }

    private let state = Mutex(State())
    /// Lanes that claim solves; 0 for a server that only serves (a district's workers solve).
    let workers: Int
    let shutdownDeadline: Duration
    let events: any StoreEvents
    /// This process as the store knows it: host, process id and a random part (a restarted
    /// process with the same id must not take over a dead one's runs).
    let workerID = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: .min ... .max))"
    /// How long a lane with nothing to do waits before it asks the store again (a missed event costs this).
    let pollInterval: Duration = .seconds(2)
    /// How often the runs solving here beat their heartbeat (a run silent for `RunService.staleAfter` is queued again).
    let heartbeatInterval: Duration = .seconds(2)
    /// Events this process sends, in the order it sends them (a run's last progress before its end).
    private let outgoing: AsyncStream<StoreEvent>
    private let outbox: AsyncStream<StoreEvent>.Continuation
    private let logger = Logger(label: "flexsched.runqueue")

    init(workers: Int, shutdownDeadline: Duration, events: any StoreEvents) {
        self.workers = max(0, workers)
        self.shutdownDeadline = shutdownDeadline
        self.events = events
        (outgoing, outbox) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    func publish(_ event: StoreEvent) {
        outbox.yield(event)
    }

    /// Who does the runs; set once, before the service group starts the queue.
    func attach(_ executor: any JobExecutor) {
        state.withLock { $0.executor = executor }
    }

    func run() async throws {
        guard let executor = state.withLock({ $0.executor }) else { preconditionFailure("the run queue started with no executor") }
        // A server that only serves still runs explain's trials, on one lane that claims no solves.
        let lanes = (0..<max(workers, 1)).map { lane in
            Task { [self] in await work(executor, claimsSolves: lane < workers) }
        }
        let listening = Task { [self] in await listen(executor) }
        let sending = Task { [self] in
            for await event in outgoing { await events.publish(event) }
        }
        // A server that only serves looks for dead workers' runs too: with no worker left, they show
        // queued again rather than running forever.
        let beating = Task { [self] in
            while (try? await Task.sleep(for: heartbeatInterval)) != nil {
                for id in await executor.beat(worker: workerID, solving: solving) { requestCancel(id) }
            }
        }
        // Until the server stops: a graceful shutdown, or the service group's cancellation.
        try? await gracefulShutdown()
        let queued = state.withLock { s in
            s.stopping = true
            // Streams of runs not solving here end now: their clients would otherwise hold the
            // server's graceful stop open.
            let ids = s.listeners.keys.filter { !s.solving.contains($0) }
            return ids.flatMap { s.listeners.removeValue(forKey: $0).map { Array($0.values) } ?? [] }
        }
        wake()
        for listener in queued { listener.finish() }
        if await !Self.finish(lanes, within: shutdownDeadline) {
            logger.warning("solves still running \(shutdownDeadline) after shutdown began are left; their heartbeat stops and they are queued again")
        }
        listening.cancel()
        beating.cancel()
        outbox.finish()
        // The last ends reach the other servers unless the database is gone too.
        _ = await Self.finish([sending], within: .seconds(1))
        sending.cancel()
        let open = state.withLock { s in
            defer { s.listeners.removeAll() }
            return s.listeners.values.flatMap(\.values)
        }
        for listener in open { listener.finish() }
    }

    /// One lane: explain's trials first (the admin waits on the page), then the oldest queued run.
    private func work(_ executor: any JobExecutor, claimsSolves: Bool) async {
        while true {
            let (seen, stopping, explanation) = state.withLock { s in (s.wakes, s.stopping, s.explanations.isEmpty ? nil : s.explanations.removeFirst()) }
            if stopping { return }
            if let explanation {
                _ = await executor.execute(.explain(explanation), queue: self)
                continue
            }
            if claimsSolves, let id = await executor.claim(worker: workerID) {
                _ = state.withLock { $0.solving.insert(id) }
                let final = await executor.execute(.solve(id), queue: self)
                _ = state.withLock { $0.solving.remove(id) }
                if let final {
                    finish(id, state: final)
                    publish(.runFinished(runID: id, state: final))
                }
                continue
            }
            await waitForWake(since: seen)
        }
    }

    /// Returns at the next wake (at once if one came since `seen`), or when the poll comes round.
    private func waitForWake(since seen: Int) async {
        let key = state.withLock { s in
            defer { s.nextWaiter += 1 }
            return s.nextWaiter
        }
        let timer = Task { [self, pollInterval] in
            if (try? await Task.sleep(for: pollInterval)) != nil { resume(key) }
        }
        await withCheckedContinuation { (lane: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s in
                if s.wakes != seen || s.stopping { return true }
                s.waiting[key] = lane
                return false
            }
            if now { lane.resume() }
        }
        timer.cancel()
    }

    private func resume(_ key: Int) {
        state.withLock { $0.waiting.removeValue(forKey: key) }?.resume()
    }

    /// Every waiting lane looks again (runs were queued, an explanation, or the queue stops).
    func wake() {
        let lanes = state.withLock { s in
            s.wakes += 1
            defer { s.waiting.removeAll() }
            return Array(s.waiting.values)
        }
        for lane in lanes { lane.resume() }
    }

    /// What other processes say: progress and ends for this server's event streams, cancellations
    /// for this worker's solves, queued runs for its idle lanes, and changed links for its caches.
    private func listen(_ executor: any JobExecutor) async {
        for await event in events.subscribe() {
            switch event {
            case .runsQueued: wake()
            case .runProgress(let id, let json):
                guard let progress = try? JSONDecoder().decode(RunProgress.self, from: Data(json.utf8)) else { continue }
                deliver(id, progress: progress)
            case .runFinished(let id, let final): finish(id, state: final)
            case .cancelRun(let id): requestCancel(id)
            case .linksChanged: executor.forgetLinks()
            }
        }
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

    /// Explain's trials run in this process (their results are kept here).
    func submitExplanation(_ id: Int64) {
        state.withLock { $0.explanations.append(id) }
        wake()
    }

    /// True once a graceful shutdown began: a solve stopped now is interrupted, not cancelled.
    var isStopping: Bool { state.withLock { $0.stopping } }

    /// The solves this process's lanes hold now, for the heartbeat.
    var solving: Set<Int64> { state.withLock { $0.solving } }

    /// Asks a run this process solves to stop; the solver finds out between sub-problems.
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

    /// From the solve's thread: to this server's streams at once, and to every other server's
    /// through the store's events.
    func report(_ id: Int64, progress: RunProgress) {
        deliver(id, progress: progress, fromSolve: true)
        publish(.runProgress(runID: id, json: progress.json))
    }

    /// A run solving here has its progress from its solve, not from the events (which echo it, later).
    private func deliver(_ id: Int64, progress: RunProgress, fromSolve: Bool = false) {
        let listeners: [AsyncStream<RunEvent>.Continuation] = state.withLock { s in
            guard fromSolve || !s.solving.contains(id) else { return [] }
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
