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
/// `findings`: the scenario's diagnosis when the caller already has it (`solve` prints it first).
public func scheduleWeek(_ scenario: ValidatedScenario, options: SolveOptions = SolveOptions(), findings: [Finding]? = nil,
                         progress: (@Sendable (SolveProgress) -> Void)? = nil) throws(SolveFailure) -> CheckedTimetable {
    var timetable = try solveTimetable(scenario, options: options, progress: progress)
    let findings = (timetable.stats?.unmetSessions ?? 0) > 0 ? findings ?? diagnose(scenario) : []
    if let strongest = findings.max(by: { provenUnmetSessions($0) < provenUnmetSessions($1) }) {
        raiseUnmetBound(&timetable, scenario: scenario, options: options, to: provenUnmetSessions(strongest),
                        source: strongest.cause.replacingOccurrences(of: "-", with: " "))
    }
    timetable.unmet = explainUnmet(timetable, scenario: scenario, findings: findings)
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

/// Unmet sessions a finding proves in all: its shortfalls add up when no two can count the same need,
/// else only the largest counts.
func provenUnmetSessions(_ finding: Finding) -> Int {
    func overlap(_ x: String, _ y: String) -> Bool { x == "*" || y == "*" || x == y }
    let claims = finding.shortfalls
    let disjoint = claims.indices.allSatisfy { i in
        claims.indices.allSatisfy { j in
            i >= j || !(overlap(claims[i].student, claims[j].student) && overlap(claims[i].subject, claims[j].subject)
                && overlap(claims[i].modality, claims[j].modality))
        }
    }
    return disjoint ? claims.reduce(0) { $0 + $1.sessions } : claims.map(\.sessions).max() ?? 0
}

/// The pre-solve proofs of `scenario` (Diagnosis), on its week index with the catalogue's pools.
public func diagnose(_ scenario: ValidatedScenario) -> [Finding] { diagnose(Instance(scenario)) }
