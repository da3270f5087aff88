import Advisor
import FlexschedTestSupport
import ScenarioKit
import Scheduler
import Testing
import TimetableChecker
import TimetableFormat

/// Work limits decide every solve here, so the suggestions are the same under any load.
private let budget = TrialBudget(seconds: 600, maxSubproblems: 20)

private func solvedOverSubscribedWeek() throws -> (ValidatedScenario, Timetable) {
    let scenario = try overSubscribedMathWeek()
    var options = SolveOptions()
    options.timeLimit = 600
    options.maxSubproblems = 20
    return (scenario, try scheduleWeek(scenario, options: options).timetable)
}

/// Issue 26's week: exactly the changes that bind, the mandated reading first, the three alike math
/// teachers as one line, and Ms. Haddad's limit no higher than the 8 blocks she can be at school.
@Test func theOverSubscribedWeekGetsExactlyTheBindingSuggestions() throws {
    let (scenario, timetable) = try solvedOverSubscribedWeek()
    let missing = Dictionary(grouping: timetable.unmet, by: \.subject).mapValues { $0.reduce(0) { $0 + $1.missing } }
    #expect(missing == ["math": 8, "reading": 2])
    let advice = suggestChanges(for: scenario, timetable: timetable, trials: 12, budget: budget)
    #expect(advice.tried == [
        "raise Ms. Ortiz's max-per-week from 1 to 3",
        "raise any one of 3 math teachers' max-per-week from 4 to 12 (Mr. Brennan, Ms. Cho, Mr. Diaz)",
        "raise Ms. Haddad's max-per-week from 4 to 8",
        "add a reading teacher for 2 block(s) a week",
        "add a math teacher for 8 block(s) a week",
    ])
    #expect(advice.suggestions.map { "\($0.change): \($0.outcome(lessons: false, needs: true))" } == [
        "raise Ms. Ortiz's max-per-week from 1 to 2: meets 2 more session(s), 8 left unmet",
        "add a reading teacher for 2 block(s) a week: meets 2 more session(s), 8 left unmet",
        "raise any one of 3 math teachers' max-per-week from 4 to 12 (Mr. Brennan, Ms. Cho, Mr. Diaz): meets 8 more session(s), 2 left unmet",
        "add a math teacher for 8 block(s) a week: meets 8 more session(s), 2 left unmet",
        "raise Ms. Haddad's max-per-week from 4 to 8: meets 4 more session(s), 6 left unmet",
    ])
    #expect(advice.suggestions.map(\.mandatedRecovered) == [2, 2, 0, 0, 0])
    for s in advice.suggestions {
        #expect(checkTimetable(s.timetable.timetable, against: s.scenario).isEmpty)
        #expect(s.timetable.timetable.unmet.reduce(0) { $0 + $1.missing } == s.unmetAfter)
    }
}

/// The same week's reasons, short: the math teachers' weekly limit is said once for the group, and
/// each need keeps one line of its own with the rule that binds; the mandated reading comes first.
@Test func theOverSubscribedWeeksReasonsStateTheSharedCauseOnce() throws {
    let (scenario, timetable) = try solvedOverSubscribedWeek()
    let groups = Timetable.Unmet.grouped(Timetable.Unmet.priorityOrdered(timetable.unmet, scenario: scenario.scenario))
    #expect(groups.map { "\($0.priority.rawValue) \($0.subject) \($0.rows.count)" } == ["mandated reading 2", "normal math 8"])
    let math = try #require(groups.last)
    #expect(math.shared.count == 2)
    #expect(math.shared.first?.hasPrefix("proven before solving: math tutoring: 24 sessions needed by 24 students") == true)
    #expect(math.shared.last == "all 4 math teachers (Mr. Brennan, Ms. Cho, Mr. Diaz, Ms. Haddad) are at max-per-week 4: 0 free block(s) left this week")
    for row in math.rows {
        #expect(row.particular == "no math teacher is free in any of the 16 blocks when \(scenario.students.first { $0.id == row.need.student }!.name) is free (Mon, Tue, Wed, Thu)")
        #expect(row.need.reason.hasPrefix(math.shared[0]) && row.need.reason.hasSuffix(math.shared[1]), "the full reason keeps it: \(row.need.reason)")
        #expect(row.rule == "R3.teacher-weekly-limit", "\(row.line)")
    }
}

/// Two math teachers at the same weekly limit, unlike only in a time Mr. Kim would rather not teach:
/// each is tried, and raising either to the same value meets the same sessions, so the advice is one.
@Test func verifiedChangesAlikeInEffectAreMergedIntoOne() throws {
    let students = (1...6).map { "  - {id: s\($0), name: Student \($0), needs: [{subject: math, modality: tutoring, sessions: 1}]}" }
    let scenario = try ScenarioLoader.parse("""
    name: alike
    days: [mon, tue, wed, thu, fri]
    blocks: [{id: b1, start: "09:00", end: "09:45"}, {id: b2, start: "10:00", end: "10:45"}]
    modalities: {tutoring: {min: 1, max: 1}}
    teachers:
      - {id: kim, name: Mr. Kim, subjects: [math], max-per-week: 2, prefer-not: [fri.b2]}
      - {id: lee, name: Ms. Lee, subjects: [math], max-per-week: 2}
    rooms: [{id: r1, name: Room 1, capacity: 1}, {id: r2, name: Room 2, capacity: 1}]
    students:
    \(students.joined(separator: "\n"))
    """, file: "alike.yaml")
    var options = SolveOptions()
    options.timeLimit = 600
    options.maxSubproblems = 20
    let timetable = try scheduleWeek(scenario, options: options).timetable
    let advice = suggestChanges(for: scenario, timetable: timetable, trials: 12, budget: budget)
    #expect(advice.tried == ["raise Mr. Kim's max-per-week from 2 to 4", "raise Ms. Lee's max-per-week from 2 to 4",
                             "add a math teacher for 2 block(s) a week"])
    #expect(advice.suggestions.map(\.change) == ["raise any one of 2 math teachers' max-per-week from 2 to 4 (Mr. Kim, Ms. Lee)",
                                                 "add a math teacher for 2 block(s) a week"])
}
