import SeededRandom
import WeekIndex

/// FET's recursive swapping (Lalescu; FET's `algorithm-details.txt`), for what the greedy pass
/// leaves short: a lesson takes the start where the fewest lessons are in its way, those are placed
/// again the same way one level deeper, and none of the lessons placed on the way may be displaced
/// again; if any of them finds no place, that start is undone and the next is tried. As in FET, the
/// first five levels try every start and deeper levels only the best, down to level 14: a narrow
/// deep search settles what a wide shallow one (six levels, every start) left short on FET's dense
/// Namibian schools, where teachers are booked 36 of their 40 blocks.
extension Plan {
    /// FET's deepest level of recursion.
    static let swapLevels = 14
    /// Levels that try every start; below them only the best one is tried.
    static let wideSwapLevels = 5

    /// Places one more lesson of `l` without leaving any other lesson short, or returns false with
    /// the plan unchanged. `nodes` bounds the lessons placed on the way in all (FET: twice the week's lessons).
    mutating func placeRecursively(_ l: Int, nodes: inout Int, rng: inout SplitMix64) -> Bool {
        var kept = Set<Int>()
        return place(l, level: 0, kept: &kept, nodes: &nodes, rng: &rng)
    }

    private mutating func place(_ l: Int, level: Int, kept: inout Set<Int>, nodes: inout Int, rng: inout SplitMix64) -> Bool {
        guard nodes > 0 else { return false }
        nodes -= 1
        var ranked: [(p: Int, blockers: [Int], key: Double)] = []
        for p in 0..<instance.slotCount where instance.lessons[l].canStart[p] {
            guard let blockers = lessonsBlocking(l, at: p), !blockers.contains(where: kept.contains) else { continue }
            if !blockers.isEmpty, level + 1 >= Plan.swapLevels { continue }
            ranked.append((p, blockers, Double(blockers.count) + rng.unit() * 0.9))
        }
        var width = level < Plan.wideSwapLevels ? ranked.count : 1
        for candidate in ranked.sorted(by: { $0.key < $1.key }) where width > 0 && nodes > 0 {
            var trial = self
            let displaced = candidate.blockers.map { trial.lessonPlacements[$0]!.lesson }
            for id in candidate.blockers { trial.removeLesson(id) }
            guard trial.evictFlex(for: l, at: candidate.p) != nil, trial.lessonMayStart(l, at: candidate.p),
                  let room = trial.roomForLesson(l, at: candidate.p) else { continue }
            width -= 1
            var trialKept = kept
            trialKept.insert(trial.placeLesson(PlacedLesson(lesson: l, slot: candidate.p, room: room)))
            var placedAll = true
            for m in displaced {
                guard trial.place(m, level: level + 1, kept: &trialKept, nodes: &nodes, rng: &rng) else { placedAll = false; break }
            }
            if placedAll {
                self = trial
                kept = trialKept
                return true
            }
        }
        return false
    }
}
