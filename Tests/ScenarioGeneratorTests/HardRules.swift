import ScenarioKit
import TimetableFormat

/// The hard rules a timetable must satisfy, restated here independently of the generator so a planted
/// timetable is checked by code that did not build it. `exact` also demands every need be met exactly.
func hardRuleProblems(_ t: Timetable, _ s: Scenario, exact: Bool = true) -> [String] {
    var problems: [String] = []
    let teachers = Dictionary(uniqueKeysWithValues: s.teachers.map { ($0.id, $0) })
    let rooms = Dictionary(uniqueKeysWithValues: s.rooms.map { ($0.id, $0) })
    let students = Dictionary(uniqueKeysWithValues: s.students.map { ($0.id, $0) })
    var teacherSlots = Set<String>(), roomSlots = Set<String>(), studentSlots = Set<String>()
    var lineDays = Set<String>()
    var attended: [String: Int] = [:], studentDay: [String: Int] = [:], teacherDay: [String: Int] = [:], teacherWeek: [String: Int] = [:]

    for (i, x) in t.sessions.enumerated() {
        let at = "session \(i) (\(x.day).\(x.block) \(x.subject)/\(x.modality))"
        guard let day = Weekday(rawValue: x.day), s.days.contains(day) else { problems.append("\(at): unknown day"); continue }
        guard s.blocks.contains(where: { $0.id == x.block }) else { problems.append("\(at): unknown block"); continue }
        guard let m = s.modality(x.modality) else { problems.append("\(at): unknown modality"); continue }
        let slot = "\(x.day).\(x.block)"
        if !(m.min...m.max).contains(x.students.count) { problems.append("\(at): \(x.students.count) students outside \(m.min)...\(m.max)") }
        if Set(x.students).count != x.students.count { problems.append("\(at): a student is listed twice") }
        if m.teacher {
            if let id = x.teacher, let teacher = teachers[id] {
                if !teacher.subjects.contains(x.subject) { problems.append("\(at): \(id) does not teach \(x.subject)") }
                if !isAvailable(teacher.unavailable, day: day, block: x.block) { problems.append("\(at): \(id) unavailable") }
                if !teacherSlots.insert("\(id)@\(slot)").inserted { problems.append("\(at): teacher \(id) double-booked") }
                teacherDay["\(id)@\(x.day)", default: 0] += 1
                teacherWeek[id, default: 0] += 1
            } else { problems.append("\(at): needs a known teacher, has \(x.teacher ?? "none")") }
        } else if x.teacher != nil { problems.append("\(at): \(x.modality) has no teacher") }
        guard let room = x.room.flatMap({ rooms[$0] }) else { problems.append("\(at): unknown room \(x.room ?? "none")"); continue }
        if !isAvailable(room.unavailable, day: day, block: x.block) { problems.append("\(at): room \(room.id) unavailable") }
        if !roomSlots.insert("\(room.id)@\(slot)").inserted { problems.append("\(at): room \(room.id) double-booked") }
        if x.students.count > room.capacity { problems.append("\(at): room \(room.id) holds \(room.capacity)") }
        if !m.roomFeatures.allSatisfy(room.features.contains) { problems.append("\(at): room \(room.id) lacks \(m.roomFeatures)") }
        for id in x.students {
            guard let st = students[id] else { problems.append("\(at): unknown student \(id)"); continue }
            if !isAvailable(st.unavailable, day: day, block: x.block) { problems.append("\(at): \(id) unavailable") }
            if !st.requires.allSatisfy(room.features.contains) { problems.append("\(at): \(id) requires \(st.requires)") }
            if !studentSlots.insert("\(id)@\(slot)").inserted { problems.append("\(at): \(id) double-booked") }
            if !st.needs.contains(where: { $0.subject == x.subject && $0.modality == x.modality }) {
                problems.append("\(at): \(id) has no such need")
            }
            let line = "\(id)|\(x.subject)|\(x.modality)"
            if !lineDays.insert("\(line)@\(x.day)").inserted { problems.append("\(at): \(id) has this need twice on \(x.day)") }
            attended[line, default: 0] += 1
            studentDay["\(id)@\(x.day)", default: 0] += 1
        }
    }
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
