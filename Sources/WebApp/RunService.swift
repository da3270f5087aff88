import Foundation
import Logging
import Reports
import ScenarioKit
import Scheduler
import Store
import TimetableChecker
import TimetableFormat

/// A run with what the history shows about it.
public struct RunView: Sendable {
    public var run: RunRecord
    public var scenario: ScenarioRecord
    public var version: ScenarioVersionRecord
    public var requestedBy: String
    /// The stored progress, or the live one while it runs.
    public var progress: RunProgress?
    /// The run whose timetable the scenario's links serve now.
    public var isLive: Bool
}

/// Solves: queueing, cancelling, following and reading them. Every timetable it hands out has just
/// passed the independent checker.
public final class RunService: Sendable {
    let store: Store
    let scenarios: ScenarioService
    let queue: RunQueue
    let solver: any TimetableSolver
    let logger = Logger(label: "flexsched.runs")
    /// Each stored timetable is checked once, not on every page that shows it.
    let checkedRuns = CheckedRuns()

    public static let timeLimits: ClosedRange<Double> = 1...3_600

    init(store: Store, scenarios: ScenarioService, solver: any TimetableSolver, workers: Int, shutdownDeadline: Duration) {
        self.store = store
        self.scenarios = scenarios
        self.solver = solver
        queue = RunQueue(workers: workers, shutdownDeadline: shutdownDeadline, events: store.events)
    }

    /// A run whose heartbeat is older than this lost its worker (a worker beats every 2 s).
    static let staleAfter: Double = 10
    /// A run is claimed at most this often: queued again once after its worker died, then `interrupted`.
    static let maxAttempts = 2

    /// At start-up of the one server of a data folder: a run the last server left running is
    /// `interrupted` (its thread died with the process); queued ones run now. A shared store's runs
    /// are other processes' too: their heartbeats tell.
    func resumeAfterRestart() async throws(ServiceError) {
        if !store.isShared { _ = try await stored("recovering runs", { try await store.runs.recoverAfterRestart() }) }
        queue.wake()
    }

    func claim(worker: String) async -> Int64? {
        do { return try await store.runs.claim(worker: worker, at: Date())?.id } catch {
            logger.error("claiming a queued run: \(String(reflecting: error))")
            return nil
        }
    }

    /// The heartbeat of this worker's runs, and the runs of silent workers queued again (every
    /// worker looks; the store gives each stale run to one of them).
    func beat(worker: String, solving: Set<Int64>) async -> Set<Int64> {
        do {
            let now = Date()
            let (held, cancelRequested) = try await store.runs.beat(worker: worker, at: now)
            let stale = try await store.runs.requeueStale(heartbeatBefore: now.addingTimeInterval(-Self.staleAfter), maxAttempts: Self.maxAttempts, at: now)
            if !stale.requeued.isEmpty {
                logger.warning("runs \(stale.requeued) lost their worker and are queued again")
                queue.publish(.runsQueued)
            }
            for id in stale.interrupted { queue.publish(.runFinished(runID: id, state: .interrupted)) }
            return Set(cancelRequested).union(solving.subtracting(held))
        } catch {
            logger.error("the heartbeat of runs \(solving.sorted()): \(String(reflecting: error))")
            return []
        }
    }

    static func checkTimeLimit(_ timeLimit: Double) throws(ServiceError) {
        guard timeLimits.contains(timeLimit) else {
            throw .badRequest("timeLimit must be between \(Int(timeLimits.lowerBound)) and \(Int(timeLimits.upperBound)) seconds")
        }
    }

    /// Queues a solve of the scenario's latest version. Once a run is published the solve starts
    /// from it, as `solve --baseline` does, so re-solving moves only what the changes force: people
    /// have planned their weeks around the published timetable. `fromScratch` is the admin's explicit
    /// choice to ignore it. Only a scenario of the user's school (any, for a district admin).
    public func start(scenarioID: Int64, timeLimit: Double, fromScratch: Bool = false, by user: UserRecord) async throws(ServiceError) -> RunRecord {
        try Self.checkTimeLimit(timeLimit)
        let version = try await scenarios.latestVersion(scenarioID: scenarioID, in: user.scope)
        let published = fromScratch ? nil : try await publishedRunID(scenarioID: scenarioID)
        return try await enqueue([RunRecord(scenarioVersionID: version.id!, requestedBy: user.id!, timeLimit: timeLimit, stableFromRunID: published)])[0]
    }

    /// The run whose timetable the scenario's links serve, if any.
    func publishedRunID(scenarioID: Int64) async throws(ServiceError) -> Int64? {
        try await stored("reading scenario \(scenarioID)'s publication") { try await store.feeds.publication(scenarioID: scenarioID) }?.runID
    }

    /// Stores the runs in one transaction, then queues them.
    func enqueue(_ records: [RunRecord]) async throws(ServiceError) -> [RunRecord] {
        let runs = try await stored("storing runs") { try await store.runs.enqueue(records) }
        queue.wake()
        queue.publish(.runsQueued)
        return runs
    }

    public func run(_ id: Int64, in scope: SchoolScope) async throws(ServiceError) -> RunView {
        guard let run = try await stored("reading run \(id)", { try await store.runs.run(id: id, in: scope) }) else { throw .notFound("no run \(id)") }
        return try await view(run)
    }

    /// A run with its version, scenario and requester; the store's foreign keys guarantee them.
    func view(_ run: RunRecord) async throws(ServiceError) -> RunView {
        let id = run.id!
        var run = run
        if !run.state.isFinished, let summary = queue.unsavedSummary(id) {
            run.state = .failed
            run.summary = summary
        }
        let (version, scenario, requester, publication) = try await stored("reading what run \(id) refers to") {
            () async throws -> (ScenarioVersionRecord?, ScenarioRecord?, UserRecord?, PublicationRecord?) in
            let version = try await store.scenarios.version(id: run.scenarioVersionID)
            var scenario: ScenarioRecord?, publication: PublicationRecord?
            if let version {
                // The run was found in scope; its own scenario is too.
                scenario = try await store.scenarios.scenario(id: version.scenarioID, in: .all)
                publication = try await store.feeds.publication(scenarioID: version.scenarioID)
            }
            return (version, scenario, try await store.users.user(id: run.requestedBy), publication)
        }
        guard let version, let scenario else { throw .failure(cause: "run \(id) refers to a scenario version that is gone") }
        // Progress is written by this server; an unreadable one only loses the figures, not the run.
        let saved = run.progress.flatMap { try? JSONDecoder().decode(RunProgress.self, from: Data($0.utf8)) }
        return RunView(run: run, scenario: scenario, version: version, requestedBy: requester?.name ?? "?",
                       progress: run.state == .running ? queue.latestProgress(id) ?? saved : saved, isLive: publication?.runID == id)
    }

    /// Newest first; one scenario's when given.
    public func list(scenarioID: Int64? = nil, in scope: SchoolScope) async throws(ServiceError) -> [RunView] {
        var views: [RunView] = []
        for run in try await stored("listing runs", { try await store.runs.list(scenarioID: scenarioID, in: scope) }) { views.append(try await view(run)) }
        return views
    }

    /// Stops a queued run at once, a running one within a sub-problem (a few seconds).
    @discardableResult
    public func cancel(runID: Int64, in scope: SchoolScope) async throws(ServiceError) -> RunState {
        let view = try await run(runID, in: scope)
        guard !view.run.state.isFinished else { throw .conflict("run \(runID) has already finished (\(view.run.state.rawValue))") }
        queue.requestCancel(runID)
        guard let state = try await stored("cancelling run \(runID)", { try await store.runs.requestCancel(id: runID) }) else {
            throw .notFound("no run \(runID)")
        }
        // The worker solving it hears at once, or reads it with its next heartbeat.
        if state == .running { queue.publish(.cancelRun(runID: runID)) } else { queue.publish(.runFinished(runID: runID, state: state)) }
        return state
    }

    func events(runID: Int64, in scope: SchoolScope) async throws(ServiceError) -> AsyncStream<RunEvent> {
        _ = try await run(runID, in: scope)
        let (stream, end) = queue.events(runID)
        if let state = try await stored("reading run \(runID)", { try await store.runs.run(id: runID, in: scope) })?.state, state.isFinished { end(state) }
        return stream
    }

    /// The checked timetable of a finished run, with its scenario: what every page, download and
    /// feed is made from. Checked again here: the database is outside the process.
    public func checkedTimetable(runID: Int64, in scope: SchoolScope) async throws(ServiceError) -> (ValidatedScenario, CheckedTimetable, RunView) {
        let (run, view) = try await checkedRun(runID: runID, in: scope)
        return (run.scenario, run.checked, view)
    }

    /// The same, with the grids already drawn from it. The stored text is read every time and must
    /// be exactly the text that was checked; only then is the earlier check reused.
    func checkedRun(runID: Int64, in scope: SchoolScope) async throws(ServiceError) -> (CheckedRun, RunView) {
        let view = try await run(runID, in: scope)
        guard let text = view.run.timetable else { throw .conflict("run \(runID) has no timetable (\(view.run.state.rawValue))") }
        if let known = checkedRuns.entry(runID, for: view.run) { return (known, view) }
        let scenario = try solvedScenario(view)
        let timetable: Timetable
        do { timetable = try JSONDecoder().decode(Timetable.self, from: Data(text.utf8)) } catch {
            throw .conflict("the stored timetable of run \(runID) does not read: \(error)")
        }
        let checked: CheckedTimetable
        do { checked = try CheckedTimetable.verify(timetable, against: scenario) } catch {
            throw .conflict("the stored timetable of run \(runID) fails the independent check: \(error)")
        }
        let run = CheckedRun(text: text, versionID: view.run.scenarioVersionID, changeText: view.run.changeText, scenario: scenario, checked: checked)
        checkedRuns.remember(runID, run)
        return (run, view)
    }

    /// The scenario a run solves: its version's, with a what-if variant's change applied, so a
    /// variant's timetable is checked against what it was made for.
    func solvedScenario(_ view: RunView) throws(ServiceError) -> ValidatedScenario {
        let scenario = try ScenarioService.validated(view.version)
        guard let text = view.run.changeText else { return scenario }
        do { return try Self.change(named: view.run.changeName ?? "change", text).apply(to: scenario) } catch { throw .invalid(error.problems) }
    }

    /// A change file as a what-if variant reads it; problems name the change as `NAME.yaml`.
    static func change(named name: String, _ text: String) throws(InputError) -> ScenarioChange {
        try ScenarioChange.parse(text, file: "\(name).yaml", name: name)
    }

    /// One claimed run to its final state in the store; nil when this worker lost the run meanwhile
    /// (its heartbeat went unanswered and the run was queued again). The solve itself blocks a
    /// thread for up to the time limit, so it gets a thread of its own; the store is asked from
    /// here, meanwhile keeping the latest progress saved about once a second.
    func execute(runID: Int64, queue: RunQueue) async -> RunState? {
        let began = Date()
        let worker = queue.workerID
        do throws(ServiceError) {
            // The queue works for every school.
            let view = try await run(runID, in: .all)
            let scenario = try solvedScenario(view)
            var options = SolveOptions()
            // The queue already gives each run its core (one per core less one): a run that took
            // both would slow the pages and feeds the server keeps a core for.
            options.threads = 1
            options.isCancelled = { queue.isCancelRequested(runID) }
            if let baselineID = view.run.baselineRunID {
                options.baseline = try await checkedTimetable(runID: baselineID, in: .all).1.timetable
                options.patience = SolveOptions.baselinePatience
            } else if let publishedID = view.run.stableFromRunID {
                // The command line's roll-forward, patience included: a full solve that keeps what it can.
                options.baseline = try await checkedTimetable(runID: publishedID, in: .all).1.timetable
            }
            // The admin's limit is for the whole run: reading and validating the week took 4 s of
            // it on a 10,000-student week.
            options.timeLimit = max(1, view.run.timeLimit - Date().timeIntervalSince(began))
            let solve = { @Sendable [options, solver] () -> Result<CheckedTimetable, SolveFailure> in
                Result { () throws(SolveFailure) in
                    try solver.solve(scenario, options: options, progress: { queue.report(runID, progress: RunProgress($0)) })
                }
            }
            let outcome = await withTaskGroup(of: Result<CheckedTimetable, SolveFailure>?.self) { group in
                group.addTask { await onDedicatedThread(name: "flexsched-run-\(runID)", solve) }
                group.addTask { await self.saveProgress(runID, queue: queue); return nil }
                // The progress saver only ends when cancelled: the first result is the solve's.
                while let next = await group.next() {
                    guard let outcome = next else { continue }
                    group.cancelAll()
                    return outcome
                }
                return .failure(SolveFailure(description: "the solve's thread did not answer"))
            }
            let finalProgress = queue.latestProgress(runID)?.json
            let checked: CheckedTimetable
            do { checked = try outcome.get() } catch {
                let recorded = try await stored("recording run \(runID)") {
                    try await store.runs.finish(id: runID, worker: worker, state: .failed, timetable: nil, summary: error.description,
                                                progress: finalProgress, at: Date())
                }
                return recorded ? .failed : nil
            }
            let timetable = checked.timetable
            let stopped = timetable.stats?.stopReason == .cancelled
            // Stopped by the server's shutdown rather than by an admin: the best timetable until then is kept.
            let state: RunState = stopped ? (queue.isStopping ? .interrupted : .cancelled) : .done
            let headline = resultHeadline(timetable, scenario: scenario.scenario)
            let summary = state == .interrupted ? "interrupted: the server stopped during the solve. \(headline)" : headline
            let json = String(decoding: try await stored("encoding run \(runID)'s timetable") { try timetable.jsonData() }, as: UTF8.self)
            let recorded = try await stored("recording run \(runID)") {
                try await store.runs.finish(id: runID, worker: worker, state: state, timetable: json, summary: summary, progress: finalProgress, at: Date())
            }
            return recorded ? state : nil
        } catch {
            logger.error("run \(runID) failed: \(error.logText)")
            do {
                try await store.runs.finish(id: runID, worker: worker, state: .failed, timetable: nil, summary: error.description, progress: nil, at: Date())
            } catch let storeError {
                logger.error("run \(runID)'s failure could not be recorded: \(storeError)")
                queue.recordUnsaved(runID, summary: error.description)
            }
            return .failed
        }
    }

    /// Saves the run's latest progress about once a second until cancelled, so a page opened later
    /// (or after a crash) shows where it got to.
    private func saveProgress(_ runID: Int64, queue: RunQueue) async {
        var saved: RunProgress?
        while (try? await Task.sleep(for: .seconds(1))) != nil {
            guard let latest = queue.latestProgress(runID), latest != saved else { continue }
            do {
                try await store.runs.recordProgress(id: runID, json: latest.json)
                saved = latest
            } catch {
                logger.warning("run \(runID)'s progress could not be saved: \(error)")
            }
        }
    }
}
