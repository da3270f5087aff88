import Foundation
import SeededRandom

/// FET's outer loop for dense weeks: when lessons stay short after the ejection chains, start the
/// lesson grid again from the pins and the baseline with the lessons that failed placed first
/// (most failures first). On FET's Namibian schools the chains alone left up to 11 lessons
/// unplaced whatever their budget; restarts that learn which lessons are hard place them.
extension Plan {
    /// Stops at the first attempt with nothing short, after `patience` attempts without a new best,
    /// after `maxAttempts`, or at `deadline`; keeps the best attempt (fewest lessons short).
    mutating func placeLessonsWithRestarts(_ weights: ObjectiveWeights, _ rng: inout SplitMix64, until deadline: Date,
                                           maxAttempts: Int = 200, patience: Int = 12, heartbeat: Heartbeat? = nil) {
        let start = self, pressure = lessonPressures(), conflicts = lessonConflictLoads()
        var failures = [Int](repeating: 0, count: instance.lessons.count)
        var best: (plan: Plan, short: Int, attempt: Int)?
        // Restarts may use half the time left, so flex sessions and polishing keep the rest; the
        // first walk too, so GLPK's repair (`repairShortLessons`) and the restarts keep a share
        // when a swapping walk stays stuck (a swapping walk once stayed a lesson short of
        // CONCORDIA's 1,425 for the whole 60 s).
        let restartsEnd = Date(timeIntervalSinceNow: max(0, deadline.timeIntervalSinceNow) / 2)
        for attempt in 0..<maxAttempts {
            if attempt > 0 {
                guard Date() < restartsEnd, attempt - best!.attempt <= patience, heartbeat?.cancelled != true else { break }
                self = start
            }
            let order = placementOrder(pressure: pressure, failures: failures)
            placeLessons(weights, order: order)
            // The cheap walk first: it settles most weeks in a fraction of a second, and it heeds
            // the flex sessions' days, which FET's walk does not.
            placeShortLessons(&rng, until: restartsEnd, heartbeat: heartbeat)
            if baseline.lessons.isEmpty, shortLessonCount > 0 {
                placeBySwapping(from: start, conflicts: conflicts, failures: &failures, &rng, until: restartsEnd, heartbeat: heartbeat)
            }
            let short = shortLessons
            if short.count < best?.short ?? .max { best = (self, short.count, attempt) }
            if short.isEmpty { break }
            for l in short { failures[l] += 1 }
        }
        if let best { self = best.plan }
    }

    /// FET's generator from the pins alone (`placeShortLessons(swappingIn:)`), in FET's order of
    /// difficulty (`lessonConflictLoads`), the lessons that failed first: from the greedy grid its
    /// walk left 1-6 lessons of five dense Namibian schools short that it placed from the pins, and
    /// in the greedy pass's order it placed JMSS's 1,032 in 18 s where FET's order took 8 s.
    /// A walk without a new best for `swapPatience` steps starts again, `swapWalks` times at most
    /// (a week with a lesson no grid can hold would otherwise walk until the deadline); of these
    /// grids and the one it is given, keeps the one with fewest short (on JMSS, seed 3, a walk
    /// stayed 35 short for 11,000 steps, where walks that placed everything went at most 1,641
    /// between bests, and the next walk placed all).
    private mutating func placeBySwapping(from start: Plan, conflicts: [Double], failures: inout [Int], _ rng: inout SplitMix64,
                                          until deadline: Date, heartbeat: Heartbeat?) {
        var best = self
        for _ in 0..<Plan.swapWalks where Date() < deadline && heartbeat?.cancelled != true && best.shortLessonCount > 0 {
            self = start
            placeShortLessons(&rng, until: deadline, patience: Plan.swapPatience,
                              swappingIn: placementOrder(pressure: conflicts, failures: failures), heartbeat: heartbeat)
            if shortLessonCount < best.shortLessonCount { best = self }
            for l in shortLessons { failures[l] += 1 }
        }
        self = best
    }

    /// Lessons with a session not placed.
    var shortLessons: [Int] {
        instance.lessons.indices.filter { placementsOf[$0].count < instance.lessons[$0].sessions }
    }

    /// Lesson sessions not placed.
    private var shortLessonCount: Int {
        instance.lessons.indices.reduce(0) { $0 + instance.lessons[$1].sessions - placementsOf[$1].count }
    }
}
