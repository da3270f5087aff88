import Advisor
import Foundation
import Logging
import Store
import Synchronization

/// One request for explain's suggestions about a finished run, and where it got to.
public struct Explanation: Sendable {
    public enum State: String, Sendable, Codable {
        case queued, running, done, failed
    }

    public var id: Int64
    public var runID: Int64
    public var state: State
    /// Whether the run left needs unmet, and lessons unplaced (with neither, there is nothing to try).
    public var unmet: Bool
    public var unplaced: Bool
    public var advice: Advice?
    /// Each suggestion as a change file on the run's scenario, to queue as a what-if variant; nil for
    /// one a change file cannot say.
    public var changeFiles: [String?] = []

    /// The change file of suggestion `i`, if a change file can say it.
    public func changeFile(_ i: Int) -> String? { changeFiles.indices.contains(i) ? changeFiles[i] : nil }
    /// Why it failed, for a failed one.
    public var problem: String?
}

/// Explain: a few changes around the unplaced lessons and the unmet needs, each tried with a real re-solve that the checker
/// verifies. That is seconds of solving per change, so it is a job of the run queue like a solve,
/// never work on the request path. Explanations are kept in memory: they are advice about a stored
/// run, asked for again after a restart.
public final class ExplainService: Sendable {
    let runs: RunService
    let solver: any TimetableSolver
    private let explanations = Mutex((next: Int64(1), all: [Int64: Explanation]()))
    private let logger = Logger(label: "flexsched.explain")

    /// A few trials of a few seconds each, one after another on the queue's lane it holds (so solves
    /// queued beside it keep their cores): an answer within a minute.
    static let trials = 6
    static let budget = TrialBudget(seconds: 2, lanes: 1)
    static let kept: Int64 = 500

    init(runs: RunService, solver: any TimetableSolver) {
        self.runs = runs
        self.solver = solver
    }

    /// Queues explain for a run that has a checked timetable (refused otherwise, before queueing).
    public func start(runID: Int64, in scope: SchoolScope) async throws(ServiceError) -> Explanation {
        let (_, checked, _) = try await runs.checkedTimetable(runID: runID, in: scope)
        let explanation = explanations.withLock { e in
            let explanation = Explanation(id: e.next, runID: runID, state: .queued, unmet: !checked.timetable.unmet.isEmpty,
                                          unplaced: !checked.timetable.unplacedLessons.isEmpty)
            e.all[e.next] = explanation
            e.next += 1
            // Only the latest are kept: a server that runs for months must not grow with them.
            e.all = e.all.filter { $0.key > e.next - Self.kept || $0.value.state == .queued || $0.value.state == .running }
            return explanation
        }
        runs.queue.submitExplanation(explanation.id)
        return explanation
    }

    /// One of the scope's: an explanation of another school's run is not found, like one never made.
    public func explanation(_ id: Int64, in scope: SchoolScope) async throws(ServiceError) -> Explanation {
        let notFound = ServiceError.notFound("no explanation \(id)")
        guard let explanation = explanations.withLock({ $0.all[id] }) else { throw notFound }
        do { _ = try await runs.run(explanation.runID, in: scope) } catch {
            guard case .notFound = error else { throw error }
            throw notFound
        }
        return explanation
    }

    /// The queue's job: the trials on a thread of their own, then the result for `explanation(_:)`.
    func execute(_ id: Int64, stopping: @Sendable () -> Bool) async {
        guard let runID = update(id, { $0.state = .running })?.runID else { return }
        guard !stopping() else {
            update(id) { $0.state = .failed; $0.problem = "the server stopped before it started" }
            return
        }
        do throws(ServiceError) {
            let (scenario, checked, _) = try await runs.checkedTimetable(runID: runID, in: .all)
            let solver = self.solver
            let advice = await onDedicatedThread(name: "flexsched-explain-\(id)") {
                solver.suggestChanges(for: scenario, timetable: checked.timetable, trials: Self.trials, budget: Self.budget)
            }
            let files = advice.suggestions.map { $0.changeFile(from: scenario.scenario) }
            update(id) { $0.state = .done; $0.advice = advice; $0.changeFiles = files }
        } catch {
            if case .failure(let cause) = error { logger.error("explanation \(id) of run \(runID): \(cause)") }
            update(id) { $0.state = .failed; $0.problem = error.description }
        }
    }

    @discardableResult
    private func update(_ id: Int64, _ change: (inout Explanation) -> Void) -> Explanation? {
        explanations.withLock { e in
            guard var explanation = e.all[id] else { return nil }
            change(&explanation)
            e.all[id] = explanation
            return explanation
        }
    }
}
