import Foundation
import WeekIndex
/// Cheap repair before GLPK, with student moves only: an open seat; the one session in the way left
/// for another session of its need; a seat made in a full group by moving one of its students on; a
/// new group with students borrowed from groups that can spare them. Planned sessions keep their
/// slot, teacher and room; a new group takes a teacher and room the plan's filters find free. Measured on the mid-size week: construction
/// leaves its last unmet sessions with students whose level window has too few others free for a
/// new group (minimum 3), and GLPK's repair spent one 1-2 s sub-problem per session won back.
extension Plan {
    /// Moves students until no move meets another session, or `deadline`; returns how many sessions
    /// it met. Every move meets one more session and takes none away, so this ends. Sessions are
    /// found through an index by activity, rebuilt when a new group adds one: scanning every session
    /// for each seat took 4 minutes on a 10,000-student week.
    @discardableResult
    mutating func reseatShortNeeds(until deadline: Date = .distantFuture, heartbeat: Heartbeat? = nil) -> Int {
        var met = 0
        var progress = true
        while progress, Date() < deadline, heartbeat?.cancelled != true {
            progress = false
            var index = sessionIdsByActivity()
            for (s, n) in shortNeeds() where done[s][n] < instance.students[s].needs[n].sessions {
                guard Date() < deadline, heartbeat?.beat(self) != false else { return met }
                if seatDirectly(s, need: n, index) || seatByMovingOneSession(s, need: n, index) || seatByMakingRoom(s, need: n, index) {
                    met += 1
                    progress = true
                } else if seatInNewGroup(s, need: n) {
                    met += 1
                    progress = true
                    index = sessionIdsByActivity()
                }
            }
        }
        return met
    }

    /// Needs with sessions missing, highest priority first, then in student order.
    private func shortNeeds() -> [(student: Int, need: Int)] {
        var short: [(student: Int, need: Int, rank: Int)] = []
        for (s, info) in instance.students.enumerated() {
            for (n, need) in info.needs.enumerated() where done[s][n] < need.sessions {
                short.append((s, n, need.priority.rank))
            }
        }
        return short.enumerated().sorted { x, y in
            x.element.rank != y.element.rank ? x.element.rank > y.element.rank : x.offset < y.offset
        }.map { ($0.element.student, $0.element.need) }
    }

    /// Sessions of need `n` of student `s` that have a seat she may take, whatever holds her at that time.
    func openSeats(for s: Int, need n: Int, index: [[Int]]? = nil) -> [Int] {
        sessionsOfNeed(n, student: s, index: index).filter { hasSeat($0) && mayJoin(s, session: $0, without: nil) }
    }

    /// Unpinned sessions of need `n` that student `s` is not in, in id order. `index` (from
    /// `sessionIdsByActivity`, valid while no session is added or removed) spares a scan of every
    /// session: the comfort moves ask this for every seat of the week.
    func sessionsOfNeed(_ n: Int, student s: Int, index: [[Int]]? = nil) -> [Int] {
        let activities = instance.students[s].needs[n].activities
        let candidates = index.map { index in activities.flatMap { index[$0] }.sorted() } ?? Array(sessions.indices)
        return candidates.filter { id in
            guard let session = sessions[id] else { return false }
            return !session.pinned && activities.contains(session.activity) && !session.students.contains(s)
        }
    }

    /// Ids of the sessions of each activity, in id order.
    func sessionIdsByActivity() -> [[Int]] {
        var index = Array(repeating: [Int](), count: instance.activities.count)
        for (id, session) in sessions.enumerated() {
            if let session { index[session.activity].append(id) }
        }
        return index
    }

    private func hasSeat(_ id: Int) -> Bool {
        let session = sessions[id]!
        return session.students.count < instance.seats(session.room, activity: session.activity)
    }

    /// Makes a seat in a full session student `s` is free for, by moving one of its students to another
    /// session of her own need that has a seat.
    private mutating func seatByMakingRoom(_ s: Int, need n: Int, _ index: [[Int]]) -> Bool {
        for id in sessionsOfNeed(n, student: s, index: index) where !hasSeat(id) {
            let target = sessions[id]!
            guard canSeat(s, activity: target.activity, slot: target.slot) else { continue }
            for u in target.students where mayJoin(s, session: id, without: u) {
                guard let uNeed = needIndex[u][target.activity] else { continue }
                unseat(u, from: id)
                if let destination = openSeats(for: u, need: uNeed, index: index).first(where: { other in
                    other != id && canSeat(u, activity: sessions[other]!.activity, slot: sessions[other]!.slot)
                }) {
                    seat(u, in: destination)
                    seat(s, in: id)
                    return true
                }
                replace(id, with: target)
            }
        }
        return false
    }

    private mutating func seatDirectly(_ s: Int, need n: Int, _ index: [[Int]]) -> Bool {
        for id in openSeats(for: s, need: n, index: index) {
            let session = sessions[id]!
            if canSeat(s, activity: session.activity, slot: session.slot) {
                seat(s, in: id)
                return true
            }
        }
        return false
    }

    /// Frees the student from the single session that overlaps an open seat, then places her in another
    /// session of that session's need; undone if either step fails.
    private mutating func seatByMovingOneSession(_ s: Int, need n: Int, _ index: [[Int]]) -> Bool {
        for id in openSeats(for: s, need: n, index: index) {
            let target = sessions[id]!
            let blockers = Set(instance.covered(target.activity, from: target.slot).map { studentAt[s][$0] })
            guard blockers.count == 1, let blocker = blockers.first, blocker >= 0, let held = sessions[blocker], !held.pinned,
                  held.students.count > instance.activities[held.activity].min,
                  let movedNeed = needIndex[s][held.activity] else { continue }
            unseat(s, from: blocker)
            if canSeat(s, activity: target.activity, slot: target.slot) {
                seat(s, in: id)
                if let destination = openSeats(for: s, need: movedNeed, index: index).first(where: { other in
                    other != blocker && canSeat(s, activity: sessions[other]!.activity, slot: sessions[other]!.slot)
                }) {
                    seat(s, in: destination)
                    return true
                }
                replace(id, with: target)
            }
            replace(blocker, with: held)
        }
        return false
    }

    /// Opens a new session of the need for student `s`, with others of her level window who still need
    /// it and, to reach the group's minimum, students borrowed from sessions of that window that stay
    /// at or above their own minimum (a borrowed student keeps her count: one session for another).
    private mutating func seatInNewGroup(_ s: Int, need n: Int) -> Bool {
        for a in instance.students[s].needs[n].activities {
            let act = instance.activities[a]
            for p in 0..<instance.slotCount where canSeat(s, activity: a, slot: p) {
                let teacher: Int?
                if act.teacherLed {
                    guard let t = act.qualifiedTeachers.first(where: {
                        teacherFree($0, activity: a, slot: p) && mayJoin(s, Seating(activity: a, slot: p, teacher: $0, room: nil, others: []))
                    })
                    else { continue }
                    teacher = t
                } else {
                    teacher = nil
                }
                guard let room = act.fittingRooms.first(where: {
                    instance.seats($0, activity: a) >= act.min && roomFree($0, activity: a, slot: p)
                        && mayJoin(s, Seating(activity: a, slot: p, teacher: teacher, room: $0, others: []))
                })
                else { continue }
                if let group = formGroup(around: s, activity: a, slot: p, teacher: teacher, room: room) {
                    add(PlannedSession(activity: a, slot: p, teacher: teacher, room: room, students: group))
                    return true
                }
            }
        }
        return false
    }

    /// Student `s` and enough others for activity `a`'s minimum at slot `p`: first those still short
    /// of it, then borrowed ones, who are left moved out of their sessions. Nil, with every session as
    /// it was, when too few can come.
    private mutating func formGroup(around s: Int, activity a: Int, slot p: Int, teacher: Int?, room: Int) -> [Int]? {
        let act = instance.activities[a]
        var group = [s]
        func fits(_ u: Int) -> Bool { mayJoin(u, Seating(activity: a, slot: p, teacher: teacher, room: room, others: group)) }
        for ref in act.demand where group.count < act.min && fits(ref.student) && canSeat(ref.student, activity: a, slot: p) {
            group.append(ref.student)
        }
        var donors: [(id: Int, before: PlannedSession)] = []
        for id in sessions.indices where group.count < act.min {
            // Any level window of the subject and modality: a student of an overlapping one may hold
            // her session there.
            guard let donor = sessions[id], instance.sameNeed(donor.activity, a), !donor.pinned else { continue }
            var spare = donor.students.count - instance.activities[donor.activity].min
            for u in donor.students where spare > 0 && group.count < act.min && fits(u) {
                let before = sessions[id]!
                unseat(u, from: id)
                if canSeat(u, activity: a, slot: p) {
                    group.append(u)
                    spare -= 1
                } else {
                    replace(id, with: before)
                }
            }
            if sessions[id] != donor { donors.append((id, donor)) }
        }
        guard group.count >= act.min else {
            for (id, before) in donors { replace(id, with: before) }
            return nil
        }
        return group
    }

    mutating func seat(_ s: Int, in id: Int) {
        var session = sessions[id]!
        session.students.append(s)
        replace(id, with: session)
    }

    mutating func unseat(_ s: Int, from id: Int) {
        var session = sessions[id]!
        session.students.removeAll { $0 == s }
        replace(id, with: session)
    }
}
