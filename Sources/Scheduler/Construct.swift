import Foundation
import WeekIndex

/// A constructive timetable: the starting incumbent that GLPK then improves piece by piece.
/// Hard-to-form groups go first (largest `min`), and each session is opened where the most students
/// who still need it are free, so groups come out full and few needs are left for the search. Stops
/// at `deadline` with what it has: a smaller timetable, still valid, is better than a late one.
extension Plan {
    /// `heartbeat` hears of each session added and may stop the construction (a cancel).
    mutating func constructGreedily(until deadline: Date = .distantFuture, heartbeat: Heartbeat? = nil) {
        let order = instance.activities.indices.sorted { a, b in
            let x = instance.activities[a], y = instance.activities[b]
            if x.min != y.min { return x.min > y.min }
            return pressure(a) > pressure(b)
        }
        func going(_ plan: Plan) -> Bool { Date() < deadline && heartbeat?.beat(plan) != false }
        for a in order {
            while going(self), let best = bestNewSession(for: a) { add(best) }
        }
        for a in order where going(self) { fillOpenSeats(activity: a) }
    }

    /// Demand per teacher (or room) that could serve it: scarce activities are placed first.
    private func pressure(_ a: Int) -> Double {
        let act = instance.activities[a]
        let demand = act.demand.reduce(0) { $0 + instance.students[$1.student].needs[$1.need].sessions }
        let servers = act.teacherLed ? act.qualifiedTeachers.count : act.fittingRooms.count
        return Double(demand) / Double(max(1, servers))
    }

    /// Students who still need `a` and could sit in it at `p`: highest priority first, then the most
    /// sessions still to place.
    func candidates(activity a: Int, slot p: Int) -> [Int] {
        stillNeeding(a).filter { canSeat($0, activity: a, slot: p) }
    }

    /// Students with sessions of `a` left to place, in the order `candidates` gives them. The order
    /// does not depend on the slot, so it is worked out once for all of them (a stable sort, so
    /// filtering it per slot gives what sorting each slot's pool would).
    private func stillNeeding(_ a: Int) -> [Int] {
        instance.activities[a].demand.compactMap { ref -> (student: Int, priority: Int, remaining: Int)? in
            let left = remaining(student: ref.student, activity: a)
            return left > 0 ? (ref.student, instance.students[ref.student].needs[ref.need].priority.rank, left) : nil
        }
        .sorted { ($0.priority, $0.remaining) > ($1.priority, $1.remaining) }
        .map(\.student)
    }

    /// The fullest session of `a` that can be opened anywhere this week, or nil.
    private func bestNewSession(for a: Int) -> PlannedSession? {
        let act = instance.activities[a]
        var best: PlannedSession?
        var bestScore = Int.min
        let open = stillNeeding(a)
        guard open.count >= act.min else { return nil }
        let mostSeats = act.fittingRooms.map { instance.seats($0, activity: a) }.max() ?? 0
        // A slot's score is at most its group size times 10,000 (the load and block terms only lower
        // it), so a slot whose largest possible group cannot beat the best so far is skipped without
        // choosing a teacher and room: the same session wins, found with far less work.
        func canBeat(_ size: Int) -> Bool { min(size, mostSeats) * 10_000 > bestScore }
        for p in 0..<instance.slotCount {
            let pool = open.filter { canSeat($0, activity: a, slot: p) }
            guard pool.count >= act.min, canBeat(pool.count) else { continue }
            var teacher: Int?
            if act.teacherLed {
                guard let t = pickTeacher(for: a, slot: p, pool: pool) else { continue }
                teacher = t
            }
            let staffed = Seating(activity: a, slot: p, teacher: teacher, room: nil, others: [])
            let joining = joining(pool, staffed)
            guard joining.count >= act.min, canBeat(joining.count), let (room, group) = pickRoom(for: staffed, pool: joining) else { continue }
            // Prefer full groups, then lightly loaded days, then earlier blocks.
            let d = instance.day(of: p)
            let dayLoad = group.reduce(0) { $0 + studentDayLoad[$1][d] }
            let score = group.count * 10_000 - dayLoad * 10 - instance.block(of: p)
            if score > bestScore {
                bestScore = score
                best = PlannedSession(activity: a, slot: p, teacher: teacher, room: room, students: group)
            }
        }
        return best
    }

    /// The free qualified teacher most of `pool` may sit with (students who asked for a teacher only
    /// sit with her), then the one with the fewest other subjects in demand (keep versatile teachers
    /// for later), then the lightest week.
    private func pickTeacher(for a: Int, slot p: Int, pool: [Int]) -> Int? {
        let free = instance.activities[a].qualifiedTeachers.filter { teacherFree($0, activity: a, slot: p) }
        // Without a requested teacher among the needs everyone in the pool may join any of them.
        let requests = instance.activities[a].hasRequestedTeacher
        let joining = free.map { t in
            let test = GroupTest(Seating(activity: a, slot: p, teacher: t, room: nil, others: []))
            return requests ? pool.count { test.allows(self, $0) } : pool.count
        }
        return free.indices.min { i, j in
            if joining[i] != joining[j] { return joining[i] > joining[j] }
            let x = free[i], y = free[j]
            let ox = instance.scenario.teachers[x].subjects.count, oy = instance.scenario.teachers[y].subjects.count
            return ox != oy ? ox < oy : teacherWeekLoad[x] < teacherWeekLoad[y]
        }.map { free[$0] }
    }

    /// The free fitting room that seats the most of `pool` (smallest such room), with that group.
    private func pickRoom(for staffed: Seating, pool: [Int]) -> (Int, [Int])? {
        let a = staffed.activity, p = staffed.slot, act = instance.activities[a]
        func group(in r: Int) -> [Int] { admitting(pool, to: staffed.inRoom(r), upTo: instance.seats(r, activity: a)) }
        var best: (room: Int, size: Int)?
        for r in act.fittingRooms where roomFree(r, activity: a, slot: p) {
            let seats = instance.seats(r, activity: a)
            // A room with fewer seats than the best group so far cannot seat a larger one.
            if let current = best, seats < current.size { continue }
            // Without anyone to keep apart a room's group is its first fitting students, so only
            // their number is needed to compare rooms (counted up to the seats); the group is built
            // once, for the best.
            let size = act.hasApart ? group(in: r).count : fittingCount(pool, in: staffed.inRoom(r), upTo: seats)
            guard size >= act.min else { continue }
            if let current = best {
                let better = size > current.size || (size == current.size && instance.rooms[r].capacity < instance.rooms[current.room].capacity)
                if !better { continue }
            }
            best = (r, size)
        }
        return best.map { ($0.room, group(in: $0.room)) }
    }

    /// How many of `pool` may each join `seating` on their own, counting no further than `limit`.
    private func fittingCount(_ pool: [Int], in seating: Seating, upTo limit: Int) -> Int {
        var count = 0
        let test = GroupTest(seating)
        for s in pool where test.allows(self, s) {
            count += 1
            if count == limit { break }
        }
        return count
    }

    /// Seats left in sessions already opened go to students who still need the activity.
    private mutating func fillOpenSeats(activity a: Int) {
        for (id, session) in activeSessions where session.activity == a {
            let seats = instance.seats(session.room, activity: a) - session.students.count
            guard seats > 0 else { continue }
            let extra = admitting(candidates(activity: a, slot: session.slot), to: session.seating, upTo: seats)
            guard !extra.isEmpty else { continue }
            var grown = session
            grown.students += extra
            remove(id)
            add(grown)
        }
    }
}
