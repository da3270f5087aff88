import Foundation
import ScenarioKit
import Scheduler
import TimetableChecker
import TimetableFormat
import Testing

/// End to end: every bundled scenario loads, solves and passes the independent checker. The
/// planted ones have a full timetable; small ones must reach it here (the large weeks are measured
/// in Benchmarks/, where the solver runs as a release build). Work limits, not the clock, end each
/// solve, so the result is the same however busy the machine is.
@Test(arguments: ["example.yaml", "small-day.yaml", "midsize-week.yaml", "large-week.yaml"])
func bundledScenarioSolvesAndPassesTheChecker(file: String) throws {
    let scenario = try bundled(file)
    var options = SolveOptions()
    options.timeLimit = 600
    options.maxSubproblems = ["example.yaml": 20, "small-day.yaml": 20, "midsize-week.yaml": 6, "large-week.yaml": 3][file]
    let timetable = try solveTimetable(scenario, options: options)
    #expect(checkTimetable(timetable, against: scenario).isEmpty)
    #expect(!timetable.sessions.isEmpty)
    let missing = timetable.unmet.reduce(0) { $0 + $1.missing }
    #expect(missing == timetable.stats?.unmetSessions)
    if file == "example.yaml" || file == "small-day.yaml" { #expect(missing == 0) }
}
