import Advisor
import Foundation
import ScenarioGenerator
import ScenarioKit
import Scheduler
import TimetableChecker
import TimetableFormat
import Testing

/// A planted week loses one qualified teacher: each unmet need must name its subject and the
/// remaining teachers' capacity, and a suggested change must, applied, meet the needs again.
@Test func removingATeacherIsExplainedAndASuggestionMeetsTheNeeds() throws {
    var spec = GeneratorSpec.small
    spec.students = 30
    spec.teachers = 5
    spec.rooms = 4
    spec.days = [.mon, .tue, .wed, .thu, .fri]
    spec.seed = 3
    let generated = generateScenario(spec)
    let scenario = try generated.scenario.validated(), planted = generated.planted!
    // The teacher with the most planted sessions: removing them leaves needs the rest cannot absorb.
    let busiest = Dictionary(grouping: planted.sessions.compactMap(\.teacher), by: { $0 })
        .max { ($0.value.count, $1.key) < ($1.value.count, $0.key) }!.key
    let changed = try ScenarioChange.parse("teachers-leave: [\(busiest)]", file: "c.yaml", name: "leave").apply(to: scenario)
    var options = SolveOptions()
    options.timeLimit = 600  // a safety net: the work limit decides, so the result is the same under any load
    options.maxSubproblems = 40
    options.polish = false  // only which needs can be met matters here
    options.baseline = planted
    let result = try scheduleWeek(changed, options: options).timetable
    try #require(!result.unmet.isEmpty, "the change left every need met; pick a harder seed")
    for need in result.unmet {
        #expect(need.reason.contains(need.subject), "\(need.reason)")
        if changed.modality(need.modality)?.teacher == true {
            #expect(need.reason.contains("free block(s) left this week"), "\(need.reason)")
        }
    }
    let suggestions = suggestChanges(for: changed, timetable: result, trials: 6, budget: TrialBudget(seconds: 600, maxSubproblems: 40)).suggestions
    let best = try #require(suggestions.first)
    #expect(best.sessionsRecovered > 0)
    // The suggestion comes with the trial's own timetable: checked against the changed scenario, and
    // leaving exactly as many sessions unmet as claimed.
    let trial = best.timetable.timetable
    #expect(checkTimetable(trial, against: best.scenario).isEmpty)
    let before = result.unmet.reduce(0) { $0 + $1.missing }, after = trial.unmet.reduce(0) { $0 + $1.missing }
    #expect(after == best.unmetAfter)
    #expect(after == before - best.sessionsRecovered, "\(best.change): \(before) -> \(after)")
    let again = suggestChanges(for: changed, timetable: result, trials: 6, budget: TrialBudget(seconds: 600, maxSubproblems: 40)).suggestions
    #expect(again.map { "\($0.change): \($0.unmetAfter)" } == suggestions.map { "\($0.change): \($0.unmetAfter)" },
            "trials with a work limit give the same suggestions every time")
}
