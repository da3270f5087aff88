import CGLPK
import Foundation
import IntegerProgram

/// Why the GLPK backend gave no result.
public enum GLPKFailure: Error, CustomStringConvertible, Sendable, Equatable {
    /// Found before GLPK was called: something GLPK would reject (an index, a bound, a number that
    /// is not finite) or an option out of range.
    case invalidInput(String)
    /// GLPK itself failed: a fatal error (caught by the error hook; GLPK's own message) or a
    /// request it could not carry out, such as writing a file.
    case glpkError(String)

    public var description: String {
        switch self {
        case let .invalidInput(text): "invalid input for GLPK: \(text)"
        case let .glpkError(text): "GLPK error: \(text)"
        }
    }
}

/// Solves an `IntegerProgram` with GLPK's simplex and branch-and-cut.
///
/// The contract with GLPK:
/// - every argument is checked before GLPK sees it, and all GLPK work of one call runs under a
///   guard (`flexsched_glpk_guarded`) that turns a fatal GLPK error into a thrown
///   `GLPKFailure.glpkError` instead of ending the process;
/// - a start is offered to the search only with presolve off and only if it satisfies every bound
///   and row exactly; the backend keeps its own incumbent, so a feasible start comes back when GLPK
///   finds nothing better, and whatever GLPK returns is checked row by row before it is believed;
/// - GLPK's terminal output setting is put back as it was found.
public enum GLPKSolver {
    /// Feasibility tolerance for what GLPK returns and for a start kept as fallback.
    static let tolerance = 1e-6

    public static func solve(_ program: IntegerProgram, options: MIPOptions = MIPOptions()) throws(GLPKFailure) -> MIPResult {
        try check(options, columns: program.columns.count)
        let started = monotonicSeconds()
        // GLPK's branch-and-cut fails on a problem without columns (glp_add_cols with 0), and there
        // is nothing to search: the rows hold or they do not.
        if program.columns.isEmpty {
            let holds = program.maxViolation(of: []) <= tolerance
            return MIPResult(status: holds ? .optimal : .infeasible, values: holds ? [] : nil,
                             objective: holds ? program.objectiveConstant : nil, bound: holds ? program.objectiveConstant : nil,
                             seconds: monotonicSeconds() - started, hitTimeLimit: false, hitWorkLimit: false, outcome: .success)
        }
        let problem = try GLPKProblem(program)
        let startViolation = options.start.map { program.maxViolation(of: $0) }
        // The callback reads a start in the column order of the problem it sees, which with the
        // MIP presolver on is the presolved one; and GLPK takes an offered point on trust.
        if let start = options.start, !options.presolve, startViolation == 0 { problem.offer(start: start) }
        problem.withWork { work in
            work.pointee.presolve = options.presolve
            work.pointee.lpPresolve = options.lpPresolve
            work.pointee.cuts = options.cuts
            work.pointee.showLog = options.showSolverLog
            work.pointee.relativeGap = options.relativeGap
            work.pointee.iterationLimit = options.iterationLimit.map { Int32(clamping: $0) }
            work.pointee.nodeLimit = options.nodeLimit ?? .max
            work.pointee.deadline = started + options.timeLimit
        }
        let probe = options.isCancelled.map(CancelProbe.init)
        if let probe { problem.withWork { $0.pointee.cancelProbe = Unmanaged.passUnretained(probe).toOpaque() } }
        try withExtendedLifetime(probe) { () throws(GLPKFailure) in try problem.run(showOutput: options.showSolverLog, solveBody) }
        let work = problem.withWork { $0.pointee }
        let found = work.hasValues ? problem.solutionValues() : nil

        // Our own incumbent: GLPK's point if it checks out and is no worse than a feasible start.
        var best: (values: [Double], objective: Double, fromGLPK: Bool)?
        if let start = options.start, let violation = startViolation, violation <= tolerance {
            best = (start, program.objective(of: start), false)
        }
        if let found, program.maxViolation(of: found) <= tolerance {
            let objective = program.objective(of: found)
            if best.map({ objective <= $0.objective }) ?? true { best = (found, objective, true) }
        }

        // A solve left from GLPK's output has no code of its own: it was stopped, as by a callback.
        let stoppedFromOutput = work.stoppedByCancel || work.stoppedByClock
        let outcome = GLPKOutcome(code: work.intoptCode ?? work.simplexCode ?? (stoppedFromOutput ? GLP_ESTOP : 0))
        let hitTimeLimit = work.stoppedByClock || work.simplexCode == GLP_ETMLIM || work.intoptCode == GLP_ETMLIM
        let hitWorkLimit = work.stoppedByNodes || work.stoppedByIterations || work.simplexCode == GLP_EITLIM
        let iterations = Int(work.iterations)
        let seconds = monotonicSeconds() - started
        guard let best else {
            // With the LP presolver on, an infeasible LP comes back as GLP_ENOPFS, not as a status.
            let infeasible = work.simplexCode == GLP_ENOPFS || work.lpStatus == GLP_NOFEAS
                || work.intoptCode == GLP_ENOPFS || work.mipStatus == GLP_NOFEAS
            return MIPResult(status: infeasible ? .infeasible : .noSolution, values: nil, objective: nil, bound: nil,
                             seconds: seconds, hitTimeLimit: hitTimeLimit, hitWorkLimit: hitWorkLimit, outcome: outcome,
                             iterations: iterations, cancelled: work.stoppedByCancel)
        }
        // Code 0 means the tree was exhausted; with a positive gap tolerance that proves only the gap.
        let proven = best.fromGLPK && work.intoptCode == 0 && work.mipStatus == GLP_OPT && options.relativeGap == 0
        let bound = proven ? best.objective : work.bestBound.map { min($0, best.objective) }
        return MIPResult(status: proven ? .optimal : .feasible, values: best.values, objective: best.objective, bound: bound,
                         seconds: seconds, hitTimeLimit: hitTimeLimit, hitWorkLimit: hitWorkLimit, outcome: outcome,
                         iterations: iterations, cancelled: work.stoppedByCancel)
    }

    /// Writes the program in free MPS format with GLPK's own writer, for comparison with other solvers.
    public static func writeMPS(_ program: IntegerProgram, to path: String) throws(GLPKFailure) {
        guard !path.isEmpty, !path.utf8.contains(0) else { throw .invalidInput("no usable path to write the model to") }
        let problem = try GLPKProblem(program)
        // Row names repeat across a family ("teacher double-booked ..."), so the index keeps them unique.
        problem.setNames(
            columns: program.columns.enumerated().map { j, column in glpkName(column.name, fallback: "c\(j + 1)") },
            rows: program.rows.enumerated().map { i, row in glpkName("r\(i + 1)_" + row.name, fallback: "r\(i + 1)") },
            path: path)
        try problem.run(showOutput: false, writeMPSBody)
        if problem.withWork({ $0.pointee.writeCode }) != 0 {
            throw .glpkError("could not write \(path)")
        }
    }

    /// Test only: makes GLPK raise a fatal error (a column index out of range) under the guard.
    package static func _testFeedInvalidIndex() throws(GLPKFailure) {
        var program = IntegerProgram()
        let a = program.addBinary("a")
        program.addRow("one", [(a, 1)], upper: 1)
        let problem = try GLPKProblem(program)
        try problem.run(showOutput: false, feedInvalidIndexBody)
    }

    /// Test only: sets GLPK's terminal output on this thread and returns the previous setting.
    package static func _setTerminalOutput(_ on: Bool) -> Bool {
        glp_term_out(on ? GLP_ON : GLP_OFF) == GLP_ON
    }

    private static func check(_ options: MIPOptions, columns: Int) throws(GLPKFailure) {
        // Infinite is allowed: no clock at all, only the work limits.
        guard options.timeLimit > 0 else { throw .invalidInput("the time limit must be positive") }
        guard options.relativeGap >= 0, options.relativeGap.isFinite else {
            throw .invalidInput("the relative gap must be finite and non-negative")
        }
        if let nodes = options.nodeLimit, nodes < 1 { throw .invalidInput("the node limit must be at least 1") }
        if let iterations = options.iterationLimit, iterations < 1 { throw .invalidInput("the iteration limit must be at least 1") }
        if let start = options.start {
            guard start.count == columns else { throw .invalidInput("the start has \(start.count) values for \(columns) columns") }
            guard start.allSatisfy(\.isFinite) else { throw .invalidInput("the start has a value that is not finite") }
        }
    }
}
