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
        let start = self, pressure = lessonPressures()
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
            placeLessons(weights, pressure: pressure, failures: failures)
            // The cheap steps first: on CONCORDIA (1,425 lessons) they leave a grid GLPK's repair
            // completes, where swapping from the greedy pass stayed short on seeds 2 and 3.
            placeShortLessons(&rng, until: restartsEnd, heartbeat: heartbeat)
            placeShortLessons(&rng, until: restartsEnd, swapping: true, heartbeat: heartbeat)
            let short = instance.lessons.indices.filter { placementsOf[$0].count < instance.lessons[$0].sessions }
            if short.count < best?.short ?? .max { best = (self, short.count, attempt) }
            if short.isEmpty { break }
            for l in short { failures[l] += 1 }
        }
        if let best { self = best.plan }
    }
}
