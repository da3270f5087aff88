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

    /// The lessons' grid: one greedy pass and its ejection chains, then the repair; only when
    /// lessons stay short, restarts that learn which lessons are hard (`placeLessonsWithRestarts`)
    /// and the repair again, keeping whichever grid leaves fewer short. On MAPSY16T1d (688
    /// lessons) the repair right after the first pass placed all in 3 s; restarts first took 20 s.
    mutating func placeLessons(heartbeat: Heartbeat) throws(SolveFailure) {
        let empty = plan
        plan.placeLessonsWithRestarts(weights, &rng, until: deadline, maxAttempts: 1, heartbeat: heartbeat)
        let proven = try repairShortLessons(heartbeat: heartbeat)
        guard plan.shortLessons.contains(where: { !proven.contains($0) }), !shouldStop() else { return }
        let first = plan
        plan = empty
        plan.placeLessonsWithRestarts(weights, &rng, until: deadline, heartbeat: heartbeat)
        _ = try repairShortLessons(heartbeat: heartbeat)
        if plan.shortLessons.count > first.shortLessons.count {
            plan = first
        }
    }

    /// Returns the lessons proven short: a piece holding every lesson of the week could not place
    /// one more of them (GLPK's optimum), so nothing the search does can (on a week built to leave
    /// lessons unplaced, trying them again took the time its flex sessions needed).
    mutating func repairShortLessons(heartbeat: Heartbeat) throws(SolveFailure) -> Set<Int> {
        // Half of what is left at most, so flex sessions and polishing keep the rest.
        let repairEnd = Date(timeIntervalSinceNow: max(0, deadline.timeIntervalSinceNow) / 2)
        var best = (plan: plan, short: plan.shortLessons.count), fruitless = 0
        var proven = Set<Int>()
        while best.short > 0, fruitless < Search.repairRounds, !shouldStop(), Date() < repairEnd {
            for l in plan.shortLessons where !proven.contains(l) && !shouldStop() && Date() < repairEnd {
                if try placeByRepair(l) { proven.insert(l) }
            }
            guard plan.shortLessons.contains(where: { !proven.contains($0) }) else { break }
            let short = plan.shortLessons.count
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
            plan.placeShortLessons(&rng, until: repairEnd, patience: 200 * short, keepingLast: true, heartbeat: heartbeat)
        }
        if plan.shortLessons.count > best.short { plan = best.plan }
        return proven
    }

    /// Pieces around `l` until one places another session of it, or `repairTries` have not; true
    /// when a piece holding every lesson proved it cannot be placed.
    private mutating func placeByRepair(_ l: Int) throws(SolveFailure) -> Bool {
        for _ in 0..<Search.repairTries where !shouldStop() {
            let before = plan.placementsOf[l].count
            guard before < instance.lessons[l].sessions else { return false }
            let piece = repairPiece(around: l)
            let hood = Neighbourhood(days: Array(0..<instance.dayCount), activities: [], lessonsAcrossDays: piece,
                                     placing: Array(repeating: l, count: instance.lessons[l].sessions - before))
            let limits = limits(timeLimit: min(max(0.5, deadline.timeIntervalSinceNow / 20), 2))
            guard let solved = try solveNeighbourhood(hood, of: plan, held: HeldCapacity(), weights: subproblemWeights.unmetOnly,
                                                      limits: limits).get() else { return false }
            try keep(solved, hood: hood, forBound: false)
            if plan.placementsOf[l].count > before { return false }
            if piece.count == instance.lessons.count, solved.result.status == .optimal { return true }
        }
        return false
    }

    /// The lessons of `l`'s teachers and classes, and those of one or two other teachers or classes
    /// of theirs, at random, while the piece stays within `repairPlacements`.
    private mutating func repairPiece(around l: Int) -> [Int] {
        let lessons = instance.lessons, own = lessons[l]
        var piece = Set(lessons.indices.filter { sharesPeople($0, teachers: Set(own.teachers), leaves: Set(own.leaves), students: Set(own.students)) })
        let teachers = Set(piece.flatMap { lessons[$0].teachers }).subtracting(own.teachers).sorted()
        let leaves = Set(piece.flatMap { lessons[$0].leaves }).subtracting(own.leaves).sorted()
        let people = teachers.map { (teacher: true, index: $0) } + leaves.map { (teacher: false, index: $0) }
        for _ in 0..<(1 + rng.int(0...1)) where !people.isEmpty {
            let person = people[rng.int(0...(people.count - 1))]
            let theirs = lessons.indices.filter { (person.teacher ? lessons[$0].teachers : lessons[$0].leaves).contains(person.index) }
            let wider = piece.union(theirs)
            if wider.reduce(0, { $0 + plan.placementsOf[$1].count }) <= Search.repairPlacements { piece = wider }
        }
        return piece.sorted()
    }

    /// Whether lesson `m` has one of these teachers, classes or members.
    private func sharesPeople(_ m: Int, teachers: Set<Int>, leaves: Set<Int>, students: Set<Int>) -> Bool {
        let other = instance.lessons[m]
        return other.teachers.contains(where: teachers.contains) || other.leaves.contains(where: leaves.contains)
            || other.students.contains(where: students.contains)
    }
}
