import Foundation
import ScenarioKit
import TimetableFormat

/// The calendar files an export can write, as named on the command line (`--only`).
public enum CalendarKind: String, CaseIterable, Sendable, Hashable {
    case teachers, students, rooms, school, classes
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
    /// The blocks the session fills, in time order: one event runs from the first's start to the
    /// last's end, so a double block is a single entry in a calendar.
    var blocks: [Block]
    var date: LocalDate
    var series: WeeklySeries?
    var summary: String
    /// nil for a fixed session or a lesson without a room.
    var location: String?
    var description: String
    var category: String

    var block: Block { blocks[0] }

    /// The content lines that say what the event is: everything but UID, DTSTAMP, SEQUENCE and
    /// LAST-MODIFIED. Two exports describe the same event identically exactly when these are equal.
    func contentLines(tzid: String, zone: TimeZone) -> [ContentLine] {
        let tz = [ContentLine.Parameter(name: "TZID", value: tzid)]
        var lines = [
            ContentLine("DTSTART", tz, ICalDate.local(date, block.start)),
            ContentLine("DTEND", tz, ICalDate.local(date, blocks[blocks.count - 1].end)),
        ]
        if let series {
            // UNTIL must be UTC when DTSTART has a TZID (§3.3.10); it is the last instance's start.
            let until = ICalDate.instant(series.last, block.start, in: zone)
            lines.append(ContentLine("RRULE", "FREQ=WEEKLY;UNTIL=\(ICalDate.utc(until))"))
            for day in series.excluded {
                lines.append(ContentLine("EXDATE", tz, ICalDate.local(day, block.start)))
            }
        }
        lines.append(.text("SUMMARY", summary))
        if let location { lines.append(.text("LOCATION", location)) }
        lines += [
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
    /// The teacher's, student's, room's or class's id; nil for the school calendar.
    var ownerID: String?
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
                let mine = sessions.filter { $0.teachers.contains { $0.id == t.id } }
                result.append(CalendarDraft(kind: .teachers, path: "teachers/\(stems[t.id]!).ics", title: "\(t.name) (\(school))",
                                            owner: "teacher \(t.id) (\(t.name))", ownerID: t.id,
                                            events: mine.compactMap { event($0, view: "teacher", owner: t.id) }))
            }
        }
        if kinds.contains(.students) {
            let stems = Identifiers.fileStems(for: scenario.students.map(\.id))
            for s in scenario.students {
                let mine = sessions.filter { $0.students.contains { $0.id == s.id } }
                result.append(CalendarDraft(kind: .students, path: "students/\(stems[s.id]!).ics", title: "\(s.name) (\(school))",
                                            owner: "student \(s.id)", ownerID: s.id,
                                            events: mine.compactMap { event($0, view: "student", owner: s.id) }))
            }
        }
        if kinds.contains(.rooms) {
            let stems = Identifiers.fileStems(for: scenario.rooms.map(\.id))
            for r in scenario.rooms {
                let mine = sessions.filter { $0.room?.id == r.id }
                result.append(CalendarDraft(kind: .rooms, path: "rooms/\(stems[r.id]!).ics", title: "\(r.name) (\(school))",
                                            owner: "room \(r.id) (\(r.name))", ownerID: r.id,
                                            events: mine.compactMap { event($0, view: "room", owner: r.id) }))
            }
        }
        if kinds.contains(.classes) {
            // A class's calendar holds its lessons and those of the classes it belongs to, never a
            // member's own sessions: it can be shared with the whole class.
            let stems = Identifiers.fileStems(for: scenario.classes.map(\.id))
            for k in scenario.classes {
                let mine = sessions.filter { $0.lesson?.calendarClasses.contains(k.id) == true }
                result.append(CalendarDraft(kind: .classes, path: "classes/\(stems[k.id]!).ics", title: "\(k.name) (\(school))",
                                            owner: "class \(k.id) (\(k.name))", ownerID: k.id,
                                            events: mine.compactMap { event($0, view: "class", owner: k.id) }))
            }
        }
        if kinds.contains(.school) {
            // A room hosts at most one session per block, so the room identifies a school-wide event
            // (a fixed session is identified by its own id, room or not).
            result.append(CalendarDraft(kind: .school, path: "school.ics", title: school, owner: "the whole school", ownerID: nil,
                                        events: sessions.compactMap { event($0, view: "school", owner: $0.room?.id ?? "") }))
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
        /// Every block it fills, in time order.
        var blocks: [Block]
        var subject: String
        var modality: String
        /// The id and title of a session fixed outside flexsched.
        var fixed: (id: String, title: String)?
        var lesson: LessonOccurrence?
        /// Who leads it: none, one teacher, or (for a fixed session) several.
        var teachers: [Teacher]
        /// nil only for a fixed session or a lesson without a room.
        var room: Room?
        var students: [Student]
    }

    private func resolve(_ timetable: Timetable, file: String) throws(InputError) -> [Resolved] {
        let teachers = self.teachers
        let rooms = Dictionary(uniqueKeysWithValues: scenario.rooms.map { ($0.id, $0) })
        let students = Dictionary(uniqueKeysWithValues: scenario.students.map { ($0.id, $0) })
        var problems: [InputProblem] = []
        var result: [Resolved] = []
        let ordinals = lessonOrdinals(timetable)
        for (i, s) in timetable.sessions.enumerated() {
            let entity = s.fixed ? "sessions[\(i)] (fixed `\(s.id ?? "")`)" : "sessions[\(i)]"
            func bad(_ message: String) { problems.append(InputProblem(file: file, entity: entity, message: message)) }
            let day = Weekday(rawValue: s.day)
            if day == nil { bad("unknown day `\(s.day)`") }
            var run: [Block]?
            if !scenario.blocks.contains(where: { $0.id == s.block }) {
                bad("unknown block `\(s.block)`")
            } else {
                run = scenario.blockRun(from: s.block, length: s.length)
                if run == nil {
                    bad("\(s.length) blocks from `\(s.block)` run past the last block of the day or across a break; run `flexsched check` on this timetable")
                }
            }
            let staff = s.staff.compactMap { teachers[$0] }
            for id in s.staff where teachers[id] == nil { bad("unknown teacher `\(id)`") }
            var room: Room?
            if let id = s.room {
                room = rooms[id]
                if room == nil { bad("unknown room `\(id)`") }
            } else if s.isFlex {
                bad("has no room; only a fixed session or a lesson may have none")
            }
            let group = s.students.compactMap { students[$0] }
            for id in s.students where students[id] == nil { bad("unknown student `\(id)`") }
            if let day, let run, staff.count == s.staff.count, room != nil || (!s.isFlex && s.room == nil), group.count == s.students.count {
                result.append(Resolved(weekday: day, blocks: run, subject: s.subject, modality: s.modality,
                                       fixed: s.fixed ? (s.id ?? "", s.title ?? s.id ?? "") : nil,
                                       lesson: s.lesson.map { lessonOccurrence($0, s, ordinal: ordinals[i] ?? 1) }, teachers: staff, room: room,
                                       students: group.sorted { ($0.name, $0.id) < ($1.name, $1.id) }))
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
        let activity = s.fixed?.title ?? s.lesson?.title ?? activityWords(subject: s.subject, modality: s.modality)
        let leaders = s.teachers.map(\.name).joined(separator: ", ")
        let count = s.students.count
        let names = s.students.map(\.name).joined(separator: ", ")
        let summary: String
        let group: String
        if let lesson = s.lesson {
            // Its title says what it is in every calendar; the group line names its classes.
            summary = lesson.title
            let headcount = lesson.seats == 1 ? "1 student" : "\(lesson.seats) students"
            // As for other sessions: teachers see whom they teach unless the school says none, rooms
            // and the school only with `everyone`; a class calendar, shared with the class, never.
            let named = count > 0 && (view == "teacher" ? studentNames != .none : view != "class" && studentNames == .everyone)
            group = view == "student" ? "\(lesson.classNames): " + (count <= 1 ? "just you" : "you and \(count - 1) other student\(count == 2 ? "" : "s")")
                : named ? "\(lesson.classNames): \(names) (\(headcount))" : "\(lesson.classNames) (\(headcount))"
        } else {
            (summary, group) = flexOrFixed(s, view: view, activity: activity, leaders: leaders, names: names)
        }
        let first = s.blocks[0], last = s.blocks[s.blocks.count - 1]
        let teacherLine = switch (s.teachers.count, s.fixed ?? s.lesson.map { ($0.id, $0.title) }) {
        case (0, nil): "Teacher: none (\(idAsWords(s.modality)))"
        case (0, _): "Teacher: none"
        case (1, _): "Teacher: \(leaders)"
        default: "Teachers: \(leaders)"
        }
        // Block ids (`b1`) mean nothing to a family: the day and clock times say when.
        let blocks = s.blocks.count == 1 ? "" : " (\(s.blocks.count) blocks)"
        let description = [
            s.fixed.map { _ in "A fixed part of the school week: the timetable keeps it where it is." },
            s.lesson.map { "Class lesson for \($0.classNames)" },
            teacherLine,
            "Room: \(s.room?.name ?? "none")",
            "Group: \(group)",
            "When: \(s.weekday.longName) \(first.start)-\(last.end)\(blocks)",
        ].compactMap { $0 }.joined(separator: "\n")
        let uid = if let fixed = s.fixed {
            Identifiers.uid(school: scenario.name, view: view, owner: owner, fixed: fixed.id, weekday: s.weekday.rawValue)
        } else if let lesson = s.lesson {
            Identifiers.uid(school: scenario.name, view: view, owner: owner, lesson: lesson.id, weekday: s.weekday.rawValue, ordinal: lesson.ordinal)
        } else {
            Identifiers.uid(school: scenario.name, view: view, owner: owner, subject: s.subject, modality: s.modality,
                            weekday: s.weekday.rawValue, block: first.id)
        }
        let category = s.fixed != nil ? "fixed" : s.lesson != nil ? "lesson" : s.modality
        return EventDraft(uid: uid, weekday: s.weekday, blocks: s.blocks, date: date, series: series, summary: summary,
                          location: s.room?.name, description: description, category: category)
    }

    /// A flexible or fixed session's summary and group line in one calendar's view.
    private func flexOrFixed(_ s: Resolved, view: String, activity: String, leaders: String, names: String) -> (summary: String, group: String) {
        // A fixed session's title says what it is; a flexible one also says who leads it.
        let ledBy = s.fixed == nil && !s.teachers.isEmpty ? "\(activity) with \(leaders)" : activity
        let count = s.students.count
        let headcount = count == 1 ? "1 student" : "\(count) students"
        let summary: String
        let group: String
        switch view {
        case "teacher":
            let named = studentNames != .none
            summary = s.fixed == nil ? "\(activity): " + (named ? names : headcount) : activity
            group = named ? "\(names) (\(headcount))" : headcount
        case "student":
            summary = ledBy
            let others = count - 1
            group = others == 0 ? "just you" : "you and \(others) other student\(others == 1 ? "" : "s")"
        default:
            summary = s.fixed == nil ? ledBy + " (\(headcount))" : activity
            group = studentNames == .everyone ? "\(names) (\(headcount))" : headcount
        }
        return (summary, group)
    }
}
