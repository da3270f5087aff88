import ScenarioKit
import TimetableFormat
import WeekIndex

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
    /// The baseline's class lessons that the changed scenario still has, at a start it still has.
    var lessons: [PlacedLesson] = []
    /// The same, by person or room and day: the changed-* terms' shares ask for these.
    private var seatsByDay: [DayKey: [(seat: Assignment, staff: Staff)]] = [:]
    private var teachersByDay: [DayKey: [Staffing]] = [:]
    private var roomsByDay: [DayKey: [Staffing]] = [:]
    private struct DayKey: Hashable { var who: Int, day: Int }

    init() {}

    func seats(student s: Int, day d: Int) -> [(seat: Assignment, staff: Staff)] { seatsByDay[DayKey(who: s, day: d)] ?? [] }
    func staffing(teacher t: Int, day d: Int) -> [Staffing] { teachersByDay[DayKey(who: t, day: d)] ?? [] }
    func staffing(room r: Int, day d: Int) -> [Staffing] { roomsByDay[DayKey(who: r, day: d)] ?? [] }

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
        let slotIndex = firstIndices((0..<instance.slotCount).map { instance.dayName(of: $0) + "." + instance.blockId(of: $0) })
        for session in timetable.sessions where session.isLesson {
            guard let l = index(scenario.lessons, session.lesson, \.id), let p = slotIndex[session.day + "." + session.block] else { continue }
            lessons.append(PlacedLesson(lesson: l, slot: p, room: index(scenario.rooms, session.room, \.id)))
        }
        for session in timetable.sessions where session.isFlex {
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
        for (seat, staff) in assignments { seatsByDay[DayKey(who: seat.student, day: instance.day(of: seat.slot)), default: []].append((seat, staff)) }
        for staffing in teachers { teachersByDay[DayKey(who: staffing.resource, day: instance.day(of: staffing.slot)), default: []].append(staffing) }
        for staffing in rooms { roomsByDay[DayKey(who: staffing.resource, day: instance.day(of: staffing.slot)), default: []].append(staffing) }
    }
}

extension Plan {
    /// Puts back every baseline session the changed scenario still allows: pinned ones exactly (or
    /// an error naming the rule that forbids it), others with the students who can still come and,
    /// where the old teacher or room is gone or busy, another qualified teacher or fitting room in the
    /// same slot. Every session is asked of the whole catalogue (`violation`) before it is added, so no
    /// rule can be missed here.
    mutating func adoptBaseline(_ baseline: Baseline) throws(SolveFailure) {
        // Lessons before flex sessions, pinned ones first: they are the frame the rest fits into.
        // A pinned lesson keeps its baseline room where it can; then every lesson that still fits
        // exactly, and only then the others in another room, so re-rooming one never takes the
        // room another could have kept (as for flex sessions below).
        try placePinnedLessons(rooms: Dictionary(baseline.lessons.map { ([$0.lesson, $0.slot], $0.room) }, uniquingKeysWith: { a, _ in a }))
        var moved: [PlacedLesson] = []
        for old in baseline.lessons where lessonMayStart(old.lesson, at: old.slot) {
            if !instance.lessons[old.lesson].needsRoom || old.room.map({ freeRooms(lesson: old.lesson, at: old.slot).contains($0) }) == true {
                placeLesson(PlacedLesson(lesson: old.lesson, slot: old.slot, room: old.room))
            } else {
                moved.append(old)
            }
        }
        for old in moved where lessonMayStart(old.lesson, at: old.slot) {
            if let room = roomForLesson(old.lesson, at: old.slot) { placeLesson(PlacedLesson(lesson: old.lesson, slot: old.slot, room: room)) }
        }
        // Pinned sessions first, then every session that still fits exactly, and only then the
        // others, so re-staffing one never takes the teacher or room another could have kept.
        for i in baseline.sessions.indices where baseline.pinned[i] {
            let old = baseline.sessions[i], act = instance.activities[old.activity]
            if let (rule, who) = violation(of: old) {
                let slot = "\(instance.dayName(of: old.slot)).\(instance.blockId(of: old.slot))"
                throw SolveFailure(description: "the pinned \(act.subject) \(act.modality) session at \(slot) cannot be kept: \(rule.id) \(rule.name) (\(who))",
                                   isInputProblem: true)
            }
            var kept = old
            kept.pinned = true
            add(kept)
        }
        var rest: [PlannedSession] = []
        for i in baseline.sessions.indices where !baseline.pinned[i] {
            if violation(of: baseline.sessions[i]) == nil { add(baseline.sessions[i]) } else { rest.append(baseline.sessions[i]) }
        }
        for old in rest {
            if let session = replanned(old), violation(of: session) == nil { add(session) }
        }
    }

    /// What is left of a baseline session that cannot be kept exactly: the same slot, its teacher
    /// or another qualified one who is free, its room or the largest free one that suits everyone who
    /// can still come, and those students, each while the group may still have her. Nil when no
    /// session of the minimum size is left.
    private func replanned(_ old: PlannedSession) -> PlannedSession? {
        let a = old.activity, p = old.slot, act = instance.activities[a]
        var teacher = old.teacher
        if act.teacherLed {
            if teacher.map({ !act.qualifiedTeachers.contains($0) || !teacherFree($0, activity: a, slot: p) }) ?? true {
                teacher = act.qualifiedTeachers.first { teacherFree($0, activity: a, slot: p) }
            }
            guard teacher != nil else { return nil }
        } else {
            teacher = nil
        }
        let staffed = Seating(activity: a, slot: p, teacher: teacher, room: nil, others: [])
        let students = old.students.filter { canSeat($0, activity: a, slot: p) && mayJoin($0, staffed) }
        func fits(_ r: Int) -> Bool {
            roomFree(r, activity: a, slot: p) && act.fittingRooms.contains(r) && students.allSatisfy { mayJoin($0, staffed.inRoom(r)) }
        }
        guard let room = fits(old.room) ? old.room
                : act.fittingRooms.filter(fits).max(by: { instance.seats($0, activity: a) < instance.seats($1, activity: a) })
        else { return nil }
        let group = admitting(students, to: staffed.inRoom(room), upTo: instance.seats(room, activity: a))
        guard group.count >= act.min else { return nil }
        return PlannedSession(activity: a, slot: p, teacher: teacher, room: room, students: group)
    }
}
