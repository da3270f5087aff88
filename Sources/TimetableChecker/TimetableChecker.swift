// Verifies a timetable against the hard rules R1-R6 using nothing but the scenario and the timetable,
// so a bug in the model builder cannot hide itself: this file deliberately shares no code with it.
import ScenarioKit
import TimetableFormat

public struct Violation: Sendable, Hashable, CustomStringConvertible {
    public enum Rule: String, Sendable, Hashable, CaseIterable {
        case r1 = "R1", r2 = "R2", r3 = "R3", r4 = "R4", r5 = "R5", r6 = "R6"

        /// What the rule family protects, in an admin's words.
        public var name: String {
            switch self {
            case .r1: "session names a day, block or id that does not exist"
            case .r2: "group size"
            case .r3: "teacher rules"
            case .r4: "room rules"
            case .r5: "student rules and unmet demand"
            case .r6: "student without that need"
            }
        }
    }

    public var rule: Rule
    /// Starts with a short problem name ("teacher double-booked: ...") followed by who, when and what.
    public var message: String

    public init(rule: Rule, message: String) { self.rule = rule; self.message = message }

    public var description: String { "\(rule.rawValue) \(message)" }
}

/// Every violation of the hard rules, in a stable order; an empty list means the timetable is valid.
/// Never traps, whatever the timetable contains: unknown ids are reported under R1 and otherwise skipped.
public func checkTimetable(_ timetable: Timetable, against scenario: Scenario) -> [Violation] {
    var found: [Violation] = []
    func report(_ rule: Violation.Rule, _ problem: String, _ detail: String) {
        found.append(Violation(rule: rule, message: "\(problem): \(detail)"))
    }
    let modalities = index(scenario.modalities, \.id), teachers = index(scenario.teachers, \.id)
    let rooms = index(scenario.rooms, \.id), students = index(scenario.students, \.id)
    let blockIds = Set(scenario.blocks.map(\.id))
    let subjects = Set(scenario.teachers.flatMap(\.subjects) + scenario.students.flatMap { $0.needs.map(\.subject) })
    let sessions = timetable.sessions

    var teacherSlot = Tally(), teacherDay = Tally(), teacherWeek = Tally(), roomSlot = Tally()
    var studentSlot = Tally(), studentDay = Tally(), studentNeedDay = Tally(), studentNeed = Tally()

    for (i, s) in sessions.enumerated() {
        let at = "\(s.day).\(s.block)"
        let what = "\(s.subject) \(s.modality) at \(at)"

        // R1: everything the session names must exist.
        let day = Weekday(rawValue: s.day).flatMap { scenario.days.contains($0) ? $0 : nil }
        if day == nil {
            report(.r1, "unknown day", "\(what) is on `\(s.day)`, not one of \(list(scenario.days.map(\.rawValue)))")
        }
        if !blockIds.contains(s.block) {
            report(.r1, "unknown block", "\(what) is in block `\(s.block)`, not one of \(list(scenario.blocks.map(\.id)))")
        }
        if !subjects.contains(s.subject) { report(.r1, "unknown subject", "\(what): no teacher or student has `\(s.subject)`") }
        let modality = modalities[s.modality]
        if modality == nil { report(.r1, "unknown modality", "\(what): `\(s.modality)` is not a modality") }
        let room = rooms[s.room]
        if room == nil { report(.r1, "unknown room", "\(what) is in `\(s.room)`, which is not a room") }
        if let t = s.teacher, teachers[t] == nil { report(.r1, "unknown teacher", "\(what) is led by `\(t)`, who is not a teacher") }
        for id in unique(s.students) where students[id] == nil {
            report(.r1, "unknown student", "\(what) lists `\(id)`, who is not a student")
        }

        // Availability can only be judged at a real slot; an unknown one is already reported above.
        func isFree(_ unavailable: [SlotRef]) -> Bool {
            guard let day, blockIds.contains(s.block) else { return true }
            return isAvailable(unavailable, day: day, block: s.block)
        }
        // Listing a student twice does not make the group bigger; it is reported under R5 instead.
        let attendees = unique(s.students)

        // R2: group size, judged by the modality and by the room.
        if let modality, attendees.count < modality.min || attendees.count > modality.max {
            let problem = attendees.count < modality.min ? "group too small" : "group too large"
            report(.r2, problem, "\(what) has \(attendees.count) student(s) (\(list(attendees))); \(s.modality) allows \(modality.min)-\(modality.max)")
        }
        if let room, attendees.count > room.capacity {
            report(.r2, "room over capacity", "\(room.id) seats \(room.capacity) but \(what) has \(attendees.count) students")
        }

        // R3: the teacher.
        if let modality, modality.teacher, s.teacher == nil {
            report(.r3, "teacher missing", "\(what) has no teacher, but \(s.modality) sessions are led by one")
        }
        if let modality, !modality.teacher, let t = s.teacher {
            report(.r3, "unexpected teacher", "\(what) names \(t), but \(s.modality) sessions have no teacher")
        }
        if let t = s.teacher, let teacher = teachers[t] {
            if !teacher.subjects.contains(s.subject) { report(.r3, "teacher does not teach subject", "\(t) does not teach \(s.subject) (\(what))") }
            if !isFree(teacher.unavailable) { report(.r3, "teacher unavailable", "\(t) is not available at \(at) (\(s.subject) \(s.modality))") }
            teacherSlot.add([t, at], i); teacherDay.add([t, s.day], i); teacherWeek.add([t], i)
        }

        // R4: the room.
        if let room {
            if !isFree(room.unavailable) { report(.r4, "room unavailable", "\(room.id) is not available at \(at) (\(s.subject) \(s.modality))") }
            for f in modality?.roomFeatures ?? [] where !room.features.contains(f) {
                report(.r4, "room lacks feature", "\(room.id) has no `\(f)`, which \(s.modality) needs (\(what))")
            }
            for id in attendees {
                for f in students[id]?.requires ?? [] where !room.features.contains(f) {
                    report(.r4, "room lacks feature", "\(room.id) has no `\(f)`, which \(id) requires (\(what))")
                }
            }
            roomSlot.add([room.id, at], i)
        }

        // R5 and R6: each student in the session.
        for id in attendees {
            let times = s.students.count { $0 == id }
            if times > 1 { report(.r5, "student listed twice", "\(id) appears \(times) times in \(what)") }
            guard let student = students[id] else { continue }
            if !isFree(student.unavailable) { report(.r5, "student unavailable", "\(id) is not available at \(at) (\(s.subject) \(s.modality))") }
            if !student.needs.contains(where: { $0.subject == s.subject && $0.modality == s.modality }) {
                report(.r6, "student without that need", "\(id) has no \(s.subject) \(s.modality) need but attends \(what)")
            }
            studentSlot.add([id, at], i); studentDay.add([id, s.day], i)
            studentNeedDay.add([id, s.subject, s.modality, s.day], i); studentNeed.add([id, s.subject, s.modality], i)
        }
    }

    func titles(_ idx: [Int]) -> String { list(idx.map { "\(sessions[$0].subject) \(sessions[$0].modality)" }) }
    for (k, idx) in teacherSlot.groups where idx.count > 1 {
        report(.r3, "teacher double-booked", "\(k[0]) has \(idx.count) sessions at \(k[1]) (\(titles(idx)))")
    }
    for (k, idx) in teacherDay.groups { if let max = teachers[k[0]]?.maxPerDay, idx.count > max {
        report(.r3, "teacher over daily limit", "\(k[0]) has \(idx.count) sessions on \(k[1]); max-per-day is \(max)")
    } }
    for (k, idx) in teacherWeek.groups { if let max = teachers[k[0]]?.maxPerWeek, idx.count > max {
        report(.r3, "teacher over weekly limit", "\(k[0]) has \(idx.count) sessions this week; max-per-week is \(max)")
    } }
    for (k, idx) in roomSlot.groups where idx.count > 1 {
        report(.r4, "room double-booked", "\(k[0]) hosts \(idx.count) sessions at \(k[1]) (\(titles(idx)))")
    }
    for (k, idx) in studentSlot.groups where idx.count > 1 {
        report(.r5, "student double-booked", "\(k[0]) has \(idx.count) sessions at \(k[1]) (\(titles(idx)))")
    }
    for (k, idx) in studentDay.groups { if let max = students[k[0]]?.maxPerDay, idx.count > max {
        report(.r5, "student over daily limit", "\(k[0]) has \(idx.count) sessions on \(k[1]); max-per-day is \(max)")
    } }
    for (k, idx) in studentNeedDay.groups where idx.count > 1 {
        let slots = list(idx.map { "\(sessions[$0].day).\(sessions[$0].block)" })
        report(.r5, "same need twice in a day", "\(k[0]) has \(idx.count) \(k[1]) \(k[2]) sessions on \(k[3]) (\(slots))")
    }

    // R5 demand balance: scheduled + reported unmet must equal what the learning plan asks for.
    var reported: [[String]: Int] = [:]
    for u in timetable.unmet {
        let who = "\(u.student) \(u.subject) \(u.modality)"
        if students[u.student]?.needs.contains(where: { $0.subject == u.subject && $0.modality == u.modality }) != true {
            report(.r5, "unmet entry for unknown need", "\(u.student) has no \(u.subject) \(u.modality) need, yet it is reported unmet")
        }
        if u.missing < 1 { report(.r5, "unmet entry without missing sessions", "\(who) reports missing \(u.missing); it must be at least 1") }
        // Clamped so absurd `missing` values cannot overflow the sum.
        let key = [u.student, u.subject, u.modality]
        reported[key] = min(Int(Int32.max), reported[key, default: 0] + min(Int(Int32.max), max(0, u.missing)))
    }
    for student in scenario.students {
        for need in student.needs {
            let scheduled = studentNeed.count([student.id, need.subject, need.modality])
            let unmet = reported[[student.id, need.subject, need.modality]] ?? 0
            let detail = "\(student.id) needs \(need.sessions) \(need.subject) \(need.modality) session(s)"
            if scheduled > need.sessions {
                report(.r5, "too many sessions", "\(detail) but has \(scheduled) scheduled")
            } else if scheduled + unmet != need.sessions {
                report(.r5, "unmet \(need.modality) demand misreported",
                       "\(detail), has \(scheduled) scheduled and \(unmet) reported unmet (should be \(need.sessions - scheduled))")
            }
        }
    }
    return found
}

/// Session indices grouped by a key such as [teacher, slot]; groups come out in a stable order.
private struct Tally {
    private var entries: [[String]: [Int]] = [:]
    mutating func add(_ key: [String], _ session: Int) { entries[key, default: []].append(session) }
    func count(_ key: [String]) -> Int { entries[key]?.count ?? 0 }
    var groups: [(key: [String], sessions: [Int])] {
        entries.map { ($0.key, $0.value) }.sorted { $0.key.lexicographicallyPrecedes($1.key) }
    }
}

/// The first entity with each id; duplicate ids are the scenario validator's concern, not a reason to trap.
private func index<T>(_ items: [T], _ id: (T) -> String) -> [String: T] {
    Dictionary(items.map { (id($0), $0) }, uniquingKeysWith: { first, _ in first })
}

private func unique(_ ids: [String]) -> [String] {
    var seen = Set<String>()
    return ids.filter { seen.insert($0).inserted }
}

private func list(_ items: [String]) -> String { items.isEmpty ? "none" : items.joined(separator: ", ") }
