import Foundation
import SeededRandom
import WeekIndex

/// Lessons the search left short, placed by GLPK. On FET's dense schools (teachers booked 35 of
/// their 40 blocks, classes in every block) restarts and ejection chains circled one to six lessons
/// short whatever their time: the few starts that work need a dozen lessons to change days at once.
/// A piece around a short lesson lets every lesson of its teachers and classes (and of the people
/// of one or two of those, at random) move to any start of the week and asks for one more; GLPK
/// finds such a joint move or proves there is none in a tenth of a second. Between rounds of pieces
/// a short ejection walk shakes the grid, so the next round meets other neighbourhoods.
extension Search {
    /// Pieces tried around one short lesson in a round.
    static let repairTries = 24
    /// Largest piece tried, in lesson placements that move (about 40 columns each): GLPK settles
    /// pieces of 700 columns in a tenth of a second and often got nowhere in 10 s with 3,000.
    static let repairPlacements = 70
    /// Rounds in a row without fewer lessons short before the repair gives up.
    static let repairRounds = 4

    mutating func repairShortLessons() throws(SolveFailure) {
        // Half of what is left at most, so flex sessions and polishing keep the rest.
        let repairEnd = Date(timeIntervalSinceNow: max(0, deadline.timeIntervalSinceNow) / 2)
        var best = (plan: plan, short: shortLessons().count), fruitless = 0
        while best.short > 0, fruitless < Search.repairRounds, !shouldStop(), Date() < repairEnd {
            for l in shortLessons() where !shouldStop() && Date() < repairEnd { try placeByRepair(l) }
            let short = shortLessons().count
            if short < best.short {
                best = (plan, short)
                fruitless = 0
                lastImprovement = Date()
            } else {
                fruitless += 1
            }
            guard short > 0, Date() < repairEnd else { break }
            // The walk keeps its best state, which may be this one; from where it stood last,
            // the next round's pieces see another grid.
            plan.placeShortLessons(&rng, until: repairEnd, patience: 200 * short, keepingLast: true)
        }
        if shortLessons().count > best.short { plan = best.plan }
    }

    private func shortLessons() -> [Int] {
        instance.lessons.indices.filter { plan.placementsOf[$0].count < instance.lessons[$0].sessions }
    }

    /// Pieces around `l` until one places another session of it, or `repairTries` have not.
    private mutating func placeByRepair(_ l: Int) throws(SolveFailure) {
        for _ in 0..<Search.repairTries where !shouldStop() {
            let before = plan.placementsOf[l].count
            guard before < instance.lessons[l].sessions else { return }
            let hood = Neighbourhood(days: Array(0..<instance.dayCount), activities: [], lessonsAcrossDays: repairPiece(around: l),
                                     placing: Array(repeating: l, count: instance.lessons[l].sessions - before))
            try improve([hood], weights: subproblemWeights.unmetOnly, timeLimit: min(max(0.5, deadline.timeIntervalSinceNow / 20), 2))
            if plan.placementsOf[l].count > before { return }
        }
    }

    /// The lessons of `l`'s teachers and classes, and those of the people of one or two of them
    /// at random while the piece stays within `repairPlacements`.
    private mutating func repairPiece(around l: Int) -> [Int] {
        var piece = Set(lessonsSharingPeople(l)).union([l])
        let others = piece.subtracting([l]).sorted()
        for _ in 0..<(1 + rng.int(0...1)) where !others.isEmpty {
            let wider = piece.union(lessonsSharingPeople(others[rng.int(0...(others.count - 1))]))
            if wider.reduce(0, { $0 + plan.placementsOf[$1].count }) <= Search.repairPlacements { piece = wider }
        }
        return piece.sorted()
    }

    /// Lessons that share a teacher, a class or a member with `l` (their pinned sessions stay put).
    private func lessonsSharingPeople(_ l: Int) -> [Int] {
        let info = instance.lessons[l]
        let teachers = Set(info.teachers), leaves = Set(info.leaves), students = Set(info.students)
        return instance.lessons.indices.filter { m in
            let other = instance.lessons[m]
            return other.teachers.contains(where: teachers.contains) || other.leaves.contains(where: leaves.contains)
                || other.students.contains(where: students.contains)
        }
    }
}
