import Foundation
import SeededRandom
import WeekIndex

/// Lessons the greedy pass left short, placed by ejection chains, as school timetablers place class
/// lessons (FET's recursive swapping is one): a short lesson takes the start where it displaces the
/// fewest other lessons, and those go back to the pool of lessons to place. A displaced lesson may
/// not return to the start it left for a while (tabu), so the chain moves on instead of circling.
/// The best state seen (fewest short) is kept. An unplaced lesson outweighs every flex session, so
/// flex sessions in the way give up their seats (or go, when they hold the lesson's teacher or room).
///
/// In a first solve the walk can be FET's generator instead (`swappingIn`): lessons are taken in
/// FET's order, each step tries FET's recursive swapping (`placeRecursively`) first and forces the
/// lesson in only when that fails, where FET would (`SwapMemory`), and the lessons it displaced
/// come next. From the pins alone this placed every lesson of five of FET's six dense Namibian
/// schools that the walk from the greedy grid left 1-6 short (seed 1, 60 s).
extension Plan {
    /// Nodes of one recursive swap at most (`placeRecursively`). FET allows twice the week's lessons;
    /// on the dense schools half of the swaps that worked took 4 nodes and 90 % under 320, and on
    /// CONCORDIA (1,425 lessons) a step with FET's budget took 20 ms, with 300 nodes 4 ms. On JMSS
    /// (1,032 lessons) FET's budget made a third of the steps in the same time and left more short.
    static let swapNodes = 300
    /// Steps FET's walk goes without a new best before it starts again, and how many walks it
    /// makes at most (`placeBySwapping`).
    static let swapPatience = 2500
    static let swapWalks = 4

    /// It runs until nothing is short, `patience` steps pass without a new best (40 per lesson of the
    /// week; 400 placed only 2 of 11 more on FET's dense Namibian schools in 60 s; while swapping,
    /// none unless given: FET's memory keeps its walk from circling), or the deadline.
    /// `keepingLast`: of the states with fewest short, keep the last one reached rather than the
    /// first, so a caller that alternates with other moves (`repairShortLessons`) meets a new grid.
    /// `heartbeat` hears of the walk every 64 steps (every step while swapping) and may stop it (a cancel).
    /// `swappingIn`: FET's walk, placing lessons in this order (hardest first); not in a re-solve,
    /// where swapping would move lessons it keeps where they are.
    mutating func placeShortLessons(_ rng: inout SplitMix64, until deadline: Date, patience: Int? = nil, keepingLast: Bool = false,
                                    swappingIn order: [Int]? = nil, heartbeat: Heartbeat? = nil) {
        var pool = missingLessons()
        guard !pool.isEmpty else { return }
        var memory = order.flatMap { baseline.lessons.isEmpty ? SwapMemory(order: $0, slotCount: instance.slotCount) : nil }
        let swapping = memory != nil
        if let memory { pool = memory.sorted(pool) }
        let stall = patience ?? (swapping ? Int.max : 40 * instance.lessons.reduce(0) { $0 + $1.sessions })
        var best = (plan: self, short: pool.count, step: 0)
        var tabu: [Int: Int] = [:]
        var step = -1
        while !pool.isEmpty, step - best.step < stall {
            step += 1
            // A swapping step may take milliseconds: the deadline is checked at every one.
            if step % (swapping ? 1 : 64) == 0, Date() >= deadline || heartbeat?.beat(self) == false { break }
            let l = pool.remove(at: swapping ? 0 : rng.int(0...(pool.count - 1)))
            var nodes = Plan.swapNodes
            if !swapping || !placeRecursively(l, nodes: &nodes, rng: &rng) {
                guard let gone = forceCheapest(l, step: step, tabu: tabu, memory: memory, rng: &rng) else {
                    pool.append(l)
                    continue
                }
                if let next = memory?.forced(l, displacing: gone.map { ($0.lesson, $0.slot) }) {
                    pool.insert(contentsOf: next, at: 0)
                } else {
                    for placed in gone {
                        tabu[placed.lesson * instance.slotCount + placed.slot] = step + 10 + rng.int(0...10)
                        pool.append(placed.lesson)
                    }
                }
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

    /// One entry per lesson not placed: a lesson twice short appears twice.
    private func missingLessons() -> [Int] {
        instance.lessons.indices.flatMap { l in Array(repeating: l, count: instance.lessons[l].sessions - placementsOf[l].count) }
    }

    /// Places a lesson of `l` where it displaces fewest lessons (ties broken at random), or where
    /// FET would force it (`memory`), and returns the placements it displaced; nil, with the plan
    /// unchanged, when no start can take it.
    private mutating func forceCheapest(_ l: Int, step: Int, tabu: [Int: Int], memory: SwapMemory?,
                                        rng: inout SplitMix64) -> [PlacedLesson]? {
        var ranked: [(p: Int, blockers: [Int], key: (Int, Int, Int, Int, Double))] = []
        // FET's counts of removals keep its walk from circling; the tabu does that without them.
        for p in 0..<instance.slotCount where instance.lessons[l].canStart[p] && (memory != nil || (tabu[l * instance.slotCount + p] ?? -1) < step) {
            guard let blockers = lessonsBlocking(l, at: p) else { continue }
            let noise = rng.unit()
            if let memory {
                let (a, b, c, d) = memory.cost(displacing: blockers.map { (lessonPlacements[$0]!.lesson, lessonPlacements[$0]!.slot) })
                ranked.append((p, blockers, (a, b, c, d, noise)))
                continue
            }
            // In a re-solve, a lesson still where the baseline has it counts twice: moving it is a change people are told about.
            let kept = blockers.count { id in baseline.lessons.contains(lessonPlacements[id]!) }
            ranked.append((p, blockers, (0, 0, 0, blockers.count + kept, noise)))
        }
        // The first that leaves every member days for her flex sessions (`leavesFlexDays`), else the
        // first; in a re-solve never at the price of displacing more lessons than the first would
        // (each is a change people are told about; a roll-forward moved lessons its change did not
        // touch), while a first solve may (without it, 3 of 9 planted hybrid weeks ended a session short).
        // Without flex sessions (a first solve places its lessons before any) each try is made in
        // place and taken back: copying the plan for every try was a third of FET's walk on a week
        // of 1,478 lessons. Flex sessions in the way give way in a copy, as their eviction is
        // not taken back.
        let inPlace = !sessions.contains { $0 != nil }
        var crowding: (plan: Plan, displaced: [PlacedLesson])?
        for candidate in ranked.sorted(by: { $0.key < $1.key }).prefix(6) {
            if !baseline.lessons.isEmpty, let crowding, candidate.blockers.count > crowding.displaced.count { break }
            let displaced = candidate.blockers.map { lessonPlacements[$0]! }
            var changes: [LessonChange] = []
            if inPlace {
                guard place(l, at: candidate.p, displacing: candidate.blockers, &changes) else { continue }
                if leavesFlexDays(forLesson: l) { return displaced }
                if crowding == nil { crowding = (self, displaced) }
                undo(&changes, to: 0)
            } else {
                var trial = self
                guard trial.place(l, at: candidate.p, displacing: candidate.blockers, &changes) else { continue }
                if trial.leavesFlexDays(forLesson: l) {
                    self = trial
                    return displaced
                }
                if crowding == nil { crowding = (trial, displaced) }
            }
        }
        guard let crowding else { return nil }
        self = crowding.plan
        return crowding.displaced
    }

    /// Takes out `blockers` and the flex sessions in the way and places a lesson of `l` at `p`,
    /// logging the lessons' changes; false, with the lessons' changes taken back, when it may not start there.
    private mutating func place(_ l: Int, at p: Int, displacing blockers: [Int], _ changes: inout [LessonChange]) -> Bool {
        for id in blockers {
            changes.append(.removed(lessonPlacements[id]!))
            removeLesson(id)
        }
        guard evictFlex(for: l, at: p) != nil, lessonMayStart(l, at: p), let room = roomForLesson(l, at: p) else {
            undo(&changes, to: 0)
            return false
        }
        changes.append(.placed(placeLesson(PlacedLesson(lesson: l, slot: p, room: room))))
        return true
    }

    /// Placement ids of the lessons in the way of a lesson of `l` at `p`: those holding its teachers,
    /// classes or members then, and its own lessons too close in days; nil when a pinned lesson or
    /// a fixed session is in the way.
    func lessonsBlocking(_ l: Int, at p: Int) -> [Int]? {
        // Read in place, without copying the lesson or gathering rows: FET's recursive swapping asks
        // this of every start at every node, and those copies were a third of its time.
        var ids: [Int] = []
        /// False when a pinned lesson or a fixed session holds the block.
        func take(_ mark: Int) -> Bool {
            guard mark < Plan.free else { return true }
            guard let id = Plan.placement(ofMark: mark), lessonPlacements[id]?.pinned == false else { return false }
            if !ids.contains(id) { ids.append(id) }
            return true
        }
        for q in instance.covered(lesson: l, from: p) {
            for t in instance.lessons[l].teachers where !take(teacherAt[t][q]) { return nil }
            for leaf in instance.lessons[l].leaves where !take(classAt[leaf][q]) { return nil }
            for s in instance.lessons[l].students where !take(studentAt[s][q]) { return nil }
        }
        for id in tooClose(l, at: p) where !take(Plan.lessonMark(id)) { return nil }
        // No room it may use is free: the lessons in the room it can have most cheaply (labs and the
        // gym are where lessons compete most).
        let rooms = instance.lessons[l].rooms
        if instance.lessons[l].needsRoom, rooms.allSatisfy({ r in !isFree(roomAt[r], lesson: l, from: p) }) {
            let holders = rooms.compactMap { r -> Set<Int>? in
                // Flex sessions there give way when the lesson is placed (`evictFlex`); a fixed session never does.
                let marks = Set(instance.covered(lesson: l, from: p).map { roomAt[r][$0] }.filter { $0 < Plan.free })
                let found = marks.compactMap { Plan.placement(ofMark: $0) }
                guard found.count == marks.count, found.allSatisfy({ lessonPlacements[$0]?.pinned == false }) else { return nil }
                return Set(found)
            }
            guard let cheapest = holders.min(by: { $0.subtracting(ids).count < $1.subtracting(ids).count }) else { return nil }
            ids = Array(cheapest.union(ids))
        }
        return ids.sorted()
    }
}
