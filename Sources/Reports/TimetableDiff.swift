import Foundation
import ScenarioKit
import TimetableFormat

/// What changed between two timetables, session by session and person by person, so an admin can
/// notify exactly the people affected. Works on ids only: it needs no solver and trusts no model.
public struct TimetableDiff: Codable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case kept, moved, restaffed = "re-staffed", reroomed = "re-roomed", regrouped = "re-grouped", cancelled, new
    }

    public struct SessionChange: Codable, Sendable {
        public var kind: Kind
        public var before: Timetable.Session?
        public var after: Timetable.Session?
    }

    /// One line of a person's notice: a session they had or now have that is not the same as before.
    public struct PersonChange: Codable, Sendable {
        public var role: String
        public var id: String
        public var name: String
        public var before: [String]
        public var after: [String]

        public init(role: String, id: String, name: String, before: [String], after: [String]) {
            self.role = role; self.id = id; self.name = name; self.before = before; self.after = after
        }
    }

    public var sessions: [SessionChange]
    public var people: [PersonChange]

    public func count(_ kind: Kind) -> Int { sessions.filter { $0.kind == kind }.count }

    /// How many class lessons changed this way (they are counted in `count` too).
    public func lessonCount(_ kind: Kind) -> Int { sessions.filter { $0.kind == kind && ($0.before ?? $0.after)?.isLesson == true }.count }

    /// The students and teachers to tell; rooms change too, but nobody reads a room's notice.
    public var peopleToNotify: [PersonChange] { people.filter { $0.role != "room" } }

    public init(from old: Timetable, to new: Timetable, scenario: Scenario) {
        var remaining = new.sessions
        var changes: [SessionChange] = []
        var unmatched: [Timetable.Session] = []
        for session in old.sessions {
            if let i = remaining.firstIndex(of: session) {
                changes.append(SessionChange(kind: .kept, before: session, after: remaining.remove(at: i)))
            } else {
                unmatched.append(session)
            }
        }
        // A fixed session is the same session exactly when it has the same id; a lesson is one of its
        // lesson's sessions, the one at the same time if any, else the same day, else any. Then, for
        // flexible ones: same slot and activity with a different teacher, room, group or length; then
        // the same activity and group elsewhere in the week; what is left was cancelled or is new.
        var stillUnmatched: [Timetable.Session] = []
        for session in unmatched {
            if let lesson = session.lesson {
                let same = remaining.indices.filter { remaining[$0].lesson == lesson }
                let match = same.first { remaining[$0].day == session.day && remaining[$0].block == session.block }
                    ?? same.first { remaining[$0].day == session.day } ?? same.first
                if let match {
                    let other = remaining.remove(at: match)
                    changes.append(SessionChange(kind: changeKind(session, other), before: session, after: other))
                } else {
                    changes.append(SessionChange(kind: .cancelled, before: session, after: nil))
                }
                continue
            }
            if session.fixed {
                if let i = remaining.firstIndex(where: { $0.fixed && $0.id == session.id }) {
                    let other = remaining.remove(at: i)
                    changes.append(SessionChange(kind: changeKind(session, other), before: session, after: other))
                } else {
                    changes.append(SessionChange(kind: .cancelled, before: session, after: nil))
                }
                continue
            }
            let sameSlot = remaining.indices.filter {
                let s = remaining[$0]
                return s.isFlex && s.day == session.day && s.block == session.block && s.subject == session.subject && s.modality == session.modality
            }
            if let i = sameSlot.max(by: { overlap(remaining[$0], session) < overlap(remaining[$1], session) }),
               overlap(remaining[i], session) > 0 {
                let other = remaining.remove(at: i)
                changes.append(SessionChange(kind: changeKind(session, other), before: session, after: other))
            } else {
                stillUnmatched.append(session)
            }
        }
        for session in stillUnmatched {
            let candidates = remaining.indices.filter {
                remaining[$0].isFlex && remaining[$0].subject == session.subject && remaining[$0].modality == session.modality
                    && overlap(remaining[$0], session) * 2 > session.students.count
            }
            if let i = candidates.max(by: { overlap(remaining[$0], session) < overlap(remaining[$1], session) }) {
                changes.append(SessionChange(kind: .moved, before: session, after: remaining.remove(at: i)))
            } else {
                changes.append(SessionChange(kind: .cancelled, before: session, after: nil))
            }
        }
        changes += remaining.map { SessionChange(kind: .new, before: nil, after: $0) }
        sessions = changes
        people = TimetableDiff.personChanges(old, new, scenario)
    }

    private static func personChanges(_ old: Timetable, _ new: Timetable, _ scenario: Scenario) -> [PersonChange] {
        func describe(_ s: Timetable.Session) -> String {
            let when = "\(s.day).\(s.block)" + (s.length == 1 ? "" : " (\(s.length) blocks)")
            let room = "room \(s.room ?? "none")"
            guard !s.isFlex else { return "\(when) \(s.subject) \(s.modality), teacher \(s.teacher ?? "none"), \(room)" }
            let staff = s.staff.isEmpty ? "none" : s.staff.joined(separator: " ")
            let what = s.lesson.map { "lesson \($0)" } ?? "fixed \(s.id ?? "")"
            return "\(when) \(what) \"\(s.title ?? "")\", teachers \(staff), \(room)"
        }
        func lines(_ t: Timetable, _ member: (Timetable.Session) -> Bool) -> Set<String> {
            Set(t.sessions.filter(member).map(describe))
        }
        var result: [PersonChange] = []
        func compare(role: String, id: String, name: String, _ member: (Timetable.Session) -> Bool) {
            let before = lines(old, member), after = lines(new, member)
            guard before != after else { return }
            result.append(PersonChange(role: role, id: id, name: name, before: before.subtracting(after).sorted(),
                                       after: after.subtracting(before).sorted()))
        }
        let everyone = Set(old.sessions.flatMap(\.students) + new.sessions.flatMap(\.students))
        for student in scenario.students where everyone.contains(student.id) {
            compare(role: "student", id: student.id, name: student.name) { $0.students.contains(student.id) }
        }
        let known = Set(scenario.students.map(\.id))
        for id in everyone.subtracting(known).sorted() {
            compare(role: "student", id: id, name: id) { $0.students.contains(id) }
        }
        for teacher in scenario.teachers { compare(role: "teacher", id: teacher.id, name: teacher.name) { $0.staff.contains(teacher.id) } }
        for room in scenario.rooms { compare(role: "room", id: room.id, name: room.name) { $0.room == room.id } }
        return result
    }

    /// What one person (or room) is told: each changed session they are in, before or after, in
    /// names, weekdays and clock times from the scenario, in the week's order.
    public struct Notice: Sendable {
        public var role: String
        public var id: String
        public var name: String
        public var lines: [String]

        public init(role: String, id: String, name: String, lines: [String]) {
            self.role = role; self.id = id; self.name = name; self.lines = lines
        }
    }

    /// The notices of everyone in `people`, in its order: the one wording of a change that the
    /// command line's `diff.md`, the web app and its API share.
    public func notices(scenario: Scenario) -> [Notice] {
        let look = Lookup(scenario)
        let changed = sessions.filter { $0.kind != .kept }
            .sorted { look.chronological(($0.before ?? $0.after)!, ($1.before ?? $1.after)!) }
        return people.map { entry in
            let involves: (Timetable.Session) -> Bool = switch entry.role {
            case "room": { $0.room == entry.id }
            case "teacher": { $0.staff.contains(entry.id) }
            default: { $0.students.contains(entry.id) }
            }
            let lines = changed.filter { change in [change.before, change.after].contains { $0.map(involves) ?? false } }.map { describe($0, look) }
            return Notice(role: entry.role, id: entry.id, name: entry.name, lines: lines)
        }
    }

    /// The notice for the admin: each student and teacher with every changed session they are in,
    /// before or after, then the rooms on their own.
    public func markdown(title: String, scenario: Scenario) -> String {
        let kinds: [Kind] = [.kept, .moved, .restaffed, .reroomed, .regrouped, .cancelled, .new]
        var out = ["# \(title)", "", kinds.map { "\($0.rawValue): \(count($0))" }.joined(separator: " · "), ""]
        if sessions.contains(where: { ($0.before ?? $0.after)?.isLesson == true }) {
            out += ["Of them lessons: " + kinds.map { "\($0.rawValue): \(lessonCount($0))" }.joined(separator: " · "), ""]
        }
        let all = notices(scenario: scenario)
        func section(_ role: String, heading: String) -> [String] {
            let entries = all.filter { $0.role == role }
            guard !entries.isEmpty else { return [] }
            var lines = ["\(heading) (\(entries.count))", ""]
            for entry in entries {
                lines += ["\(heading.prefix { $0 == "#" })# \(entry.name)", ""]
                lines += entry.lines.map { "- " + $0 }
                lines.append("")
            }
            return lines
        }
        out += ["## People to notify (\(peopleToNotify.count))", ""]
        if peopleToNotify.isEmpty { out += ["Nobody's week changes.", ""] }
        out += section("student", heading: "### Students")
        out += section("teacher", heading: "### Teachers")
        out += section("room", heading: "## Rooms")
        return out.joined(separator: "\n")
    }
}

/// The headline of a change between two versions of one session: a new time (start or length)
/// first, since everyone in it must be told, then a new group, teacher, and room or title.
private func changeKind(_ before: Timetable.Session, _ after: Timetable.Session) -> TimetableDiff.Kind {
    if before.day != after.day || before.block != after.block || before.length != after.length { return .moved }
    if Set(before.students) != Set(after.students) { return .regrouped }
    return before.staff != after.staff ? .restaffed : .reroomed
}

/// One changed session as an admin says it: when and what it was, then what became of it.
private func describe(_ change: TimetableDiff.SessionChange, _ look: Lookup) -> String {
    func staff(_ s: Timetable.Session) -> String? { s.staff.isEmpty ? nil : s.staff.map(look.teacher).joined(separator: ", ") }
    func parties(_ s: Timetable.Session) -> String {
        // A fixed session may hold a whole grade: a head count, not a roll call; a lesson, its classes.
        let group = if s.isLesson { (s.classes ?? []).map(look.schoolClass).joined(separator: ", ") }
            else if s.fixed { plural(s.students.count, "student") } else { s.students.map(look.student).joined(separator: ", ") }
        return ([staff(s), s.room.map(look.room)].compactMap { $0 } + [group]).joined(separator: ", ")
    }
    func activity(_ s: Timetable.Session) -> String { "\(look.slot(s)) \(activityLabel(s, part: nil))" }
    guard let before = change.before else { return "\(activity(change.after!)) (\(parties(change.after!))): new" }
    guard let after = change.after else { return "\(activity(before)) (\(parties(before))): cancelled" }
    var what: [String] = []
    if before.day != after.day || before.block != after.block {
        what.append("moved to \(look.slot(after))")
    } else if before.length != after.length {
        what.append("now \(look.slot(after))")
    }
    if !before.isFlex, before.title != after.title { what.append("now called \(after.title ?? "")") }
    if before.staff != after.staff { what.append("\(staff(before) ?? "no teacher") → \(staff(after) ?? "no teacher")") }
    if before.room != after.room { what.append("\(before.room.map(look.room) ?? "no room") → \(after.room.map(look.room) ?? "no room")") }
    if Set(before.students) != Set(after.students) {
        if !before.isFlex {
            let joined = after.students.filter { !before.students.contains($0) }.map(look.student)
            let left = before.students.filter { !after.students.contains($0) }.map(look.student)
            what += [joined.isEmpty ? nil : "joined: " + joined.joined(separator: ", "),
                     left.isEmpty ? nil : "left: " + left.joined(separator: ", ")].compactMap { $0 }
        } else {
            what.append("group \(before.students.map(look.student).joined(separator: ", ")) → \(after.students.map(look.student).joined(separator: ", "))")
        }
    }
    return "\(activity(before)): \(what.joined(separator: "; "))"
}

private func overlap(_ a: Timetable.Session, _ b: Timetable.Session) -> Int {
    Set(a.students).intersection(b.students).count
}
