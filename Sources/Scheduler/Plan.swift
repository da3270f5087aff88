/// One session as the search holds it: indices into the `Instance`.
struct PlannedSession: Sendable, Hashable {
    var activity: Int
    var slot: Int
    var teacher: Int?
    var room: Int
    var students: [Int]
    /// Kept exactly as in the baseline (a pinned person attends): never re-planned.
    var pinned = false
}

/// Weights of the objective (lower is better). Unmet sessions dominate every quality term, so no
/// amount of comfort ever costs a student a session.
public struct ObjectiveWeights: Sendable, Hashable {
    /// Per needed session that is not scheduled.
    public var unmetSession = 1000.0
    /// Per block a student waits between two of her sessions on the same day.
    public var studentIdleBlock = 3.0
    /// Per block a teacher waits between two of his sessions on the same day.
    public var teacherIdleBlock = 2.0
    /// Per student attending a session in the day's last block.
    public var lateBlock = 1.0
    /// Per pair of consecutive scenario days on which a student has sessions of the same need.
    public var sameNeedNextDay = 2.0
    /// Re-solves against a baseline: per student no longer at a session she had (same subject,
    /// modality, day and block). Below an unmet session, above every comfort term.
    public var changedAssignment = 50.0
    /// Per baseline session whose teacher changed.
    public var changedTeacher = 10.0
    /// Per baseline session whose room changed.
    public var changedRoom = 4.0
    public init() {}
}

/// The objective split into its named terms, as reported in the timetable's stats.
struct ObjectiveTerms: Sendable {
    var unmetSessions = 0
    var studentIdleBlocks = 0
    var teacherIdleBlocks = 0
    var lateAttendances = 0
    var sameNeedNextDays = 0
    var changedAssignments = 0
    var changedTeachers = 0
    var changedRooms = 0

    func total(_ w: ObjectiveWeights) -> Double {
        w.unmetSession * Double(unmetSessions) + w.studentIdleBlock * Double(studentIdleBlocks)
            + w.teacherIdleBlock * Double(teacherIdleBlocks) + w.lateBlock * Double(lateAttendances)
            + w.sameNeedNextDay * Double(sameNeedNextDays) + w.changedAssignment * Double(changedAssignments)
            + w.changedTeacher * Double(changedTeachers) + w.changedRoom * Double(changedRooms)
    }

    var named: [String: Double] {
        ["unmet sessions": Double(unmetSessions), "student idle blocks": Double(studentIdleBlocks),
         "teacher idle blocks": Double(teacherIdleBlocks), "late-block attendances": Double(lateAttendances),
         "same need on consecutive days": Double(sameNeedNextDays), "changed student assignments": Double(changedAssignments),
         "changed teachers": Double(changedTeachers), "changed rooms": Double(changedRooms)]
    }
}

/// A partial timetable with occupancy tables kept in step, so feasibility questions are O(1).
/// It enforces nothing by itself: callers ask `canSeat`/`teacherFree`/`roomFree` first, and the
/// independent checker has the last word on every result.
struct Plan: Sendable {
    let instance: Instance
    let baseline: Baseline
    /// Indexed by session id; removed sessions leave a nil so ids stay stable (and iteration order
    /// deterministic, unlike a dictionary's).
    private(set) var sessions: [PlannedSession?] = []
    private(set) var studentAt: [[Int]]
    private(set) var teacherAt: [[Int]]
    private(set) var roomAt: [[Int]]
    /// Sessions scheduled per (student, need).
    private(set) var done: [[Int]]
    /// Bit `d` set when (student, need) has a session on day `d`.
    private(set) var needDays: [[UInt64]]
    private(set) var studentDayLoad: [[Int]]
    private(set) var teacherDayLoad: [[Int]]
    private(set) var teacherWeekLoad: [Int]
    /// Need index of (student, activity), or nil.
    let needIndex: [[Int: Int]]

    init(_ instance: Instance, baseline: Baseline = Baseline()) {
        self.instance = instance
        self.baseline = baseline
        let p = instance.slotCount, d = instance.dayCount
        studentAt = Array(repeating: Array(repeating: -1, count: p), count: instance.students.count)
        teacherAt = Array(repeating: Array(repeating: -1, count: p), count: instance.teachers.count)
        roomAt = Array(repeating: Array(repeating: -1, count: p), count: instance.rooms.count)
        done = instance.students.map { Array(repeating: 0, count: $0.needs.count) }
        needDays = instance.students.map { Array(repeating: 0, count: $0.needs.count) }
        studentDayLoad = Array(repeating: Array(repeating: 0, count: d), count: instance.students.count)
        teacherDayLoad = Array(repeating: Array(repeating: 0, count: d), count: instance.teachers.count)
        teacherWeekLoad = Array(repeating: 0, count: instance.teachers.count)
        needIndex = instance.students.map { info in
            Dictionary(info.needs.enumerated().map { ($1.activity, $0) }, uniquingKeysWith: { a, _ in a })
        }
    }

    var activeSessions: [(id: Int, session: PlannedSession)] {
        sessions.enumerated().compactMap { id, session in session.map { (id, $0) } }
    }

    // MARK: questions

    func remaining(student s: Int, activity a: Int) -> Int {
        guard let n = needIndex[s][a] else { return 0 }
        return instance.students[s].needs[n].sessions - done[s][n]
    }

    /// Whether student `s` could join a session of activity `a` at slot `p`.
    func canSeat(_ s: Int, activity a: Int, slot p: Int) -> Bool {
        guard let n = needIndex[s][a] else { return false }
        let info = instance.students[s], d = instance.day(of: p)
        return info.available[p] && studentAt[s][p] < 0 && done[s][n] < info.needs[n].sessions
            && needDays[s][n] & (1 << UInt64(d)) == 0 && studentDayLoad[s][d] < info.maxPerDay
    }

    func teacherFree(_ t: Int, slot p: Int) -> Bool {
        let info = instance.teachers[t], d = instance.day(of: p)
        return info.available[p] && teacherAt[t][p] < 0 && teacherDayLoad[t][d] < info.maxPerDay
            && teacherWeekLoad[t] < info.maxPerWeek
    }

    func roomFree(_ r: Int, slot p: Int) -> Bool { instance.rooms[r].available[p] && roomAt[r][p] < 0 }

    // MARK: changes

    @discardableResult
    mutating func add(_ session: PlannedSession) -> Int {
        let id = sessions.count
        sessions.append(session)
        apply(session, id: id, sign: 1)
        return id
    }

    mutating func remove(_ id: Int) {
        guard let session = sessions[id] else { return }
        sessions[id] = nil
        apply(session, id: -1, sign: -1)
    }

    private mutating func apply(_ session: PlannedSession, id: Int, sign: Int) {
        let p = session.slot, d = instance.day(of: p), a = session.activity
        for s in session.students {
            studentAt[s][p] = id
            studentDayLoad[s][d] += sign
            if let n = needIndex[s][a] {
                done[s][n] += sign
                needDays[s][n] ^= 1 << UInt64(d)
            }
        }
        if let t = session.teacher {
            teacherAt[t][p] = id
            teacherDayLoad[t][d] += sign
            teacherWeekLoad[t] += sign
        }
        roomAt[session.room][p] = id
    }

    // MARK: objective

    func idleBlocks(_ row: [Int], day d: Int) -> Int {
        let slots = instance.slots(ofDay: d)
        let busy = slots.filter { row[$0] >= 0 }
        guard let first = busy.first, let last = busy.last else { return 0 }
        return (last - first + 1) - busy.count
    }

    private func hosts(_ id: Int, activity a: Int) -> Bool { id >= 0 && sessions[id]?.activity == a }

    func studentIdle(_ s: Int, day d: Int) -> Int { idleBlocks(studentAt[s], day: d) }
    func teacherIdle(_ t: Int, day d: Int) -> Int { idleBlocks(teacherAt[t], day: d) }

    var terms: ObjectiveTerms {
        var terms = ObjectiveTerms()
        for (s, info) in instance.students.enumerated() {
            for (n, need) in info.needs.enumerated() {
                terms.unmetSessions += need.sessions - done[s][n]
                let days = needDays[s][n]
                terms.sameNeedNextDays += (days & (days >> 1) & instance.nextDayMask).nonzeroBitCount
            }
            for d in 0..<instance.dayCount { terms.studentIdleBlocks += studentIdle(s, day: d) }
        }
        for t in instance.teachers.indices {
            for d in 0..<instance.dayCount { terms.teacherIdleBlocks += teacherIdle(t, day: d) }
        }
        let lastBlock = instance.blocksPerDay - 1
        for case let session? in sessions where instance.block(of: session.slot) == lastBlock {
            terms.lateAttendances += session.students.count
        }
        // A seat is kept only with the same teacher and room: a student moved to a parallel group is told.
        terms.changedAssignments = baseline.assignments.filter { seat, staff in
            let id = studentAt[seat.student][seat.slot]
            guard id >= 0, let session = sessions[id] else { return true }
            return session.activity != seat.activity || session.teacher != staff.teacher || session.room != staff.room
        }.count
        terms.changedTeachers = baseline.teachers.filter { !hosts(teacherAt[$0.resource][$0.slot], activity: $0.activity) }.count
        terms.changedRooms = baseline.rooms.filter { !hosts(roomAt[$0.resource][$0.slot], activity: $0.activity) }.count
        return terms
    }
}
