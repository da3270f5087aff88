import Foundation
import SeededRandom
import WeekIndex

/// Lessons the greedy pass left short, placed by ejection chains, as school timetablers place class
/// lessons (FET's recursive swapping is one): a short lesson takes the start where it displaces the
/// fewest other lessons, and those go back to the pool of lessons to place. A displaced lesson may
/// not return to the start it left for a while (tabu), so the chain moves on instead of circling.
/// The best state seen (fewest short) is kept. In a first solve each step tries FET's recursive
/// swapping (`placeRecursively`) first and forces the lesson in only when that fails, as FET does: on
/// FET's four densest Namibian schools this placed every lesson in 8-24 s, where the walk with the
/// search only after it left 2-9 short in 60 s. An unplaced lesson outweighs every flex session, so
/// flex sessions in the way give up their seats (or go, when they hold the lesson's teacher or room).
extension Plan {
    ///
    /// It runs until nothing is short, `patience` steps pass without a new best (40 per lesson of the
    /// week; 400 placed only 2 of 11 more on FET's dense Namibian schools in 60 s), or the deadline.
    /// `keepingLast`: of the states with fewest short, keep the last one reached rather than the
    /// first, so a caller that alternates with other moves (`repairShortLessons`) meets a new grid.
    /// `heartbeat` hears of the walk every 64 steps (every step while swapping) and may stop it (a cancel).
    mutating func placeShortLessons(_ rng: inout SplitMix64, until deadline: Date, patience: Int? = nil, keepingLast: Bool = false,
                                    heartbeat: Heartbeat? = nil) {
        var pool = instance.lessons.indices.flatMap { l in Array(repeating: l, count: instance.lessons[l].sessions - placementsOf[l].count) }
        guard !pool.isEmpty else { return }
        let patience = patience ?? 40 * instance.lessons.reduce(0) { $0 + $1.sessions }
        var best = (plan: self, short: pool.count, step: 0)
        var tabu: [Int: Int] = [:]
        var step = -1
        // FET's step (in a first solve: swapping moves lessons a re-solve would keep where they
        // are): recursive swapping first, and only when it fails does the lesson force its way in.
        let swapping = baseline.lessons.isEmpty, swapNodes = 2 * instance.lessons.reduce(0) { $0 + $1.sessions }
        while !pool.isEmpty, step - best.step < patience {
            step += 1
            // A swapping step may take a tenth of a second: the deadline is checked at every one.
            if step % (swapping ? 1 : 64) == 0, Date() >= deadline || heartbeat?.beat(self) == false { break }
            let l = pool.remove(at: rng.int(0...(pool.count - 1)))
            var nodes = swapNodes
            if !swapping || !placeRecursively(l, nodes: &nodes, rng: &rng) {
                guard let (trial, displaced) = cheapestEjection(l, step: step, tabu: tabu, rng: &rng) else {
                    pool.append(l)
                    continue
                }
                for id in displaced {
                    let placed = lessonPlacements[id]!
                    tabu[placed.lesson * instance.slotCount + placed.slot] = step + 10 + rng.int(0...10)
                    pool.append(placed.lesson)
                }
                self = trial
            }
            if pool.count < best.short {
                best = (self, pool.count, step)
            } else if keepingLast, pool.count == best.short {
                best.plan = self
            }
        }
        self = best.plan
        // What the walk left short gets FET's depth-first search, lesson by lesson.
        for l in instance.lessons.indices where placementsOf[l].count < instance.lessons[l].sessions {
            while placementsOf[l].count < instance.lessons[l].sessions, Date() < deadline, heartbeat?.cancelled != true {
                var nodes = 4000
                guard placeRecursively(l, nodes: &nodes, rng: &rng) else { break }
            }
        }
    }

    /// The plan with a lesson of `l` placed where it displaces fewest lessons (ties broken at
    /// random), and the placement ids it displaced; nil when no start can take it.
    private func cheapestEjection(_ l: Int, step: Int, tabu: [Int: Int], rng: inout SplitMix64) -> (Plan, [Int])? {
        var ranked: [(p: Int, blockers: [Int], key: Double)] = []
        for p in 0..<instance.slotCount where instance.lessons[l].canStart[p] && (tabu[l * instance.slotCount + p] ?? -1) < step {
            guard let blockers = lessonsBlocking(l, at: p) else { continue }
            // In a re-solve, a lesson still where the baseline has it counts twice: moving it is a change people are told about.
            let kept = blockers.count { id in baseline.lessons.contains(lessonPlacements[id]!) }
            ranked.append((p, blockers, Double(blockers.count + kept) + rng.unit() * 0.9))
        }
        // The first that leaves every member days for her flex sessions (`leavesFlexDays`), else the
        // first; in a re-solve never at the price of displacing more lessons than the first would
        // (each is a change people are told about; a roll-forward moved lessons its change did not
        // touch), while a first solve may (without it, 3 of 9 planted hybrid weeks ended a session short).
        var crowding: (plan: Plan, blockers: [Int])?
        for candidate in ranked.sorted(by: { $0.key < $1.key }).prefix(6) {
            if !baseline.lessons.isEmpty, let crowding, candidate.blockers.count > crowding.blockers.count { break }
            var trial = self
            for id in candidate.blockers { trial.removeLesson(id) }
            guard trial.evictFlex(for: l, at: candidate.p) != nil, trial.lessonMayStart(l, at: candidate.p),
                  let room = trial.roomForLesson(l, at: candidate.p) else { continue }
            trial.placeLesson(PlacedLesson(lesson: l, slot: candidate.p, room: room))
            if trial.leavesFlexDays(forLesson: l) { return (trial, candidate.blockers) }
            if crowding == nil { crowding = (trial, candidate.blockers) }
        }
        return crowding.map { ($0.plan, $0.blockers) }
    }

    /// Placement ids of the lessons in the way of a lesson of `l` at `p`: those holding its teachers,
    /// classes or members then, and its own lessons too close in days; nil when a pinned lesson or
    /// a fixed session is in the way.
    func lessonsBlocking(_ l: Int, at p: Int) -> [Int]? {
        let info = instance.lessons[l], d = instance.day(of: p)
        var ids = Set<Int>()
        for q in instance.covered(lesson: l, from: p) {
            for row in [info.teachers.map { teacherAt[$0][q] }, info.leaves.map { classAt[$0][q] }, info.students.map { studentAt[$0][q] }] {
                for mark in row where mark < Plan.free {
                    guard let id = Plan.placement(ofMark: mark), lessonPlacements[id]?.pinned == false else { return nil }
                    ids.insert(id)
                }
            }
        }
        for id in tooClose(l, at: p) {
            guard lessonPlacements[id]?.pinned == false else { return nil }
            ids.insert(id)
        }
        // No room it may use is free: the lessons in the room it can have most cheaply (labs and the
        // gym are where lessons compete most).
        if info.needsRoom, info.rooms.allSatisfy({ r in !isFree(roomAt[r], lesson: l, from: p) }) {
            let holders = info.rooms.compactMap { r -> Set<Int>? in
                // Flex sessions there give way when the lesson is placed (`evictFlex`); a fixed session never does.
                let marks = Set(instance.covered(lesson: l, from: p).map { roomAt[r][$0] }.filter { $0 < Plan.free })
                let found = marks.compactMap { Plan.placement(ofMark: $0) }
                guard found.count == marks.count, found.allSatisfy({ lessonPlacements[$0]?.pinned == false }) else { return nil }
                return Set(found)
            }
            guard let cheapest = holders.min(by: { $0.subtracting(ids).count < $1.subtracting(ids).count }) else { return nil }
            ids.formUnion(cheapest)
        }
        return ids.sorted()
    }
}
