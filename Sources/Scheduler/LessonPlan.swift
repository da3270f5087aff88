import Rules
import ScenarioKit
import WeekIndex

/// Class lessons in the plan: what the catalogue's lesson entries say about a start and a room, and
/// how lessons are put in place before the flex sessions fill the blocks they leave.
extension Plan {
    /// Whether every block a lesson of `l` from `p` fills is free in `row`.
    func isFree(_ row: [Int], lesson l: Int, from p: Int) -> Bool {
        instance.covered(lesson: l, from: p).allSatisfy { row[$0] == Plan.free }
    }

    /// Placement ids of lessons of `l`'s series closer in days to a start at `p` than
    /// `min-days-apart` asks (`prefer-days-apart` when `preferred`), the larger of the two lessons' values.
    func tooClose(_ l: Int, at p: Int, preferred: Bool = false) -> [Int] {
        let lessons = instance.lessons, series = lessons[l].series
        guard !series.isEmpty else { return [] }
        func apart(_ m: Int) -> Int { preferred ? lessons[m].preferDaysApart : lessons[m].minDaysApart }
        let d = instance.day(of: p), mine = apart(l)
        var ids: [Int] = []
        // Appended one by one: most starts have none too close, and then nothing is allocated
        // (recursive swapping asks this for every start at every node).
        for m in series {
            let need = max(mine, apart(m))
            guard need > 0 else { continue }
            for id in placementsOf[m] where abs(instance.day(of: lessonPlacements[id]!.slot) - d) < need { ids.append(id) }
        }
        return ids
    }

    /// Rooms that may host a lesson of `l` at `p` now, smallest first.
    func freeRooms(lesson l: Int, at p: Int) -> [Int] {
        instance.lessons[l].rooms.filter { r in ModelRule.lessonRoomFilters.allSatisfy { $0.allows(self, r, l, p) } }
    }

    /// Whether every catalogue entry lets a lesson of `l` start at `p` given the rest of the plan.
    func lessonMayStart(_ l: Int, at p: Int) -> Bool {
        instance.lessons[l].canStart[p] && ModelRule.lessonFilters.allSatisfy { $0.allows(self, l, p) }
    }

    /// The first catalogue rule that forbids a lesson of `l` at `p` in room `r`, for messages.
    package func lessonViolation(_ l: Int, at p: Int, room r: Int?) -> Rule? {
        for entry in ModelRule.all {
            if let qualifies = entry.lessonStartQualifies, !qualifies(instance, l, p) { return entry.rule }
            if let allowed = entry.lessonAllowed, !allowed(self, l, p) { return entry.rule }
            if let r {
                if let qualifies = entry.lessonRoomQualifies, !qualifies(instance, l, r) { return entry.rule }
                if let allowed = entry.lessonRoomAllowed, !allowed(self, r, l, p) { return entry.rule }
            }
        }
        return nil
    }

    /// The lesson's own share, its classes' and people's days: all that placing, removing or moving
    /// a lesson of `l` on `days` can change.
    func lessonTouched(_ l: Int, days: [Int]) -> Touched {
        var touched = Touched()
        let info = instance.lessons[l]
        touched.add(.lesson, l, 0)
        if let head = info.series.first, head != l { touched.add(.lesson, head, 0) }
        for d in days {
            for leaf in info.leaves { touched.add(.classDay, leaf, d) }
            for s in info.students { touched.add(.studentDay, s, d) }
            for t in info.teachers { touched.add(.teacherDay, t, d) }
        }
        return touched
    }

    /// The room a lesson takes at `p`: nil when it needs none, else the smallest free one (or `keep`).
    func roomForLesson(_ l: Int, at p: Int, keeping keep: Int? = nil) -> Int?? {
        guard instance.lessons[l].needsRoom else { return .some(nil) }
        let rooms = freeRooms(lesson: l, at: p)
        if let keep, rooms.contains(keep) { return keep }
        return rooms.first.map { .some($0) }
    }

    // MARK: placing

    /// The scenario's pinned lessons (`at`), before anything else takes their people or rooms, in
    /// rooms matched to all of them at once (`pinnedRooms`), each in the room `rooms` gives for its
    /// lesson and start (the baseline's) where the matching allows.
    mutating func placePinnedLessons(rooms baselineRooms: [[Int]: Int?] = [:]) throws(SolveFailure) {
        let pins = instance.lessons.indices.flatMap { l in instance.lessons[l].pinned.map { PinnedStart(lesson: l, slot: $0) } }
        let rooms = pinnedRooms(pins, preferring: baselineRooms)
        for (i, pin) in pins.enumerated() {
            let (l, p) = (pin.lesson, pin.slot)
            guard lessonMayStart(l, at: p), let room = rooms[i] else {
                let rule = lessonViolation(l, at: p, room: nil) ?? .lessonRoom
                let lesson = instance.scenario.lessons[l]
                throw SolveFailure(description: "lessons[\(lesson.id)]: the lesson pinned to \(instance.dayName(of: p)).\(instance.blockId(of: p)) cannot be kept: \(rule.id) \(rule.name); move the pin or free what it clashes with",
                                   isInputProblem: true)
            }
            placeLesson(PlacedLesson(lesson: l, slot: p, room: room, pinned: true))
        }
    }

    /// Every lesson, the most pressed first: a lesson whose teachers or classes have the fewest free
    /// blocks to spare for what they must hold. Lessons that failed in earlier attempts (`failures`)
    /// go first, most failures first. `pressure`: `lessonPressures()`, which restarts compute once.
    func placementOrder(pressure: [Double], failures: [Int]) -> [Int] {
        instance.lessons.indices.sorted { (failures[$0], pressure[$0], $1) > (failures[$1], pressure[$1], $0) }
    }

    /// Every lesson still short, one session of each lesson per round, in `order`
    /// (`placementOrder`). Round by round, so no lesson's last sessions are left to whatever the others spared.
    mutating func placeLessons(_ weights: ObjectiveWeights, order: [Int]) {
        let score = MoveScore(.lesson, weights)
        var placedOne = true
        while placedOne {
            placedOne = false
            for l in order where placementsOf[l].count < instance.lessons[l].sessions {
                guard let best = cheapestStart(l, score) else { continue }
                placeLesson(best)
                placedOne = true
            }
        }
    }

    /// Per lesson, the share of its free blocks the busiest of its teachers and classes must give to lessons.
    func lessonPressures() -> [Double] { instance.lessons.indices.map(lessonPressure) }

    private func lessonPressure(_ l: Int) -> Double {
        let info = instance.lessons[l]
        func load(_ who: KeyPath<Instance.LessonInfo, [Int]>, _ free: (Int) -> Int) -> [Double] {
            info[keyPath: who].map { w in
                let blocks = instance.lessons.filter { $0[keyPath: who].contains(w) }.reduce(0) { $0 + $1.sessions * $1.length }
                return Double(blocks) / Double(max(1, free(w)))
            }
        }
        let teachers = load(\.teachers) { t in instance.teachers[t].available.count(where: { $0 }) }
        let classes = load(\.leaves) { leaf in instance.leafAvailable[leaf].count(where: { $0 }) }
        return (teachers + classes).max() ?? 0
    }

    /// The placement of one more lesson of `l` that raises the objective least, with a gentle pull
    /// to days where its classes have fewer lessons (so no day fills up before the others).
    /// Starts that leave a member without days for her flex sessions (`leavesFlexDays`) come last.
    mutating func cheapestStart(_ l: Int, _ score: MoveScore) -> PlacedLesson? {
        var best: (placed: PlacedLesson, cost: Double)?, crowding: (placed: PlacedLesson, cost: Double)?
        for p in 0..<instance.slotCount where lessonMayStart(l, at: p) {
            guard let room = roomForLesson(l, at: p) else { continue }
            let d = instance.day(of: p), touched = lessonTouched(l, days: [d])
            let before = score.cost(self, touched)
            let id = placeLesson(PlacedLesson(lesson: l, slot: p, room: room))
            let after = score.cost(self, touched), roomy = leavesFlexDays(forLesson: l)
            removeLesson(id)
            let load = instance.lessons[l].leaves.reduce(0) { sum, leaf in sum + instance.slots(ofDay: d).count { classAt[leaf][$0] != Plan.free } }
            let cost = after - before + 0.1 * Double(load)
            if roomy, cost < (best?.cost ?? .infinity) { best = (PlacedLesson(lesson: l, slot: p, room: room), cost) }
            if !roomy, cost < (crowding?.cost ?? .infinity) { crowding = (PlacedLesson(lesson: l, slot: p, room: room), cost) }
        }
        return (best ?? crowding)?.placed
    }
}
