import Foundation
import Synchronization
import GLPKBackend
import IntegerProgram
import SeededRandom
import Rules
import ScenarioKit
import TimetableFormat

public struct SolveOptions: Sendable {
    /// Wall-clock seconds for the whole solve.
    public var timeLimit: Double = 60
    /// Stop early once both parts of the proven gap (unmet sessions, comfort) are at most this.
    public var relativeGap: Double = 0
    /// Stop once this many wall-clock seconds pass without a better timetable (nil: never), counted
    /// from the end of the repair of unmet needs. Ignored under `maxSubproblems`, where a clock would
    /// make the result depend on the machine's load.
    public var patience: Double? = SolveOptions.defaultPatience
    /// Stop once this many GLPK sub-problems in a row after the repair bring no better timetable
    /// (nil: never): patience counted in work, so a work-limited run stays reproducible.
    public var patienceSubproblems: Int?
    /// Measured (README, Benchmarks): the mid-size week's polish converges by itself after 8-36 s,
    /// and within 3 % of its end by 20 s; the L and XL weeks, whose gains thin out instead, stop on
    /// this after 32-43 s. Replaying ten mid-size runs' progress, 3 s would have stopped one 7.6 %
    /// short of its end and 4-5 s none; shorter waits were not measured on L and XL.
    public static let defaultPatience = 10.0
    /// For re-solves from a baseline (what-if): most of their gains come in the first seconds, and a
    /// wait as long as `defaultPatience` would outlast what-if's whole 8 s limit.
    public static let baselinePatience = 3.0
    /// GLPK's MIP presolver on each sub-problem (off lets GLPK start from the current timetable).
    public var presolve = false
    public var cuts = true
    public var showSolverLog = false
    public var seed: UInt64 = 1
    public var weights = ObjectiveWeights()
    /// Most student-slot columns in one polishing sub-problem. Measured on the mid-size week (README,
    /// Benchmarks): at 600 columns and 1 s, GLPK proves most pieces optimal and the comfort score
    /// after 20 s came out about half of that at 1,800 columns and 4 s, where most pieces ran out of time.
    public var neighbourhoodColumns = 600
    /// Seconds GLPK may spend on one polishing sub-problem.
    public var subproblemTimeLimit = 1.0
    /// The same two for the repair of unmet needs, whose pieces must hold a need's whole neighbourhood
    /// of competing activities (and are pure binary models, which GLPK solves faster).
    public var repairColumns = 1800
    public var repairTimeLimit = 2.0
    /// With `maxSubproblems`, the same budget as work: simplex iterations per second of
    /// `subproblemTimeLimit` (GLPK managed about 1,100 a second on the mid-size week's sub-problems,
    /// cut rounds included, so a work-limited run takes about as long as a clock-limited one).
    public var iterationsPerSecond = 1_250.0
    /// A work limit: with it (and no wall-clock cut) two runs with one seed give one timetable.
    public var maxSubproblems: Int?
    /// The previous timetable (what-if, next week's roll-forward): kept wherever the scenario still
    /// allows, and changes to it cost `weights.changed*`.
    public var baseline: Timetable?
    /// People whose baseline sessions must stay exactly as they are.
    public var pins: [Pin] = []
    /// GLPK sub-problems solved at once, on different days, each on its own thread with its own GLPK
    /// problem; 1 solves one at a time. Each count gives its own reproducible path under
    /// `maxSubproblems`, so a seed names a timetable only together with this.
    public var threads = SolveOptions.defaultThreads
    /// The machine this was measured on has two cores (README, Benchmarks: both cores in one solve).
    public static let defaultThreads = 2
    /// Improve comfort terms once every need that can be met is met. Off for quick probes (explain's
    /// trial re-solves), which only ask how many needs can be met.
    public var polish = true
    /// Asked between sub-problems: true stops the search with the best timetable so far (a web
    /// app's cancel button). Sub-problems are short, so the answer comes within seconds.
    public var isCancelled: (@Sendable () -> Bool)?
    public init() {}
}

public struct SolveProgress: Sendable {
    public var elapsed: Double
    public var unmetSessions: Int
    public var objective: Double
    public var bound: Double
    public var subproblems: Int
    /// False for reports sent because something changed (a first timetable, fewer unmet sessions),
    /// true for the regular once-a-second heartbeat.
    public var periodic: Bool
    /// Set on the last report only: why the search stopped.
    public var stopReason: Timetable.StopReason?
    public var gap: Double { relativeGap(objective: objective, bound: bound) }
}

public struct SolveFailure: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// True when the request itself cannot be met (a pin the change makes impossible), as opposed
    /// to an internal failure.
    public var isInputProblem = false
    public init(description: String, isInputProblem: Bool = false) {
        self.description = description
        self.isInputProblem = isInputProblem
    }
}

/// Scenario -> timetable, not yet checked and with unmet needs counted but not explained: Advisor's
/// `scheduleWeek` adds the reasons and the independent check, and is what commands call. Greedy start,
/// then GLPK re-optimises one day and a few activities at a time with the rest fixed, keeping every
/// improvement (large-neighbourhood search).
package func solveTimetable(_ scenario: ValidatedScenario, options: SolveOptions = SolveOptions(),
                           progress: (@Sendable (SolveProgress) -> Void)? = nil) throws(SolveFailure) -> Timetable {
    let started = Date()
    let deadline = started.addingTimeInterval(options.timeLimit)
    let instance = Instance(scenario)
    if options.baseline == nil, !options.pins.isEmpty {
        throw SolveFailure(description: "pins keep sessions of a baseline timetable; give one with --baseline", isInputProblem: true)
    }
    let baseline = try options.baseline.map { timetable throws(SolveFailure) in
        try Baseline(timetable, instance: instance, pins: options.pins)
    } ?? Baseline()
    var search = Search(instance: instance, options: options, deadline: deadline, started: started, progress: progress,
                        baseline: baseline)
    let boundsStarted = Date()
    // A fifth of the time at most, so the time limit stays a ceiling even on weeks whose LP is slow;
    // quick probes (explain's trials, many per question) skip GLPK's LPs and keep the cheap counts.
    var lower = LowerBounds(instance, weights: search.weights, timeLimit: options.polish ? min(20, options.timeLimit / 5) : 0)
    lower.countForcedChanges(baseline)
    if ProcessInfo.processInfo.environment["FLEXSCHED_TRACE"] != nil {
        FileHandle.standardError.write(Data("bounds: unmet sessions >= \(lower.unmetSessions), objective >= \(lower.objective), \(String(format: "%.2f", Date().timeIntervalSince(boundsStarted)))s\n".utf8))
    }
    search.bound = max(search.bound, lower.objective)
    search.lower = lower
    try search.run()
    let plan = search.plan
    let terms = plan.terms
    let objective = search.objective
    let bound = search.provenBound
    let gap = relativeGap(objective: objective, bound: bound)
    let stopReason = search.finalStopReason
    let status: Timetable.Status = stopReason == .optimal ? .optimal : (stopReason == .timeLimit ? .timeLimit : .feasible)
    return Timetable(
        scenario: scenario.name, status: status, objective: objective, bound: bound, gap: gap,
        sessions: timetableSessions(plan), unmet: unmetNeeds(plan),
        created: ISO8601DateFormatter().string(from: started),
        stats: .init(seconds: Date().timeIntervalSince(started), unmetSessions: terms.unmetSessions,
                     neededSessions: instance.totalSessionsNeeded, variables: search.largestModel.columns,
                     rows: search.largestModel.rows, subproblems: search.subproblems, terms: terms.byId,
                     stopReason: stopReason),
        bounds: boundParts(lower, plan: plan, weights: search.weights, bound: bound, modelBound: search.modelBound))
}

/// Raises a solved timetable's unmet bound to `count` sessions when another proof (Diagnosis) shows
/// more than the solver's own arguments; the whole objective's bound and gap follow.
package func raiseUnmetBound(_ timetable: inout Timetable, scenario: ValidatedScenario, options: SolveOptions, to count: Int,
                             source: String) {
    guard var parts = timetable.bounds, let objective = timetable.objective, count > parts.unmetSessions,
          count <= timetable.stats?.unmetSessions ?? 0 else { return }
    let cheapest = options.weights.lexicographic(Instance(scenario)).cheapestUnmet
    parts.unmetSessions = count
    parts.unmetSource = source
    parts.unmetObjective = max(parts.unmetObjective, cheapest * Double(count))
    timetable.bounds = parts
    let bound = min(objective, max(timetable.bound ?? 0, parts.unmetObjective))
    timetable.bound = bound
    timetable.gap = relativeGap(objective: objective, bound: bound)
    if (timetable.gap ?? 1) <= 1e-9 {
        timetable.status = .optimal
        timetable.stats?.stopReason = .optimal
    }
}

private func roundedDown(_ value: Double) -> Double { max(0, (value * 1e6).rounded(.down) / 1e6) }

/// The two parts of the bound as the timetable records them. With nothing unmet, the timetable's
/// comfort score is its objective and every timetable meeting every need has a comfort score of at
/// least the whole objective's bound, so that bound counts for comfort too; and at least GLPK's
/// bound on the whole-week model (`modelBound`, which leaves consecutive days out) plus what
/// consecutive days alone force.
func boundParts(_ lower: LowerBounds, plan: Plan, weights: ObjectiveWeights, bound: Double, modelBound: Double = 0) -> Timetable.ProvenBounds {
    let terms = plan.terms
    let unmetCost = ObjectiveWeights.unmetByPriority.reduce(0.0) { $0 + weights[$1.1] * Double(terms[$1.1]) }
    let comfortScore = terms.total(weights) - unmetCost
    var comfort = roundedDown(lower.comfort(done: plan.done))
    if terms.unmetSessions == 0 {
        comfort = max(comfort, bound, roundedDown(modelBound + lower.consecutiveDays(done: plan.done)))
    }
    return Timetable.ProvenBounds(
        unmetSessions: min(lower.unmetSessions, terms.unmetSessions), unmetObjective: min(unmetCost, roundedDown(lower.unmetObjective)),
        unmetSource: lower.unmetSessions > 0 ? lower.unmetSource : nil, comfortScore: comfortScore, comfort: min(comfort, comfortScore),
        comfortTerms: LowerBounds.comfortTerms.map(\.id))
}

private struct Search {
    let instance: Instance
    let options: SolveOptions
    /// The options' weights with unmet sessions made lexicographic by priority for this week.
    let weights: ObjectiveWeights
    /// The same, with priority factors capped for GLPK (`ObjectiveWeights.lexicographic`).
    let subproblemWeights: ObjectiveWeights
    let deadline: Date
    let started: Date
    let progress: (@Sendable (SolveProgress) -> Void)?
    var plan: Plan
    var bound: Double
    /// GLPK's bound on the whole-week model alone (it leaves consecutive days out), for the comfort part.
    var modelBound = 0.0
    /// The two-part bound the gap target is checked against, once computed.
    var lower: LowerBounds?
    var subproblems = 0
    /// What ended the search, once something has; nil while it runs (and when it ran out of
    /// neighbourhoods: `finalStopReason`).
    private(set) var stopReason: Timetable.StopReason?
    /// When the timetable last got better (or polishing began), by clock and by work.
    private var lastImprovement = Date()
    private var subproblemsAtLastImprovement = 0
    /// Patience counts only once the repair of unmet needs is over, with a fresh start: on the
    /// mid-size week under load, repair went 10 s without a gain and then met 20 more sessions, and
    /// the repair has its own end (rounds without a gain).
    private var polishing = false
    var largestModel = (columns: 0, rows: 0)
    var rng: SplitMix64
    private var lastReport = Date.distantPast
    /// `FLEXSCHED_TRACE=1`: one line per GLPK sub-problem on stderr.
    private let trace = ProcessInfo.processInfo.environment["FLEXSCHED_TRACE"] != nil
    private var lastReportedUnmet = Int.max

    init(instance: Instance, options: SolveOptions, deadline: Date, started: Date, progress: (@Sendable (SolveProgress) -> Void)?,
         baseline: Baseline) {
        self.instance = instance
        self.options = options
        self.deadline = deadline
        self.started = started
        self.progress = progress
        plan = Plan(instance, baseline: baseline)
        weights = options.weights.lexicographic(instance)
        // One higher-priority seat can free a teacher for at most one group of lower ones.
        subproblemWeights = options.weights.lexicographic(instance, cappedAt: Double(1 + (instance.activities.map(\.max).max() ?? 1)))
        bound = weights.cheapestUnmet * Double(forcedUnmetSessions(instance))
        rng = SplitMix64(seed: options.seed)
    }

    var objective: Double { plan.terms.total(weights) }
    var outOfWork: Bool { options.maxSubproblems.map { subproblems >= $0 } ?? false }
    /// The gap target holds for both parts of the bound: unmet sessions against the sessions proven
    /// to stay unmet, and the comfort score against its bound (a closed whole gap closes both).
    var gapReached: Bool {
        if relativeGap(objective: objective, bound: bound) <= 1e-12 { return true }
        guard let lower else { return false }
        let parts = boundParts(lower, plan: plan, weights: weights, bound: provenBound, modelBound: modelBound)
        let unmet = plan.terms.unmetSessions
        let unmetGap = Double(unmet - parts.unmetSessions) / Double(max(unmet, 1))
        return unmetGap <= options.relativeGap + 1e-12 && parts.comfortGap <= options.relativeGap + 1e-12
    }

    /// Every term is a count with a non-negative weight: a bound of 1.4e-11 from GLPK's floating point
    /// is 0, and rounding down keeps it a bound.
    var provenBound: Double { min(objective, roundedDown(bound)) }

    /// A closed gap says more than whatever stopped the search at that moment.
    var finalStopReason: Timetable.StopReason {
        relativeGap(objective: objective, bound: provenBound) <= 1e-9 ? .optimal : stopReason ?? .converged
    }

    /// Wall-clock seconds left before the patience runs out (infinite under a work limit, and while
    /// repairing).
    var untilPatienceRunsOut: Double {
        guard polishing, options.maxSubproblems == nil, let seconds = options.patience else { return .infinity }
        return seconds - Date().timeIntervalSince(lastImprovement)
    }

    var patienceRanOut: Bool {
        if polishing, let limit = options.patienceSubproblems, subproblems - subproblemsAtLastImprovement >= limit { return true }
        return untilPatienceRunsOut <= 0
    }

    mutating func run() throws(SolveFailure) {
        try plan.adoptBaseline(plan.baseline)
        plan.constructGreedily(until: deadline)
        plan.reseatShortNeeds()
        report(force: true)
        try repairUnmetNeeds()
        if options.polish {
            polishing = true
            lastImprovement = Date()
            subproblemsAtLastImprovement = subproblems
            try solveWholeWeek()
            try polish()
        }
        report(force: true, stopReason: finalStopReason)
    }

    /// Checked between sub-problems; the first cause found is the one recorded. The time limit
    /// comes first: it is the admin's hard ceiling, whatever else happens to hold at that moment.
    mutating func shouldStop() -> Bool {
        if stopReason == nil {
            if Date() >= deadline {
                stopReason = .timeLimit
            } else if options.isCancelled?() == true {
                stopReason = .cancelled
            } else if gapReached {
                stopReason = .gap
            } else if outOfWork {
                stopReason = .workLimit
            } else if patienceRanOut {
                stopReason = .patience
            }
        }
        return stopReason != nil
    }

    /// Phase 1: only unmet sessions count in the sub-problems (pure binary models, which GLPK solves
    /// far faster), on neighbourhoods built around one unmet need: its day, the student's other
    /// activities that day, and the activities competing for its teachers. Ends when nothing is
    /// unmet or several rounds bring no gain.
    mutating func repairUnmetNeeds() throws(SolveFailure) {
        var fruitless = 0
        while plan.terms.unmetSessions > 0, fruitless < 6, !shouldStop() {
            let before = plan.terms.unmetSessions
            var queue = repairNeighbourhoods(budget: options.repairColumns * (2 + fruitless) / 2)[...]
            try solvePieces(&queue, repairing: true)
            fruitless = plan.terms.unmetSessions < before ? 0 : fruitless + 1
        }
    }

    /// Phase 2: the full objective (idle blocks, late blocks, consecutive days) on one day and a
    /// few activities at a time. A pass that brings nothing is followed by one with pieces twice as
    /// wide, and a pass that gains by one with small pieces again, which reach what the gain opened
    /// at a tenth of the cost; the search has converged when the wide pass brings nothing either.
    /// Measured on the mid-size week (seeds 1-5): staying wide after a gain ended about 6 % higher,
    /// and a third width (2,400 columns) kept no gain in the 6 s its pass took on seeds 1 and 4.
    mutating func polish() throws(SolveFailure) {
        var budget = options.neighbourhoodColumns
        while !shouldStop() {
            let before = objective
            comfortMoves()
            report(force: false)
            var queue = neighbourhoods(budget: budget)[...]
            try solvePieces(&queue, repairing: false)
            if objective < before - 1e-9 {
                budget = options.neighbourhoodColumns
            } else if budget < options.neighbourhoodColumns * 2 {
                budget *= 2
            } else {
                break
            }
        }
    }

    /// The moves without GLPK (`ComfortMoves.swift`), repeated until none lowers the objective.
    mutating func comfortMoves() {
        while !shouldStop() {
            var started = Date()
            func traced(_ kind: String, _ kept: Bool) -> Bool {
                if trace {
                    let line = "comfort moves: \(kind) \(String(format: "%.2f", Date().timeIntervalSince(started)))s kept \(kept) current \(objective)\n"
                    FileHandle.standardError.write(Data(line.utf8))
                }
                started = Date()
                return kept
            }
            let students = traced("students", plan.moveStudentsForComfort(weights, until: deadline))
            let swaps = traced("trades", plan.swapStudentsForComfort(weights, until: deadline))
            let teachers = traced("teachers", plan.reassignTeachersForComfort(weights, until: deadline))
            let sessions = traced("sessions", plan.moveSessionsForComfort(weights, until: deadline))
            guard students || swaps || teachers || sessions else { break }
            lastImprovement = Date()
            subproblemsAtLastImprovement = subproblems
        }
    }

    /// For each unmet need in turn (shuffled): one or two days on which the student could take it,
    /// with the activities that stand in its way, topped up at random within `budget` columns.
    mutating func repairNeighbourhoods(budget: Int) -> [Neighbourhood] {
        var short: [Instance.NeedRef] = []
        for (s, info) in instance.students.enumerated() {
            for (n, need) in info.needs.enumerated() where plan.done[s][n] < need.sessions {
                short.append(Instance.NeedRef(student: s, need: n))
            }
        }
        var hoods: [Neighbourhood] = []
        // Several tries per need, each around other days, since which day frees up is not known.
        // Higher priorities first; within one, in random order.
        let ordered = rng.shuffled(short + short + short).enumerated().sorted { x, y in
            let px = instance.students[x.element.student].needs[x.element.need].priority
            let py = instance.students[y.element.student].needs[y.element.need].priority
            return px != py ? px > py : x.offset < y.offset
        }.map(\.element)
        for ref in ordered {
            let s = ref.student, a = instance.students[s].needs[ref.need].activity
            let act = instance.activities[a]
            let open = (0..<instance.dayCount).filter { d in
                plan.needDays[s][ref.need] & (1 << UInt64(d)) == 0
                    && instance.slots(ofDay: d).contains { instance.students[s].available[$0] }
            }
            guard !open.isEmpty else { continue }
            var days = [open[Int(rng.next() % UInt64(open.count))]]
            if instance.dayCount > 1, rng.next() % 2 == 0 {
                let other = Int(rng.next() % UInt64(instance.dayCount))
                if other != days[0] { days.append(other) }
            }
            // The need's own activity, then what blocks it (the student's sessions those days, then
            // the sessions holding its teachers), then anything, while the budget lasts.
            var blocking: [Int] = []
            for d in days {
                for p in instance.slots(ofDay: d) where plan.studentAt[s][p] >= 0 {
                    if let session = plan.sessions[plan.studentAt[s][p]] { blocking.append(session.activity) }
                }
            }
            for d in days {
                for p in instance.slots(ofDay: d) {
                    for t in act.qualifiedTeachers where plan.teacherAt[t][p] >= 0 {
                        if let session = plan.sessions[plan.teacherAt[t][p]] { blocking.append(session.activity) }
                    }
                }
            }
            var chosen = instance.students[s].needs[ref.need].activities
            var size = act.demand.count * instance.blocksPerDay * days.count
            for b in blocking + rng.shuffled(Array(instance.activities.indices)) where !chosen.contains(b) {
                let extra = instance.activities[b].demand.count * instance.blocksPerDay * days.count
                if size + extra > budget { continue }
                chosen.append(b)
                size += extra
            }
            hoods.append(Neighbourhood(days: days.sorted(), activities: chosen))
        }
        return hoods
    }

    /// Every day, with the activities shuffled and packed into pieces of about `budget` columns;
    /// pieces holding unmet demand come first.
    mutating func neighbourhoods(budget: Int) -> [Neighbourhood] {
        var byDay: [[Neighbourhood]] = []
        for d in rng.shuffled(Array(0..<instance.dayCount)) {
            var hoods: [Neighbourhood] = [], piece: [Int] = [], size = 0
            for a in rng.shuffled(Array(instance.activities.indices)) {
                let columns = instance.activities[a].demand.count * instance.blocksPerDay
                if !piece.isEmpty, size + columns > budget {
                    hoods.append(Neighbourhood(days: [d], activities: piece))
                    piece = []
                    size = 0
                }
                piece.append(a)
                size += columns
            }
            if !piece.isEmpty { hoods.append(Neighbourhood(days: [d], activities: piece)) }
            byDay.append(hoods)
        }
        // Days taken in turn, so that threads find pieces on other days to the end of the pass: one
        // day's pieces after another left one thread idle for the whole of the last day's.
        let hoods = (0..<(byDay.map(\.count).max() ?? 0)).flatMap { i in byDay.compactMap { i < $0.count ? $0[i] : nil } }
        let unmet = Set(instance.activities.indices.filter { a in
            instance.activities[a].demand.contains { plan.remaining(student: $0.student, activity: a) > 0 }
        })
        return hoods.filter { !unmet.isDisjoint(with: $0.activities) } + hoods.filter { unmet.isDisjoint(with: $0.activities) }
    }

    /// The whole week as one GLPK model, for its bound: a relaxation of the true objective, so
    /// GLPK's bound on it is valid for every timetable. Over several days it counts unmet sessions
    /// and late blocks only (the idle terms' relaxation is too weak to be worth its size); one day
    /// is modelled exactly, so a small day timetable can be proven optimal here.
    mutating func solveWholeWeek() throws(SolveFailure) {
        let columns = instance.activities.reduce(0) { $0 + $1.demand.count } * instance.slotCount
        guard columns <= 6_000, !shouldStop() else { return }
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
        // A sub-problem that outlasts the patience could only be kept by luck at its very end, so the
        // patience caps it like the deadline does (the whole-week model would otherwise take 30 s).
        let untilStop = min(deadline.timeIntervalSinceNow, untilPatienceRunsOut)
        // With a work limit the sub-problems stop on work too, never on a clock of their own, so one
        // seed gives one timetable whatever the machine's load; only the global deadline remains.
        let workLimited = options.maxSubproblems != nil
        return MIPOptions(
            timeLimit: max(0.05, workLimited ? untilStop : min(timeLimit ?? options.subproblemTimeLimit, untilStop)),
            nodeLimit: workLimited ? (forBound ? 2_000 : 200) : nil,
            iterationLimit: workLimited ? max(100, Int(options.iterationsPerSecond * (timeLimit ?? options.subproblemTimeLimit))) : nil,
            relativeGap: forBound ? options.relativeGap : 0, presolve: options.presolve, cuts: options.cuts,
            showSolverLog: options.showSolverLog)
    }

    /// Solves the pieces of `queue`: the repair's (unmet sessions only, until none is left) or the
    /// polish's (the whole objective). Under a work limit they go in batches (`improve`), so a seed
    /// names one timetable, and the moves without GLPK follow each gain, while the threads wait for
    /// the next batch anyway. Otherwise each thread takes the next piece on a free day as soon as
    /// its last is done, and the moves wait for the next pass: in batches a thread waited for its
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
            if running.isEmpty { break }
            let (token, outcome) = runner.next()
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

    /// The weekly slack (teachers' `max-per-week`, needs' sessions) a piece may spend: whatever the
    /// pieces still running have not been given. Each was given what was left when it started, so
    /// all their results together always fit.
    func slackShares(for hood: Neighbourhood, besides running: [RunningPiece]) -> (shares: HeldCapacity, held: HeldCapacity) {
        let none = HeldCapacity(teacherBlocks: Array(repeating: 0, count: instance.teachers.count),
                                needSessions: instance.students.map { Array(repeating: 0, count: $0.needs.count) })
        var shares = none, held = none
        for a in hood.activities {
            for t in instance.activities[a].qualifiedTeachers {
                let slack = max(0, plan.openWeeklyBlocks(teacher: t))
                held.teacherBlocks[t] = min(slack, running.reduce(0) { $0 + $1.shares.teacherBlocks[t] })
                shares.teacherBlocks[t] = slack - held.teacherBlocks[t]
            }
            for need in instance.activities[a].demand {
                let (s, n) = (need.student, need.need), slack = max(0, plan.remaining(student: s, activity: a))
                held.needSessions[s][n] = min(slack, running.reduce(0) { $0 + $1.shares.needSessions[s][n] })
                shares.needSessions[s][n] = slack - held.needSessions[s][n]
            }
        }
        return (shares, held)
    }

    /// Shares of the weekly slack (teachers' `max-per-week`, needs' sessions) for neighbourhoods solved
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
                         needSessions: instance.students.map { Array(repeating: 0, count: $0.needs.count) })
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
        }
        for (need, users) in needUsers {
            let slack = instance.students[need.student].needs[need.need].sessions - plan.done[need.student][need.need]
            split(slack, among: users) { held[$0].needSessions[need.student][need.need] = $1 }
        }
        return held
    }

    /// Puts a solved neighbourhood's sessions in place of its old ones in the current timetable (which
    /// may already hold other results of its batch, on other days) if the whole timetable improves.
    mutating func keep(_ solved: SolvedNeighbourhood, hood: Neighbourhood, forBound: Bool) throws(SolveFailure) {
        subproblems += 1
        if solved.columns > largestModel.columns { largestModel = (solved.columns, solved.rows) }
        let result = solved.result
        if trace {
            FileHandle.standardError.write(Data("sub-problem \(subproblems): days \(hood.days) \(hood.activities.count) activities, \(solved.columns) cols x \(solved.rows) rows, \(result.status) (\(result.outcome)\(result.hitWorkLimit ? ", work limit" : "")) \(String(format: "%.2f", result.seconds))s \(result.iterations) it obj \(result.objective ?? .nan) bound \(result.bound ?? .nan) current \(objective)\n".utf8))
        }
        if result.hitTimeLimit, Date() >= deadline, stopReason == nil { stopReason = .timeLimit }
        if forBound, let b = result.bound {
            bound = max(bound, b)
            modelBound = max(modelBound, b)
        }
        guard let sessions = solved.sessions else { return }
        var candidate = plan
        for id in solved.removed { candidate.remove(id) }
        let added = sessions.map { candidate.add($0) }
        if polishing, !forBound { candidate.settle(added, days: hood.days, weights, until: deadline) }
        if candidate.terms.total(self.weights) < objective - 1e-9 {
            plan = candidate
            lastImprovement = Date()
            subproblemsAtLastImprovement = subproblems
        }
    }

    mutating func report(force: Bool, stopReason: Timetable.StopReason? = nil) {
        guard let progress else { return }
        let unmet = plan.terms.unmetSessions
        let periodic = Date().timeIntervalSince(lastReport) >= 1
        guard force || periodic || unmet < lastReportedUnmet else { return }
        if periodic || force { lastReport = Date() }
        lastReportedUnmet = unmet
        progress(SolveProgress(elapsed: Date().timeIntervalSince(started), unmetSessions: unmet, objective: objective,
                               bound: min(bound, objective), subproblems: subproblems, periodic: periodic,
                               stopReason: stopReason))
    }
}

/// A polishing piece out on a thread, with the weekly slack it was given.
struct RunningPiece {
    var hood: Neighbourhood
    var shares: HeldCapacity
}

/// Pieces solved on threads of their own; each result is picked up, in the order they finish, by
/// the search's thread, the only one that changes the timetable.
final class PieceRunner: Sendable {
    private let finished = Mutex<[(Int, Result<SolvedNeighbourhood?, SolveFailure>)]>([])
    private let done = DispatchSemaphore(value: 0)

    func launch(_ token: Int, _ work: @escaping @Sendable () -> Result<SolvedNeighbourhood?, SolveFailure>) {
        DispatchQueue.global().async {
            let result = work()
            self.finished.withLock { $0.append((token, result)) }
            self.done.signal()
        }
    }

    /// Waits for the next piece to finish.
    func next() -> (Int, Result<SolvedNeighbourhood?, SolveFailure>) {
        done.wait()
        return finished.withLock { $0.removeFirst() }
    }
}

/// One neighbourhood's GLPK solution, found on any thread from a snapshot of the timetable.
struct SolvedNeighbourhood: Sendable {
    /// Ids of the sessions it re-planned, in the snapshot (and in any timetable that changed only
    /// on other days since).
    var removed: [Int]
    /// Its new sessions, or nil when GLPK gave nothing that decodes.
    var sessions: [PlannedSession]?
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
    var base = plan
    for (id, _) in removed { base.remove(id) }
    base.held = held
    let model = NeighbourhoodModel(base: base, hood: hood, weights: weights)
    guard !model.isEmpty else { return .success(nil) }
    var options = limits
    options.start = model.startValues(for: removed.map(\.session))
    let result: MIPResult
    do {
        result = try GLPKSolver.solve(model.program, options: options)
    } catch {
        return .failure(SolveFailure(description: "internal error: GLPK could not solve a sub-problem: \(error)"))
    }
    let sessions = result.values.flatMap { model.decode($0, previous: removed.map(\.session)) }
    return .success(SolvedNeighbourhood(removed: removed.map(\.id), sessions: sessions, columns: model.program.columns.count,
                                        rows: model.program.rows.count, result: result))
}

/// Sessions that no timetable can give: more sessions of a need than days on which the student and
/// someone to serve it are free, or more sessions in all than her free blocks allow.
func forcedUnmetSessions(_ instance: Instance) -> Int {
    var total = 0
    for student in instance.students {
        var forced = 0, needed = 0
        for need in student.needs {
            let act = instance.activities[need.activity]
            let servable = (0..<instance.dayCount).filter { d in
                instance.slots(ofDay: d).contains { p in
                    student.available[p] && act.fittingRooms.contains { instance.rooms[$0].available[p] }
                        && (!act.teacherLed || act.qualifiedTeachers.contains { instance.teachers[$0].available[p] })
                }
            }.count
            forced += max(0, need.sessions - servable)
            needed += need.sessions
        }
        let capacity = (0..<instance.dayCount).reduce(0) { sum, d in
            sum + min(student.maxPerDay, instance.slots(ofDay: d).filter { student.available[$0] }.count)
        }
        total += max(forced, needed - capacity)
    }
    return total
}

/// The plan's shortfall per need; Advisor gives each its reason.
func unmetNeeds(_ plan: Plan) -> [Timetable.Unmet] {
    let instance = plan.instance, scenario = instance.scenario
    return instance.students.indices.flatMap { s in
        instance.students[s].needs.enumerated().compactMap { n, need in
            guard plan.done[s][n] < need.sessions else { return nil }
            let act = instance.activities[need.activity]
            return Timetable.Unmet(student: scenario.students[s].id, subject: act.subject, modality: act.modality,
                                   missing: need.sessions - plan.done[s][n], priority: need.priority, reason: "")
        }
    }
}

/// The scenario's fixed sessions as given, then the planned ones in time order.
func timetableSessions(_ plan: Plan) -> [Timetable.Session] {
    let instance = plan.instance, scenario = instance.scenario
    let fixed = scenario.fixed.map { session in
        Timetable.Session(fixed: session.id, title: session.title, day: session.day.rawValue, block: session.block,
                          length: session.length, teachers: session.teachers, room: session.room, students: scenario.attendees(of: session))
    }
    return fixed + plan.activeSessions.map(\.session).sorted { x, y in
        (x.slot, x.activity, x.room) < (y.slot, y.activity, y.room)
    }.map { session in
        let act = instance.activities[session.activity]
        return Timetable.Session(
            day: instance.dayName(of: session.slot), block: instance.blockId(of: session.slot), length: act.length, subject: act.subject,
            modality: act.modality, teacher: session.teacher.map { scenario.teachers[$0].id },
            room: scenario.rooms[session.room].id, students: session.students.sorted().map { scenario.students[$0].id })
    }
}

/// The whole week as one integer program, written in free MPS by GLPK's own writer, so other MIP
/// solvers can be run on exactly flexsched's formulation. Column `x[s,a,p]` = 1 seats student `s`
/// (scenario order) in activity `a` at slot `p`, and the x columns come first; unmet sessions =
/// needed sessions - sum of x. The objective is the one in the README less `constant`, the cost
/// of meeting nothing (1000 x needed sessions when every need is `normal`), with two terms only approximated, both from below, because the model
/// does not tell parallel groups apart: teacher continuity is left out and a preferred teacher
/// counts as kept when she leads any group of the activity at that time. The measure on the
/// decoded timetable (`decodeWholeWeekSolution`) counts them exactly.
public func writeWholeWeekModel(_ scenario: ValidatedScenario, to path: String) throws(SolveFailure)
    -> (columns: Int, rows: Int, neededSessions: Int, seatColumns: Int, constant: Double) {
    let model = WholeWeekModel(scenario)
    do {
        try GLPKSolver.writeMPS(model.program, to: path)
    } catch {
        throw SolveFailure(description: "cannot write the model: \(error)")
    }
    return (model.program.columns.count, model.program.rows.count, model.model.instance.totalSessionsNeeded, model.seatColumns,
            model.constant)
}

/// Another solver's solution of the model `writeWholeWeekModel` wrote, by column name (only the x, y
/// and w columns are read), decoded into sessions the way flexsched decodes GLPK's, with every term
/// measured on the result. Nil when the solution cannot be split into groups. Not checked: the
/// caller hands it to the independent checker like any other timetable.
package func decodeWholeWeekSolution(_ scenario: ValidatedScenario, values: [String: Double]) -> Timetable? {
    let whole = WholeWeekModel(scenario)
    let model = whole.model
    let columns = model.program.columns.map { values[glpkName($0.name, fallback: "")] ?? 0 }
    guard let sessions = model.decode(columns) else { return nil }
    var plan = model.base
    for session in sessions { plan.add(session) }
    let instance = model.instance, terms = plan.terms
    let weights = ObjectiveWeights().lexicographic(instance)
    return Timetable(
        scenario: scenario.name, status: .feasible, objective: terms.total(weights), bound: nil, gap: nil,
        sessions: timetableSessions(plan), unmet: unmetNeeds(plan), created: ISO8601DateFormatter().string(from: Date()),
        stats: .init(seconds: 0, unmetSessions: terms.unmetSessions, neededSessions: instance.totalSessionsNeeded,
                     variables: whole.program.columns.count, rows: whole.program.rows.count, subproblems: 0, terms: terms.byId,
                     stopReason: nil),
        bounds: nil)
}

/// The whole-week model with the seat columns first (solvers that drop the names, as HiGHS does,
/// still find them by position) and no objective constant (MPS readers disagree on its sign).
private struct WholeWeekModel {
    let model: NeighbourhoodModel
    let program: IntegerProgram
    let seatColumns: Int
    /// The objective of meeting nothing, left out of the written model.
    let constant: Double

    init(_ scenario: ValidatedScenario) {
        let instance = Instance(scenario)
        let hood = Neighbourhood(days: Array(0..<instance.dayCount), activities: Array(instance.activities.indices))
        model = NeighbourhoodModel(base: Plan(instance), hood: hood, weights: ObjectiveWeights().lexicographic(instance))
        let built = model.program
        let seats = built.columns.indices.filter { built.columns[$0].name.hasPrefix("x[") }
        var program = built.reordered(columns: seats + built.columns.indices.filter { !built.columns[$0].name.hasPrefix("x[") })
        constant = program.objectiveConstant
        program.objectiveConstant = 0
        self.program = program
        seatColumns = seats.count
    }
}

