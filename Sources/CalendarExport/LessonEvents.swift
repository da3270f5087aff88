import ScenarioKit
import TimetableFormat

/// A class lesson as its calendars show it.
struct LessonOccurrence {
    var id: String
    var title: String
    /// "Class 7A, Class 7B".
    var classNames: String
    /// Its classes' seats: its head count, also for classes that list no members.
    var seats: Int
    /// Its classes and every class below them: the class calendars it is in (Year 7's assembly is
    /// on 7A's calendar too).
    var calendarClasses: Set<String>
    /// 1 for the lesson's first session on its weekday, 2 for a second one that day. Its UID holds
    /// this instead of the block, so moving a lesson within the day updates its event.
    var ordinal: Int
}

extension EventBuilder {
    func lessonOccurrence(_ id: String, _ s: Timetable.Session, ordinal: Int) -> LessonOccurrence {
        let classes = s.classes ?? []
        let names = classes.map { scenario.schoolClass($0)?.name ?? $0 }.joined(separator: ", ")
        let seats = scenario.lessons.first { $0.id == id }.map { scenario.seats(of: $0) } ?? s.students.count
        return LessonOccurrence(id: id, title: s.title ?? id, classNames: names, seats: max(seats, s.students.count),
                                calendarClasses: Set(classes.flatMap { scenario.classAndParts($0) }), ordinal: ordinal)
    }

    /// Each lesson session's place among its lesson's sessions on the same weekday, by session index.
    func lessonOrdinals(_ timetable: Timetable) -> [Int: Int] {
        let order = Dictionary(scenario.blocksInTimeOrder.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        struct Day: Hashable { var lesson, day: String }
        var byDay: [Day: [Int]] = [:]
        for (i, s) in timetable.sessions.enumerated() {
            if let lesson = s.lesson { byDay[Day(lesson: lesson, day: s.day), default: []].append(i) }
        }
        var result: [Int: Int] = [:]
        for indices in byDay.values {
            let sorted = indices.sorted { (order[timetable.sessions[$0].block] ?? .max, $0) < (order[timetable.sessions[$1].block] ?? .max, $1) }
            for (place, i) in sorted.enumerated() { result[i] = place + 1 }
        }
        return result
    }
}
