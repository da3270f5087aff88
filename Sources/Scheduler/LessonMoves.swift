import Foundation
import WeekIndex

/// Lessons and flex sessions optimised together, without GLPK: a lesson moves to another start, and
/// when flex sessions of its members, teachers or room hold that start, they move to the blocks the
/// lesson leaves (a swap). Each move is scored on the terms it can change and kept only when the
/// objective falls, so the flex side is never paid for a better lesson grid or the other way round.
extension Plan {
    /// One pass over every lesson not pinned, keeping the best move of each that lowers the
    /// objective; true if any was kept.
    /// `guardingFlexDays`: while the lessons' grid is polished alone, no move may leave a member
    /// fewer days for her flex sessions than she has left (`leavesFlexDays`).
    mutating func moveLessonsForComfort(_ weights: ObjectiveWeights, until deadline: Date = .distantFuture,
                                        guardingFlexDays: Bool = false) -> Bool {
        let score = MoveScore([.lesson, .slot], weights)
        var improved = false
        for x in lessonPlacements.indices where Date() < deadline {
            guard let old = lessonPlacements[x], !old.pinned else { continue }
            var best: (plan: Plan, gain: Double)?
            let roomyBefore = !guardingFlexDays || leavesFlexDays(forLesson: old.lesson)
            for q in 0..<instance.slotCount where q != old.slot && instance.lessons[old.lesson].canStart[q] {
                guard let (trial, touched) = moved(x, to: q), !roomyBefore || !guardingFlexDays || trial.leavesFlexDays(forLesson: old.lesson)
                else { continue }
                let gain = score.cost(trial, touched) - score.cost(self, touched)
                if gain < -1e-9, gain < (best?.gain ?? 0) { best = (trial, gain) }
            }
            // A class whose week is full has no free start to move to: it trades places with
            // another lesson of one of its classes (FET's schools fill nearly every block).
            for y in swapPartners(of: x) {
                guard let (trial, touched) = swapped(x, y), !roomyBefore || !guardingFlexDays || trial.leavesFlexDays(forLesson: old.lesson)
                else { continue }
                let gain = score.cost(trial, touched) - score.cost(self, touched)
                if gain < -1e-9, gain < (best?.gain ?? 0) { best = (trial, gain) }
            }
            if let best {
                self = best.plan
                improved = true
            }
        }
        return improved
    }

    /// The plan with lesson placement `x` moved to start `q`, and the keys the move touched; flex
    /// sessions in its way at `q` shift by the same distance into the blocks it left. Nil when
    /// anything else is in the way, or a shifted session breaks a rule there.
    func moved(_ x: Int, to q: Int) -> (Plan, Touched)? {
        guard let old = lessonPlacements[x] else { return nil }
        let l = old.lesson, info = instance.lessons[l], p = old.slot
        var trial = self
        trial.removeLesson(x)
        let covered = instance.covered(lesson: l, from: q)
        // Cheap refusals first: classes, fixed sessions and other lessons never give way.
        for t in covered {
            for leaf in info.leaves where trial.classAt[leaf][t] != Plan.free { return nil }
            for s in info.students where trial.studentAt[s][t] < Plan.free { return nil }
            for teacher in info.teachers where trial.teacherAt[teacher][t] < Plan.free { return nil }
        }
        var blocking = Set<Int>()
        for t in covered {
            for s in info.students where trial.studentAt[s][t] >= 0 { blocking.insert(trial.studentAt[s][t]) }
            for teacher in info.teachers where trial.teacherAt[teacher][t] >= 0 { blocking.insert(trial.teacherAt[teacher][t]) }
        }
        if info.needsRoom, trial.freeRooms(lesson: l, at: q).isEmpty {
            // Its old room, if a flex session holds it at `q`, goes with the swap.
            if let r = old.room, covered.allSatisfy({ trial.roomAt[r][$0] >= 0 || trial.roomAt[r][$0] == Plan.free }) {
                for t in covered where trial.roomAt[r][t] >= 0 { blocking.insert(trial.roomAt[r][t]) }
            } else {
                return nil
            }
        }
        var touched = lessonTouched(l, days: orderedUnique([instance.day(of: p), instance.day(of: q)]))
        var shifted: [PlannedSession] = []
        for id in blocking.sorted() {
            guard let session = trial.sessions[id], !session.pinned else { return nil }
            let start = session.slot - q + p
            guard start >= 0, start < instance.slotCount, instance.activities[session.activity].canStart[start],
                  instance.day(of: start) == instance.day(of: p) else { return nil }
            var moved = session
            moved.slot = start
            shifted.append(moved)
            trial.remove(id)
            touched.add(Touched.weeks(of: session.students, in: instance))
            for d in [instance.day(of: session.slot), instance.day(of: start)] {
                touched.add(Touched.staffDay(teacher: session.teacher, room: session.room, day: d))
            }
        }
        guard trial.lessonMayStart(l, at: q), let room = trial.roomForLesson(l, at: q, keeping: old.room) else { return nil }
        trial.placeLesson(PlacedLesson(lesson: l, slot: q, room: room))
        for session in shifted {
            guard trial.violation(of: session) == nil else { return nil }
            trial.add(session)
        }
        if let room { touched.add(.roomDay, room, instance.day(of: q)) }
        return (trial, touched)
    }

    /// Lesson placements of the same length as `x` that share a class with it, not pinned, after it.
    func swapPartners(of x: Int) -> [Int] {
        guard let old = lessonPlacements[x] else { return [] }
        let info = instance.lessons[old.lesson], leaves = Set(info.leaves)
        guard !leaves.isEmpty else { return [] }
        return lessonPlacements.indices.filter { y in
            guard y != x, let other = lessonPlacements[y], !other.pinned, other.lesson != old.lesson else { return false }
            let mate = instance.lessons[other.lesson]
            return mate.length == info.length && instance.day(of: other.slot) != instance.day(of: old.slot)
                && mate.leaves.contains(where: leaves.contains)
        }
    }

    /// The plan with lesson placements `x` and `y` trading starts (each keeping its room where it
    /// may), and the keys the swap touched; nil when either may not start at the other's place.
    func swapped(_ x: Int, _ y: Int) -> (Plan, Touched)? {
        guard let a = lessonPlacements[x], let b = lessonPlacements[y] else { return nil }
        var trial = self
        trial.removeLesson(x)
        trial.removeLesson(y)
        guard trial.lessonMayStart(a.lesson, at: b.slot), let roomA = trial.roomForLesson(a.lesson, at: b.slot, keeping: a.room) else { return nil }
        trial.placeLesson(PlacedLesson(lesson: a.lesson, slot: b.slot, room: roomA))
        guard trial.lessonMayStart(b.lesson, at: a.slot), let roomB = trial.roomForLesson(b.lesson, at: a.slot, keeping: b.room) else { return nil }
        trial.placeLesson(PlacedLesson(lesson: b.lesson, slot: a.slot, room: roomB))
        let days = orderedUnique([instance.day(of: a.slot), instance.day(of: b.slot)])
        var touched = lessonTouched(a.lesson, days: days)
        touched.add(lessonTouched(b.lesson, days: days))
        for (room, slot) in [(a.room, a.slot), (b.room, b.slot), (roomA, b.slot), (roomB, a.slot)] {
            if let room { touched.add(.roomDay, room, instance.day(of: slot)) }
        }
        return (trial, touched)
    }
}
