import Advisor
import ScenarioKit
import Scheduler
import TimetableChecker
import TimetableFormat

/// What the web app asks of a solver: a checked timetable, and explain's verified suggestions.
/// Both block their thread for seconds to minutes, so the run queue calls them only on threads of
/// their own. The server uses `SchedulerSolver`; tests of web behaviour may give a stub, whose
/// timetables are checked like any other (every timetable served is checked again when read).
public protocol TimetableSolver: Sendable {
    func solve(_ scenario: ValidatedScenario, options: SolveOptions,
               progress: @escaping @Sendable (SolveProgress) -> Void) throws(SolveFailure) -> CheckedTimetable
    func suggestChanges(for scenario: ValidatedScenario, timetable: Timetable, trials: Int, budget: TrialBudget) -> Advice
}

/// The command line's own solve and explain: `scheduleWeek` and `suggestChanges`.
public struct SchedulerSolver: TimetableSolver {
    public init() {}

    public func solve(_ scenario: ValidatedScenario, options: SolveOptions,
                      progress: @escaping @Sendable (SolveProgress) -> Void) throws(SolveFailure) -> CheckedTimetable {
        try scheduleWeek(scenario, options: options, progress: progress)
    }

    public func suggestChanges(for scenario: ValidatedScenario, timetable: Timetable, trials: Int, budget: TrialBudget) -> Advice {
        Advisor.suggestChanges(for: scenario, timetable: timetable, trials: trials, budget: budget)
    }
}
