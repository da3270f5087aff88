// The two-tool workflow flexsched replaces, for comparison with one joint solve: a class timetabler
// places the lessons alone (FET, Untis, aSc know nothing of flex needs), then a flex tool books the
// flex sessions around that frozen grid. Both steps are flexsched's own solver, so the only
// difference from the joint solve is that the lessons cannot move once flex sessions are known.
import Foundation
import Rules
import ScenarioKit
import Scheduler
import TimetableChecker
import TimetableFormat

struct TwoStepResult {
    var timetable: Timetable
    var lessonsSeconds: Double
    var totalSeconds: Double
}

/// Step 1 solves the week with every student's needs taken out (lesson terms only) for a third of
/// `timeLimit`; step 2 pins every lesson where step 1 put it and solves the flex sessions for the rest.
func solveTwoStep(_ scenario: ValidatedScenario, options: SolveOptions, timeLimit: Double) throws -> TwoStepResult {
    let started = Date()
    var lessonsOnly = scenario.scenario
    for i in lessonsOnly.students.indices { lessonsOnly.students[i].needs = [] }
    var first = options
    first.timeLimit = timeLimit / 3
    let grid = try solveTimetable(try lessonsOnly.validated(), options: first)
    let lessonsSeconds = Date().timeIntervalSince(started)
    var frozen = scenario.scenario
    // Frozen as a class timetabler hands it over: each lesson at its times, in the rooms it had.
    for i in frozen.lessons.indices {
        let placed = grid.sessions.filter { $0.lesson == frozen.lessons[i].id }
        frozen.lessons[i].at = placed.compactMap { session in Weekday(rawValue: session.day).map { SlotRef.block($0, session.block) } }
        let rooms = Set(placed.compactMap(\.room))
        if !rooms.isEmpty { frozen.lessons[i].rooms = scenario.scenario.rooms.map(\.id).filter(rooms.contains) }
    }
    var second = options
    second.timeLimit = max(1, timeLimit - lessonsSeconds)
    let timetable = try solveTimetable(try frozen.validated(), options: second)
    return TwoStepResult(timetable: timetable, lessonsSeconds: lessonsSeconds, totalSeconds: Date().timeIntervalSince(started))
}

/// The comfort part of the objective from independently measured terms: every term but the unmet
/// and unplaced ones, at the default weights.
func comfortOf(_ terms: [String: Int], _ weights: ObjectiveWeights) -> Double {
    let left = Set(["O.unplaced-lesson", "O.unmet-mandated", "O.unmet-high", "O.unmet", "O.unmet-low"])
    return RuleCatalogue.objectiveTerms.filter { !left.contains($0.id) }.reduce(0) { $0 + weights[$1] * Double(terms[$1.id] ?? 0) }
}
