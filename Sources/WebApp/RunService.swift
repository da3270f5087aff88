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
        queue = RunQueue(workers: workers, shutdownDeadline: shutdownDeadline)
    }

    /// At start-up: a run the last server left running is `interrupted` (its thread died with the
    /// process); queued ones run now.
    func resumeAfterRestart() async throws(ServiceError) {
        for run in try await stored("recovering runs", { try await store.runs.recoverAfterRestart() }).queued { queue.submit(.solve(run.id!)) }
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
        for run in runs { queue.submit(.solve(run.id!)) }
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
        guard let state = try await stored("cancelling run \(runID)", { try await store.runs.cancelIfQueued(id: runID) }) else {
            throw .notFound("no run \(runID)")
        }
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

    /// One run from queued to its final state in the store. The solve itself blocks a thread for up
    /// to the time limit, so it gets a thread of its own; the store is asked from here, meanwhile
    /// keeping the latest progress saved about once a second.
    func execute(runID: Int64, queue: RunQueue) async -> RunState {
        let began = Date()
        do throws(ServiceError) {
            guard try await stored("starting run \(runID)", { try await store.runs.markRunning(id: runID, at: Date()) }) else {
                return try await stored("reading run \(runID)", { try await store.runs.run(id: runID, in: .all) })?.state ?? .failed
            }
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
                try await stored("recording run \(runID)") {
                    try await store.runs.finish(id: runID, state: .failed, timetable: nil, summary: error.description, progress: finalProgress, at: Date())
                }
                return .failed
            }
            let timetable = checked.timetable
            let stopped = timetable.stats?.stopReason == .cancelled
            // Stopped by the server's shutdown rather than by an admin: the best timetable until then is kept.
            let state: RunState = stopped ? (queue.isStopping ? .interrupted : .cancelled) : .done
            let headline = resultHeadline(timetable, scenario: scenario.scenario)
            let summary = state == .interrupted ? "interrupted: the server stopped during the solve. \(headline)" : headline
            let json = String(decoding: try await stored("encoding run \(runID)'s timetable") { try timetable.jsonData() }, as: UTF8.self)
            try await stored("recording run \(runID)") {
                try await store.runs.finish(id: runID, state: state, timetable: json, summary: summary, progress: finalProgress, at: Date())
            }
            return state
        } catch {
            logger.error("run \(runID) failed: \(error.logText)")
            do {
                try await store.runs.finish(id: runID, state: .failed, timetable: nil, summary: error.description, progress: nil, at: Date())
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
