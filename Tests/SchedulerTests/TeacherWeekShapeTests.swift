import ScenarioKit
import Scheduler
import Testing
import TimetableChecker
import TimetableFormat

/// The week's shape: part-time teachers (`max-days`), breaks (`max-in-a-row`), a class's lessons a
/// day (`max-per-day`) and a lesson that ends the day (`ends-day`).

/// Blocks b1..bN, an hour apart from 08:00, as scenario lines.
private func hourlyBlocks(_ count: Int) -> String {
    (1...count).map { "  - {id: b\($0), start: \"\(7 + $0):00\", end: \"\(7 + $0):50\"}" }.joined(separator: "\n")
}

/// A week of class lessons in one room of 30 and four hourly blocks a day, no flex sessions:
/// `rest` gives its teachers, classes and lessons.
private func lessonWeek(_ name: String, days: String, _ rest: String) throws -> ValidatedScenario {
    try ScenarioLoader.parse("""
        name: \(name)
        days: \(days)
        blocks:
        \(hourlyBlocks(4))
        modalities: {}
        rooms:
          - {id: r1, name: Room 1, capacity: 30}
        students: []
        \(rest)
        """, file: "\(name).yaml")
}

/// Ten one-to-one math sessions on a week of five days of two blocks; Mr. Kim takes at most 6, so
/// Ms. Lee takes 4. Late blocks cost, so without `max-days` her sessions spread over the mornings of
/// four days; with `max-days: 2` they fill two days, and every session is still met.
private func week(leeDays: Int?) -> String {
    let students = (1...10).map { "  - {id: s\($0), name: Student \($0), needs: [{subject: math, modality: tutoring, sessions: 1}]}" }
    return """
        name: Part-time
        days: [mon, tue, wed, thu, fri]
        blocks:
          - {id: b1, start: "08:00", end: "08:50"}
          - {id: b2, start: "09:00", end: "09:50"}
        modalities:
          tutoring: {min: 1, max: 1, teacher: true}
        teachers:
          - {id: lee, name: Ms. Lee, subjects: [math]\(leeDays.map { ", max-days: \($0)" } ?? "")}
          - {id: kim, name: Mr. Kim, subjects: [math], max-per-week: 6}
        rooms:
          - {id: r1, name: Room 1, capacity: 2}
          - {id: r2, name: Room 2, capacity: 2}
        students:
        \(students.joined(separator: "\n"))
        """
}

private func days(of teacher: String, in timetable: Timetable) -> Set<String> {
    Set(timetable.sessions.filter { $0.teacher == teacher }.map(\.day))
}

@Test(arguments: [UInt64(1), 2, 3])
func maxDaysKeepsAPartTimeTeacherToHerDays(seed: UInt64) throws {
    let free = try ScenarioLoader.parse(week(leeDays: nil), file: "free.yaml")
    let unlimited = try solveTimetable(free, options: workLimited(20, seed: seed))
    #expect(days(of: "lee", in: unlimited).count > 2, "seed \(seed): the week should spread her sessions without a limit")

    let limited = try ScenarioLoader.parse(week(leeDays: 2), file: "part-time.yaml")
    let timetable = try solveTimetable(limited, options: workLimited(20, seed: seed))
    #expect(checkTimetable(timetable, against: limited).isEmpty)
    #expect(timetable.unmet.isEmpty)
    #expect(days(of: "lee", in: timetable).count <= 2, "seed \(seed): Ms. Lee teaches on \(days(of: "lee", in: timetable).sorted())")

    // The checker judges it on its own: the unlimited week breaks her limit.
    let broken = checkTimetable(unlimited, against: limited)
    #expect(broken.contains { $0.rule.id == "R3.teacher-days-limit" && $0.message.hasPrefix("teacher on too many days: lee teaches on") })
}

@Test func maxDaysIsCheckedWhenTheWeekIsRead() throws {
    let tooMany = week(leeDays: 8)
    #expect(throws: InputError.self) { try ScenarioLoader.parse(tooMany, file: "x.yaml") }
    let fixed = week(leeDays: 1) + """

        fixed:
          - {id: f1, title: Staff meeting, day: mon, block: b1, teachers: [lee]}
          - {id: f2, title: Staff meeting, day: tue, block: b1, teachers: [lee]}
        """
    do {
        _ = try ScenarioLoader.parse(fixed, file: "fixed.yaml")
        Issue.record("fixed sessions on two days with max-days 1 should be refused")
    } catch {
        #expect(error.problems.contains { $0.entity == "teachers[lee]" && $0.message.contains("fall on 2 days (mon, tue), more than its `max-days` of 1") })
    }
}

/// Three one-to-one sessions with Ms. Lee on a morning of four blocks: late blocks cost, so she
/// teaches b1-b3 in a row; with `max-in-a-row: 2` she gets b3 free and teaches b4.
@Test(arguments: [UInt64(1), 2])
func maxInARowGivesATeacherHerBreak(seed: UInt64) throws {
    func morning(_ limit: String) throws -> ValidatedScenario {
        let students = (1...3).map { "  - {id: s\($0), name: Student \($0), needs: [{subject: math, modality: tutoring, sessions: 1}]}" }
        return try ScenarioLoader.parse("""
            name: Breaks
            days: [mon]
            blocks:
            \(hourlyBlocks(4))
            modalities:
              tutoring: {min: 1, max: 1, teacher: true}
            teachers:
              - {id: lee, name: Ms. Lee, subjects: [math]\(limit)}
            rooms:
              - {id: r1, name: Room 1, capacity: 2}
            students:
            \(students.joined(separator: "\n"))
            """, file: "breaks.yaml")
    }
    let free = try solveTimetable(morning(""), options: workLimited(10, seed: seed))
    #expect(free.sessions.map(\.block).sorted() == ["b1", "b2", "b3"], "seed \(seed): without a limit the morning fills from the start")
    let limited = try morning(", max-in-a-row: 2")
    let timetable = try solveTimetable(limited, options: workLimited(10, seed: seed))
    #expect(checkTimetable(timetable, against: limited).isEmpty && timetable.unmet.isEmpty)
    #expect(timetable.sessions.map(\.block).sorted() == ["b1", "b2", "b4"], "seed \(seed): \(timetable.sessions.map(\.block).sorted())")
    #expect(checkTimetable(free, against: limited).map(\.description)
                == ["R3.teacher-in-a-row teacher too long without a break: lee teaches 3 blocks in a row on mon (b1-b3); max-in-a-row is 2"])
}

/// Ms. Lee comes on Mondays only and teaches 7A three math lessons a week: with Year 7's
/// `max-per-day: 2` one of them stays unplaced, and the report says so.
@Test func aClassDailyLimitHoldsForItsParts() throws {
    func week(_ limit: String) throws -> ValidatedScenario {
        try lessonWeek("class-limit", days: "[mon, tue]", """
            teachers:
              - {id: lee, name: Ms. Lee, subjects: [math], unavailable: [tue]}
            classes:
              - {id: y7, name: Year 7, parts: [7a]\(limit)}
              - {id: 7a, name: 7A, size: 25}
            lessons:
              - {id: math-7a, subject: math, teachers: [lee], classes: [7a], sessions: 3, min-days-apart: 0}
            """)
    }
    let free = try solveTimetable(week(""), options: workLimited(10))
    #expect(free.sessions.count == 3)
    let limited = try week(", max-per-day: 2")
    let timetable = try solveTimetable(limited, options: workLimited(10))
    #expect(checkTimetable(timetable, against: limited).isEmpty)
    #expect(timetable.sessions.count == 2 && timetable.unplaced?.first?.missing == 1, "\(timetable.sessions.map(\.block))")
    #expect(checkTimetable(free, against: limited).map(\.description)
                == ["R8.class-daily-limit class over daily limit: 7a has 3 blocks of lessons on mon; max-per-day of y7 is 2"])
}

/// 7A's sport ends its day: math and reading come first, whatever costs late blocks more.
@Test func aLessonThatEndsTheDayIsLast() throws {
    func week(_ ends: String) throws -> ValidatedScenario {
        try lessonWeek("ends-day", days: "[mon]", """
            teachers:
              - {id: lee, name: Ms. Lee, subjects: [math, reading, sport]}
              - {id: kim, name: Mr. Kim, subjects: [sport]}
            classes:
              - {id: 7a, name: 7A, size: 25}
            lessons:
              - {id: sport-7a, subject: sport, teachers: [kim], classes: [7a], sessions: 1\(ends)}
              - {id: math-7a, subject: math, teachers: [lee], classes: [7a], sessions: 1}
              - {id: reading-7a, subject: reading, teachers: [lee], classes: [7a], sessions: 1}
            """)
    }
    let free = try solveTimetable(week(""), options: workLimited(10))
    #expect(free.sessions.first { $0.lesson == "sport-7a" }?.block == "b1", "without ends-day sport comes first")
    let limited = try week(", ends-day: true")
    let timetable = try solveTimetable(limited, options: workLimited(10))
    #expect(checkTimetable(timetable, against: limited).isEmpty && timetable.unplacedLessons.isEmpty)
    let blocks = Dictionary(uniqueKeysWithValues: timetable.sessions.map { ($0.lesson ?? "", $0.block) })
    #expect(blocks["sport-7a"]! > blocks["math-7a"]! && blocks["sport-7a"]! > blocks["reading-7a"]!, "\(blocks)")
}
