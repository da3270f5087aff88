import WeekIndex

/// A pinned lesson: which lesson, and where one of its lessons starts.
struct PinnedStart: Sendable, Hashable {
    var lesson: Int
    var slot: Int
}

extension Plan {
    /// A room for every pinned lesson at once, so that no two overlapping pins share one: a bipartite
    /// matching by augmenting paths (a pin takes a room another overlapping pin holds when that one
    /// can move on to another). Placing pins one by one in the smallest free room failed the frozen
    /// grid of the two-step benchmark (planted L week, seeds 1 and 2) though a matching existed.
    /// Per pin: `.some(nil)` for a lesson without a room, nil when no matching gives it one.
    func pinnedRooms(_ pins: [PinnedStart], preferring preferred: [[Int]: Int?]) -> [Int??] {
        // Rooms each pin may ever have there, the preferred (baseline) room first; fixed sessions and
        // closures are all the plan holds yet.
        let candidates: [[Int]] = pins.map { pin in
            let free = freeRooms(lesson: pin.lesson, at: pin.slot)
            let first = (preferred[[pin.lesson, pin.slot]] ?? nil).flatMap { free.contains($0) ? $0 : nil }
            return (first.map { [$0] } ?? []) + free.filter { $0 != first }
        }
        func overlap(_ i: Int, _ j: Int) -> Bool {
            let a = instance.covered(lesson: pins[i].lesson, from: pins[i].slot), b = instance.covered(lesson: pins[j].lesson, from: pins[j].slot)
            return a.overlaps(b)
        }
        var roomOf: [Int?] = pins.map { _ in nil }
        func assign(_ i: Int, _ visited: inout Set<Int>) -> Bool {
            for r in candidates[i] {
                let holders = pins.indices.filter { $0 != i && roomOf[$0] == r && overlap(i, $0) }
                if holders.isEmpty {
                    roomOf[i] = r
                    return true
                }
                guard holders.count == 1, let j = holders.first, visited.insert(j).inserted else { continue }
                roomOf[j] = nil
                roomOf[i] = r
                if assign(j, &visited) { return true }
                roomOf[i] = nil
                roomOf[j] = r
            }
            return false
        }
        // Pins with the fewest rooms first: they have the least choice.
        for i in pins.indices.sorted(by: { (candidates[$0].count, $0) < (candidates[$1].count, $1) })
        where instance.lessons[pins[i].lesson].needsRoom {
            var visited: Set<Int> = [i]
            _ = assign(i, &visited)
        }
        return pins.indices.map { i in instance.lessons[pins[i].lesson].needsRoom ? roomOf[i].map { .some($0) } : .some(nil) }
    }
}
