import Foundation
import WeekIndex

/// Needs left short on a hybrid week, met by moving what holds their student or teacher: GLPK's
/// pieces move lessons within their day only, and a need is often short because a lesson holds its
/// only teacher or its student on the days it could go.
extension Plan {
    /// For each need still short: a lesson of the student's classes, or of a teacher who could lead
    /// the need, moves to another start (on any day, swapping with flex sessions as `moved` does);
    /// or a session of the need moves whole to another start. Kept when the cheap reseating that
    /// follows meets the need and the whole objective falls (on the planted hybrid S week, seed 2,
    /// the last two unmet sessions were met this way). True if any move was kept.
    mutating func moveLessonsForShortNeeds(_ weights: ObjectiveWeights, until deadline: Date) -> Bool {
        var improved = false
        for (s, info) in instance.students.enumerated() {
            for (n, need) in info.needs.enumerated() where done[s][n] < need.sessions && Date() < deadline {
                let objective = terms.total(weights)
                var best: (plan: Plan, objective: Double)?
                func consider(_ candidate: Plan) {
                    var trial = candidate
                    trial.reseatShortNeeds(until: deadline)
                    guard trial.done[s][n] > done[s][n] else { return }
                    let after = trial.terms.total(weights)
                    if after < (best?.objective ?? objective) - 1e-9 { best = (trial, after) }
                }
                let qualified = Set(instance.activities[need.activity].qualifiedTeachers)
                for x in lessonPlacements.indices where Date() < deadline {
                    guard let placed = lessonPlacements[x], !placed.pinned else { continue }
                    let lesson = instance.lessons[placed.lesson]
                    guard lesson.students.contains(s) || lesson.teachers.contains(where: qualified.contains) else { continue }
                    for q in 0..<instance.slotCount where q != placed.slot && lesson.canStart[q] {
                        if let (trial, _) = moved(x, to: q) { consider(trial) }
                    }
                }
                for shifted in needSessionMoves(student: s, need: n) where Date() < deadline { consider(shifted) }
                if let best {
                    self = best.plan
                    improved = true
                }
            }
        }
        return improved
    }

    /// The plan with one session of need `n` that student `s` is not in moved whole to another start,
    /// for each such move the whole catalogue allows.
    func needSessionMoves(student s: Int, need n: Int) -> [Plan] {
        var plans: [Plan] = []
        for id in sessionsOfNeed(n, student: s) {
            let session = sessions[id]!
            for q in 0..<instance.slotCount where q != session.slot && instance.activities[session.activity].canStart[q] {
                var trial = self
                trial.remove(id)
                var moved = session
                moved.slot = q
                guard trial.violation(of: moved) == nil else { continue }
                trial.add(moved)
                plans.append(trial)
            }
        }
        return plans
    }
}
