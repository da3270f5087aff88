import Diagnosis
import Foundation
import IntegerProgram
import TimetableFormat

public struct SolveOptions: Sendable {
    /// Wall-clock seconds for the whole solve.
    public var timeLimit: Double = 60
    /// Stop early once both parts of the proven gap (unmet sessions, comfort) are at most this.
    public var relativeGap: Double = 0
    /// Stop at the end of a polish pass once this many wall-clock seconds have passed without a
    /// better timetable (nil: never), counted from the end of the repair of unmet needs. Ignored
    /// under `maxSubproblems`, where a clock would make the result depend on the machine's load.
    /// Off by default: the search stops by itself once a full round of pieces of every width brings
    /// nothing (`converged`), which is patience counted in work. Measured (Benchmarks/README.md,
    /// issue 28): with pieces that stop on work, a clock of 10 s changed no planted S or M week's
    /// result, and ended L weeks under load up to 8 % above where the same search was at 60 s.
    public var patience: Double?
    /// Stop once this many GLPK sub-problems in a row after the repair bring no better timetable
    /// (nil: never): patience counted in work, so a work-limited run stays reproducible.
    public var patienceSubproblems: Int?
    /// For re-solves from a baseline (what-if): most of their gains come in the first seconds, and a
    /// round of pieces over a large week would outlast what-if's whole 8 s limit.
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
    /// Without `maxSubproblems`, the simplex iterations a piece may spend per second of its budget:
    /// GLPK did about 7,600 a second on the mid-size week's slowest pieces (branch and cut), so the
    /// work ends a piece about where a clock of its budget did on an idle machine, and a loaded one
    /// gets the same timetable, later.
    public var pieceIterationsPerSecond = 8_000.0
    /// A work limit: with it (and no wall-clock cut) two runs with one seed give one timetable.
    public var maxSubproblems: Int?
    /// The previous timetable (what-if, next week's roll-forward): kept wherever the scenario still
    /// allows, and changes to it cost `weights.changed*`.
    public var baseline: Timetable?
    /// People whose baseline sessions must stay exactly as they are.
    public var pins: [Pin] = []
    /// The scenario's pre-solve proofs (Diagnosis), when the caller has them; the solve runs them
    /// otherwise. The bound on unmet sessions is the strongest of them, the students' free days and
    /// blocks, and the capacity relaxation (`LowerBounds`).
    public var findings: [Finding]?
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
