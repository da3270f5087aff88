import Rules
import ScenarioKit
import Scheduler
import TimetableFormat
import WeekIndex

/// Every lesson the timetable leaves short, with what stood in the way at each start of the week
/// it could have taken: the rule that refuses it there, counted over the starts and most frequent
/// first, so an admin sees whether the classes, a teacher, the rooms or the spacing bind.
public func explainUnplaced(_ timetable: Timetable, scenario: ValidatedScenario) -> [Timetable.Unplaced] {
    let instance = Instance(scenario)
    let plan = Plan(rebuilding: timetable, instance)
    return instance.lessons.indices.compactMap { l in
        let info = instance.lessons[l], lesson = instance.scenario.lessons[l]
        let missing = info.sessions - plan.placementsOf[l].count
        guard missing > 0 else { return nil }
        var refusals: [Rule: Int] = [:]
        for p in 0..<instance.slotCount where info.runFits[p] {
            if let rule = plan.lessonViolation(l, at: p, room: nil) { refusals[rule, default: 0] += 1 }
        }
        let ranked = refusals.sorted { ($1.value, $0.key.id) < ($0.value, $1.key.id) }
        let starts = info.runFits.count(where: { $0 })
        let what = "\(lesson.title): \(missing) of \(info.sessions) lesson\(info.sessions == 1 ? "" : "s") not placed"
        let why = ranked.isEmpty
            ? "a start was free when it was checked; solve again with more time"
            : "of the week's \(starts) starts, " + ranked.map { "\($0.value) \($0.key.name) (\($0.key.id))" }.joined(separator: ", ")
        return Timetable.Unplaced(lesson: lesson.id, missing: missing, reason: "\(what): \(why)",
                                  cause: ranked.isEmpty ? "search" : "no-free-start", rules: ranked.map(\.key.id))
    }
}
