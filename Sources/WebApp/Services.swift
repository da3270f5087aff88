import Advisor
import Diagnosis
import Foundation
import Logging
import Reports
import ScenarioKit
import Scheduler
import Store
import Synchronization
import TimetableChecker
import TimetableFormat

/// A request the services refuse, with the status it maps to; pages and the API show the same text.
public enum ServiceError: Error, Sendable, CustomStringConvertible {
    case notFound(String)
    case badRequest(String)
    /// Problems in an uploaded file, each with its line and entity (422).
    case invalid([InputProblem])
    case conflict(String)
    /// The server failed (its database, mostly): a 500. `cause` goes to the log, not to the caller.
    case failure(cause: String)

    public var description: String {
        switch self {
        case .notFound(let m), .badRequest(let m), .conflict(let m): m
        case .invalid(let problems): problems.map(\.description).joined(separator: "\n")
        case .failure: "the server failed to do this; its log has the cause"
        }
    }
}

/// A store call whose failure is the server's (a 500 with its cause logged), never "not found".
func stored<T>(_ doing: @autoclosure () -> String, _ body: () async throws -> T) async throws(ServiceError) -> T {
    do { return try await body() } catch { throw .failure(cause: "\(doing()): \(error)") }
}

public enum UploadFormat: String, Sendable {
    case yaml, json
}

public struct UploadOutcome: Sendable {
    public var scenario: ScenarioRecord
    public var version: ScenarioVersionRecord
    public var warnings: [String]
}

/// A run with what the history shows about it.
public struct RunView: Sendable {
    public var run: RunRecord
    public var scenario: ScenarioRecord
    public var version: ScenarioVersionRecord
    public var requestedBy: String
    /// The stored progress, or the live one while it runs.
    public var progress: RunProgress?
}

/// Everything the pages and the JSON API do: both call these and hold no rules of their own.
public final class Services: Sendable {
    let store: Store
    let configuration: ServerConfiguration
    let queue: RunQueue
    let feedCache = FeedCache()
    let logger = Logger(label: "flexsched.services")

    init(store: Store, configuration: ServerConfiguration) {
        self.store = store
        self.configuration = configuration
        queue = RunQueue(workers: configuration.workers)
        queue.start { [unowned self] id, queue in await self.execute(runID: id, queue: queue) }
    }

    /// At start-up: a run the last server left running is `interrupted` (its thread died with the
    /// process); queued ones run now.
    func resumeAfterRestart() async throws {
        for run in try await store.runs.recoverAfterRestart().queued { queue.submit(run.id!) }
    }

    // MARK: Scenarios

    /// Validates an upload with the command line's own loader; stores it as the scenario's next
    /// version only when it has no problem. `fileName` only names the file in messages.
    public func upload(_ text: String, format: UploadFormat, fileName: String? = nil, by user: UserRecord) async throws(ServiceError) -> UploadOutcome {
        let file = fileName ?? "scenario.\(format.rawValue)"
        let loaded: ValidatedScenario
        do { loaded = try ScenarioLoader.parse(text, file: file) } catch { throw .invalid(error.problems) }
        if format == .json, (try? JSONSerialization.jsonObject(with: Data(text.utf8))) == nil {
            throw .invalid([InputProblem(file: file, entity: "", message: "is not valid JSON; send YAML with Content-Type application/yaml")])
        }
        let warnings = loaded.warnings.map(\.description) + diagnose(loaded).map { "\($0.cause): \($0.message)" }
        let s = loaded.scenario
        let owners = s.teachers.map { FeedOwner(kind: .teacher, id: $0.id, name: $0.name) }
            + s.students.map { FeedOwner(kind: .student, id: $0.id, name: $0.name) }
            + s.rooms.map { FeedOwner(kind: .room, id: $0.id, name: $0.name) }
        let warningsJSON = String(decoding: try await stored("encoding warnings") { try JSONEncoder.sorted.encode(warnings) }, as: UTF8.self)
        let (scenario, version) = try await stored("storing scenario \(loaded.name)") {
            try await store.scenarios.addVersion(name: loaded.name, format: format.rawValue, body: text, uploadedBy: user.id!,
                                                 warnings: warningsJSON, owners: owners) { Secrets.token(bytes: 24) }
        }
        return UploadOutcome(scenario: scenario, version: version, warnings: warnings)
    }

    /// `serve --load FILE`: the file becomes its scenario's next version unless that is already the
    /// latest, so restarting with the same file adds nothing. Uploaded in the first admin's name.
    public func load(_ text: String, fileName: String) async throws(ServiceError) -> UploadOutcome? {
        guard let admin = try await stored("finding the first admin", { try await store.users.firstAdmin() }) else {
            throw .conflict("create an admin first: flexsched users add NAME --admin --data \(configuration.dataDirectory)")
        }
        let format: UploadFormat = fileName.lowercased().hasSuffix(".json") ? .json : .yaml
        let name: String
        do { name = try ScenarioLoader.parse(text, file: fileName).name } catch { throw .invalid(error.problems) }
        if let listing = try await scenarios().first(where: { $0.scenario.name == name }), listing.latest.body == text { return nil }
        return try await upload(text, format: format, fileName: fileName, by: admin)
    }

    public func scenarios() async throws(ServiceError) -> [ScenarioListing] {
        try await stored("listing scenarios") { try await store.scenarios.list() }
    }

    public func scenario(_ id: Int64) async throws(ServiceError) -> ScenarioRecord {
        guard let scenario = try await stored("reading scenario \(id)", { try await store.scenarios.scenario(id: id) }) else {
            throw .notFound("no scenario \(id)")
        }
        return scenario
    }

    public func versions(scenarioID: Int64) async throws(ServiceError) -> [ScenarioVersionRecord] {
        try await stored("reading the versions of scenario \(scenarioID)") { try await store.scenarios.versions(scenarioID: scenarioID) }
    }

    public func userName(_ id: Int64) async throws(ServiceError) -> String {
        try await stored("reading user \(id)") { try await store.users.user(id: id) }?.name ?? "?"
    }

    func validated(_ version: ScenarioVersionRecord) throws(ServiceError) -> ValidatedScenario {
        do { return try ScenarioLoader.parse(version.body, file: "scenario.\(version.format)") } catch {
            throw .conflict("version \(version.version) no longer reads: \(error)")
        }
    }

    // MARK: Runs

    public static let timeLimits: ClosedRange<Double> = 1...3_600

    /// Queues a solve of the scenario's latest version.
    public func startRun(scenarioID: Int64, timeLimit: Double, by user: UserRecord) async throws(ServiceError) -> RunRecord {
        guard Services.timeLimits.contains(timeLimit) else {
            throw .badRequest("timeLimit must be between \(Int(Services.timeLimits.lowerBound)) and \(Int(Services.timeLimits.upperBound)) seconds")
        }
        _ = try await scenario(scenarioID)
        guard let version = try await stored("reading scenario \(scenarioID)", { try await store.scenarios.latestVersion(scenarioID: scenarioID) }) else {
            throw .notFound("scenario \(scenarioID) has no version")
        }
        let run = try await stored("storing a run") {
            try await store.runs.enqueue(RunRecord(scenarioVersionID: version.id!, requestedBy: user.id!, timeLimit: timeLimit))
        }
        queue.submit(run.id!)
        return run
    }

    public func run(_ id: Int64) async throws(ServiceError) -> RunView {
        guard let run = try await stored("reading run \(id)", { try await store.runs.run(id: id) }) else { throw .notFound("no run \(id)") }
        return try await view(run)
    }

    /// A run with its version, scenario and requester; the store's foreign keys guarantee them.
    func view(_ run: RunRecord) async throws(ServiceError) -> RunView {
        let id = run.id!
        let (version, scenario, requester) = try await stored("reading what run \(id) refers to") { () async throws -> (ScenarioVersionRecord?, ScenarioRecord?, UserRecord?) in
            let version = try await store.scenarios.version(id: run.scenarioVersionID)
            var scenario: ScenarioRecord?
            if let version { scenario = try await store.scenarios.scenario(id: version.scenarioID) }
            return (version, scenario, try await store.users.user(id: run.requestedBy))
        }
        guard let version, let scenario else { throw .failure(cause: "run \(id) refers to a scenario version that is gone") }
        // Progress is written by this server; an unreadable one only loses the figures, not the run.
        let saved = run.progress.flatMap { try? JSONDecoder().decode(RunProgress.self, from: Data($0.utf8)) }
        return RunView(run: run, scenario: scenario, version: version, requestedBy: requester?.name ?? "?",
                       progress: run.state == .running ? queue.latestProgress(id) ?? saved : saved)
    }

    public func runs(scenarioID: Int64? = nil) async throws(ServiceError) -> [RunView] {
        var views: [RunView] = []
        for run in try await stored("listing runs", { try await store.runs.list(scenarioID: scenarioID) }) { views.append(try await view(run)) }
        return views
    }

    /// Stops a queued run at once, a running one within a sub-problem (a few seconds).
    @discardableResult
    public func cancel(runID: Int64) async throws(ServiceError) -> RunState {
        let view = try await run(runID)
        guard !view.run.state.isFinished else { throw .conflict("run \(runID) has already finished (\(view.run.state.rawValue))") }
        queue.requestCancel(runID)
        guard let state = try await stored("cancelling run \(runID)", { try await store.runs.cancelIfQueued(id: runID) }) else {
            throw .notFound("no run \(runID)")
        }
        return state
    }

    func events(runID: Int64) async throws(ServiceError) -> AsyncStream<RunEvent> {
        _ = try await run(runID)
        let (stream, end) = queue.events(runID)
        if let state = try await stored("reading run \(runID)", { try await store.runs.run(id: runID) })?.state, state.isFinished { end(state) }
        return stream
    }

    /// The checked timetable of a finished run, with its scenario: what every page, download and
    /// feed is made from. Checked again here: the database is outside the process.
    public func checkedTimetable(runID: Int64) async throws(ServiceError) -> (ValidatedScenario, CheckedTimetable, RunView) {
        let view = try await run(runID)
        guard let text = view.run.timetable else { throw .conflict("run \(runID) has no timetable (\(view.run.state.rawValue))") }
        let scenario = try solvedScenario(view)
        guard let timetable = try? JSONDecoder().decode(Timetable.self, from: Data(text.utf8)) else {
            throw .conflict("the stored timetable of run \(runID) does not read")
        }
        do { return (scenario, try CheckedTimetable.verify(timetable, against: scenario), view) } catch {
            throw .conflict("the stored timetable of run \(runID) fails the independent check: \(error)")
        }
    }

    /// The scenario a run solves: its version's, with a what-if variant's change applied, so a
    /// variant's timetable is checked against what it was made for.
    func solvedScenario(_ view: RunView) throws(ServiceError) -> ValidatedScenario {
        let scenario = try validated(view.version)
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
    private func execute(runID: Int64, queue: RunQueue) async -> RunState {
        do throws(ServiceError) {
            guard try await stored("starting run \(runID)", { try await store.runs.markRunning(id: runID, at: Date()) }) else {
                return try await stored("reading run \(runID)", { try await store.runs.run(id: runID) })?.state ?? .failed
            }
            let view = try await run(runID)
            let scenario = try solvedScenario(view)
            var options = SolveOptions()
            options.timeLimit = view.run.timeLimit
            // The queue already gives each run its core (one per core less one): a run that took
            // both would slow the pages and feeds the server keeps a core for.
            options.threads = 1
            options.isCancelled = { queue.isCancelRequested(runID) }
            if let baselineID = view.run.baselineRunID {
                options.baseline = try await checkedTimetable(runID: baselineID).1.timetable
                options.patience = SolveOptions.baselinePatience
            }
            let solve = { @Sendable [options] () -> Result<CheckedTimetable, SolveFailure> in
                Result { () throws(SolveFailure) in
                    try scheduleWeek(scenario, options: options, progress: { queue.report(runID, progress: RunProgress($0)) })
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
            let state: RunState = timetable.stats?.stopReason == .cancelled ? .cancelled : .done
            let json = String(decoding: try await stored("encoding run \(runID)'s timetable") { try timetable.jsonData() }, as: UTF8.self)
            try await stored("recording run \(runID)") {
                try await store.runs.finish(id: runID, state: state, timetable: json, summary: resultHeadline(timetable, scenario: scenario.scenario),
                                            progress: finalProgress, at: Date())
            }
            return state
        } catch {
            logger.error("run \(runID) failed: \(error.logText)")
            do {
                try await store.runs.finish(id: runID, state: .failed, timetable: nil, summary: error.description, progress: nil, at: Date())
            } catch let storeError {
                logger.error("run \(runID)'s failure could not be recorded: \(storeError)")
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

extension ServiceError {
    /// What the log gets: the cause of a failure, the message of a refusal.
    public var logText: String {
        if case .failure(let cause) = self { return cause }
        return description
    }
}

/// Runs blocking work (a solve, explain's trials) on a new thread with a large stack: never on one of
/// Swift concurrency's few cooperative threads, which serve the pages and feeds.
func onDedicatedThread<T: Sendable>(name: String, _ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { done in
        let thread = Thread { done.resume(returning: work()) }
        thread.name = name
        // GLPK's branch and bound and the model builder recurse; a secondary thread's default is small.
        thread.stackSize = 16 << 20
        thread.start()
    }
}
