import Testing
@testable import ScenarioKit

// Change file v1.2: pinning and moving lessons, classes away, lessons removed and added, and a
// leaving teacher's lessons; every problem at once, at its line.

private func applied(_ change: String) throws -> ValidatedScenario {
    try ScenarioChange.parse(change, file: "c.yaml", name: "c").apply(to: try ScenarioLoader.parse(hybridWeek, file: "week.yaml"))
}

private func problems(_ change: String) -> [InputProblem] {
    do { _ = try applied(change); return [] } catch let error as InputError { return error.problems } catch { return [] }
}

@Test func lessonKeysDoWhatTheySay() throws {
    let pinned = try applied("lessons-pin: {math-7a: [mon.b1, wed.b2], sci-y7: []}")
    #expect(pinned.lessons[0].at == [.block(.mon, "b1"), .block(.wed, "b2")] && pinned.lessons[1].at.isEmpty)
    #expect(try applied("classes-unavailable: {y7: [wed.b3]}").classes[0].unavailable == [.block(.wed, "b3")])
    #expect(try applied("lessons-remove: [pe-7b]").lessons.map(\.id) == ["math-7a", "sci-y7"])
    let added = try applied("lessons-add: [{id: art-7a, subject: art, teachers: [lee], classes: [7a], length: 2}]")
    #expect(added.lessons.last == Lesson(id: "art-7a", subject: "art", teachers: ["lee"], classes: ["7a"], sessions: 1, length: 2, minDaysApart: 0))
    let replaced = try applied("""
    lessons-remove: [math-7a]
    lessons-add: [{id: math-7a, subject: math, teachers: [kim], classes: [7a], sessions: 2}]
    """)
    #expect(replaced.lessons.first { $0.id == "math-7a" }?.teachers == ["kim"])
    // A student who leaves leaves her class too.
    #expect(try applied("students-leave: [ben]").classes[2].students.isEmpty)
}

@Test func aLeavingTeachersLessonsKeepTheirOtherTeachersOrMustBeDecided() throws {
    let text = """
    lessons-add: [{id: lab-7b, subject: science, teachers: [kim, lee], classes: [7b], needs-room: false}]
    teachers-leave: [lee]
    """
    let found = problems(text)
    #expect(found.map(\.entity) == ["teachers-leave"])
    #expect(found.first?.line == 2)
    #expect(found.first?.message == "`lee` is the only teacher of lesson `math-7a`; list it in `lessons-remove` and add it back with another teacher in `lessons-add`, or only remove it")
    let decided = try applied(text + "\nlessons-remove: [math-7a]")
    #expect(decided.lessons.first { $0.id == "lab-7b" }?.teachers == ["kim"])
}

@Test func everyLessonChangeProblemAtOnceWithLines() {
    let found = problems("""
    lessons-pin:
      math-7b: [mon.b1]
      sci-y7: [mon.b1, tue.b1]
    classes-unavailable:
      y8: [mon]
      y7: [tue.b2]
    lessons-remove: [pe-7c]
    lessons-add:
      - {id: math-7a, subject: math, teachers: [lee], classes: [7a]}
    """)
    let seen = found.map { "\($0.line.map(String.init) ?? "-") \($0.entity): \($0.message)" }
    #expect(seen.contains("2 lessons-pin.math-7b: no lesson has the id `math-7b` — did you mean `math-7a`?"), "\(seen)")
    #expect(seen.contains("3 lessons[sci-y7]: after the change: `at` pins 2 lessons and it has `sessions: 1`; raise `sessions` or pin fewer"), "\(seen)")
    #expect(seen.contains("5 classes-unavailable.y8: no class has the id `y8`"), "\(seen)")
    #expect(seen.contains("7 lessons-remove: no lesson has the id `pe-7c` — did you mean `pe-7b`?"), "\(seen)")
    #expect(seen.contains("9 lessons-add[math-7a]: a lesson with the id `math-7a` is already in the scenario; remove it in `lessons-remove` to replace it"), "\(seen)")
    // The class now away at a time the file pins its lesson: named at the pin.
    #expect(seen.contains { $0.hasPrefix("3 lessons[sci-y7]: after the change: `at` `tue.b1` is when class `y7` is unavailable") }, "\(seen)")
    #expect(found.count == 6, "\(seen)")
}
