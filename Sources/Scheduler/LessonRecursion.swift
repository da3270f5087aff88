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
    /// Flex sessions never give way here (the walk's forced step evicts them): a first solve places
    /// its lessons before any flex session.
    mutating func placeRecursively(_ l: Int, nodes: inout Int, rng: inout SplitMix64) -> Bool {
        var kept = KeptPlacements(), changes: [LessonChange] = []
        return place(l, level: 0, kept: &kept, changes: &changes, nodes: &nodes, rng: &rng)
    }

    /// The placements a search has put in place, which it may not displace again: marks by id
    /// rather than a set, since every start of every node asks about each lesson in its way, and
    /// hashing those (and copying the set for every try) took a sixth of the search's time.
    private struct KeptPlacements {
        private var marked: [Bool] = []
        private(set) var ids: [Int] = []

        func contains(_ id: Int) -> Bool { id < marked.count && marked[id] }

        mutating func insert(_ id: Int) {
            if id >= marked.count { marked += repeatElement(false, count: id + 1 - marked.count) }
            marked[id] = true
            ids.append(id)
        }

        /// Forgets the placements kept after the first `count`.
        mutating func keepOnly(_ count: Int) {
            while ids.count > count { marked[ids.removeLast()] = false }
        }
    }

    /// The search changes the plan in place and takes back what a failed try did, newest first:
    /// copying the plan for every try was a third of the time on a week of 1,425 lessons.
    enum LessonChange { case placed(Int), removed(PlacedLesson) }

    /// Undoes `changes` back to the first `count`; a lesson put back gets the id it had, since
    /// `placeLesson` takes the id `removeLesson` freed last.
    mutating func undo(_ changes: inout [LessonChange], to count: Int) {
        while changes.count > count {
            switch changes.removeLast() {
            case .placed(let id): removeLesson(id)
            case .removed(let placed): placeLesson(placed)
            }
        }
    }

    private mutating func place(_ l: Int, level: Int, kept: inout KeptPlacements, changes: inout [LessonChange], nodes: inout Int,
                                rng: inout SplitMix64) -> Bool {
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
            let before = changes.count
            var displaced: [Int] = []
            for id in candidate.blockers {
                let placed = lessonPlacements[id]!
                changes.append(.removed(placed))
                displaced.append(placed.lesson)
                removeLesson(id)
            }
            guard lessonMayStart(l, at: candidate.p), let room = roomForLesson(l, at: candidate.p) else {
                undo(&changes, to: before)
                continue
            }
            width -= 1
            let id = placeLesson(PlacedLesson(lesson: l, slot: candidate.p, room: room))
            changes.append(.placed(id))
            let keptBefore = kept.ids.count
            kept.insert(id)
            var placedAll = true
            for m in displaced {
                guard place(m, level: level + 1, kept: &kept, changes: &changes, nodes: &nodes, rng: &rng) else { placedAll = false; break }
            }
            if placedAll { return true }
            kept.keepOnly(keptBefore)
            undo(&changes, to: before)
        }
        return false
    }
}
