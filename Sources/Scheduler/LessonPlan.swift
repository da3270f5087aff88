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

    /// The scenario's pinned lessons (`at`), before anything else takes their people or rooms.
    mutating func placePinnedLessons() throws(SolveFailure) {
        for (l, info) in instance.lessons.enumerated() {
            for p in info.pinned {
                let room = roomForLesson(l, at: p)
                guard lessonMayStart(l, at: p), let room else {
                    let rule = lessonViolation(l, at: p, room: nil) ?? .lessonRoom
                    let lesson = instance.scenario.lessons[l]
                    throw SolveFailure(description: "lessons[\(lesson.id)]: the lesson pinned to \(instance.dayName(of: p)).\(instance.blockId(of: p)) cannot be kept: \(rule.id) \(rule.name); move the pin or free what it clashes with",
                                       isInputProblem: true)
                }
                placeLesson(PlacedLesson(lesson: l, slot: p, room: room, pinned: true))
            }
        }
    }

    /// Every lesson still short, hardest first, each at the start that costs least now: its own
    /// preferences, and the idle blocks it makes or closes for its classes and teachers.
    mutating func placeLessons(_ weights: ObjectiveWeights) {
        let order = instance.lessons.indices.sorted { a, b in
            let x = instance.lessons[a], y = instance.lessons[b]
            let slackA = x.canStart.count(where: { $0 }) - x.sessions * x.length, slackB = y.canStart.count(where: { $0 }) - y.sessions * y.length
            return (slackA, -x.students.count, -x.teachers.count, a) < (slackB, -y.students.count, -y.teachers.count, b)
        }
        let score = MoveScore(.lesson, weights)
        for l in order {
            while placementsOf[l].count < instance.lessons[l].sessions, let best = cheapestStart(l, score) {
                placeLesson(best)
            }
        }
    }

    /// The placement of one more lesson of `l` that raises the objective least, with a gentle pull
    /// to days where its classes have fewer lessons (so no day fills up before the others).
    private mutating func cheapestStart(_ l: Int, _ score: MoveScore) -> PlacedLesson? {
        var best: (placed: PlacedLesson, cost: Double)?
        for p in 0..<instance.slotCount where lessonMayStart(l, at: p) {
            guard let room = roomForLesson(l, at: p) else { continue }
            let d = instance.day(of: p), touched = lessonTouched(l, days: [d])
            let before = score.cost(self, touched)
            let id = placeLesson(PlacedLesson(lesson: l, slot: p, room: room))
            let after = score.cost(self, touched)
            removeLesson(id)
            let load = instance.lessons[l].leaves.reduce(0) { sum, leaf in sum + instance.slots(ofDay: d).count { classAt[leaf][$0] != Plan.free } }
            let cost = after - before + 0.1 * Double(load)
            if cost < (best?.cost ?? .infinity) { best = (PlacedLesson(lesson: l, slot: p, room: room), cost) }
        }
        return best?.placed
    }

    /// Lessons the greedy pass left short: each takes a start whose only obstacles are flex
    /// sessions, which give up the seats it needs (or, when they hold its teacher or room, go
    /// altogether); the students who lose a seat are seated again afterwards. An unplaced lesson
    /// outweighs every flex session, so this is always worth it.
    mutating func placeShortLessonsEvictingFlex() {
        for l in instance.lessons.indices {
            while placementsOf[l].count < instance.lessons[l].sessions {
                var best: (plan: Plan, lost: Int)?
                for p in 0..<instance.slotCount where instance.lessons[l].canStart[p] {
                    var trial = self
                    guard let lost = trial.evictFlex(for: l, at: p), lost < (best?.lost ?? .max),
                          trial.lessonMayStart(l, at: p), let room = trial.roomForLesson(l, at: p) else { continue }
                    trial.placeLesson(PlacedLesson(lesson: l, slot: p, room: room))
                    best = (trial, lost)
                }
                guard let best else { break }
                self = best.plan
            }
        }
    }

    /// Frees the blocks a lesson of `l` at `p` fills of flex sessions; the seats given up, or nil
    /// when a fixed session or another lesson is in the way (or a pinned flex session).
    private mutating func evictFlex(for l: Int, at p: Int) -> Int? {
        let info = instance.lessons[l], covered = instance.covered(lesson: l, from: p)
        var ids = Set<Int>()
        for q in covered {
            for s in info.students where studentAt[s][q] != Plan.free { guard studentAt[s][q] >= 0 else { return nil }; ids.insert(studentAt[s][q]) }
            for t in info.teachers where teacherAt[t][q] != Plan.free { guard teacherAt[t][q] >= 0 else { return nil }; ids.insert(teacherAt[t][q]) }
            for leaf in info.leaves where classAt[leaf][q] != Plan.free { return nil }
        }
        var lost = 0
        let members = Set(info.students)
        for id in ids.sorted() {
            guard let session = sessions[id], !session.pinned else { return nil }
            let staying = session.students.filter { !members.contains($0) }
            let leadsIt = session.teacher.map(info.teachers.contains) ?? false
            if leadsIt || staying.count < instance.activities[session.activity].min {
                lost += session.students.count
                remove(id)
            } else {
                lost += session.students.count - staying.count
                var kept = session
                kept.students = staying
                replace(id, with: kept)
            }
        }
        // A room held by a flex session is given up only when no other room is free.
        if info.needsRoom, freeRooms(lesson: l, at: p).isEmpty {
            let rows = roomAt
            guard let r = info.rooms.first(where: { r in covered.allSatisfy { rows[r][$0] >= 0 || rows[r][$0] == Plan.free } }) else { return nil }
            for id in Set(covered.map { roomAt[r][$0] }) where id >= 0 {
                guard let session = sessions[id], !session.pinned else { return nil }
                lost += session.students.count
                remove(id)
            }
        }
        return lost
    }
}
