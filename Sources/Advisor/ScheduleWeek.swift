import Diagnosis
import ScenarioKit
import WeekIndex
import Scheduler
import TimetableChecker
import TimetableFormat

/// The whole job behind `solve`, `whatif`, explain's trials and the web app's runs: solve, give every
/// unmet need its reason, and verify the result with the independent checker: every hard rule, and
/// every objective term the solver reports. A timetable that fails the check is an internal error,
/// never returned.
/// `findings`: the scenario's diagnosis when the caller already has it (`solve` prints it first); the
/// solve's bound on unmet sessions takes them in (`LowerBounds`), and unmet reasons cite them.
public func scheduleWeek(_ scenario: ValidatedScenario, options: SolveOptions = SolveOptions(), findings: [Finding]? = nil,
                         progress: (@Sendable (SolveProgress) -> Void)? = nil) throws(SolveFailure) -> CheckedTimetable {
    var options = options
    let findings = findings ?? diagnose(scenario)
    options.findings = findings
    var timetable = try solveTimetable(scenario, options: options, progress: progress)
    timetable.unmet = Timetable.Unmet.priorityOrdered(explainUnmet(timetable, scenario: scenario, findings: findings), scenario: scenario.scenario)
    timetable.unplaced = timetable.unplaced.map { _ in explainUnplaced(timetable, scenario: scenario) }
    let measured = measureObjective(timetable, against: scenario.scenario, baseline: options.baseline)
    let misreported = measured.filter { id, count in timetable.stats?.terms?[id] != Double(count) }.keys.sorted()
    if !misreported.isEmpty {
        throw SolveFailure(description: "internal error: the solver's count of \(misreported.joined(separator: ", ")) differs from the independent measure")
    }
    do {
        return try CheckedTimetable.verify(timetable, against: scenario.scenario)
    } catch {
        throw SolveFailure(description: "internal error: the timetable failed the independent check: \(error)")
    }
}

/// The pre-solve proofs of `scenario` (Diagnosis), on its week index with the catalogue's pools.
public func diagnose(_ scenario: ValidatedScenario) -> [Finding] { diagnose(Instance(scenario)) }
