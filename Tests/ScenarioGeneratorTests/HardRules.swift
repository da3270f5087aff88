import ScenarioKit
import TimetableFormat

/// The hard rules a timetable must satisfy, restated here independently of the generator so a planted
/// timetable is checked by code that did not build it. `exact` also demands every need be met exactly.
/// A session fills `length` blocks; people and rooms are occupied, and limits counted, in each of them.
func hardRuleProblems(_ t: Timetable, _ s: Scenario, exact: Bool = true) -> [String] {
    var problems: [String] = []
    let teachers = Dictionary(uniqueKeysWithValues: s.teachers.map { ($0.id, $0) })
    let rooms = Dictionary(uniqueKeysWithValues: s.rooms.map { ($0.id, $0) })
    let students = Dictionary(uniqueKeysWithValues: s.students.map { ($0.id, $0) })
    let inTimeOrder = s.blocks.sorted { $0.start < $1.start }
    var apart = Set<[String]>()
    for st in s.students { for other in st.apart { apart.insert([st.id, other].sorted()) } }
    var teacherSlots = Set<String>(), roomSlots = Set<String>(), studentSlots = Set<String>()
    var lineDays = Set<String>(), fixedSeen = Set<String>()
    var attended: [String: Int] = [:], studentDay: [String: Int] = [:], teacherDay: [String: Int] = [:], teacherWeek: [String: Int] = [:]

    /// The blocks from `block` on, `length` of them adjacent in time; nil past the day's end or across a break.
    func run(_ block: String, _ length: Int) -> [String]? {
        guard let first = inTimeOrder.firstIndex(where: { $0.id == block }), length >= 1, first + length <= inTimeOrder.count,
              !inTimeOrder[(first + 1)..<(first + length)].contains(where: \.breakBefore) else { return nil }
        return inTimeOrder[first..<(first + length)].map(\.id)
    }
    /// Teacher, room and students occupied in every block of the run; limits count blocks.
    func occupy(_ at: String, _ day: Weekday, _ blocks: [String], staff: [String], room: Room?, attendees: [String]) {
        for b in blocks {
            let slot = "\(day.rawValue).\(b)"
            for id in staff {
                guard let teacher = teachers[id] else { problems.append("\(at): unknown teacher \(id)"); continue }
                if !isAvailable(teacher.unavailable, day: day, block: b) { problems.append("\(at): \(id) unavailable at \(slot)") }
                if !teacherSlots.insert("\(id)@\(slot)").inserted { problems.append("\(at): teacher \(id) double-booked at \(slot)") }
                teacherDay["\(id)@\(day.rawValue)", default: 0] += 1
                teacherWeek[id, default: 0] += 1
            }
            if let room {
                if !isAvailable(room.unavailable, day: day, block: b) { problems.append("\(at): room \(room.id) unavailable at \(slot)") }
                if !roomSlots.insert("\(room.id)@\(slot)").inserted { problems.append("\(at): room \(room.id) double-booked at \(slot)") }
            }
            for id in attendees {
                guard let st = students[id] else { problems.append("\(at): unknown student \(id)"); continue }
                if !isAvailable(st.unavailable, day: day, block: b) { problems.append("\(at): \(id) unavailable at \(slot)") }
                if !studentSlots.insert("\(id)@\(slot)").inserted { problems.append("\(at): \(id) double-booked at \(slot)") }
                studentDay["\(id)@\(day.rawValue)", default: 0] += 1
            }
        }
    }

    for (i, x) in t.sessions.enumerated() {
        let at = x.fixed ? "session \(i) (fixed \(x.id ?? "?"))" : "session \(i) (\(x.day).\(x.block) \(x.subject)/\(x.modality))"
        guard let day = Weekday(rawValue: x.day), s.days.contains(day) else { problems.append("\(at): unknown day"); continue }
        guard s.blocks.contains(where: { $0.id == x.block }) else { problems.append("\(at): unknown block"); continue }
        guard let blocks = run(x.block, x.length) else {
            problems.append("\(at): \(x.length) blocks from \(x.block) leave the day or span a break"); continue
        }
        if Set(x.students).count != x.students.count { problems.append("\(at): a student is listed twice") }
        if x.fixed {
            guard let f = s.fixed.first(where: { $0.id == x.id }) else { problems.append("\(at): no such fixed session"); continue }
            if !fixedSeen.insert(f.id).inserted { problems.append("\(at): appears twice") }
            let members = f.groups.flatMap { g in s.groups.first { $0.id == g }?.students ?? [] }
            if (f.day, f.block, f.length) != (day, x.block, x.length) || x.teachers ?? [] != f.teachers || x.room != f.room
                || Set(x.students) != Set(f.students + members) {
                problems.append("\(at): not as the scenario fixes it")
            }
            let room = x.room.flatMap { rooms[$0] }
            if x.room != nil, room == nil { problems.append("\(at): unknown room \(x.room!)") }
            occupy(at, day, blocks, staff: x.teachers ?? [], room: room, attendees: x.students)
            continue
        }
        guard let m = s.modality(x.modality) else { problems.append("\(at): unknown modality"); continue }
        if x.length != m.length { problems.append("\(at): length \(x.length), \(m.id) takes \(m.length)") }
        if !(m.min...m.max).contains(x.students.count) { problems.append("\(at): \(x.students.count) students outside \(m.min)...\(m.max)") }
        if m.teacher {
            if let id = x.teacher, let teacher = teachers[id] {
                if !teacher.subjects.contains(x.subject) { problems.append("\(at): \(id) does not teach \(x.subject)") }
            } else { problems.append("\(at): needs a known teacher, has \(x.teacher ?? "none")") }
        } else if x.teacher != nil { problems.append("\(at): \(x.modality) has no teacher") }
        guard let room = x.room.flatMap({ rooms[$0] }) else { problems.append("\(at): unknown room \(x.room ?? "none")"); continue }
        if x.students.count > room.capacity { problems.append("\(at): room \(room.id) holds \(room.capacity)") }
        if !m.roomFeatures.allSatisfy(room.features.contains) { problems.append("\(at): room \(room.id) lacks \(m.roomFeatures)") }
        occupy(at, day, blocks, staff: x.teacher.map { [$0] } ?? [], room: room, attendees: x.students)
        var levels: [Int] = []
        for id in x.students {
            guard let st = students[id] else { continue }
            if !st.requires.allSatisfy(room.features.contains) { problems.append("\(at): \(id) requires \(st.requires)") }
            guard let need = st.needs.first(where: { $0.subject == x.subject && $0.modality == x.modality }) else {
                problems.append("\(at): \(id) has no such need"); continue
            }
            if let wanted = need.teacher, x.teacher != wanted { problems.append("\(at): \(id) requested \(wanted), led by \(x.teacher ?? "nobody")") }
            if let level = need.level { levels.append(level) }
            for other in x.students where id < other && apart.contains([id, other]) { problems.append("\(at): \(id) and \(other) are kept apart") }
            let line = "\(id)|\(x.subject)|\(x.modality)"
            if !lineDays.insert("\(line)@\(x.day)").inserted { problems.append("\(at): \(id) has this need twice on \(x.day)") }
            attended[line, default: 0] += 1
        }
        if let spread = m.levelSpread, let lo = levels.min(), let hi = levels.max(), hi - lo > spread {
            problems.append("\(at): levels \(lo)...\(hi) differ by more than \(spread)")
        }
    }
    for f in s.fixed where !fixedSeen.contains(f.id) { problems.append("fixed session \(f.id) is missing") }
    for st in s.students {
        for n in st.needs {
            let got = attended["\(st.id)|\(n.subject)|\(n.modality)", default: 0]
            if got > n.sessions || (exact && got != n.sessions) { problems.append("\(st.id): \(n.subject)/\(n.modality) got \(got) of \(n.sessions)") }
        }
        for d in s.days { if let limit = st.maxPerDay, studentDay["\(st.id)@\(d.rawValue)", default: 0] > limit { problems.append("\(st.id): over max-per-day on \(d)") } }
    }
    for t in s.teachers {
        for d in s.days { if let limit = t.maxPerDay, teacherDay["\(t.id)@\(d.rawValue)", default: 0] > limit { problems.append("\(t.id): over max-per-day on \(d)") } }
        if let limit = t.maxPerWeek, teacherWeek[t.id, default: 0] > limit { problems.append("\(t.id): over max-per-week") }
    }
    return problems
}
