import Foundation
import ScenarioKit
import TimetableFormat

/// The calendar files an export can write, as named on the command line (`--only`).
public enum CalendarKind: String, CaseIterable, Sendable, Hashable {
    case teachers, students, rooms, school
}

/// When the weekly timetable happens.
enum Placement: Sendable {
    /// Recurring weekly events across the scenario's term.
    case term(Term)
    /// Single events in the week starting on this Monday, minus any skipped dates.
    case week(monday: LocalDate, skip: Set<LocalDate>)
}

/// One event before it is stamped: everything that defines its content.
struct EventDraft: Sendable {
    var uid: String
    var weekday: Weekday
    var block: Block
    var date: LocalDate
    var series: WeeklySeries?
    var summary: String
    var location: String
    var description: String
    var category: String

    /// The content lines that say what the event is: everything but UID, DTSTAMP, SEQUENCE and
    /// LAST-MODIFIED. Two exports describe the same event identically exactly when these are equal.
    func contentLines(tzid: String, zone: TimeZone) -> [ContentLine] {
        let tz = [ContentLine.Parameter(name: "TZID", value: tzid)]
        var lines = [
            ContentLine("DTSTART", tz, ICalDate.local(date, block.start)),
            ContentLine("DTEND", tz, ICalDate.local(date, block.end)),
        ]
        if let series {
            // UNTIL must be UTC when DTSTART has a TZID (§3.3.10); it is the last instance's start.
            let until = ICalDate.instant(series.last, block.start, in: zone)
            lines.append(ContentLine("RRULE", "FREQ=WEEKLY;UNTIL=\(ICalDate.utc(until))"))
            for day in series.excluded {
                lines.append(ContentLine("EXDATE", tz, ICalDate.local(day, block.start)))
            }
        }
        lines += [
            .text("SUMMARY", summary),
            .text("LOCATION", location),
            .text("DESCRIPTION", description),
            .text("CATEGORIES", category),
        ]
        return lines
    }
}

/// One calendar file before it is stamped.
struct CalendarDraft: Sendable {
    var kind: CalendarKind
    /// Relative to the output folder, `/`-separated: `teachers/lee.ics`, `school.ics`.
    var path: String
    var title: String
    var owner: String
    var events: [EventDraft]
}

/// Builds the events of every requested calendar from a timetable.
struct EventBuilder {
    var scenario: Scenario
    var placement: Placement
    var studentNames: StudentNames

    private var teachers: [String: Teacher] { Dictionary(uniqueKeysWithValues: scenario.teachers.map { ($0.id, $0) }) }

    /// Every calendar of the given kinds, in a stable order. References are checked first: a
    /// session naming an unknown day, block, teacher, room or student is bad input.
    func calendars(_ timetable: Timetable, kinds: Set<CalendarKind>, file: String) throws(InputError) -> [CalendarDraft] {
        let sessions = try resolve(timetable, file: file)
        var result: [CalendarDraft] = []
        let school = scenario.name
        if kinds.contains(.teachers) {
            let stems = Identifiers.fileStems(for: scenario.teachers.map(\.id))
            for t in scenario.teachers {
                let mine = sessions.filter { $0.teacher?.id == t.id }
                result.append(CalendarDraft(kind: .teachers, path: "teachers/\(stems[t.id]!).ics", title: "\(t.name) (\(school))",
                                            owner: "teacher \(t.id) (\(t.name))",
                                            events: mine.compactMap { event($0, view: "teacher", owner: t.id) }))
            }
        }
        if kinds.contains(.students) {
            let stems = Identifiers.fileStems(for: scenario.students.map(\.id))
            for s in scenario.students {
                let mine = sessions.filter { $0.students.contains { $0.id == s.id } }
                result.append(CalendarDraft(kind: .students, path: "students/\(stems[s.id]!).ics", title: "\(s.name) (\(school))",
                                            owner: "student \(s.id)",
                                            events: mine.compactMap { event($0, view: "student", owner: s.id) }))
            }
        }
        if kinds.contains(.rooms) {
            let stems = Identifiers.fileStems(for: scenario.rooms.map(\.id))
            for r in scenario.rooms {
                let mine = sessions.filter { $0.room.id == r.id }
                result.append(CalendarDraft(kind: .rooms, path: "rooms/\(stems[r.id]!).ics", title: "\(r.name) (\(school))",
                                            owner: "room \(r.id) (\(r.name))",
                                            events: mine.compactMap { event($0, view: "room", owner: r.id) }))
            }
        }
        if kinds.contains(.school) {
            // A room hosts at most one session per block, so the room identifies a school-wide event.
            result.append(CalendarDraft(kind: .school, path: "school.ics", title: school, owner: "the whole school",
                                        events: sessions.compactMap { event($0, view: "school", owner: $0.room.id) }))
        }
        for index in result.indices {
            result[index].events.sort { ($0.weekday, $0.block.start.minutes, $0.uid) < ($1.weekday, $1.block.start.minutes, $1.uid) }
            var seen = Set<String>()
            for e in result[index].events where !seen.insert(e.uid).inserted {
                throw InputError(file: file, entity: "sessions", "\(result[index].owner) has two \(e.category) sessions of the same subject at \(e.weekday.rawValue).\(e.block.id); run `flexsched check` on this timetable")
            }
        }
        return result
    }

    /// A timetable session with its references looked up.
    struct Resolved {
        var weekday: Weekday
        var block: Block
        var subject: String
        var modality: String
        var teacher: Teacher?
        var room: Room
        var students: [Student]
    }

    private func resolve(_ timetable: Timetable, file: String) throws(InputError) -> [Resolved] {
        let teachers = self.teachers
        let rooms = Dictionary(uniqueKeysWithValues: scenario.rooms.map { ($0.id, $0) })
        let students = Dictionary(uniqueKeysWithValues: scenario.students.map { ($0.id, $0) })
        var problems: [InputProblem] = []
        var result: [Resolved] = []
        for (i, s) in timetable.sessions.enumerated() where !s.fixed {
            let entity = "sessions[\(i)]"
            func bad(_ message: String) { problems.append(InputProblem(file: file, entity: entity, message: message)) }
            let day = Weekday(rawValue: s.day)
            if day == nil { bad("unknown day `\(s.day)`") }
            let block = scenario.blocks.first { $0.id == s.block }
            if block == nil { bad("unknown block `\(s.block)`") }
            var teacher: Teacher?
            if let id = s.teacher {
                teacher = teachers[id]
                if teacher == nil { bad("unknown teacher `\(id)`") }
            }
            let room = s.room.flatMap { rooms[$0] }
            if room == nil { bad("unknown room `\(s.room ?? "")`") }
            let group = s.students.compactMap { students[$0] }
            for id in s.students where students[id] == nil { bad("unknown student `\(id)`") }
            if let day, let block, let room, group.count == s.students.count {
                result.append(Resolved(weekday: day, block: block, subject: s.subject, modality: s.modality, teacher: teacher,
                                       room: room, students: group.sorted { ($0.name, $0.id) < ($1.name, $1.id) }))
            }
        }
        if !problems.isEmpty { throw InputError(problems) }
        return result
    }

    /// `nil` when the session never takes place in the term (its weekday falls only on skipped dates).
    private func event(_ s: Resolved, view: String, owner: String) -> EventDraft? {
        let date: LocalDate
        var series: WeeklySeries?
        switch placement {
        case .term(let term):
            guard let weekly = WeeklySeries(weekday: s.weekday, term: term) else { return nil }
            series = weekly
            date = weekly.first
        case .week(let monday, let skip):
            date = monday.adding(days: s.weekday.ordinal)
            if skip.contains(date) { return nil }
        }
        let activity = Labels.activity(subject: s.subject, modality: s.modality)
        let count = s.students.count
        let headcount = count == 1 ? "1 student" : "\(count) students"
        let names = s.students.map(\.name).joined(separator: ", ")
        let summary: String
        let group: String
        switch view {
        case "teacher":
            let named = studentNames != .none
            summary = "\(activity): " + (named ? names : headcount)
            group = named ? "\(names) (\(headcount))" : headcount
        case "student":
            summary = s.teacher.map { "\(activity) with \($0.name)" } ?? activity
            let others = count - 1
            group = others == 0 ? "just you" : "you and \(others) other student\(others == 1 ? "" : "s")"
        default:
            summary = (s.teacher.map { "\(activity) with \($0.name)" } ?? activity) + " (\(headcount))"
            group = studentNames == .everyone ? "\(names) (\(headcount))" : headcount
        }
        let description = [
            "Teacher: \(s.teacher?.name ?? "none (\(Labels.humanized(s.modality)))")",
            "Room: \(s.room.name)",
            "Group: \(group)",
            "Block: \(s.block.id), \(s.weekday.longName) \(s.block.start)-\(s.block.end)",
        ].joined(separator: "\n")
        let uid = Identifiers.uid(school: scenario.name, view: view, owner: owner, subject: s.subject, modality: s.modality,
                                  weekday: s.weekday.rawValue, block: s.block.id)
        return EventDraft(uid: uid, weekday: s.weekday, block: s.block, date: date, series: series, summary: summary,
                          location: s.room.name, description: description, category: s.modality)
    }
}

enum Labels {
    /// `math` + `small-group` -> `Math small group`.
    static func activity(subject: String, modality: String) -> String {
        let s = humanized(subject)
        return (s.prefix(1).uppercased() + s.dropFirst()) + " " + humanized(modality)
    }

    static func humanized(_ id: String) -> String {
        id.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
    }
}
