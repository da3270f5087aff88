import ScenarioKit
import TimetableFormat

/// Keep this person's sessions exactly as in the baseline timetable.
public enum Pin: Sendable, Hashable, CustomStringConvertible {
    case teacher(String)
    case room(String)
    case student(String)

    /// Parses `teacher:ID`, `room:ID` or `student:ID`.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[1].isEmpty else { return nil }
        switch parts[0] {
        case "teacher": self = .teacher(parts[1])
        case "room": self = .room(parts[1])
        case "student": self = .student(parts[1])
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .teacher(let id): "teacher:\(id)"
        case .room(let id): "room:\(id)"
        case .student(let id): "student:\(id)"
        }
    }
}

/// The previous timetable in the indices of the (possibly changed) scenario: what a re-solve should
/// keep. Entries naming people or rooms that no longer exist are left out: they cannot be kept.
struct Baseline: Sendable {
    struct Assignment: Hashable, Sendable { var student: Int, activity: Int, slot: Int }
    struct Staffing: Hashable, Sendable { var activity: Int, slot: Int, resource: Int }
    struct Staff: Hashable, Sendable { var teacher: Int?, room: Int? }

    var sessions: [PlannedSession] = []
    /// Whether each of `sessions` involves a pinned person and so must stay exactly as it was.
    var pinned: [Bool] = []
    /// Each baseline seat, with the teacher and room it was with.
    var assignments: [Assignment: Staff] = [:]
    var teachers: Set<Staffing> = []
    var rooms: Set<Staffing> = []

    init() {}

    init(_ timetable: Timetable, instance: Instance, pins: [Pin]) throws(SolveFailure) {
        let scenario = instance.scenario
        func index<T>(_ list: [T], _ id: String?, _ key: (T) -> String) -> Int? {
            id.flatMap { id in list.firstIndex { key($0) == id } }
        }
        for pin in pins {
            let known: Bool
            switch pin {
            case .teacher(let id): known = index(scenario.teachers, id, \.id) != nil
            case .room(let id): known = index(scenario.rooms, id, \.id) != nil
            case .student(let id): known = index(scenario.students, id, \.id) != nil
            }
            if !known { throw SolveFailure(description: "cannot pin \(pin): no such \(pin.description.split(separator: ":")[0]) in the scenario", isInputProblem: true) }
        }
        for session in timetable.sessions where !session.fixed {
            let students = session.students.compactMap { index(scenario.students, $0, \.id) }
            guard let a = instance.activity(subject: session.subject, modality: session.modality, students: students),
                  let d = scenario.days.firstIndex(where: { $0.rawValue == session.day }),
                  let b = instance.blockOrder.firstIndex(where: { scenario.blocks[$0].id == session.block }),
                  instance.activities[a].canStart[d * instance.blocksPerDay + b]
            else { continue }
            let slot = d * instance.blocksPerDay + b
            let teacher = index(scenario.teachers, session.teacher, \.id)
            let room = index(scenario.rooms, session.room, \.id)
            let isPinned = pins.contains { pin in
                switch pin {
                case .teacher(let id): session.teacher == id
                case .room(let id): session.room == id
                case .student(let id): session.students.contains(id)
                }
            }
            for s in students { assignments[Assignment(student: s, activity: a, slot: slot)] = Staff(teacher: teacher, room: room) }
            if let teacher { teachers.insert(Staffing(activity: a, slot: slot, resource: teacher)) }
            if let room { rooms.insert(Staffing(activity: a, slot: slot, resource: room)) }
            if let room {
                sessions.append(PlannedSession(activity: a, slot: slot, teacher: teacher, room: room, students: students))
                pinned.append(isPinned)
            } else if isPinned {
                throw SolveFailure(description: "cannot keep the pinned \(session.subject) \(session.modality) session at \(session.day).\(session.block): its room \(session.room ?? "") is no longer in the scenario", isInputProblem: true)
            }
        }
    }
}

extension Plan {
    /// Puts back every baseline session the changed scenario still allows: pinned ones exactly (or
    /// an error saying why not), others with the students who can still come and, where the old
    /// teacher or room is gone or busy, another qualified teacher or fitting room in the same slot.
    mutating func adoptBaseline(_ baseline: Baseline) throws(SolveFailure) {
        // Pinned sessions first, then every session that still fits exactly, and only then the
        // others, so re-staffing one never takes the teacher or room another could have kept.
        for i in baseline.sessions.indices where baseline.pinned[i] {
            let old = baseline.sessions[i], act = instance.activities[old.activity]
            if let reason = whyNotExactly(old) {
                let slot = "\(instance.dayName(of: old.slot)).\(instance.blockId(of: old.slot))"
                throw SolveFailure(description: "the pinned \(act.subject) \(act.modality) session at \(slot) cannot be kept: \(reason)",
                                   isInputProblem: true)
            }
            var kept = old
            kept.pinned = true
            add(kept)
        }
        var rest: [PlannedSession] = []
        for i in baseline.sessions.indices where !baseline.pinned[i] {
            if whyNotExactly(baseline.sessions[i]) == nil { add(baseline.sessions[i]) } else { rest.append(baseline.sessions[i]) }
        }
        for old in rest {
            let a = old.activity, p = old.slot, act = instance.activities[a]
            var teacher = old.teacher
            if act.teacherLed {
                if teacher.map({ !act.qualifiedTeachers.contains($0) || !teacherFree($0, activity: a, slot: p) }) ?? true {
                    teacher = act.qualifiedTeachers.first { teacherFree($0, activity: a, slot: p) }
                }
                guard teacher != nil else { continue }
            } else {
                teacher = nil
            }
            let students = old.students.filter { canSeat($0, activity: a, slot: p) && mayJoin($0, activity: a, teacher: teacher) }
            let current = self
            func fits(_ r: Int) -> Bool {
                current.roomFree(r, activity: a, slot: p) && act.fittingRooms.contains(r)
                    && students.allSatisfy { current.instance.roomFits(r, activity: a, student: $0) }
            }
            guard let room = fits(old.room) ? old.room
                    : act.fittingRooms.filter(fits).max(by: { instance.seats($0, activity: a) < instance.seats($1, activity: a) })
            else { continue }
            let group = keepingApart(students, upTo: instance.seats(room, activity: a))
            guard group.count >= act.min else { continue }
            add(PlannedSession(activity: a, slot: p, teacher: teacher, room: room, students: group))
        }
    }

    private func whyNotExactly(_ session: PlannedSession) -> String? {
        let a = session.activity, p = session.slot, act = instance.activities[a], scenario = instance.scenario
        if let t = session.teacher {
            if !act.qualifiedTeachers.contains(t) { return "\(scenario.teachers[t].id) does not teach \(act.subject)" }
            if !teacherFree(t, activity: a, slot: p) { return "\(scenario.teachers[t].id) is not available then (or over a load limit)" }
        } else if act.teacherLed {
            return "its teacher is no longer in the scenario"
        }
        if !roomFree(session.room, activity: a, slot: p) { return "room \(scenario.rooms[session.room].id) is closed or taken then" }
        if !act.fittingRooms.contains(session.room) { return "room \(scenario.rooms[session.room].id) lacks the features it needs" }
        for s in session.students where !canSeat(s, activity: a, slot: p) || !instance.roomFits(session.room, activity: a, student: s)
            || !mayJoin(s, activity: a, teacher: session.teacher) {
            return "\(scenario.students[s].id) can no longer attend it (need, availability or accommodation changed)"
        }
        if session.students.count < act.min || session.students.count > instance.seats(session.room, activity: a) {
            return "its group size no longer fits"
        }
        return nil
    }
}
