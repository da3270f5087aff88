import Foundation
import Rules
import WeekIndex

/// Comfort without GLPK: cheap moves, each kept only when it lowers the objective. A student changes
/// to another group of the same need (any level window she may join) when that lowers her own part
/// of the objective. Only her terms can change (her idle blocks, late blocks, consecutive days,
/// preferred and extra teachers): no session changes its slot, teacher or room, and the group she
/// leaves keeps its minimum. GLPK's polishing pieces hold one day each, so they can never move a
/// need's session to another day; these moves can, and the same need on consecutive days was the
/// second-largest term left on the mid-size week.
/// Which seats and sessions a pass of moves may touch: all of them, or only those of a piece GLPK
/// has just re-planned (`settle`).
struct ComfortScope {
    var students: [Int]?
    var sessions: [Int]?
    /// Only sessions on these days, so that pieces solved together on other days stay valid.
    var days: Set<Int>?
    /// Only teacher swaps: a change to a free teacher would spend weekly slack held for other pieces.
    var swapsOnly = false

    static let whole = ComfortScope()

    func allows(_ session: PlannedSession, in instance: Instance) -> Bool {
        days.map { $0.contains(instance.day(of: session.slot)) } ?? true
    }
}

extension Plan {
    /// One pass over every seat in `scope`, keeping each move that lowers the objective; true if any
    /// was kept. Re-solves leave this to GLPK: their changes against the baseline count per seat.
    mutating func moveStudentsForComfort(_ weights: ObjectiveWeights, until deadline: Date = .distantFuture,
                                         scope: ComfortScope = .whole) -> Bool {
        guard baseline.assignments.isEmpty else { return false }
        let index = sessionIdsByActivity(), score = MoveScore(.regroup, weights)
        var improved = false
        forEachSeat(in: scope, until: deadline) { plan, s, n, x in
            let left = plan.sessions[x]!
            guard left.students.count > plan.instance.activities[left.activity].min,
                  let (y, _) = plan.gains(s, leaving: x, among: plan.openSeats(for: s, need: n, index: index).filter { plan.allows($0, scope) }, score).first
            else { return }
            plan.unseat(s, from: x)
            plan.seat(s, in: y)
            improved = true
        }
        return improved
    }

    /// Calls `body` for every unpinned seat in `scope`: student, need, session. Each student's seats
    /// of a need are read when her turn comes, so moves made before are seen.
    private mutating func forEachSeat(in scope: ComfortScope, until deadline: Date, _ body: (inout Plan, Int, Int, Int) -> Void) {
        for s in scope.students ?? Array(instance.students.indices) where Date() < deadline {
            for n in instance.students[s].needs.indices {
                for x in sessions(of: s, need: n) where !sessions[x]!.pinned && allows(x, scope) {
                    body(&self, s, n, x)
                }
            }
        }
    }

    private func allows(_ id: Int, _ scope: ComfortScope) -> Bool { scope.allows(sessions[id]!, in: instance) }

    /// Student `s`'s sessions of her need `n` in id order, read from her row of the plan rather than
    /// a scan of every session.
    func sessions(of s: Int, need n: Int) -> [Int] {
        let activities = instance.students[s].needs[n].activities
        return Set(studentAt[s].filter { $0 >= 0 && activities.contains(sessions[$0]!.activity) }).sorted()
    }

    /// Two students of one need trade groups, so full groups take part too: one pass over every
    /// seat, keeping the first trade that lowers the objective; true if any was kept. A trade changes
    /// only the two students' terms, and each one's change does not depend on the other's, so one
    /// that helps lowers at least one of them: seen from her side, a group she would gain by joining.
    /// Only those groups are tried, which on the 1,000-student week cut a round from 5-8 s.
    mutating func swapStudentsForComfort(_ weights: ObjectiveWeights, until deadline: Date = .distantFuture,
                                         scope: ComfortScope = .whole) -> Bool {
        guard baseline.assignments.isEmpty else { return false }
        let index = sessionIdsByActivity(), score = MoveScore(.regroup, weights)
        var improved = false
        forEachSeat(in: scope, until: deadline) { plan, s, n, x in
            let candidates = plan.sessionsOfNeed(n, student: s, index: index).filter { plan.allows($0, scope) }
            search: for (y, _) in plan.gains(s, leaving: x, among: candidates, score) {
                for u in plan.sessions[y]!.students where plan.trade(s, from: x, with: u, from: y, score) {
                    improved = true
                    break search
                }
            }
        }
        return improved
    }

    /// Which of `candidates` (other sessions of the need she holds `x` for) student `s` would be better
    /// off in than in `x`, group sizes aside: best first, ties in id order.
    private mutating func gains(_ s: Int, leaving x: Int, among candidates: [Int], _ score: MoveScore) -> [(Int, Double)] {
        let her = Touched.weeks(of: [s], in: instance)
        let before = score.cost(self, her)
        // Every term counts something, so a student at zero has nothing to gain.
        guard before > 0, !candidates.isEmpty else { return [] }
        let left = sessions[x]!
        unseat(s, from: x)
        var found: [(Int, Double)] = []
        for y in candidates {
            let joined = sessions[y]!
            guard canSeat(s, activity: joined.activity, slot: joined.slot) else { continue }
            seat(s, in: y)
            let change = score.cost(self, her) - before
            replace(y, with: joined)
            if change < -1e-9 { found.append((y, change)) }
        }
        replace(x, with: left)
        return found.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
    }

    /// Student `s` takes `u`'s seat in `y` and `u` hers in `x`, if both may and it lowers the objective.
    private mutating func trade(_ s: Int, from x: Int, with u: Int, from y: Int, _ score: MoveScore) -> Bool {
        let oldX = sessions[x]!, oldY = sessions[y]!
        guard !oldX.students.contains(u), let nu = needIndex[u][oldY.activity],
              instance.students[u].needs[nu].activities.contains(oldX.activity),
              // Most pairs fail here, before anything is unseated: each must be free at the other's time.
              instance.covered(oldY.activity, from: oldY.slot).allSatisfy({ studentAt[s][$0] == Plan.free || studentAt[s][$0] == x }),
              instance.covered(oldX.activity, from: oldX.slot).allSatisfy({ studentAt[u][$0] == Plan.free || studentAt[u][$0] == y })
        else { return false }
        let both = Touched.weeks(of: [s, u], in: instance)
        let before = score.cost(self, both)
        unseat(s, from: x)
        unseat(u, from: y)
        if canSeat(s, activity: oldY.activity, slot: oldY.slot), mayJoin(s, session: y, without: nil),
           canSeat(u, activity: oldX.activity, slot: oldX.slot), mayJoin(u, session: x, without: nil) {
            seat(s, in: y)
            seat(u, in: x)
            if score.cost(self, both) < before - 1e-9 { return true }
            unseat(s, from: y)
            unseat(u, from: x)
        }
        // Both are out of both groups now, so neither restore can clear the other's blocks.
        replace(x, with: oldX)
        replace(y, with: oldY)
        return false
    }
}

/// Comfort without GLPK, the teachers' side: a session changes its teacher to another qualified one,
/// free then, or two sessions at the same time swap teachers. Slots, rooms and students stay, so
/// only the session's students' teacher terms (preferred teacher, continuity) and the two teachers'
/// terms that day (idle blocks, `prefer-not`) can change. Measured on the mid-size week: most of what
/// a 60 s solve gained after 20 s was these terms, which one-day GLPK pieces reach only when a piece
/// happens to hold every session of a student's need.
extension Plan {
    /// One pass over every session, keeping each change that lowers the objective; true if any was kept.
    mutating func reassignTeachersForComfort(_ weights: ObjectiveWeights, until deadline: Date = .distantFuture,
                                             scope: ComfortScope = .whole) -> Bool {
        guard baseline.assignments.isEmpty else { return false }
        let score = MoveScore(.teacher, weights)
        var improved = false
        for x in scope.sessions ?? Array(sessions.indices) where Date() < deadline {
            guard let session = sessions[x], !session.pinned, session.teacher != nil, scope.allows(session, in: instance) else { continue }
            for u in instance.activities[session.activity].qualifiedTeachers where u != sessions[x]!.teacher {
                if changeTeacher(of: x, to: u, swapOnly: scope.swapsOnly, score) { improved = true }
            }
        }
        return improved
    }

    /// Gives session `x` teacher `u`; if `u` leads another session `y` starting at the same slot, `y`
    /// takes `x`'s teacher. Kept only when every hard rule allows it and the objective falls.
    private mutating func changeTeacher(of x: Int, to u: Int, swapOnly: Bool, _ score: MoveScore) -> Bool {
        let old = sessions[x]!, t = old.teacher!, p = old.slot
        let other = teacherAt[u][p]
        let y: Int? = other >= 0 && sessions[other]?.slot == p && sessions[other]?.pinned == false ? other : nil
        if (other != Plan.free || swapOnly) && y == nil { return false }
        let oldOther = y.map { sessions[$0]! }
        if let oldOther, !instance.activities[oldOther.activity].qualifiedTeachers.contains(t) { return false }
        guard mayAllStay(old, ledBy: u), oldOther.map({ mayAllStay($0, ledBy: t) }) ?? true else { return false }
        // Cheap refusals first: the scoring below costs far more than these lookups.
        guard instance.covered(old.activity, from: p).allSatisfy({ instance.teachers[u].available[$0] }),
              oldOther.map({ instance.covered($0.activity, from: p).allSatisfy { instance.teachers[t].available[$0] } }) ?? true,
              y != nil || teacherFree(u, activity: old.activity, slot: p)
        else { return false }
        let day = instance.day(of: p)
        let touched = Touched.teacherChange(of: [old] + (oldOther.map { [$0] } ?? []), among: [t, u], day: day, in: self)
        func cost() -> Double { score.cost(self, touched) }
        let before = cost()
        // Both leave first: each may hold a block the other is to take.
        vacate(x)
        if let y { vacate(y) }
        var allowed = teacherFree(u, activity: old.activity, slot: p)
        if allowed, let oldOther { allowed = teacherFree(t, activity: oldOther.activity, slot: p) }
        if allowed {
            lead(x, by: u)
            if let y { lead(y, by: t) }
            if cost() < before - 1e-9 { return true }
            vacate(x)
            if let y { vacate(y) }
        }
        replace(x, with: old)
        if let y, let oldOther { replace(y, with: oldOther) }
        return false
    }

    /// Whether every student of `session` may stay in it once `teacher` leads it.
    private func mayAllStay(_ session: PlannedSession, ledBy teacher: Int) -> Bool {
        var led = session
        led.teacher = teacher
        return led.students.indices.allSatisfy { i in
            var seating = led.seating
            seating.others.remove(at: i)
            return mayJoin(led.students[i], seating)
        }
    }

    private mutating func vacate(_ id: Int) { lead(id, by: nil) }

    private mutating func lead(_ id: Int, by teacher: Int?) {
        var session = sessions[id]!
        session.teacher = teacher
        replace(id, with: session)
    }
}

/// Comfort without GLPK, whole sessions: a session moves to another slot, on any day, with its
/// teacher, room and students, when all of them are free then. Only those students' terms and the
/// teacher's on the two days can change. GLPK's one-day pieces never move a session to another day.
extension Plan {
    /// One pass over every session, keeping the best move of each that lowers the objective; true if any was kept.
    mutating func moveSessionsForComfort(_ weights: ObjectiveWeights, until deadline: Date = .distantFuture) -> Bool {
        guard baseline.assignments.isEmpty else { return false }
        let score = MoveScore(.slot, weights)
        var improved = false
        for x in sessions.indices where Date() < deadline {
            guard let old = sessions[x], !old.pinned else { continue }
            let a = old.activity, p = old.slot
            // Its students' whole weeks, and its teacher's and room's two days: all a move can change.
            let students = Touched.weeks(of: old.students, in: instance)
            func staffCost(day d: Int) -> Double { score.cost(self, .staffDay(teacher: old.teacher, room: old.room, day: d)) }
            let studentsCost = score.cost(self, students)
            let staffDayCost = (0..<instance.dayCount).map { staffCost(day: $0) }
            // Its people leave the slot, so the filters see them free; the room stays booked, which
            // only rules out slots overlapping this one (GLPK's same-day pieces cover those).
            var vacated = old
            vacated.students = []
            vacated.teacher = nil
            replace(x, with: vacated)
            var best: (slot: Int, cost: Double)?
            for q in 0..<instance.slotCount where q != p && instance.activities[a].canStart[q] {
                guard roomFree(old.room, activity: a, slot: q), old.teacher.map({ teacherFree($0, activity: a, slot: q) }) ?? true,
                      old.students.allSatisfy({ canSeat($0, activity: a, slot: q) }) else { continue }
                let days = Set([instance.day(of: p), instance.day(of: q)])
                let before = studentsCost + days.reduce(0) { $0 + staffDayCost[$1] }
                var moved = old
                moved.slot = q
                replace(x, with: moved)
                let after = score.cost(self, students) + days.reduce(0) { $0 + staffCost(day: $1) }
                replace(x, with: vacated)
                if after < before - 1e-9, after - before < (best?.cost ?? 0) { best = (q, after - before) }
            }
            var kept = old
            if let best {
                kept.slot = best.slot
                improved = true
            }
            replace(x, with: kept)
        }
        return improved
    }
}

extension Plan {
    /// Settles a piece GLPK has just re-planned (its new sessions `ids`, on `days`): its model prices
    /// which group a student lands in and which teacher leads it only roughly, so decoding can leave
    /// groups worth changing. On the mid-size week about one piece in eight that GLPK counted as a gain
    /// lost it this way (extra teachers for one need, idle blocks). Moves stay on the piece's days and
    /// spend no weekly slack, so pieces solved beside it on other days still fit.
    mutating func settle(_ ids: [Int], days: [Int], _ weights: ObjectiveWeights, until deadline: Date) {
        let students = Set(ids.flatMap { sessions[$0]?.students ?? [] }).sorted()
        let scope = ComfortScope(students: students, sessions: ids, days: Set(days), swapsOnly: true)
        for _ in 0..<3 {
            let moved = moveStudentsForComfort(weights, until: deadline, scope: scope)
            let traded = swapStudentsForComfort(weights, until: deadline, scope: scope)
            let reassigned = reassignTeachersForComfort(weights, until: deadline, scope: scope)
            guard moved || traded || reassigned else { return }
        }
    }
}
