import Advisor
@testable import flexsched
import ScenarioKit
import Scheduler
import Testing

/// One teacher with max-per-day 1, one day of three blocks, three students who each need one math
/// tutoring session, listed Ana, Ben, Cy.
private func dailyWeek(priorities: [String: String] = [:]) throws -> ValidatedScenario {
    let students = [("ana", "Ana P."), ("ben", "Ben O."), ("cy", "Cy L.")].map { id, name in
        let priority = priorities[id].map { ", priority: \($0)" } ?? ""
        return "  - {id: \(id), name: \(name), needs: [{subject: math, modality: tutoring, sessions: 1\(priority)}]}"
    }
    return try ScenarioLoader.parse("""
    name: daily
    days: [mon]
    blocks: [{id: b1, start: "09:00", end: "09:45"}, {id: b2, start: "10:00", end: "10:45"}, {id: b3, start: "11:00", end: "11:45"}]
    modalities: {tutoring: {min: 1, max: 1}}
    teachers: [{id: kim, name: Mr. Kim, subjects: [math], max-per-day: 1}]
    rooms: [{id: r1, name: Room 1, capacity: 1}]
    students:

    """ + students.joined(separator: "\n"), file: "daily.yaml")
}

/// `explain` as an admin reads it: what the group's reasons share once, then one line a student with
/// the rule that binds; `--verbose` keeps each full reason.
@Test func explainPrintsReasonsAndTheMinimalVerifiedChange() throws {
    let scenario = try dailyWeek()
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
      rules that bind: R3.teacher-daily-limit (teacher over daily limit), R3.teacher-double-booked (teacher double-booked)
      why: proven before solving: math tutoring: 3 sessions needed by 3 students, but the math teachers can lead at most 1 session this week (Mr. Kim 1 after max-per-day 1), at most 1 students each: at most 1 seats; in the blocks these students can use, at most 1: short by 2; the math teachers (Mr. Kim) have 0 free block(s) left this week (Mr. Kim: max-per-day 1 reached on Mon)
      - Ben O.: 1 missing: no math teacher is free in any of the 3 blocks when Ben O. is free (Mon) [R3.teacher-daily-limit]
      - Cy L.: 1 missing: no math teacher is free in any of the 3 blocks when Cy L. is free (Mon) [R3.teacher-daily-limit]

    Changes that would meet more needs (each verified by a re-solve from this timetable that passed the independent checker):
      - raise Mr. Kim's max-per-day from 1 to 3: meets 2 more session(s), 0 left unmet
      - add a math teacher for 2 block(s) a week: meets 2 more session(s), 0 left unmet

    """)
    let verbose = explanationText(unmet: timetable.unmet, advice: nil, names: names, focus: nil, verbose: true)
    for need in timetable.unmet {
        #expect(verbose.contains("  - \(names[need.student]!): 1 missing. \(need.reason)\n"))
    }
    #expect(!verbose.contains("why: "))
}

/// The same week with priorities: Cy's mandated session is the one met, though she is listed last,
/// and the unmet list puts Ben's normal need before Ana's low one.
@Test func explainListsHigherPrioritiesFirst() throws {
    let scenario = try dailyWeek(priorities: ["ana": "low", "cy": "mandated"])
    var options = SolveOptions()
    options.timeLimit = 600
    options.maxSubproblems = 20
    let timetable = try scheduleWeek(scenario, options: options).timetable
    #expect(timetable.sessions.map(\.students) == [["cy"]])
    let names = Dictionary(uniqueKeysWithValues: scenario.students.map { ($0.id, $0.name) })
    let headers = explanationText(unmet: timetable.unmet, advice: nil, names: names, focus: nil)
        .split(separator: "\n").filter { !$0.hasPrefix(" ") }
    #expect(headers == ["2 session(s) unmet for 2 student(s)", "math tutoring (teacher-capacity): 1 session(s)",
                        "math tutoring, low (teacher-capacity): 1 session(s)"])
}
