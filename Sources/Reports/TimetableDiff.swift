import Foundation
import ScenarioKit
import TimetableFormat

/// What changed between two timetables, session by session and person by person, so an admin can
/// notify exactly the people affected. Works on ids only: it needs no solver and trusts no model.
public struct TimetableDiff: Codable, Sendable {
    public enum Kind: String, Codable, Sendable {
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
    }

    public var sessions: [SessionChange]
    public var people: [PersonChange]

    public func count(_ kind: Kind) -> Int { sessions.filter { $0.kind == kind }.count }

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
        // Same slot and activity with a different teacher, room or group; then the same activity and
        // group elsewhere in the week; what is left was cancelled or is new.
        var stillUnmatched: [Timetable.Session] = []
        for session in unmatched {
            let sameSlot = remaining.indices.filter {
                let s = remaining[$0]
                return s.day == session.day && s.block == session.block && s.subject == session.subject && s.modality == session.modality
            }
            if let i = sameSlot.max(by: { overlap(remaining[$0], session) < overlap(remaining[$1], session) }),
               overlap(remaining[i], session) > 0 {
                let other = remaining.remove(at: i)
                let kind: Kind = Set(other.students) != Set(session.students) ? .regrouped
                    : other.teacher != session.teacher ? .restaffed : .reroomed
                changes.append(SessionChange(kind: kind, before: session, after: other))
            } else {
                stillUnmatched.append(session)
            }
        }
        for session in stillUnmatched {
            let candidates = remaining.indices.filter {
                remaining[$0].subject == session.subject && remaining[$0].modality == session.modality
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
            "\(s.day).\(s.block) \(s.subject) \(s.modality), teacher \(s.teacher ?? "none"), room \(s.room)"
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
        for teacher in scenario.teachers { compare(role: "teacher", id: teacher.id, name: teacher.name) { $0.teacher == teacher.id } }
        for room in scenario.rooms { compare(role: "room", id: room.id, name: room.name) { $0.room == room.id } }
        return result
    }

    public func markdown(title: String) -> String {
        var out = "# \(title)\n\n"
        let kinds: [Kind] = [.kept, .moved, .restaffed, .reroomed, .regrouped, .cancelled, .new]
        out += kinds.map { "\($0.rawValue): \(count($0))" }.joined(separator: " · ") + "\n\n"
        out += "## People to notify (\(people.count))\n\n"
        for person in people {
            out += "### \(person.name) (\(person.role) \(person.id))\n\n"
            for line in person.before { out += "- no longer: \(line)\n" }
            for line in person.after { out += "- now: \(line)\n" }
            out += "\n"
        }
        return out
    }
}

private func overlap(_ a: Timetable.Session, _ b: Timetable.Session) -> Int {
    Set(a.students).intersection(b.students).count
}
