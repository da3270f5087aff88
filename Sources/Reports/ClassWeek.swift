import ScenarioKit
import TimetableFormat

// Class lessons (scenario v1.2) in reports: what a lesson means to each grid, which lessons a
// class sees, and the lessons left unplaced.

/// The classes whose grid shows a lesson: its own classes and every class below them, since a
/// lesson of Year 7 is also a lesson of 7A.
func gridClasses(of s: Timetable.Session, _ scenario: Scenario) -> [String] {
    var seen = Set<String>()
    return (s.classes ?? []).flatMap { scenario.classAndParts($0) }.filter { seen.insert($0).inserted }
}

/// What a lesson means to its owner. A lesson names its classes, not its students: a class is
/// the group a teacher or room sees, and a student's or class's grid names nobody else.
func lessonParts(_ look: Lookup, for owner: WeekOwner, _ s: Timetable.Session, label: String) -> [String] {
    let teachers = s.staff.isEmpty ? nil : s.staff.map(look.teacher).joined(separator: ", ")
    let classes = (s.classes ?? []).map(look.schoolClass).joined(separator: ", ")
    switch owner {
    case .teacher(let me):
        let others = s.staff.filter { $0 != me }.map(look.teacher)
        return [label] + (others.isEmpty ? [] : ["with " + others.joined(separator: ", ")]) + [s.room.map(look.room), classes].compactMap { $0 }
    case .student, .schoolClass:
        return [label, teachers, s.room.map(look.room)].compactMap { $0 }
    case .room:
        return [label, teachers, classes].compactMap { $0 }
    }
}

/// Lessons the timetable could not place, in the scenario's order: "Drama 7A (Class 7A): 1 of 1
/// lesson unplaced (no free room)". With `forClass`, only lessons that class attends.
func unplacedLessonLines(_ look: Lookup, _ timetable: Timetable, forClass id: String? = nil) -> [String] {
    let scenario = look.scenario
    let mine = id.map { Set([$0] + scenario.classesContaining($0)) }
    return timetable.unplacedLessons.compactMap { u in
        let lesson = scenario.lessons.first { $0.id == u.lesson }
        if let mine, !(lesson?.classes ?? []).contains(where: mine.contains) { return nil }
        let classes = (lesson?.classes ?? []).map(look.schoolClass).joined(separator: ", ")
        let count = lesson.map { "\(u.missing) of \(plural($0.sessions, "lesson"))" } ?? plural(u.missing, "lesson")
        return "\(lesson?.title ?? u.lesson)\(classes.isEmpty ? "" : " (\(classes))"): \(count) unplaced (\(u.reason))"
    }
}

/// "All 7 lessons placed." or "1 of 7 lessons unplaced."; nothing for a week without lessons.
func lessonSentence(_ scenario: Scenario, _ timetable: Timetable) -> String? {
    let wanted = scenario.lessons.reduce(0) { $0 + $1.sessions }
    guard wanted > 0 else { return nil }
    let missing = timetable.unplacedLessons.reduce(0) { $0 + $1.missing }
    return missing == 0 ? (wanted == 1 ? "The 1 lesson is placed." : "All \(wanted) lessons placed.")
        : "\(missing) of \(plural(wanted, "lesson")) unplaced."
}
