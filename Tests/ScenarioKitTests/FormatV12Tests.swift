import Foundation
import Testing
@testable import ScenarioKit

// Scenario format v1.2: classes and lessons read as written, every problem of the new keys at once
// with its line and entity, and v1.1 weeks unchanged.

let hybridWeek = """
name: Hybrid v1.2
days: [mon, tue, wed]
blocks:
  - {id: b1, start: "08:30", end: "09:15"}
  - {id: b2, start: "09:20", end: "10:05"}
  - {id: b3, start: "10:50", end: "11:35", break-before: true}
modalities:
  tutoring: {min: 1, max: 3}
teachers:
  - {id: lee, subjects: [math]}
  - {id: kim, subjects: [science], unavailable: [wed]}
rooms:
  - {id: r101, capacity: 30, features: [accessible]}
  - {id: lab, capacity: 45, features: [lab, accessible]}
students:
  - {id: ana, needs: [{subject: math, modality: tutoring, sessions: 1}], requires: [accessible]}
  - {id: ben, needs: []}
classes:
  - {id: y7, name: Year 7, parts: [7a, 7b]}
  - {id: 7a, students: [ana], size: 20}
  - {id: 7b, students: [ben], size: 20, unavailable: [mon.b3]}
lessons:
  - {id: math-7a, subject: math, teachers: [lee], classes: [7a], sessions: 3, avoid: [wed.b3]}
  - {id: sci-y7, subject: science, teachers: [kim], classes: [y7], length: 2, room-features: [lab], at: tue.b1}
  - {id: pe-7b, subject: pe, classes: [7b], needs-room: false, prefer: [mon]}
"""

private func parsed(_ text: String) throws -> ValidatedScenario { try ScenarioLoader.parse(text, file: "week.yaml") }

private func problems(_ text: String) -> [InputProblem] {
    do { _ = try parsed(text); return [] } catch let error as InputError { return error.problems } catch { return [] }
}

/// The week with some lines replaced and `extra` lessons appended.
private func week(replacing pairs: [(String, String)] = [], lessons extra: [String] = []) -> String {
    var text = hybridWeek
    for (old, new) in pairs {
        precondition(text.contains(old), old)
        text = text.replacingOccurrences(of: old, with: new)
    }
    return ([text] + extra).joined(separator: "\n")
}

@Test func classesAndLessonsReadAsWritten() throws {
    let s = try parsed(hybridWeek).scenario
    #expect(s.classAndParts("y7") == ["y7", "7a", "7b"] && s.leafClasses("y7") == ["7a", "7b"])
    #expect(s.seats(ofClass: "y7") == 40 && s.members(ofClass: "y7") == ["ana", "ben"] && s.classesContaining("7b") == ["y7"])
    let math = try #require(s.lessons.first)
    #expect(math.minDaysApart == 1 && math.length == 1 && math.needsRoom && math.title == "math 7a" && math.avoid == [.block(.wed, "b3")])
    let science = s.lessons[1]
    #expect(science.sessions == 1 && science.minDaysApart == 0 && science.at == [.block(.tue, "b1")] && s.seats(of: science) == 40)
    #expect(!s.lessons[2].needsRoom && s.lessons[2].teachers.isEmpty && s.lessons[2].prefer == [.day(.mon)])
}

@Test func everyLessonProblemAtOnceWithLineEntityAndAdvice() {
    let found = problems(week(replacing: [
        ("parts: [7a, 7b]}", "parts: [7a, 7b, 7c]}"),
        ("{id: 7b, students: [ben], size: 20,", "{id: 7b, parts: [y7], students: [ben], size: 40,"),
        ("{id: 7a, students: [ana], size: 20}", "{id: 7a, students: [ana, ben], size: 1}"),
    ], lessons: [
        "  - {id: a, subject: math, teachers: [leee], classes: [7A], sessions: 2}",
        "  - {id: b, subject: math, teachers: [lee], classes: [y7, 7a], needs-room: false}",
        "  - {id: c, subject: math, teachers: [lee], classes: [7a], sessions: 2, min-days-apart: 2, at: [mon.b1, tue.b2]}",
        "  - {id: d, subject: math, teachers: [lee], classes: [7a], sessions: 2, at: [wed]}",
        "  - {id: e, subject: math, teachers: [lee], classes: [7a], at: [mon.b1, tue.b1]}",
        "  - {id: f, subject: math, teachers: [lee], classes: [7a], sessions: 4}",
        "  - {id: g, subject: math, teachers: [lee], classes: [7b], rooms: [r101]}",
        "  - {id: h, subject: science, teachers: [kim], classes: [7a], at: wed.b1}",
        "  - {id: i, subject: math, teachers: [lee], classes: [7a], min-day-apart: 1}",
    ]))
    func problem(_ entity: String, _ text: String) -> InputProblem? { found.first { $0.entity == entity && $0.message.contains(text) } }
    let expected: [(String, String, Int)] = [
        ("classes[y7]", "`parts` names `7c`, which is not in `classes`", 19),
        ("classes[7b]", "its `parts` lead back to `7b` itself", 21),
        ("classes[7a]", "`size` 1 is smaller than the 2 students it lists", 20),
        ("lessons[a]", "`teachers` names `leee`, which is not in `teachers` — did you mean `lee`?", 26),
        ("lessons[a]", "`classes` names `7A`, which is not in `classes` — did you mean `7a`?", 26),
        ("lessons[b]", "lists `7a` and `y7`, which already contains it; list only `y7`", 27),
        ("lessons[c]", "pins lessons on mon and tue, closer than its `min-days-apart: 2`", 28),
        ("lessons[d]", "`at` `wed` names a whole day; pin a lesson to its first block, for example `wed.b1`", 29),
        ("lessons[e]", "`at` pins 2 lessons and it has `sessions: 1`", 30),
        ("lessons[f]", "4 lessons at least 1 day apart need 4 school days, and the week has 3", 31),
        ("lessons[g]", "its classes need 40 seats and the largest room it may use seats 30", 32),
        ("lessons[h]", "`at` `wed.b1` is when teacher `kim` is unavailable", 33),
        ("lessons[i].min-day-apart", "unknown key `min-day-apart`; expected one of", 34),
    ]
    for (entity, text, line) in expected {
        let p = problem(entity, text)
        #expect(p?.line == line, "\(entity): \(text) — got \(found.filter { $0.entity == entity }.map(\.description))")
    }
    #expect(problem("lessons[i].min-day-apart", "did you mean `min-days-apart`?") != nil, "\(found.map(\.description))")
    // Each problem once: the lesson checks run once per validation.
    #expect(Set(found).count == found.count, "\(found.map(\.description))")
}

@Test func lessonRoomsFollowStudentsAndTheRoomList() {
    // Ana requires an accessible room: a lab without it cannot hold her class's science.
    let inaccessible = problems(week(replacing: [("features: [lab, accessible]", "features: [lab]")]))
    #expect(inaccessible.map(\.entity) == ["lessons[sci-y7]"])
    #expect(inaccessible.first?.message.contains("no room it may use has all of [lab, accessible]") == true)
    let roomless = problems(week(replacing: [
        ("rooms:\n  - {id: r101, capacity: 30, features: [accessible]}\n  - {id: lab, capacity: 45, features: [lab, accessible]}", "rooms: []"),
    ]))
    #expect(roomless.filter { $0.message.contains("needs a room and the scenario lists none") }.map(\.entity) == ["lessons[math-7a]", "lessons[sci-y7]"])
    // A pin at the time its class (or a class above it) is away could never hold.
    let away = problems(week(replacing: [("unavailable: [mon.b3]}", "unavailable: [tue.b2]}")]))
    #expect(away.map(\.message) == ["`at` `tue.b1` is when class `7b` is unavailable; move the pin or change their `unavailable`"])
}

@Test func aV11WeekStaysValidAndMeansTheSame() throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scenarios/midsize-week.yaml").path
    let s = try ScenarioLoader.load(path: path).scenario
    #expect(s.classes.isEmpty && s.lessons.isEmpty && !s.fixed.isEmpty)
    #expect(!s.yamlText().contains("classes:") && !s.yamlText().contains("lessons:"))
    #expect(try parsed(s.yamlText()).scenario == s)
}

@Test func aV12WeekRoundTripsThroughYAML() throws {
    let s = try parsed(hybridWeek).scenario
    let again = try parsed(s.yamlText()).scenario
    #expect(again == s)
    #expect(s.yamlText().contains("  - {id: sci-y7, title: science y7, subject: science, teachers: [kim], classes: [y7], sessions: 1, length: 2, min-days-apart: 0, room-features: [lab], at: [tue.b1]}"))
}
