/// What FET's generator remembers between the steps of its walk (Lalescu's `generate.cpp`), for the
/// swapping walk (`placeShortLessons(swappingIn:)`). FET places activities in an order, hardest first;
/// when no recursive swap places one, it forces it in and the activities it displaced come next,
/// just after it in the order, so an activity that keeps failing moves ahead of those it displaces.
/// It counts how often each activity was displaced from each start (`triedRemovals`), and forces
/// an activity where the displaced were displaced from their starts least often, then fewest
/// removals in all, then fewest displaced, then where one of them comes earliest in the order (so
/// the grid placed first is renewed and no restart is needed). The walk this replaces forced
/// lessons where they displaced fewest, with a short tabu, and left 1-6 lessons of five of FET's
/// dense Namibian schools short in 60 s; forcing them where the displaced come latest in the order
/// (FET's older rule) left FGPS 4 short where this placed all.
struct SwapMemory {
    /// Each lesson's place in the order: lower goes first and is displaced last.
    private var rank: [Int]
    private var nextRank: Int
    /// Times a lesson was displaced from a start, by `lesson * slotCount + start`. FET forgets a
    /// count only after activities times starts newer ones; a walk of a minute never gets there.
    private var removals: [Int: Int] = [:]
    private let slotCount: Int

    /// `order`: every lesson once, hardest first (the greedy pass's order).
    init(order: [Int], slotCount: Int) {
        rank = Array(repeating: 0, count: order.count)
        for (i, l) in order.enumerated() { rank[l] = i }
        nextRank = order.count
        self.slotCount = slotCount
    }

    /// `pool` in the order lessons are placed: by rank.
    func sorted(_ pool: [Int]) -> [Int] { pool.sorted { rank[$0] < rank[$1] } }

    /// How FET ranks forcing a lesson in where `displaced` (lesson, start) must go; lower is better.
    func cost(displacing displaced: [(lesson: Int, slot: Int)]) -> (Int, Int, Int, Int) {
        var fewest = Int.max, earliest = Int.max, total = 0
        for d in displaced {
            let count = removals[d.lesson * slotCount + d.slot] ?? 0
            fewest = min(fewest, count)
            earliest = min(earliest, rank[d.lesson])
            total += count
        }
        return (fewest, total, displaced.count, earliest)
    }

    /// Lesson `l` forced its way in, displacing `displaced`: they are counted, and they follow it
    /// in the order (in their own order). Returns the displaced lessons in the order to place them.
    mutating func forced(_ l: Int, displacing displaced: [(lesson: Int, slot: Int)]) -> [Int] {
        for d in displaced { removals[d.lesson * slotCount + d.slot, default: 0] += 1 }
        let next = sorted(displaced.map(\.lesson))
        rank[l] = nextRank
        nextRank += 1
        for m in next where m != l {
            rank[m] = nextRank
            nextRank += 1
        }
        return next
    }
}

extension Plan {
    /// FET's measure of how hard an activity is to place, which orders its walk: per lesson, the
    /// blocks of every lesson that shares a teacher, class or member with it (its own sessions
    /// included) and the starts it may never take, times its length. A lesson that several
    /// teachers teach to several classes at once comes first, where its teachers' and classes'
    /// share of the week (`lessonPressures`) ranks it with their other lessons.
    func lessonConflictLoads() -> [Double] {
        let lessons = instance.lessons
        return lessons.indices.map { l in
            let own = lessons[l]
            let sharing = lessons.indices.filter { m in
                lessons[m].teachers.contains(where: own.teachers.contains) || lessons[m].leaves.contains(where: own.leaves.contains)
                    || lessons[m].students.contains(where: own.students.contains)
            }
            let blocks = sharing.reduce(0) { $0 + lessons[$1].sessions * lessons[$1].length }
            return Double(own.length * (blocks + own.canStart.count { !$0 }))
        }
    }
}
