import Advisor
import Diagnosis
import Foundation
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

    public var description: String {
        switch self {
        case .notFound(let m), .badRequest(let m), .conflict(let m): m
        case .invalid(let problems): problems.map(\.description).joined(separator: "\n")
        }
    }
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

    init(store: Store, configuration: ServerConfiguration) {
        self.store = store
        self.configuration = configuration
        queue = RunQueue(workers: configuration.workers)
        queue.start { [unowned self] id, queue in self.execute(runID: id, queue: queue) }
    }

    /// At start-up: a run the last server left running is `interrupted` (its thread died with the
    /// process); queued ones run now.
    func resumeAfterRestart() throws {
        for run in try store.runs.recoverAfterRestart().queued { queue.submit(run.id!) }
    }

    // MARK: Scenarios

    /// Validates an upload with the command line's own loader; stores it as the scenario's next
    /// version only when it has no problem. `fileName` only names the file in messages.
    public func upload(_ text: String, format: UploadFormat, fileName: String? = nil, by user: UserRecord) throws(ServiceError) -> UploadOutcome {
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
        do {
            let warningsJSON = String(decoding: try JSONEncoder.sorted.encode(warnings), as: UTF8.self)
            let (scenario, version) = try store.scenarios.addVersion(name: loaded.name, format: format.rawValue, body: text, uploadedBy: user.id!,
                                                                     warnings: warningsJSON, owners: owners) { Secrets.token(bytes: 24) }
            return UploadOutcome(scenario: scenario, version: version, warnings: warnings)
        } catch {
            throw .conflict("the scenario could not be stored: \(error)")
        }
    }

    /// `serve --load FILE`: the file becomes its scenario's next version unless that is already the
    /// latest, so restarting with the same file adds nothing. Uploaded in the first admin's name.
    public func load(_ text: String, fileName: String) throws(ServiceError) -> UploadOutcome? {
        guard let admin = try? store.users.firstAdmin() else {
            throw .conflict("create an admin first: flexsched users add NAME --admin --data \(configuration.dataDirectory)")
        }
        let format: UploadFormat = fileName.lowercased().hasSuffix(".json") ? .json : .yaml
        let name: String
        do { name = try ScenarioLoader.parse(text, file: fileName).name } catch { throw .invalid(error.problems) }
        if let listing = try? scenarios().first(where: { $0.scenario.name == name }), listing.latest.body == text { return nil }
        return try upload(text, format: format, fileName: fileName, by: admin)
    }

    public func scenarios() throws -> [ScenarioListing] { try store.scenarios.list() }

    public func scenario(_ id: Int64) throws(ServiceError) -> ScenarioRecord {
        guard let scenario = try? store.scenarios.scenario(id: id) else { throw .notFound("no scenario \(id)") }
        return scenario
    }

    func validated(_ version: ScenarioVersionRecord) throws(ServiceError) -> ValidatedScenario {
        do { return try ScenarioLoader.parse(version.body, file: "scenario.\(version.format)") } catch {
            throw .conflict("version \(version.version) no longer reads: \(error)")
        }
    }

    // MARK: Runs

    public static let timeLimits: ClosedRange<Double> = 1...3_600

    /// Queues a solve of the scenario's latest version.
    public func startRun(scenarioID: Int64, timeLimit: Double, by user: UserRecord) throws(ServiceError) -> RunRecord {
        guard Services.timeLimits.contains(timeLimit) else {
            throw .badRequest("timeLimit must be between \(Int(Services.timeLimits.lowerBound)) and \(Int(Services.timeLimits.upperBound)) seconds")
        }
        _ = try scenario(scenarioID)
        guard let version = try? store.scenarios.latestVersion(scenarioID: scenarioID) else { throw .notFound("scenario \(scenarioID) has no version") }
        return try enqueue(RunRecord(scenarioVersionID: version.id!, requestedBy: user.id!, timeLimit: timeLimit))
    }

    func enqueue(_ record: RunRecord) throws(ServiceError) -> RunRecord {
        let run: RunRecord
        do { run = try store.runs.enqueue(record) } catch { throw .conflict("the run could not be stored: \(error)") }
        queue.submit(run.id!)
        return run
    }

    public func run(_ id: Int64) throws(ServiceError) -> RunView {
        guard let run = try? store.runs.run(id: id),
              let version = try? store.scenarios.version(id: run.scenarioVersionID),
              let scenario = try? store.scenarios.scenario(id: version.scenarioID) else { throw .notFound("no run \(id)") }
        let name = (try? store.users.user(id: run.requestedBy))?.name ?? "?"
        let stored = run.progress.flatMap { try? JSONDecoder().decode(RunProgress.self, from: Data($0.utf8)) }
        return RunView(run: run, scenario: scenario, version: version, requestedBy: name,
                       progress: run.state == .running ? queue.latestProgress(id) ?? stored : stored)
    }

    public func runs(scenarioID: Int64? = nil) throws -> [RunView] {
        try store.runs.list(scenarioID: scenarioID).compactMap { try? run($0.id!) }
    }

    /// Stops a queued run at once, a running one within a sub-problem (a few seconds).
    @discardableResult
    public func cancel(runID: Int64) throws(ServiceError) -> RunState {
        let view = try run(runID)
        guard !view.run.state.isFinished else { throw .conflict("run \(runID) has already finished (\(view.run.state.rawValue))") }
        queue.requestCancel(runID)
        guard let state = try? store.runs.cancelIfQueued(id: runID) else { throw .notFound("no run \(runID)") }
        return state
    }

    func events(runID: Int64) throws(ServiceError) -> AsyncStream<RunEvent> {
        _ = try run(runID)
        let store = self.store
        return queue.events(runID) {
            guard let state = try? store.runs.run(id: runID)?.state, state.isFinished else { return nil }
            return state
        }
    }

    /// The checked timetable of a finished run, with its scenario: what every page, download and
    /// feed is made from. Checked again here: the database is outside the process.
    public func checkedTimetable(runID: Int64) throws(ServiceError) -> (ValidatedScenario, CheckedTimetable, RunView) {
        let view = try run(runID)
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

    /// One run on a worker thread, from queued to its final state in the store.
    private func execute(runID: Int64, queue: RunQueue) -> RunState {
        guard (try? store.runs.markRunning(id: runID)) == true else {
            return (try? store.runs.run(id: runID)?.state) ?? .failed
        }
        let lastWrite = LockedDate()
        var finalProgress: String?
        do throws(ServiceError) {
            let view = try run(runID)
            let scenario = try solvedScenario(view)
            var options = SolveOptions()
            options.timeLimit = view.run.timeLimit
            // The queue already gives each run its core (one per core less one): a run that took
            // both would slow the pages and feeds the server keeps a core for.
            options.threads = 1
            options.isCancelled = { queue.isCancelRequested(runID) }
            if let baselineID = view.run.baselineRunID {
                let (_, baseline, _) = try checkedTimetable(runID: baselineID)
                options.baseline = baseline.timetable
                options.patience = SolveOptions.baselinePatience
            }
            let store = self.store
            let checked: CheckedTimetable
            do {
                checked = try scheduleWeek(scenario, options: options, progress: { p in
                    let progress = RunProgress(p)
                    queue.report(runID, progress: progress)
                    if p.stopReason != nil || lastWrite.secondsSince() >= 1 {
                        try? store.runs.recordProgress(id: runID, json: progress.json)
                    }
                })
            } catch let failure { throw .conflict(failure.description) }
            let timetable = checked.timetable
            let state: RunState = timetable.stats?.stopReason == .cancelled ? .cancelled : .done
            finalProgress = queue.latestProgress(runID)?.json
            let json = String(decoding: (try? timetable.jsonData()) ?? Data(), as: UTF8.self)
            try? store.runs.finish(id: runID, state: state, timetable: json, summary: resultHeadline(timetable, scenario: scenario.scenario),
                                   progress: finalProgress)
            return state
        } catch {
            try? store.runs.finish(id: runID, state: .failed, timetable: nil, summary: error.description, progress: finalProgress)
            return .failed
        }
    }
}

/// The time of the last progress write, shared with the solver's progress callback.
final class LockedDate: Sendable {
    private let date = Mutex(Date.distantPast)
    /// Seconds since the last call that returned at least 1 (and restarts the count then).
    func secondsSince() -> Double {
        date.withLock { last in
            let seconds = Date().timeIntervalSince(last)
            if seconds >= 1 { last = Date() }
            return seconds
        }
    }
}
