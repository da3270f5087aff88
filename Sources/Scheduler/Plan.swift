import TimetableFormat
import WeekIndex

/// One session as the search holds it: indices into the `Instance`.
package struct PlannedSession: Sendable, Hashable {
    package var activity: Int
    package var slot: Int
    package var teacher: Int?
    package var room: Int
    package var students: [Int]
    /// Kept exactly as in the baseline (a pinned person attends): never re-planned.
    package var pinned = false
}

/// One placed class lesson: which lesson, where it starts, and its room (nil for `needs-room: false`).
package struct PlacedLesson: Sendable, Hashable {
    package var lesson: Int
    package var slot: Int
    package var room: Int?
    /// An `at` of the scenario: never moved.
    package var pinned = false
}

/// A student's need for each activity she may join: a handful of pairs, searched in order. It is
/// asked for every seat the search considers, and this is several times faster than hashing.
package struct NeedLookup: Sendable {
    /// With the teacher the need asks for, if any: construction asks that for every student of
    /// every group it tries, and reading it through the student's needs cost a third of its time.
    let pairs: [(activity: Int, need: Int, requested: Int?)]

    package subscript(activity: Int) -> Int? {
        for pair in pairs where pair.activity == activity { return pair.need }
        return nil
    }

    func requested(activity: Int) -> Int? {
        for pair in pairs where pair.activity == activity { return pair.requested }
        return nil
    }
}

/// What a sub-problem must leave unused of the week's shared limits (teachers' `max-per-week`, a
/// need's sessions) because another sub-problem, on other days, may use it at the same time: each
/// gets its own share of the slack, so both results always fit together. Empty: nothing held.
struct HeldCapacity: Sendable {
    /// Per teacher, in blocks.
    var teacherBlocks: [Int] = []
    /// Per (student, need), in sessions.
    var needSessions: [[Int]] = []
    /// Per teacher, in days she does not teach yet (her `max-days`).
    var teacherDays: [Int] = []
}

/// A partial timetable with occupancy tables kept in step, so feasibility questions are O(1).
/// It enforces nothing by itself: callers ask `canSeat`/`teacherFree`/`roomFree` first, and the
/// independent checker has the last word on every result.
package struct Plan: Sendable {
    package let instance: Instance
    let baseline: Baseline
    /// Indexed by session id; removed sessions leave a nil so ids stay stable (and iteration order
    /// deterministic, unlike a dictionary's).
    package private(set) var sessions: [PlannedSession?] = []
    /// Per person or room and slot: `Plan.free`, `Plan.fixedSession`, or the id of the session there.
    package private(set) var studentAt: [[Int]]
    package private(set) var teacherAt: [[Int]]
    package private(set) var roomAt: [[Int]]
    /// Sessions scheduled per (student, need).
    package private(set) var done: [[Int]]
    /// Bit `d` set when (student, need) has a session on day `d`.
    package private(set) var needDays: [[UInt64]]
    package private(set) var studentDayLoad: [[Int]]
    package private(set) var teacherDayLoad: [[Int]]
    package private(set) var teacherWeekLoad: [Int]
    /// Need index of (student, activity), or nil.
    package let needIndex: [NeedLookup]
    /// Weekly capacity this plan must leave to sub-problems solved at the same time on other days.
    var held = HeldCapacity()
    /// Placed class lessons by id (nil once removed), and each lesson's placement ids.
    package private(set) var lessonPlacements: [PlacedLesson?] = []
    package private(set) var placementsOf: [[Int]]
    /// Ids of removed placements, taken again before the array grows: ejection chains place and
    /// remove lessons hundreds of thousands of times, and an ever-growing array made every trial
    /// copy of the plan copy all of it (38 % of a dense FET school's solve was that copy).
    private var freeLessonIds: [Int] = []
    /// Per class without parts and slot: `Plan.free` or the mark of the lesson there.
    package private(set) var classAt: [[Int]]

    package static let free = -1
    /// Taken by one of the scenario's fixed sessions, which the search never moves.
    package static let fixedSession = -2
    /// Rows hold `lessonMark(id)` where placed lesson `id` is: below every other value, so every
    /// test for a free slot (`== free`) or a flex session (`>= 0`) reads a lesson as busy.
    package static func lessonMark(_ id: Int) -> Int { -3 - id }
    package static func placement(ofMark mark: Int) -> Int? { mark <= -3 ? -3 - mark : nil }

    package init(_ instance: Instance) { self.init(instance, baseline: Baseline()) }

    /// A finished timetable read back into indices, to ask what is still free around it. Sessions
    /// naming anything the scenario does not have are left out (the checker reports them).
    package init(rebuilding timetable: Timetable, _ instance: Instance) {
        self.init(instance)
        let scenario = instance.scenario
        let teacherIndex = firstIndices(scenario.teachers.map(\.id)), roomIndex = firstIndices(scenario.rooms.map(\.id))
        let studentIndex = firstIndices(scenario.students.map(\.id))
        let slotIndex = firstIndices((0..<instance.slotCount).map { instance.dayName(of: $0) + "." + instance.blockId(of: $0) })
        let lessonIndex = firstIndices(scenario.lessons.map(\.id))
        for session in timetable.sessions where session.isLesson {
            guard let l = session.lesson.flatMap({ lessonIndex[$0] }), let p = slotIndex[session.day + "." + session.block] else { continue }
            placeLesson(PlacedLesson(lesson: l, slot: p, room: session.room.flatMap { roomIndex[$0] }))
        }
        for session in timetable.sessions where session.isFlex {
            let students = session.students.compactMap { studentIndex[$0] }
            guard let a = instance.activity(subject: session.subject, modality: session.modality, students: students),
                  let p = slotIndex[session.day + "." + session.block], let r = session.room.flatMap({ roomIndex[$0] }),
                  instance.activities[a].canStart[p] else { continue }
            add(PlannedSession(activity: a, slot: p, teacher: session.teacher.flatMap { teacherIndex[$0] }, room: r, students: students))
        }
    }

    init(_ instance: Instance, baseline: Baseline) {
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
        placementsOf = Array(repeating: [], count: instance.lessons.count)
        classAt = Array(repeating: Array(repeating: -1, count: p), count: instance.leafClasses.count)
        needIndex = instance.students.map { info in
            NeedLookup(pairs: info.needs.enumerated().flatMap { n, need in
                need.activities.map { (activity: $0, need: n, requested: need.requested) }
            })
        }
        for fixed in instance.fixed {
            for p in fixed.slots {
                let d = instance.day(of: p)
                for s in fixed.students {
                    studentAt[s][p] = Plan.fixedSession
                    studentDayLoad[s][d] += 1
                }
                for t in fixed.teachers {
                    teacherAt[t][p] = Plan.fixedSession
                    teacherDayLoad[t][d] += 1
                    teacherWeekLoad[t] += 1
                }
                if let r = fixed.room { roomAt[r][p] = Plan.fixedSession }
            }
        }
    }

    package var activeSessions: [(id: Int, session: PlannedSession)] {
        sessions.enumerated().compactMap { id, session in session.map { (id, $0) } }
    }

    // MARK: questions

    package func remaining(student s: Int, activity a: Int) -> Int {
        guard let n = needIndex[s][a] else { return 0 }
        return instance.students[s].needs[n].sessions - done[s][n]
    }

    /// Sessions of `a`'s need that a sub-problem may still add: what is missing, less what is held
    /// for concurrent sub-problems.
    func openSessions(student s: Int, activity a: Int) -> Int {
        let missing = remaining(student: s, activity: a)
        guard !held.needSessions.isEmpty, let n = needIndex[s][a] else { return missing }
        return missing - held.needSessions[s][n]
    }

    /// Blocks teacher `t` may still take on this week, less what is held for concurrent sub-problems.
    func openWeeklyBlocks(teacher t: Int) -> Int {
        instance.teachers[t].maxPerWeek - teacherWeekLoad[t] - (held.teacherBlocks.isEmpty ? 0 : held.teacherBlocks[t])
    }

    /// Days teacher `t` may still start teaching on, less what is held for concurrent sub-problems.
    func openTeachingDays(teacher t: Int) -> Int {
        instance.teachers[t].maxDays - teacherDayLoad[t].count { $0 > 0 } - (held.teacherDays.isEmpty ? 0 : held.teacherDays[t])
    }

    /// Whether teacher `t` may teach on day `d` as far as her `max-days` goes: she already does, or
    /// another day is open to her.
    func teacherMayTeach(_ t: Int, onDay d: Int) -> Bool {
        instance.teachers[t].maxDays >= instance.dayCount || teacherDayLoad[t][d] > 0 || openTeachingDays(teacher: t) > 0
    }

    /// Whether a lesson of `l` from `p` keeps every `ends-day` lesson last: it has none of its
    /// classes' lessons after it that day if it ends the day itself, and no lesson of theirs that
    /// ends the day comes before it.
    func keepsDayEnds(_ l: Int, from p: Int) -> Bool {
        guard instance.anyLessonEndsDay else { return true }
        let info = instance.lessons[l], day = instance.slots(ofDay: instance.day(of: p)), end = p + info.length
        for leaf in info.leaves {
            let row = classAt[leaf]
            if info.endsDay, (end..<day.upperBound).contains(where: { row[$0] != Plan.free }) { return false }
            for q in day.lowerBound..<p {
                if let id = Plan.placement(ofMark: row[q]), let earlier = lessonPlacements[id], instance.lessons[earlier.lesson].endsDay { return false }
            }
        }
        return true
    }

    /// Blocks of lessons class leaf `leaf` has on day `d`.
    func classDayLoad(_ leaf: Int, day d: Int) -> Int { instance.slots(ofDay: d).count { classAt[leaf][$0] != Plan.free } }

    /// Whether teacher `t` may fill `covered` (one day's run) as far as her `max-in-a-row` goes: the
    /// blocks she would teach in a row through it, to a free block, a break or the day's end.
    func teacherRunFits(_ t: Int, _ covered: Range<Int>) -> Bool {
        let limit = instance.teachers[t].maxInARow
        guard limit < instance.blocksPerDay else { return true }
        let row = teacherAt[t]
        var first = covered.lowerBound, last = covered.upperBound - 1
        while instance.block(of: first) > 0, !instance.breakBefore[instance.block(of: first)], row[first - 1] != Plan.free { first -= 1 }
        while instance.block(of: last) < instance.blocksPerDay - 1, !instance.breakBefore[instance.block(of: last) + 1], row[last + 1] != Plan.free {
            last += 1
        }
        return last - first + 1 <= limit
    }

    /// Whether every slot a session of `a` from `p` fills is free in `row`.
    package func isFree(_ row: [Int], activity a: Int, from p: Int) -> Bool {
        instance.covered(a, from: p).allSatisfy { row[$0] == Plan.free }
    }

    // MARK: changes

    @discardableResult
    package mutating func add(_ session: PlannedSession) -> Int {
        let id = sessions.count
        sessions.append(session)
        apply(session, id: id, sign: 1)
        return id
    }

    package mutating func remove(_ id: Int) {
        guard let session = sessions[id] else { return }
        sessions[id] = nil
        apply(session, id: -1, sign: -1)
    }

    /// Changes session `id` in place (who attends, say), keeping its id.
    package mutating func replace(_ id: Int, with session: PlannedSession) {
        guard let old = sessions[id] else { return }
        apply(old, id: Plan.free, sign: -1)
        sessions[id] = session
        apply(session, id: id, sign: 1)
    }

    @discardableResult
    package mutating func placeLesson(_ placed: PlacedLesson) -> Int {
        let id: Int
        if let reused = freeLessonIds.popLast() {
            id = reused
            lessonPlacements[id] = placed
        } else {
            id = lessonPlacements.count
            lessonPlacements.append(placed)
        }
        placementsOf[placed.lesson].append(id)
        applyLesson(placed, mark: Plan.lessonMark(id), sign: 1)
        return id
    }

    package mutating func removeLesson(_ id: Int) {
        guard let placed = lessonPlacements[id] else { return }
        lessonPlacements[id] = nil
        freeLessonIds.append(id)
        placementsOf[placed.lesson].removeAll { $0 == id }
        applyLesson(placed, mark: Plan.free, sign: -1)
    }

    /// A lesson occupies its members, teachers, classes and room, and counts towards their limits.
    private mutating func applyLesson(_ placed: PlacedLesson, mark: Int, sign: Int) {
        let info = instance.lessons[placed.lesson], d = instance.day(of: placed.slot)
        let covered = instance.covered(lesson: placed.lesson, from: placed.slot), blocks = covered.count * sign
        for s in info.students {
            for q in covered { studentAt[s][q] = mark }
            studentDayLoad[s][d] += blocks
        }
        for t in info.teachers {
            for q in covered { teacherAt[t][q] = mark }
            teacherDayLoad[t][d] += blocks
            teacherWeekLoad[t] += blocks
        }
        for leaf in info.leaves { for q in covered { classAt[leaf][q] = mark } }
        if let r = placed.room { for q in covered { roomAt[r][q] = mark } }
    }

    /// Limits count blocks, so a double block weighs two; a need counts sessions, so it weighs one.
    private mutating func apply(_ session: PlannedSession, id: Int, sign: Int) {
        let p = session.slot, d = instance.day(of: p), a = session.activity
        let covered = instance.covered(a, from: p), blocks = covered.count * sign
        for s in session.students {
            for q in covered { studentAt[s][q] = id }
            studentDayLoad[s][d] += blocks
            if let n = needIndex[s][a] {
                done[s][n] += sign
                needDays[s][n] ^= 1 << UInt64(d)
            }
        }
        if let t = session.teacher {
            for q in covered { teacherAt[t][q] = id }
            teacherDayLoad[t][d] += blocks
            teacherWeekLoad[t] += blocks
        }
        for q in covered { roomAt[session.room][q] = id }
    }

    // MARK: objective

    package func idleBlocks(_ row: [Int], day d: Int) -> Int {
        let slots = instance.slots(ofDay: d)
        let busy = slots.filter { row[$0] != Plan.free }
        guard let first = busy.first, let last = busy.last else { return 0 }
        return (last - first + 1) - busy.count
    }

    /// The distinct teachers leading student `s`'s sessions of her need `n`, in slot order.
    package func teachers(of s: Int, need n: Int) -> [Int] {
        let activities = instance.students[s].needs[n].activities
        var found: [Int] = []
        for id in studentAt[s] where id >= 0 {
            if let session = sessions[id], activities.contains(session.activity), let t = session.teacher, !found.contains(t) { found.append(t) }
        }
        return found
    }

    /// The teacher student `s`'s need of activity `a` asks for, if any.
    package func requestedTeacher(student s: Int, activity a: Int) -> Int? {
        needIndex[s].requested(activity: a)
    }

    /// Whether session `id` serves the same need as activity `a` (any of its level windows) and starts
    /// at `slot` (a double block started earlier also occupies it, but is another session).
    package func hosts(_ id: Int, activity a: Int, startingAt slot: Int) -> Bool {
        guard id >= 0, let session = sessions[id] else { return false }
        return session.slot == slot && instance.sameNeed(session.activity, a)
    }

    package func studentIdle(_ s: Int, day d: Int) -> Int { idleBlocks(studentAt[s], day: d) }
    package func teacherIdle(_ t: Int, day d: Int) -> Int { idleBlocks(teacherAt[t], day: d) }
}


