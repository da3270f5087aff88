import Foundation
import IntegerProgram
import SeededRandom
import TimetableFormat
import WeekIndex

/// The search over one week: the timetable so far, its bound, what stops it, and its phases.
/// Its neighbourhoods are in `Neighbourhoods.swift` and the GLPK pieces on threads in `Pieces.swift`.
struct Search {
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
    var stopReason: Timetable.StopReason?
    /// When the timetable last got better (or polishing began), by clock and by work.
    var lastImprovement = Date()
    var subproblemsAtLastImprovement = 0
    /// Patience counts only once the repair of unmet needs is over, with a fresh start: on the
    /// mid-size week under load, repair went 10 s without a gain and then met 20 more sessions, and
    /// the repair has its own end (rounds without a gain).
    var polishing = false
    var largestModel = (columns: 0, rows: 0)
    var rng: SplitMix64
    var lastReport = Date.distantPast
    /// `FLEXSCHED_TRACE=1`: one line per GLPK sub-problem on stderr.
    let trace = ProcessInfo.processInfo.environment["FLEXSCHED_TRACE"] != nil
    var lastReportedUnmet = Int.max

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
        // Set from the proofs (`LowerBounds`) before the search starts.
        bound = 0
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
    /// repairing). Asked only between passes of the polish (`polish`): a gain that comes late in a
    /// pass counts. Cut mid-pass, the planted L week (seed 1) stopped at 26 s with a comfort score
    /// 7.6 % above the same week's run with `--patience 60`.
    var untilPatienceRunsOut: Double {
        guard polishing, options.maxSubproblems == nil, let seconds = options.patience else { return .infinity }
        return seconds - Date().timeIntervalSince(lastImprovement)
    }

    /// The patience in sub-problems, which a work-limited run checks after every one.
    var patienceInWorkRanOut: Bool {
        guard polishing, let limit = options.patienceSubproblems else { return false }
        return subproblems - subproblemsAtLastImprovement >= limit
    }

    mutating func run() throws(SolveFailure) {
        try plan.adoptBaseline(plan.baseline)
        let heartbeat = Heartbeat(started: started, options: options, weights: weights, progress: progress)
        try placeLessons(heartbeat: heartbeat)
        // The lessons' own grid first, while moving a lesson disturbs no flex session: compact days
        // for classes, teachers and students leave whole free blocks for the flex sessions. Without
        // it the joint solve ended behind lessons-first-then-flex on the planted M hybrid week.
        for _ in 0..<8 {
            guard plan.moveLessonsForComfort(weights, until: deadline, guardingFlexDays: true) else { break }
        }
        plan.constructGreedily(until: deadline, heartbeat: heartbeat)
        plan.reseatShortNeeds(until: deadline, heartbeat: heartbeat)
        report(force: true)
        try repairUnmetNeeds()
        if options.polish {
            polishing = true
            lastImprovement = Date()
            subproblemsAtLastImprovement = subproblems
            try solveWholeWeek()
            // The whole-week model is one long attempt, kept mostly for its bound: the patience counts
            // from the polish by pieces. On a dense 30-student week the model alone used it up and no
            // piece ever ran (comfort 664 where the pieces reach 113).
            lastImprovement = Date()
            subproblemsAtLastImprovement = subproblems
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
            } else if patienceInWorkRanOut {
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
            if plan.terms.unmetSessions == before, !instance.lessons.isEmpty, plan.moveLessonsForShortNeeds(weights, until: deadline) {
                lastImprovement = Date()
            }
            fruitless = plan.terms.unmetSessions < before ? 0 : fruitless + 1
        }
    }

    /// Phase 2: the full objective (idle blocks, late blocks, consecutive days) on a few activities
    /// at a time, in passes of four kinds (`PolishWidth`). A pass that brings nothing is followed by
    /// the next kind, and a pass that gains by one of the same kind again for pieces over two days
    /// and regrouping (whose pieces hold every day, so they run one at a time: before the two-day
    /// pieces they delayed them and ended higher), or else by one with narrow pieces, which reach
    /// what the gain opened at a tenth of the cost; the search has converged when the wide pass
    /// brings nothing either. Measured on the mid-size week
    /// (seeds 1-5): staying wide after a gain ended about 6 % higher, and a third width (2,400
    /// columns) kept no gain in the 6 s its pass took on seeds 1 and 4.
    mutating func polish() throws(SolveFailure) {
        var width = PolishWidth.narrow
        while !shouldStop() {
            let before = objective
            comfortMoves()
            report(force: false)
            var queue = switch width {
            case .narrow, .wide: neighbourhoods(budget: options.neighbourhoodColumns * (width == .wide ? 2 : 1))[...]
            case .repeats: repeatNeighbourhoods(budget: options.neighbourhoodColumns)[...]
            case .regroup: regroupNeighbourhoods(budget: options.neighbourhoodColumns)[...]
            }
            try solvePieces(&queue, repairing: false)
            if objective < before - 1e-9 {
                width = width == .narrow || width == .wide ? .narrow : width
            } else if let next = PolishWidth(rawValue: width.rawValue + 1) {
                width = next
            } else {
                break
            }
            if stopReason == nil, untilPatienceRunsOut <= 0 {
                stopReason = .patience
            }
        }
    }

    /// Pieces of one day, then pieces over two days around needs that meet on consecutive days
    /// (`repeatNeighbourhoods`), then whole-week regrouping around them (`regroupNeighbourhoods`),
    /// then pieces of one day twice as wide. Single-day pieces cannot move a session to another day,
    /// and consecutive-day repeats are most of the comfort score on planted weeks.
    enum PolishWidth: Int {
        case narrow, repeats, regroup, wide
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
            let lessons = traced("lessons", plan.moveLessonsForComfort(weights, until: deadline))
            // Polishing changes what a lesson or session move can open for a need still short.
            let short = plan.terms.unmetSessions > 0 && !instance.lessons.isEmpty
                && traced("short needs", plan.moveLessonsForShortNeeds(weights, until: deadline))
            guard students || swaps || teachers || sessions || lessons || short else { break }
            lastImprovement = Date()
            subproblemsAtLastImprovement = subproblems
        }
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
        for id in solved.removedLessons { candidate.removeLesson(id) }
        for placed in solved.lessons ?? [] { candidate.placeLesson(placed) }
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
