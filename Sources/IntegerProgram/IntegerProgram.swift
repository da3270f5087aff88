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
    /// Wall-clock limit in seconds for the whole solve, LP included.
    public var timeLimit: Double
    /// Stop once (objective - bound) / |objective| is at most this.
    public var relativeGap: Double
    public var presolve: Bool
    public var cuts: Bool
    /// Print the solver's own log (hidden by default).
    public var showSolverLog: Bool
    /// A feasible assignment to start from; the backend keeps it as incumbent if it finds nothing better.
    public var start: [Double]?

    public init(timeLimit: Double = 10, relativeGap: Double = 0, presolve: Bool = false, cuts: Bool = true,
                showSolverLog: Bool = false, start: [Double]? = nil) {
        self.timeLimit = timeLimit; self.relativeGap = relativeGap; self.presolve = presolve; self.cuts = cuts
        self.showSolverLog = showSolverLog; self.start = start
    }
}

public enum MIPStatus: String, Sendable {
    /// Proven optimal (within the requested relative gap).
    case optimal
    /// Stopped (time limit or gap) with a feasible solution.
    case feasible
    case infeasible
    /// Stopped before any feasible solution was found.
    case noSolution = "no-solution"
}

public struct MIPResult: Sendable {
    public var status: MIPStatus
    public var values: [Double]?
    public var objective: Double?
    /// A valid lower bound on the optimum (minimisation), when known.
    public var bound: Double?
    public var seconds: Double
    public var hitTimeLimit: Bool

    public init(status: MIPStatus, values: [Double]?, objective: Double?, bound: Double?, seconds: Double, hitTimeLimit: Bool) {
        self.status = status; self.values = values; self.objective = objective; self.bound = bound
        self.seconds = seconds; self.hitTimeLimit = hitTimeLimit
    }
}

/// (objective - bound) / max(|objective|, 1): 0 when proven optimal.
public func relativeGap(objective: Double, bound: Double) -> Double {
    max(0, objective - bound) / max(abs(objective), 1)
}
