import Foundation
import Synchronization
import GLPKBackend
import IntegerProgram
import TimetableFormat
import WeekIndex

extension Search {
    /// The whole week as one GLPK model, for its bound: a relaxation of the true objective, so
    /// GLPK's bound on it is valid for every timetable. Over several days it counts unmet sessions
    /// and late blocks only (the idle terms' relaxation is too weak to be worth its size); one day
    /// is modelled exactly, so a small day timetable can be proven optimal here.
    /// A week with class lessons gets no such bound: the model would hold its lessons where they are.
    mutating func solveWholeWeek() throws(SolveFailure) {
        let columns = instance.activities.reduce(0) { $0 + $1.demand.count } * instance.slotCount
        guard columns <= 6_000, instance.lessons.isEmpty, !shouldStop() else { return }
        var weights = subproblemWeights
        let exact = instance.dayCount == 1
        if !exact {
            weights[.sameNeedNextDay] = 0
            weights[.studentIdle] = 0
            weights[.teacherIdle] = 0
        }
        let whole = Neighbourhood(days: Array(0..<instance.dayCount), activities: Array(instance.activities.indices))
        try improve([whole], weights: weights, timeLimit: min((exact ? 0.5 : 0.25) * options.timeLimit, 30), forBound: true)
    }

    /// The next neighbourhood in `queue`, and with several threads the first ones after it that
    /// share none of its days (nor each other's), up to one per thread and within the work limit.
    /// The rest keep their order, so which neighbourhoods go together depends on the seed alone.
    func nextBatch(from queue: inout ArraySlice<Neighbourhood>) -> [Neighbourhood] {
        let room = min(options.threads, options.maxSubproblems.map { max(1, $0 - subproblems) } ?? .max)
        var batch = [queue.removeFirst()]
        var days = Set(batch[0].days)
        // A short look ahead: the queue's order (unmet demand first, higher priorities first) matters
        // more than keeping every thread busy.
        var index = queue.startIndex
        while batch.count < room, index < min(queue.endIndex, queue.startIndex + 8) {
            if days.isDisjoint(with: queue[index].days) {
                days.formUnion(queue[index].days)
                batch.append(queue.remove(at: index))
            } else {
                index += 1
            }
        }
        return batch
    }

    /// Re-plans neighbourhoods on disjoint days with GLPK, at the same time when there are several,
    /// and keeps each result, in the batch's order, that improves the whole timetable. They share the
    /// weekly limits only through their shares of today's slack (`heldCapacities`), so every result
    /// fits whatever the others bring.
    mutating func improve(_ batch: [Neighbourhood], weights: ObjectiveWeights? = nil, timeLimit: Double? = nil,
                          forBound: Bool = false) throws(SolveFailure) {
        let limits = limits(timeLimit: timeLimit, forBound: forBound)
        let snapshot = plan, weights = weights ?? subproblemWeights
        let held = heldCapacities(batch)
        let outcomes = batch.count == 1
            ? [solveNeighbourhood(batch[0], of: snapshot, held: held[0], weights: weights, limits: limits)]
            : solveConcurrently(batch.count) { i in
                solveNeighbourhood(batch[i], of: snapshot, held: held[i], weights: weights, limits: limits)
            }
        for (hood, outcome) in zip(batch, outcomes) {
            guard let solved = try outcome.get() else { continue }
            try keep(solved, hood: hood, forBound: forBound)
        }
    }

    /// GLPK's limits for a sub-problem starting now.
    func limits(timeLimit: Double? = nil, forBound: Bool = false) -> MIPOptions {
        // The whole-week model is one long attempt, kept mostly for its bound: the patience caps it
        // like the deadline does (it would otherwise take 30 s). Pieces run to their own limits.
        let untilStop = min(deadline.timeIntervalSinceNow, forBound ? untilPatienceRunsOut : .infinity)
        let budget = timeLimit ?? options.subproblemTimeLimit
        // Sub-problems stop on work (nodes, simplex iterations), so one seed gives one timetable
        // whatever the machine's load. Without a work limit on the run, a clock of four times the
        // budget backs the work up on a machine too loaded for it; with one, only the deadline does.
        let workLimited = options.maxSubproblems != nil
        let backstop = workLimited ? .infinity : 4 * budget
        return MIPOptions(
            timeLimit: max(0.05, min(backstop, untilStop)),
            nodeLimit: workLimited ? (forBound ? 2_000 : 200) : nil,
            iterationLimit: max(100, Int((workLimited ? options.iterationsPerSecond : options.pieceIterationsPerSecond) * budget)),
            relativeGap: forBound ? options.relativeGap : 0, presolve: options.presolve, cuts: options.cuts,
            showSolverLog: options.showSolverLog,
            // A work-limited run's pieces stop on work alone: a clock-sliced LP could differ by load.
            isCancelled: workLimited ? nil : options.isCancelled)
    }

    /// Solves the pieces of `queue`: the repair's (unmet sessions only, until none is left) or the
    /// polish's (the whole objective). Under a work limit they go in batches (`improve`), so a seed
    /// names one timetable, and the moves without GLPK follow each gain, while the threads wait for
    /// the next batch anyway. Otherwise each thread takes the next piece on a free day as soon as
    /// the oldest piece out is kept (`PieceRunner`), and the moves wait for the next pass: in batches a thread waited for its
    /// partner's piece about 40 % of the time on the mid-size week (pieces take 0.01-1 s), and
    /// holding pieces back for the moves after each gain cost 3-5 s of one thread's 20 s.
    mutating func solvePieces(_ queue: inout ArraySlice<Neighbourhood>, repairing: Bool) throws(SolveFailure) {
        let weights = repairing ? subproblemWeights.unmetOnly : subproblemWeights
        let timeLimit = repairing ? options.repairTimeLimit : options.subproblemTimeLimit
        func finished(_ search: inout Search) -> Bool { search.shouldStop() || (repairing && search.plan.terms.unmetSessions == 0) }
        guard options.maxSubproblems == nil, options.threads > 1 else {
            while !queue.isEmpty, !finished(&self) {
                let was = objective
                try improve(nextBatch(from: &queue), weights: weights, timeLimit: timeLimit)
                // What GLPK changed often opens cheap moves (tens of ms against its 0.1-1 s pieces).
                if !repairing, objective < was - 1e-9 { comfortMoves() }
                report(force: false)
            }
            return
        }
        let runner = PieceRunner()
        var running: [Int: RunningPiece] = [:]
        var launched = 0
        var failure: SolveFailure?
        while true {
            while failure == nil, running.count < options.threads, !finished(&self),
                  let hood = nextPiece(from: &queue, besides: running.values.map(\.hood)) {
                let (shares, held) = slackShares(for: hood, besides: Array(running.values))
                let snapshot = plan, limits = limits(timeLimit: timeLimit)
                runner.launch(launched) { solveNeighbourhood(hood, of: snapshot, held: held, weights: weights, limits: limits) }
                running[launched] = RunningPiece(hood: hood, shares: shares)
                launched += 1
            }
            guard let token = running.keys.min() else { break }
            let outcome = runner.result(of: token)
            let piece = running.removeValue(forKey: token)!
            do {
                guard let solved = try outcome.get() else { continue }
                try keep(solved, hood: piece.hood, forBound: false)
                report(force: false)
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
    }

    /// The first piece of the next few in `queue` on days no running piece holds (the queue's order
    /// matters more than keeping every thread busy).
    func nextPiece(from queue: inout ArraySlice<Neighbourhood>, besides running: [Neighbourhood]) -> Neighbourhood? {
        let busy = Set(running.flatMap(\.days))
        let ahead = queue.prefix(8)
        guard let index = ahead.indices.first(where: { busy.isDisjoint(with: queue[$0].days) }) else { return nil }
        return queue.remove(at: index)
    }

    /// The weekly slack (teachers' `max-per-week` and `max-days`, needs' sessions) a piece may spend: whatever the
    /// pieces still running have not been given. Each was given what was left when it started, so
    /// all their results together always fit.
    func slackShares(for hood: Neighbourhood, besides running: [RunningPiece]) -> (shares: HeldCapacity, held: HeldCapacity) {
        let none = HeldCapacity(teacherBlocks: Array(repeating: 0, count: instance.teachers.count),
                                needSessions: instance.students.map { Array(repeating: 0, count: $0.needs.count) },
                                teacherDays: Array(repeating: 0, count: instance.teachers.count))
        var shares = none, held = none
        for a in hood.activities {
            for t in instance.activities[a].qualifiedTeachers {
                let slack = max(0, plan.openWeeklyBlocks(teacher: t))
                held.teacherBlocks[t] = min(slack, running.reduce(0) { $0 + $1.shares.teacherBlocks[t] })
                shares.teacherBlocks[t] = slack - held.teacherBlocks[t]
                let days = max(0, plan.openTeachingDays(teacher: t))
                held.teacherDays[t] = min(days, running.reduce(0) { $0 + $1.shares.teacherDays[t] })
                shares.teacherDays[t] = days - held.teacherDays[t]
            }
            for need in instance.activities[a].demand {
                let (s, n) = (need.student, need.need), slack = max(0, plan.remaining(student: s, activity: a))
                held.needSessions[s][n] = min(slack, running.reduce(0) { $0 + $1.shares.needSessions[s][n] })
                shares.needSessions[s][n] = slack - held.needSessions[s][n]
            }
        }
        return (shares, held)
    }

    /// Shares of the weekly slack (teachers' `max-per-week` and `max-days`, needs' sessions) for neighbourhoods solved
    /// together: each may add at most its share to what it now holds, and must leave the rest.
    /// Limits that only one of them touches are not split.
    func heldCapacities(_ batch: [Neighbourhood]) -> [HeldCapacity] {
        guard batch.count > 1 else { return [HeldCapacity()] }
        var teacherUsers: [Int: [Int]] = [:]
        var needUsers: [Instance.NeedRef: [Int]] = [:]
        for (i, hood) in batch.enumerated() {
            var teachers = Set<Int>(), needs = Set<Instance.NeedRef>()
            for a in hood.activities {
                teachers.formUnion(instance.activities[a].qualifiedTeachers)
                needs.formUnion(instance.activities[a].demand)
            }
            for t in teachers { teacherUsers[t, default: []].append(i) }
            for need in needs { needUsers[need, default: []].append(i) }
        }
        var held = batch.map { _ in
            HeldCapacity(teacherBlocks: Array(repeating: 0, count: instance.teachers.count),
                         needSessions: instance.students.map { Array(repeating: 0, count: $0.needs.count) },
                         teacherDays: Array(repeating: 0, count: instance.teachers.count))
        }
        /// Of `slack`, user k of n gets an even share (the first ones one more), and holds back the rest.
        func split(_ slack: Int, among users: [Int], hold: (Int, Int) -> Void) {
            guard users.count > 1 else { return }
            let slack = max(0, slack)
            for (k, i) in users.enumerated() {
                let share = slack / users.count + (k < slack % users.count ? 1 : 0)
                hold(i, slack - share)
            }
        }
        for (t, users) in teacherUsers {
            split(plan.openWeeklyBlocks(teacher: t), among: users) { held[$0].teacherBlocks[t] = $1 }
            split(plan.openTeachingDays(teacher: t), among: users) { held[$0].teacherDays[t] = $1 }
        }
        for (need, users) in needUsers {
            let slack = instance.students[need.student].needs[need.need].sessions - plan.done[need.student][need.need]
            split(slack, among: users) { held[$0].needSessions[need.student][need.need] = $1 }
        }
        return held
    }
}

/// A polishing piece out on a thread, with the weekly slack it was given.
struct RunningPiece {
    var hood: Neighbourhood
    var shares: HeldCapacity
}

/// Pieces solved on threads of their own; each result is picked up by the search's thread, the only
/// one that changes the timetable, in the order the pieces were launched. Taken as they finish, the
/// kept gains' order depended on thread timing: one seed gave comfort scores 9-12 % apart on the
/// mid-size week, and the default and a long run ended apart by that luck alone.
final class PieceRunner: Sendable {
    private let finished = Mutex<[Int: Result<SolvedNeighbourhood?, SolveFailure>]>([:])
    private let done = DispatchSemaphore(value: 0)

    func launch(_ token: Int, _ work: @escaping @Sendable () -> Result<SolvedNeighbourhood?, SolveFailure>) {
        DispatchQueue.global().async {
            let result = work()
            self.finished.withLock { $0[token] = result }
            self.done.signal()
        }
    }

    /// Waits for the piece launched as `token`. Every launched piece finishes (its GLPK limits and
    /// the deadline hold), and each one signals once, so a wait never outlasts the slowest piece.
    func result(of token: Int) -> Result<SolvedNeighbourhood?, SolveFailure> {
        while true {
            if let result = finished.withLock({ $0.removeValue(forKey: token) }) { return result }
            done.wait()
        }
    }
}

/// One neighbourhood's GLPK solution, found on any thread from a snapshot of the timetable.
struct SolvedNeighbourhood: Sendable {
    /// Ids of the sessions it re-planned, in the snapshot (and in any timetable that changed only
    /// on other days since).
    var removed: [Int]
    /// Its new sessions, or nil when GLPK gave nothing that decodes.
    var sessions: [PlannedSession]?
    /// Ids of the lesson placements it re-planned, and where they go (nil with `sessions`).
    var removedLessons: [Int] = []
    var lessons: [PlacedLesson]?
    var columns: Int
    var rows: Int
    var result: MIPResult
}

/// Builds and solves one neighbourhood's model on the calling thread, with its own GLPK problem.
/// Nil when the neighbourhood leaves nothing to decide (no sub-problem is counted then).
func solveNeighbourhood(_ hood: Neighbourhood, of plan: Plan, held: HeldCapacity, weights: ObjectiveWeights,
                        limits: MIPOptions) -> Result<SolvedNeighbourhood?, SolveFailure> {
    let instance = plan.instance
    let activities = Set(hood.activities)
    let removed = plan.activeSessions.filter {
        !$0.session.pinned && hood.days.contains(instance.day(of: $0.session.slot)) && activities.contains($0.session.activity)
    }
    let lessons = Set(hood.lessons + hood.lessonsAcrossDays)
    let moving = plan.lessonPlacements.enumerated().compactMap { id, placed in
        placed.flatMap { !$0.pinned && lessons.contains($0.lesson) && hood.days.contains(instance.day(of: $0.slot)) ? (id, $0) : nil }
    }
    var base = plan
    for (id, _) in removed { base.remove(id) }
    for (id, _) in moving { base.removeLesson(id) }
    base.held = held
    let model = NeighbourhoodModel(base: base, hood: hood, weights: weights, movingLessons: moving)
    guard !model.isEmpty else { return .success(nil) }
    var options = limits
    options.start = model.startValues(for: removed.map(\.session))
    let result: MIPResult
    do {
        result = try GLPKSolver.solve(model.program, options: options)
    } catch {
        return .failure(SolveFailure(description: "internal error: GLPK could not solve a sub-problem: \(error)"))
    }
    let placed = result.values.flatMap { model.decodeLessons($0) }
    let sessions = placed == nil ? nil : result.values.flatMap { model.decode($0, previous: removed.map(\.session)) }
    return .success(SolvedNeighbourhood(removed: removed.map(\.id), sessions: sessions, removedLessons: moving.map(\.0),
                                        lessons: sessions == nil ? nil : placed, columns: model.program.columns.count,
                                        rows: model.program.rows.count, result: result))
}
