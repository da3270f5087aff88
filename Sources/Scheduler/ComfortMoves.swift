import Foundation
import Rules

/// Comfort without GLPK: a student changes to another group of the same need (any level window she
/// may join) when that lowers her own part of the objective. Only her terms can change (her idle
/// blocks, late blocks, consecutive days, preferred and extra teachers): no session changes its
/// slot, teacher or room, and the group she leaves keeps its minimum. GLPK's polishing pieces hold
/// one day each, so they can never move a need's session to another day; these moves can, and the
/// same need on consecutive days was the second-largest term left on the mid-size week.
extension Plan {
    /// One pass over every seat, keeping each move that lowers the objective; true if any was kept.
    /// Re-solves leave this to GLPK: their changes against the baseline count per seat.
    mutating func moveStudentsForComfort(_ weights: ObjectiveWeights, until deadline: Date = .distantFuture) -> Bool {
        guard baseline.assignments.isEmpty else { return false }
        var improved = false
        for s in instance.students.indices where Date() < deadline {
            for n in instance.students[s].needs.indices {
                // Her own sessions are in her row of the plan: no need to scan every session.
                let activities = instance.students[s].needs[n].activities
                let held = Set(studentAt[s].filter { $0 >= 0 && activities.contains(sessions[$0]!.activity) }).sorted()
                for x in held {
                    guard let left = sessions[x], !left.pinned, left.students.count > instance.activities[left.activity].min else { continue }
                    let before = studentCost(s, weights)
                    unseat(s, from: x)
                    var best: (id: Int, cost: Double)?
                    for y in openSeats(for: s, need: n) where y != x {
                        let joined = sessions[y]!
                        guard canSeat(s, activity: joined.activity, slot: joined.slot) else { continue }
                        seat(s, in: y)
                        let cost = studentCost(s, weights)
                        replace(y, with: joined)
                        if cost < (best?.cost ?? before) - 1e-9 { best = (y, cost) }
                    }
                    if let best {
                        seat(s, in: best.id)
                        improved = true
                    } else {
                        replace(x, with: left)
                    }
                }
            }
        }
        return improved
    }

    /// Student `s`'s share of the objective terms a change of her seat can move, weighted; the same
    /// counts as the terms' `measure`s, restricted to her.
    func studentCost(_ s: Int, _ weights: ObjectiveWeights) -> Double {
        var idle = 0, late = 0, pairs = 0, notPreferred = 0, extraTeachers = 0
        for d in 0..<instance.dayCount { idle += studentIdle(s, day: d) }
        let lastBlock = instance.blocksPerDay - 1
        var seen: [Int] = []
        for id in studentAt[s] where id >= 0 && !seen.contains(id) {
            seen.append(id)
            guard let session = sessions[id] else { continue }
            if instance.block(of: instance.covered(session.activity, from: session.slot).last!) == lastBlock { late += 1 }
            if let t = session.teacher, let n = needIndex[s][session.activity] {
                let preferred = instance.students[s].needs[n].preferred
                if !preferred.isEmpty && !preferred.contains(t) { notPreferred += 1 }
            }
        }
        for n in instance.students[s].needs.indices {
            let days = needDays[s][n]
            for (d, next) in instance.nextDay.enumerated() {
                if let next, days & (1 << UInt64(d)) != 0, days & (1 << UInt64(next)) != 0 { pairs += 1 }
            }
            extraTeachers += max(0, teachers(of: s, need: n).count - 1)
        }
        return weights[.studentIdle] * Double(idle) + weights[.lateBlock] * Double(late) + weights[.sameNeedNextDay] * Double(pairs)
            + weights[.preferredTeacher] * Double(notPreferred) + weights[.teacherContinuity] * Double(extraTeachers)
    }
}
