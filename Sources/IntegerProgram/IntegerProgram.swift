/// A mixed-integer program in plain Swift values: what the model builder produces and any backend
/// consumes. Indices are 0-based here; the GLPK backend translates to GLPK's 1-based arrays.
public struct IntegerProgram: Sendable {
    public enum Kind: Sendable { case binary, continuous }

    public struct Column: Sendable {
        public var name: String
        public var kind: Kind
        public var lower: Double
        public var upper: Double?
        public var cost: Double
    }

    public struct Row: Sendable {
        public var name: String
        public var lower: Double?
        public var upper: Double?
        public var columns: [Int]
        public var coefficients: [Double]
    }

    public private(set) var columns: [Column] = []
    public private(set) var rows: [Row] = []
    /// Added to the objective of every solution, so sub-problems report the objective of the whole.
    public var objectiveConstant: Double = 0

    public init() {}

    @discardableResult
    public mutating func addBinary(_ name: String, cost: Double = 0) -> Int {
        columns.append(Column(name: name, kind: .binary, lower: 0, upper: 1, cost: cost))
        return columns.count - 1
    }

    /// Terms priced after their column was made (a wish that depends on other columns) add here.
    public mutating func addCost(_ cost: Double, to column: Int) { columns[column].cost += cost }

    @discardableResult
    public mutating func addContinuous(_ name: String, lower: Double = 0, upper: Double? = nil, cost: Double = 0) -> Int {
        columns.append(Column(name: name, kind: .continuous, lower: lower, upper: upper, cost: cost))
        return columns.count - 1
    }

    /// Adds `lower <= sum(coef * column) <= upper`. Terms on the same column are merged, empty rows
    /// whose bounds hold are dropped, and those that cannot hold are kept so infeasibility stays visible.
    public mutating func addRow(_ name: String, _ terms: [(Int, Double)], lower: Double? = nil, upper: Double? = nil) {
        precondition(lower != nil || upper != nil, "row \(name) has no bound")
        if let lower, let upper { precondition(lower <= upper, "row \(name): lower bound above upper bound") }
        var merged: [Int: Double] = [:]
        for (column, coefficient) in terms {
            precondition(columns.indices.contains(column), "row \(name) names unknown column \(column)")
            merged[column, default: 0] += coefficient
        }
        let kept = merged.filter { $0.value != 0 }.sorted { $0.key < $1.key }
        if kept.isEmpty, (lower ?? 0) <= 0, (upper ?? 0) >= 0 { return }
        rows.append(Row(name: name, lower: lower, upper: upper, columns: kept.map(\.key), coefficients: kept.map(\.value)))
    }

    /// The same program with its columns in `order` (a permutation of the column indices).
    public func reordered(columns order: [Int]) -> IntegerProgram {
        precondition(order.count == columns.count && Set(order).count == order.count, "not a permutation")
        var position = Array(repeating: 0, count: order.count)
        for (new, old) in order.enumerated() { position[old] = new }
        var result = self
        result.columns = order.map { columns[$0] }
        result.rows = rows.map { row in
            var copy = row
            copy.columns = row.columns.map { position[$0] }
            return copy
        }
        return result
    }

    /// Objective value of an assignment (including the constant).
    public func objective(of values: [Double]) -> Double {
        zip(columns, values).reduce(objectiveConstant) { $0 + $1.0.cost * $1.1 }
    }

    /// Largest violation of a bound or row by `values`; 0 means feasible.
    public func maxViolation(of values: [Double]) -> Double {
        guard values.count == columns.count else { return .infinity }
        var worst = 0.0
        for (c, v) in zip(columns, values) {
            worst = max(worst, c.lower - v, v - (c.upper ?? .infinity))
            if c.kind != .continuous { worst = max(worst, abs(v - v.rounded())) }
        }
        for row in rows {
            var activity = 0.0
            for (j, a) in zip(row.columns, row.coefficients) { activity += a * values[j] }
            if let l = row.lower { worst = max(worst, l - activity) }
            if let u = row.upper { worst = max(worst, activity - u) }
        }
        return worst
    }
}

public struct MIPOptions: Sendable {
    /// Wall-clock limit in seconds for the whole solve, LP included: the safety net. It may be very
    /// large (even infinite). When it stops a solve, the result depends on how fast the machine was
    /// at that moment; when `nodeLimit` or `iterationLimit` binds first, the same program and options
    /// give the same result, bit for bit, on any load.
    public var timeLimit: Double
    /// Work limit: branch-and-bound nodes (every node created, including those already pruned).
    public var nodeLimit: Int?
    /// Work limit: simplex iterations over the whole solve, the root LP and every node's LP. With
    /// `presolve` on, GLPK's presolver solves the root LP itself and only the search's count is limited.
    public var iterationLimit: Int?
    /// Stop once (objective - bound) / |objective| is at most this.
    public var relativeGap: Double
    /// The MIP presolver. It hides the original columns from the search, so no start is offered to
    /// GLPK with it on; a feasible start is still kept as the fallback result.
    public var presolve: Bool
    /// GLPK's LP presolver before the root LP (with `presolve` off). It prints nothing until it is
    /// done, so a cancel waits for it; on very large LPs that can be seconds.
    public var lpPresolve: Bool
    public var cuts: Bool
    /// Print the solver's own log (hidden by default).
    public var showSolverLog: Bool
    /// An assignment to start from. Offered to the search only if it satisfies every bound and row
    /// exactly (and `presolve` is off); kept as the result if it is feasible within 1e-6 and the
    /// search finds nothing better.
    public var start: [Double]?
    /// Asked every 250 ms while the root LP runs (at GLPK's progress output) and at every call of
    /// the search. True stops the solve as the clock would, with whatever it has: a cancelled run
    /// must not wait for an LP that takes 20 s on a 10,000-student week.
    public var isCancelled: (@Sendable () -> Bool)?

    public init(timeLimit: Double = 10, nodeLimit: Int? = nil, iterationLimit: Int? = nil, relativeGap: Double = 0,
                presolve: Bool = false, lpPresolve: Bool = true, cuts: Bool = true, showSolverLog: Bool = false,
                start: [Double]? = nil, isCancelled: (@Sendable () -> Bool)? = nil) {
        self.timeLimit = timeLimit; self.nodeLimit = nodeLimit; self.iterationLimit = iterationLimit
        self.relativeGap = relativeGap; self.presolve = presolve; self.lpPresolve = lpPresolve; self.cuts = cuts
        self.showSolverLog = showSolverLog; self.start = start; self.isCancelled = isCancelled
    }
}

public enum MIPStatus: String, Sendable {
    /// Proven optimal (within the requested relative gap).
    case optimal
    /// Stopped (time limit, work limit or gap) with a feasible solution.
    case feasible
    case infeasible
    /// Stopped before any feasible solution was found.
    case noSolution = "no-solution"
}

/// What GLPK's `glp_simplex` or `glp_intopt` returned, by name. The backend maps GLPK's codes onto
/// these (see `GLPKOutcome.init(code:)` there); the type lives here so `MIPResult` can carry it.
public enum GLPKOutcome: Hashable, Sendable {
    /// Return code 0: the routine finished (a status still says what it found).
    case success
    /// GLP_EBADB (simplex): the initial basis is invalid.
    case invalidBasis
    /// GLP_ESING (simplex): the basis matrix is singular.
    case singularMatrix
    /// GLP_ECOND (simplex): the basis matrix is ill-conditioned.
    case illConditionedMatrix
    /// GLP_EBOUND: a double-bounded variable has incorrect bounds (or, in the MIP, an integer
    /// column has non-integral bounds).
    case invalidBounds
    /// GLP_EFAIL: the solver failed (numerical trouble).
    case solverFailed
    /// GLP_EOBJLL (dual simplex): the objective fell below its lower limit.
    case objectiveLowerLimit
    /// GLP_EOBJUL (dual simplex): the objective rose above its upper limit.
    case objectiveUpperLimit
    /// GLP_EITLIM (simplex): the iteration limit was reached.
    case iterationLimit
    /// GLP_ETMLIM: GLPK's own time limit was reached.
    case timeLimit
    /// GLP_ENOPFS: no primal feasible solution (the LP relaxation is infeasible).
    case noPrimalFeasible
    /// GLP_ENODFS: no dual feasible solution (the LP relaxation is unbounded or infeasible).
    case noDualFeasible
    /// GLP_EROOT (intopt): no optimal basis for the root LP was given.
    case rootNotOptimal
    /// GLP_EMIPGAP (intopt): the relative gap tolerance was reached.
    case gapReached
    /// GLP_ESTOP (intopt): the search was stopped from the callback (here: work or clock limit).
    case stoppedByCallback
    /// A code this version does not know.
    case unknown(Int32)

    /// Every named case, in GLPK's numbering order.
    public static let named: [GLPKOutcome] = [
        .success, .invalidBasis, .singularMatrix, .illConditionedMatrix, .invalidBounds, .solverFailed,
        .objectiveLowerLimit, .objectiveUpperLimit, .iterationLimit, .timeLimit, .noPrimalFeasible,
        .noDualFeasible, .rootNotOptimal, .stoppedByCallback, .gapReached,
    ]
}

public struct MIPResult: Sendable {
    public var status: MIPStatus
    public var values: [Double]?
    public var objective: Double?
    /// A valid lower bound on the optimum (minimisation), when known.
    public var bound: Double?
    public var seconds: Double
    /// Stopped by `MIPOptions.timeLimit`: this result depends on the machine's speed and load.
    public var hitTimeLimit: Bool
    /// Stopped by `nodeLimit` or `iterationLimit`: reproducible.
    public var hitWorkLimit: Bool
    /// What the last GLPK routine that ran returned: `glp_simplex` when the root LP ended the
    /// solve, `glp_intopt` otherwise (`.success` for a program without columns, which GLPK is
    /// not asked to solve).
    public var outcome: GLPKOutcome
    /// Simplex iterations the solve took (root LP and branch-and-bound): the work it did.
    public var iterations: Int
    /// Stopped because `MIPOptions.isCancelled` said so.
    public var cancelled: Bool

    public init(status: MIPStatus, values: [Double]?, objective: Double?, bound: Double?, seconds: Double,
                hitTimeLimit: Bool, hitWorkLimit: Bool, outcome: GLPKOutcome, iterations: Int = 0, cancelled: Bool = false) {
        self.status = status; self.values = values; self.objective = objective; self.bound = bound
        self.seconds = seconds; self.hitTimeLimit = hitTimeLimit; self.hitWorkLimit = hitWorkLimit
        self.outcome = outcome; self.iterations = iterations; self.cancelled = cancelled
    }
}

/// (objective - bound) / max(|objective|, 1): 0 when proven optimal.
public func relativeGap(objective: Double, bound: Double) -> Double {
    max(0, objective - bound) / max(abs(objective), 1)
}
