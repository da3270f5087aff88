import Advisor
import Dispatch
import ScenarioKit
import Scheduler
import Synchronization
import TimetableChecker
import TimetableFormat
import WebApp

/// A real solve of each scenario, made once per test process and then handed out again: tests of
/// web behaviour get timetables that the independent checker passes (the server checks every one
/// again when it reads it) without paying for a solve each time.
final class CachedSolver: TimetableSolver {
    static let shared = CachedSolver()
    private let solved = Mutex([Scenario: CheckedTimetable]())
    private let real = SchedulerSolver()

    func solve(_ scenario: ValidatedScenario, options: SolveOptions,
               progress: @escaping @Sendable (SolveProgress) -> Void) throws(SolveFailure) -> CheckedTimetable {
        if let known = solved.withLock({ $0[scenario.scenario] }) { return known }
        let checked = try real.solve(scenario, options: options, progress: progress)
        solved.withLock { $0[scenario.scenario] = checked }
        return checked
    }

    func suggestChanges(for scenario: ValidatedScenario, timetable: Timetable, trials: Int, budget: TrialBudget) -> Advice {
        real.suggestChanges(for: scenario, timetable: timetable, trials: trials, budget: budget)
    }
}

/// Holds every solve at a gate until `parties` solves are waiting there at once, then lets them all
/// go on to `CachedSolver`. A solve still waiting after `seconds` fails, saying how many were
/// there, and leaves: runs that the server makes one after another can never open the gate.
final class GateSolver: TimetableSolver {
    let parties: Int
    let seconds: Double
    private let inside = Mutex(0)
    private let open = DispatchSemaphore(value: 0)

    init(parties: Int, within seconds: Double) {
        self.parties = parties
        self.seconds = seconds
    }

    func solve(_ scenario: ValidatedScenario, options: SolveOptions,
               progress: @escaping @Sendable (SolveProgress) -> Void) throws(SolveFailure) -> CheckedTimetable {
        let arrived = inside.withLock { count in
            count += 1
            return count
        }
        if arrived == parties {
            for _ in 0..<parties { open.signal() }
        }
        guard open.wait(timeout: .now() + seconds) == .success else {
            // It gives up its place: a run that comes after it never met it at the gate.
            let count = inside.withLock { count in
                defer { count -= 1 }
                return count
            }
            throw SolveFailure(description: "gate: only \(count) of \(parties) solves were running at once after \(seconds) s")
        }
        return try CachedSolver.shared.solve(scenario, options: options, progress: progress)
    }

    func suggestChanges(for scenario: ValidatedScenario, timetable: Timetable, trials: Int, budget: TrialBudget) -> Advice {
        CachedSolver.shared.suggestChanges(for: scenario, timetable: timetable, trials: trials, budget: budget)
    }
}

/// Solves as `CachedSolver`; explanations finish at once, with no advice (for tests that only need one to exist).
struct NoAdviceSolver: TimetableSolver {
    func solve(_ scenario: ValidatedScenario, options: SolveOptions,
               progress: @escaping @Sendable (SolveProgress) -> Void) throws(SolveFailure) -> CheckedTimetable {
        try CachedSolver.shared.solve(scenario, options: options, progress: progress)
    }

    func suggestChanges(for scenario: ValidatedScenario, timetable: Timetable, trials: Int, budget: TrialBudget) -> Advice {
        Advice(suggestions: [], tried: [])
    }
}
