import Advisor
@testable import flexsched
import ScenarioKit
import Scheduler
import Testing

/// One teacher with max-per-day 1, one day of three blocks, three students: `explain` as an admin reads it.
@Test func explainPrintsReasonsAndTheMinimalVerifiedChange() throws {
    let scenario = try ScenarioLoader.parse("""
    name: daily
    days: [mon]
    blocks: [{id: b1, start: "09:00", end: "09:45"}, {id: b2, start: "10:00", end: "10:45"}, {id: b3, start: "11:00", end: "11:45"}]
    modalities: {tutoring: {min: 1, max: 1}}
    teachers: [{id: kim, name: Mr. Kim, subjects: [math], max-per-day: 1}]
    rooms: [{id: r1, name: Room 1, capacity: 1}]
    students:
      - {id: ana, name: Ana P., needs: [{subject: math, modality: tutoring, sessions: 1}]}
      - {id: ben, name: Ben O., needs: [{subject: math, modality: tutoring, sessions: 1}]}
      - {id: cy, name: Cy L., needs: [{subject: math, modality: tutoring, sessions: 1}]}
    """, file: "daily.yaml")
    var options = SolveOptions()
    options.timeLimit = 600
    options.maxSubproblems = 20
    let timetable = try scheduleWeek(scenario, options: options).timetable
    let advice = suggestChanges(for: scenario, timetable: timetable, trials: 12, budget: TrialBudget(seconds: 600, maxSubproblems: 20))
    let names = Dictionary(uniqueKeysWithValues: scenario.students.map { ($0.id, $0.name) })
    let text = explanationText(unmet: timetable.unmet, advice: advice, names: names, focus: nil)
    #expect(text == """
    2 session(s) unmet for 2 student(s)

    math tutoring (teacher-capacity): 2 session(s)
      - Ben O.: 1 missing. proven before solving: math tutoring: 3 sessions needed by 3 students, but the math teachers can lead at most 1 session this week (Mr. Kim 1 after max-per-day 1), at most 1 students each: at most 1 seats; in the blocks these students can use, at most 1: short by 2. In this timetable: no math teacher is free in any of the 3 blocks when Ben O. is free (Mon); the math teachers (Mr. Kim) have 0 free block(s) left this week (Mr. Kim: max-per-day 1 reached on Mon)
      - Cy L.: 1 missing. proven before solving: math tutoring: 3 sessions needed by 3 students, but the math teachers can lead at most 1 session this week (Mr. Kim 1 after max-per-day 1), at most 1 students each: at most 1 seats; in the blocks these students can use, at most 1: short by 2. In this timetable: no math teacher is free in any of the 3 blocks when Cy L. is free (Mon); the math teachers (Mr. Kim) have 0 free block(s) left this week (Mr. Kim: max-per-day 1 reached on Mon)

    Changes that would meet more needs (each verified by a re-solve from this timetable that passed the independent checker):
      - raise Mr. Kim's max-per-day from 1 to 3: meets 2 more session(s), 0 left unmet
      - add a math teacher for 2 block(s) a week: meets 2 more session(s), 0 left unmet

    """)
}

/// The same week with priorities: Ana's mandated session is the one met, and the unmet list puts
/// normal before low.
@Test func explainListsHigherPrioritiesFirst() throws {
    let scenario = try ScenarioLoader.parse("""
    name: daily
    days: [mon]
    blocks: [{id: b1, start: "09:00", end: "09:45"}, {id: b2, start: "10:00", end: "10:45"}, {id: b3, start: "11:00", end: "11:45"}]
    modalities: {tutoring: {min: 1, max: 1}}
    teachers: [{id: kim, name: Mr. Kim, subjects: [math], max-per-day: 1}]
    rooms: [{id: r1, name: Room 1, capacity: 1}]
    students:
      - {id: ben, name: Ben O., needs: [{subject: math, modality: tutoring, sessions: 1, priority: low}]}
      - {id: cy, name: Cy L., needs: [{subject: math, modality: tutoring, sessions: 1}]}
      - {id: ana, name: Ana P., needs: [{subject: math, modality: tutoring, sessions: 1, priority: mandated}]}
    """, file: "daily.yaml")
    var options = SolveOptions()
    options.timeLimit = 600
    options.maxSubproblems = 20
    let timetable = try scheduleWeek(scenario, options: options).timetable
    #expect(timetable.sessions.map(\.students) == [["ana"]])
    let names = Dictionary(uniqueKeysWithValues: scenario.students.map { ($0.id, $0.name) })
    let headers = explanationText(unmet: timetable.unmet, advice: nil, names: names, focus: nil)
        .split(separator: "\n").filter { !$0.hasPrefix(" ") }
    #expect(headers == ["2 session(s) unmet for 2 student(s)", "math tutoring (teacher-capacity): 1 session(s)",
                        "math tutoring, low (teacher-capacity): 1 session(s)"])
}
