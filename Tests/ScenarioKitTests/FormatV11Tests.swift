import Foundation
import Testing
@testable import ScenarioKit

// Scenario format v1.1: every new key read as written, v1 meanings kept, and each new problem named
// at its line (the corpus files in Corpus/scenarios/v1-1-* cover the wording of every rejection).

private let week = """
name: Riverside v1.1
days: [mon, tue]
blocks:
  - {id: b1, start: "08:30", end: "09:15"}
  - {id: b2, start: "09:20", end: "10:05"}
  - {id: b3, start: "10:10", end: "10:55"}
  - {id: b4, start: "11:30", end: "12:15", break-before: true}
modalities:
  tutoring: {min: 1, max: 3}
  project: {min: 2, max: 4, length: 2, level-spread: 1}
teachers:
  - {id: lee, subjects: [reading, math], prefer-not: [mon.b1, tue]}
  - {id: kim, subjects: [math]}
rooms:
  - {id: r101, capacity: 8}
students:
  - id: ana
    apart: [ben]
    needs:
      - {subject: reading, modality: tutoring, sessions: 3, priority: mandated, teacher: lee}
      - {subject: math, modality: project, sessions: 1, level: 3, prefer-teacher: [kim, lee]}
  - id: ben
    needs:
      - {subject: math, modality: project, sessions: 1, priority: LOW}
  - {id: dan, needs: []}
groups:
  grade6: [ana, ben]
fixed:
  - {id: advisory-6, title: Advisory 6, day: mon, block: b1, length: 2, teachers: [lee], room: r101, students: [dan, ana], groups: [grade6]}
  - {id: lunch-duty, day: tue, block: b4, teachers: [kim]}
"""

private func problems(_ text: String) -> [InputProblem] {
    do {
        _ = try ScenarioLoader.parse(text, file: "w.yaml")
        return []
    } catch { return error.problems }
}

@Test func everyV11KeyIsReadAsWritten() throws {
    let s = try ScenarioLoader.parse(week, file: "w.yaml")
    #expect(s.blocks.map(\.breakBefore) == [false, false, false, true])
    #expect(s.modality("project") == Modality(id: "project", min: 2, max: 4, teacher: true, length: 2, levelSpread: 1))
    #expect(s.modality("tutoring")?.length == 1 && s.modality("tutoring")?.levelSpread == nil)
    #expect(s.teachers[0].preferNot == [.block(.mon, "b1"), .day(.tue)])
    #expect(s.teachers[1].preferNot == [])
    #expect(s.students[0].apart == ["ben"])
    #expect(s.students[0].needs == [
        Need(subject: "reading", modality: "tutoring", sessions: 3, priority: .mandated, teacher: "lee"),
        Need(subject: "math", modality: "project", sessions: 1, preferTeachers: ["kim", "lee"], level: 3),
    ])
    // Priorities are words, so their case does not matter any more than a day's.
    #expect(s.students[1].needs[0].priority == .low)
    #expect(s.groups == [StudentGroup(id: "grade6", students: ["ana", "ben"])])
    #expect(s.fixed == [
        FixedSession(id: "advisory-6", title: "Advisory 6", day: .mon, block: "b1", length: 2, teachers: ["lee"], room: "r101",
                     students: ["dan", "ana"], groups: ["grade6"]),
        // The title defaults to the id, as a name does; the room is optional.
        FixedSession(id: "lunch-duty", title: "lunch-duty", day: .tue, block: "b4", teachers: ["kim"]),
    ])
    // Listed and a group member both: she attends once.
    #expect(s.scenario.attendees(of: s.fixed[0]) == ["dan", "ana", "ben"])
}

@Test func aV1FileMeansWhatItMeantBefore() throws {
    let v1 = """
    name: Plain
    days: [mon]
    blocks: [{id: b1, start: "08:30", end: "09:15"}]
    modalities: {tutoring: {min: 1, max: 3}}
    teachers: [{id: lee, subjects: [math]}]
    rooms: [{id: r1, capacity: 4}]
    students: [{id: ana, needs: [{subject: math, modality: tutoring, sessions: 2}]}]
    """
    let s = try ScenarioLoader.parse(v1, file: "v1.yaml")
    #expect(s.scenario == Scenario(
        name: "Plain", timezone: "UTC", days: [.mon],
        blocks: [Block(id: "b1", start: ClockTime(hour: 8, minute: 30), end: ClockTime(hour: 9, minute: 15))],
        modalities: [Modality(id: "tutoring", min: 1, max: 3, teacher: true)],
        teachers: [Teacher(id: "lee", name: "lee", subjects: ["math"])], rooms: [Room(id: "r1", name: "r1", capacity: 4)],
        students: [Student(id: "ana", name: "ana", needs: [Need(subject: "math", modality: "tutoring", sessions: 2)])]))
    // Written back, it is still a v1 file: no key it did not have appears.
    let text = s.scenario.yamlText()
    for key in ["break-before", "length", "level", "prefer", "priority", "apart", "groups", "fixed"] {
        #expect(!text.contains(key), "\(key) written for a v1 week")
    }
}

@Test func problemsWithNewEntitiesNameTheirLines() {
    let text = week.replacingOccurrences(of: "grade6: [ana, ben]", with: "grade6: [ana, bne]")
        .replacingOccurrences(of: "day: tue, block: b4", with: "day: tue, block: b3, length: 2")
    #expect(problems(text).map { "\($0.line ?? 0) \($0.entity)" } == ["27 groups[grade6]", "30 fixed[lunch-duty]"])
}

@Test func aDoubleBlockNeedsOnlyOneRunWithoutABreak() throws {
    // b1-b2 is the only pair not split by a break; that is enough.
    let oneRun = week.replacingOccurrences(of: "end: \"10:55\"}", with: "end: \"10:55\", break-before: true}")
        .replacingOccurrences(of: "block: b1, length: 2,", with: "block: b1, length: 1,")
    #expect(try ScenarioLoader.parse(oneRun, file: "w.yaml").modality("project")?.length == 2)
    let none = oneRun.replacingOccurrences(of: "end: \"09:15\"}", with: "end: \"09:15\", break-before: true}")
        .replacingOccurrences(of: "end: \"10:05\"}", with: "end: \"10:05\", break-before: true}")
    #expect(problems(none).map(\.entity) == ["modalities[project]"])
}

@Test func fixedSessionsInTimeOrderNotFileOrder() throws {
    // Blocks listed out of order: the run follows the clock, so b1 then b2 is still a double block.
    let shuffled = week.replacingOccurrences(of: """
      - {id: b1, start: "08:30", end: "09:15"}
      - {id: b2, start: "09:20", end: "10:05"}
    """, with: """
      - {id: b2, start: "09:20", end: "10:05"}
      - {id: b1, start: "08:30", end: "09:15"}
    """)
    #expect(try ScenarioLoader.parse(shuffled, file: "w.yaml").fixed[0].length == 2)
}

@Test func fixedSessionsClashOnlyWhenTheyOverlapInTime() throws {
    let lines = week.components(separatedBy: "\n")
    func with(_ session: String) -> String { (lines + ["  - \(session)"]).joined(separator: "\n") }
    // The same teacher right after a double block, or on another day, is no clash.
    #expect(problems(with("{id: next, day: mon, block: b3, teachers: [lee], room: r101}")).isEmpty)
    #expect(problems(with("{id: other-day, day: tue, block: b1, teachers: [lee], groups: [grade6]}")).isEmpty)
    // A group member in the second block of the double block is.
    let clash = problems(with("{id: pull-out, day: mon, block: b2, students: [ben]}"))
    #expect(clash.map(\.message) == ["clashes with fixed session `advisory-6` at mon.b2: both take student `ben`; move one of them"])
    // A person away is only an error for those named in the session, not for every group member.
    let away = week.replacingOccurrences(of: "  - {id: dan, needs: []}", with: "  - {id: dan, needs: [], unavailable: [mon.b2]}")
    #expect(problems(away).map(\.message) == ["student `dan` is unavailable at mon.b2; move the session or change the student's `unavailable`"])
    let memberAway = week.replacingOccurrences(of: "  - id: ben\n", with: "  - id: ben\n    unavailable: [mon]\n")
    #expect(problems(memberAway).isEmpty)
}

@Test func aWhatIfStillAcceptsNeedsNobodyCanServeButNotBrokenFixedSessions() throws {
    var s = try ScenarioLoader.parse(week, file: "w.yaml").scenario
    s.teachers.removeAll { $0.id == "kim" }
    s.fixed.removeAll { $0.id == "lunch-duty" }
    s.students[0].needs[1].preferTeachers = ["lee"]
    s.students[0].needs.append(Need(subject: "art", modality: "tutoring", sessions: 1))
    #expect(throws: Never.self) { try s.validated(requireServiceable: false) }
    #expect(s.validationProblems(file: "w.yaml").map(\.message) == [
        "no teacher teaches `art`; add it to a teacher's `subjects` or change the need",
    ])
    s.fixed.append(FixedSession(id: "twice", title: "Twice", day: .mon, block: "b2", teachers: ["lee"]))
    #expect(s.validationProblems(file: "w.yaml", requireServiceable: false).map(\.entity) == ["fixed[twice]"])
}

@Test func aLevelWithoutASpreadAndASpreadWithoutLevelsAreFine() throws {
    let text = week.replacingOccurrences(of: "sessions: 3, priority: mandated, teacher: lee}", with: "sessions: 3, level: 7}")
    #expect(try ScenarioLoader.parse(text, file: "w.yaml").students[0].needs[0].level == 7)
    #expect(try ScenarioLoader.parse(week, file: "w.yaml").students[1].needs[0].level == nil)
}

@Test func unknownIdsInAFileWithAnUnreadableListAreNotGuessedAt() {
    // kim is left out for a bad field; the need that requests kim must not also be called unknown.
    let text = week.replacingOccurrences(of: "{id: kim, subjects: [math]}", with: "{id: kim, subjects: [math], max-per-day: lots}")
    #expect(problems(text).map(\.entity) == ["teachers[kim].max-per-day"])
}
