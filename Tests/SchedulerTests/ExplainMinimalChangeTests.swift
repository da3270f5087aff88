import Advisor
import ScenarioKit
import Scheduler
import Testing
import TimetableChecker
import TimetableFormat

/// Work limits decide every solve here, so the suggestions are the same under any load.
private let budget = TrialBudget(seconds: 600, maxSubproblems: 20)

private func solved(_ yaml: String) throws -> (ValidatedScenario, Timetable) {
    let scenario = try ScenarioLoader.parse(yaml, file: "week.yaml")
    var options = SolveOptions()
    options.timeLimit = 600
    options.maxSubproblems = 20
    return (scenario, try scheduleWeek(scenario, options: options).timetable)
}

private func students(_ ids: ClosedRange<Int>, _ extra: String = "") -> String {
    ids.map { "  - {id: s\($0), name: Student \($0), needs: [{subject: math, modality: tutoring, sessions: 1}]\(extra)}" }
        .joined(separator: "\n")
}

private func expectDistinctAndChecked(_ advice: Advice) {
    #expect(Set(advice.tried).count == advice.tried.count, "tried twice: \(advice.tried)")
    #expect(Set(advice.suggestions.map(\.change)).count == advice.suggestions.count)
    for s in advice.suggestions {
        #expect(checkTimetable(s.timetable.timetable, against: s.scenario).isEmpty)
        #expect(s.timetable.timetable.unmet.reduce(0) { $0 + $1.missing } == s.unmetAfter)
    }
}

/// Mr. Kim may teach 2 sessions a week; 4 students could come and 3 never can. Raising his limit to 7
/// (2 + all 5 missing) would be the naive suggestion: 4 is the smallest that meets both sessions.
@Test func aWeeklyLimitIsRaisedOnlyAsFarAsItHelps() throws {
    let (scenario, timetable) = try solved("""
    name: weekly
    days: [mon, tue, wed, thu, fri]
    blocks: [{id: b1, start: "09:00", end: "09:45"}, {id: b2, start: "10:00", end: "10:45"}]
    modalities: {tutoring: {min: 1, max: 1}}
    teachers: [{id: kim, name: Mr. Kim, subjects: [math], max-per-week: 2}, {id: lee, name: Ms. Lee, subjects: [art]}]
    rooms: [{id: r1, name: Room 1, capacity: 1}]
    students:
    \(students(1...4))
    \(students(5...7, ", unavailable: [mon, tue, wed, thu, fri]"))
    """)
    #expect(timetable.unmet.reduce(0) { $0 + $1.missing } == 5)
    let capacityShort = try #require(timetable.unmet.first { $0.student == "s1" || $0.student == "s2" || $0.student == "s3" || $0.student == "s4" })
    #expect(capacityShort.reason.contains("Mr. Kim: max-per-week 2 reached"), "\(capacityShort.reason)")
    let advice = suggestChanges(for: scenario, timetable: timetable, trials: 12, budget: budget)
    expectDistinctAndChecked(advice)
    let best = try #require(advice.suggestions.first)
    #expect(best.change == "raise Mr. Kim's max-per-week from 2 to 4")
    #expect(best.sessionsRecovered == 2)
    #expect(advice.tried.contains("raise Mr. Kim's max-per-week from 2 to 7"))
}

/// One teacher, one day, three blocks, max-per-day 1: the smallest daily limit meeting all three is 3.
@Test func aDailyLimitIsRaisedToTheSmallestValueThatMeetsAsMany() throws {
    let (scenario, timetable) = try solved("""
    name: daily
    days: [mon]
    blocks: [{id: b1, start: "09:00", end: "09:45"}, {id: b2, start: "10:00", end: "10:45"}, {id: b3, start: "11:00", end: "11:45"}]
    modalities: {tutoring: {min: 1, max: 1}}
    teachers: [{id: kim, name: Mr. Kim, subjects: [math], max-per-day: 1}]
    rooms: [{id: r1, name: Room 1, capacity: 1}]
    students:
    \(students(1...3))
    """)
    #expect(timetable.unmet.reduce(0) { $0 + $1.missing } == 2)
    #expect(timetable.unmet.allSatisfy { $0.reason.contains("Mr. Kim: max-per-day 1 reached on Mon") }, "\(timetable.unmet.map(\.reason))")
    let advice = suggestChanges(for: scenario, timetable: timetable, trials: 12, budget: budget)
    expectDistinctAndChecked(advice)
    let best = try #require(advice.suggestions.first)
    #expect(best.change == "raise Mr. Kim's max-per-day from 1 to 3")
    #expect(best.sessionsRecovered == 2)
}

/// Two students need an accessible room and the only one is closed in the second block: adding the
/// feature to Room 2 is a candidate, and it meets the missing session.
@Test func aMissingRoomFeatureIsSuggestedAndNamedWithItsDay() throws {
    let (scenario, timetable) = try solved("""
    name: access
    days: [mon]
    blocks: [{id: b1, start: "09:00", end: "09:45"}, {id: b2, start: "10:00", end: "10:45"}]
    modalities: {tutoring: {min: 1, max: 1}}
    teachers: [{id: kim, name: Mr. Kim, subjects: [math]}, {id: lee, name: Ms. Lee, subjects: [math]}]
    rooms:
      - {id: r1, name: Room 1, capacity: 1, features: [accessible], unavailable: [mon.b2]}
      - {id: r2, name: Room 2, capacity: 1}
    students:
    \(students(1...2, ", requires: [accessible]"))
    """)
    let short = try #require(timetable.unmet.first)
    #expect(short.cause == "no-free-room")
    #expect(short.reason.contains("is free in the 2 blocks when Student \(short.student.dropFirst()) is free (Mon)"), "\(short.reason)")
    let advice = suggestChanges(for: scenario, timetable: timetable, trials: 12, budget: budget)
    expectDistinctAndChecked(advice)
    let added = try #require(advice.suggestions.first { $0.change == "add accessible to Room 2" })
    #expect(added.sessionsRecovered == 1)
}

/// Nothing can help a student who is away all week: explain says what it tried. Mr. Kim's weekly
/// limit of 1 is not tried, for he has not reached it.
@Test func whenNothingHelpsTheTriedChangesAreListed() throws {
    let (scenario, timetable) = try solved("""
    name: away
    days: [mon]
    blocks: [{id: b1, start: "09:00", end: "09:45"}]
    modalities: {tutoring: {min: 1, max: 1}}
    teachers: [{id: kim, name: Mr. Kim, subjects: [math], max-per-week: 1}]
    rooms: [{id: r1, name: Room 1, capacity: 1}]
    students:
    \(students(1...1, ", unavailable: [mon]"))
    """)
    let advice = suggestChanges(for: scenario, timetable: timetable, trials: 12, budget: budget)
    #expect(advice.suggestions.isEmpty)
    #expect(advice.tried == ["add a math teacher for 1 block(s) a week"])
}
