import SeededRandom
import WeekIndex

/// FET's recursive swapping, for what the random walk of ejection chains leaves short: a lesson
/// takes a start, the lessons in its way are placed again the same way one level deeper, and none
/// of the lessons placed on the way may be displaced again; if any of them finds no place, the whole
/// try is undone. On weeks where a teacher is booked 36 of her 40 blocks with double lessons that
/// must not cross her free hour, the walk circles where this depth-first search settles it.
extension Plan {
    /// Places one more lesson of `l` without leaving any other lesson short, or returns false with
    /// the plan unchanged. `nodes` bounds the starts tried in all.
    mutating func placeRecursively(_ l: Int, depth: Int, nodes: inout Int, rng: inout SplitMix64) -> Bool {
        var kept = Set<Int>()
        return place(l, depth: depth, kept: &kept, nodes: &nodes, rng: &rng)
    }

    private mutating func place(_ l: Int, depth: Int, kept: inout Set<Int>, nodes: inout Int, rng: inout SplitMix64) -> Bool {
        var ranked: [(p: Int, blockers: [Int], key: Double)] = []
        for p in 0..<instance.slotCount where instance.lessons[l].canStart[p] {
            guard let blockers = lessonsBlocking(l, at: p), blockers.allSatisfy({ !kept.contains($0) }) else { continue }
            if blockers.count > depth + 1 { continue }
            ranked.append((p, blockers, Double(blockers.count) + rng.unit() * 0.9))
        }
        for candidate in ranked.sorted(by: { $0.key < $1.key }) {
            guard nodes > 0 else { return false }
            nodes -= 1
            if !candidate.blockers.isEmpty && depth == 0 { continue }
            var trial = self
            let displaced = candidate.blockers.map { trial.lessonPlacements[$0]!.lesson }
            for id in candidate.blockers { trial.removeLesson(id) }
            guard trial.evictFlex(for: l, at: candidate.p) != nil, trial.lessonMayStart(l, at: candidate.p),
                  let room = trial.roomForLesson(l, at: candidate.p) else { continue }
            var trialKept = kept
            trialKept.insert(trial.placeLesson(PlacedLesson(lesson: l, slot: candidate.p, room: room)))
            var placedAll = true
            for m in displaced {
                guard trial.place(m, depth: depth - 1, kept: &trialKept, nodes: &nodes, rng: &rng) else { placedAll = false; break }
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
