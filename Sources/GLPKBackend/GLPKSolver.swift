import CGLPK
import Foundation
import IntegerProgram

/// Errors found before GLPK is called: GLPK aborts the whole process on invalid arguments, so every
/// index, bound and number is checked on the Swift side first.
public struct GLPKInputError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Owns one `glp_prob` for its whole life; nothing else holds the pointer.
final class GLPKProblem {
    let pointer: OpaquePointer

    init(_ program: IntegerProgram) throws(GLPKInputError) {
        try GLPKProblem.check(program)
        pointer = glp_create_prob()
        glp_set_obj_dir(pointer, GLP_MIN)
        let n = program.columns.count, m = program.rows.count
        if n > 0 { glp_add_cols(pointer, Int32(n)) }
        if m > 0 { glp_add_rows(pointer, Int32(m)) }
        glp_set_obj_coef(pointer, 0, program.objectiveConstant)
        for (j, column) in program.columns.enumerated() {
            let index = Int32(j + 1)
            switch column.kind {
            case .binary: glp_set_col_kind(pointer, index, GLP_BV)
            case .continuous: glp_set_col_kind(pointer, index, GLP_CV)
            }
            if column.kind != .binary { setBounds(column: index, lower: column.lower, upper: column.upper) }
            glp_set_obj_coef(pointer, index, column.cost)
        }
        for (i, row) in program.rows.enumerated() {
            let index = Int32(i + 1)
            setBounds(row: index, lower: row.lower, upper: row.upper)
            // GLPK's arrays are 1-based: element 0 is ignored.
            var ind: [Int32] = [0] + row.columns.map { Int32($0 + 1) }
            var val: [Double] = [0] + row.coefficients
            glp_set_mat_row(pointer, index, Int32(row.columns.count), &ind, &val)
        }
    }

    deinit { glp_delete_prob(pointer) }

    /// Names for a written model, so other solvers' solutions can be read back by column name.
    /// Free MPS separates fields by blanks and GLPK caps names at 255 characters.
    func nameEverything(_ program: IntegerProgram) {
        func clean(_ name: String, _ fallback: String) -> String {
            let text = String(name.map { $0 == " " || $0 == "\t" ? "_" : $0 }.prefix(200))
            return text.isEmpty ? fallback : text
        }
        for (j, column) in program.columns.enumerated() { glp_set_col_name(pointer, Int32(j + 1), clean(column.name, "c\(j + 1)")) }
        // Row names repeat across a family ("teacher double-booked ..."), so the index keeps them unique.
        for (i, row) in program.rows.enumerated() { glp_set_row_name(pointer, Int32(i + 1), clean("r\(i + 1)_" + row.name, "r\(i + 1)")) }
        glp_set_obj_name(pointer, "objective")
    }

    private static func check(_ program: IntegerProgram) throws(GLPKInputError) {
        guard program.columns.count < Int(Int32.max), program.rows.count < Int(Int32.max) else {
            throw GLPKInputError(description: "the model is too large for GLPK")
        }
        for (j, c) in program.columns.enumerated() {
            guard c.lower.isFinite, c.cost.isFinite, (c.upper ?? 0).isFinite else {
                throw GLPKInputError(description: "column \(c.name) (#\(j)) has a non-finite bound or cost")
            }
            if let u = c.upper, u < c.lower { throw GLPKInputError(description: "column \(c.name) has lower bound above upper bound") }
        }
        for row in program.rows {
            if let l = row.lower, let u = row.upper, l > u {
                throw GLPKInputError(description: "row \(row.name) has lower bound above upper bound")
            }
            guard (row.lower ?? 0).isFinite, (row.upper ?? 0).isFinite, row.coefficients.allSatisfy(\.isFinite) else {
                throw GLPKInputError(description: "row \(row.name) has a non-finite bound or coefficient")
            }
            guard row.columns.allSatisfy({ program.columns.indices.contains($0) }), Set(row.columns).count == row.columns.count else {
                throw GLPKInputError(description: "row \(row.name) names a column twice or a column that does not exist")
            }
        }
    }

    private func setBounds(column: Int32, lower: Double, upper: Double?) {
        if let upper { glp_set_col_bnds(pointer, column, upper == lower ? GLP_FX : GLP_DB, lower, upper) } else {
            glp_set_col_bnds(pointer, column, GLP_LO, lower, 0)
        }
    }

    private func setBounds(row: Int32, lower: Double?, upper: Double?) {
        switch (lower, upper) {
        case let (l?, u?): glp_set_row_bnds(pointer, row, l == u ? GLP_FX : GLP_DB, l, u)
        case let (l?, nil): glp_set_row_bnds(pointer, row, GLP_LO, l, 0)
        case let (nil, u?): glp_set_row_bnds(pointer, row, GLP_UP, 0, u)
        case (nil, nil): glp_set_row_bnds(pointer, row, GLP_FR, 0, 0)
        }
    }
}

/// State shared with the branch-and-cut callback through `cb_info`. The callback only reads the
/// clock, offers the start once, records bounds and asks GLPK to stop: nothing in it can throw.
private final class SearchContext {
    let started: Date
    let deadline: Date
    let start: [Double]?
    var offeredStart = false
    var bestBound: Double?
    var stoppedByClock = false

    init(options: MIPOptions) {
        started = Date()
        deadline = started.addingTimeInterval(options.timeLimit)
        start = options.start
    }
}

private func searchCallback(_ tree: OpaquePointer?, _ info: UnsafeMutableRawPointer?) {
    guard let tree, let info else { return }
    let context = Unmanaged<SearchContext>.fromOpaque(info).takeUnretainedValue()
    let reason = glp_ios_reason(tree)
    if reason == GLP_IHEUR, !context.offeredStart, let start = context.start {
        context.offeredStart = true
        var values = [0.0] + start
        _ = glp_ios_heur_sol(tree, &values)
    }
    let best = glp_ios_best_node(tree)
    if best != 0 { context.bestBound = glp_ios_node_bound(tree, best) }
    if Date() >= context.deadline {
        context.stoppedByClock = true
        glp_ios_terminate(tree)
    }
}

/// Solves an `IntegerProgram` with GLPK's simplex and branch-and-cut.
public enum GLPKSolver {
    public static func solve(_ program: IntegerProgram, options: MIPOptions = MIPOptions()) throws(GLPKInputError) -> MIPResult {
        if let start = options.start, start.count != program.columns.count {
            throw GLPKInputError(description: "the start has \(start.count) values for \(program.columns.count) columns")
        }
        guard options.timeLimit > 0, options.timeLimit.isFinite, options.relativeGap >= 0 else {
            throw GLPKInputError(description: "time limit must be positive and gap non-negative")
        }
        let problem = try GLPKProblem(program)
        let p = problem.pointer
        glp_term_out(options.showSolverLog ? GLP_ON : GLP_OFF)
        defer { glp_term_out(GLP_ON) }
        let context = SearchContext(options: options)
        let milliseconds = { Int32(max(1, min(Double(Int32.max), context.deadline.timeIntervalSinceNow * 1000))) }
        let messageLevel = options.showSolverLog ? GLP_MSG_ON : GLP_MSG_OFF

        // GLPK's `tm_lim` is not enforced in the root LP inside glp_intopt, so the LP is solved here
        // under its own limit first; the MIP presolver (which would redo it) is left off, which is also
        // what lets `glp_ios_heur_sol` hand GLPK the start.
        if !options.presolve {
            var smcp = glp_smcp()
            glp_init_smcp(&smcp)
            smcp.msg_lev = messageLevel
            smcp.tm_lim = milliseconds()
            smcp.presolve = GLP_ON
            let lp = glp_simplex(p, &smcp)
            if lp != 0 || glp_get_status(p) != GLP_OPT {
                // With the LP presolver on, an infeasible LP comes back as GLP_ENOPFS, not as a status.
                if lp == GLP_ENOPFS || glp_get_status(p) == GLP_NOFEAS {
                    return result(.infeasible, context, nil, nil, hitLimit: false)
                }
                return fallback(to: options.start, program, context)
            }
        }

        var iocp = glp_iocp()
        glp_init_iocp(&iocp)
        iocp.msg_lev = messageLevel
        iocp.tm_lim = milliseconds()
        iocp.mip_gap = options.relativeGap
        iocp.presolve = options.presolve ? GLP_ON : GLP_OFF
        iocp.gmi_cuts = options.cuts ? GLP_ON : GLP_OFF
        iocp.mir_cuts = options.cuts ? GLP_ON : GLP_OFF
        iocp.cov_cuts = options.cuts ? GLP_ON : GLP_OFF
        iocp.clq_cuts = options.cuts ? GLP_ON : GLP_OFF
        // Not GLP_BR_PCH: its strong-branching start solves LPs for every fractional column without
        // calling back, which overran a 5 s limit by 40 s on a 30-student week.
        iocp.br_tech = GLP_BR_DTH
        iocp.bt_tech = GLP_BT_BLB
        iocp.cb_func = searchCallback
        let info = Unmanaged.passRetained(context)
        defer { info.release() }
        iocp.cb_info = info.toOpaque()
        let code = glp_intopt(p, &iocp)
        let status = glp_mip_status(p)
        let hitLimit = context.stoppedByClock || code == GLP_ETMLIM || code == GLP_ESTOP

        if status == GLP_NOFEAS { return result(.infeasible, context, nil, nil, hitLimit: false) }
        guard status == GLP_OPT || status == GLP_FEAS else { return fallback(to: options.start, program, context) }
        let values = (0..<program.columns.count).map { glp_mip_col_val(p, Int32($0 + 1)) }
        // Never trust what comes back blindly: a stopped search can report a point that violates rows.
        guard program.maxViolation(of: values) <= 1e-6 else { return fallback(to: options.start, program, context) }
        let objective = program.objective(of: values)
        // Code 0 means the tree was exhausted; with a positive gap tolerance that proves only the gap.
        let proven = code == 0 && status == GLP_OPT && options.relativeGap == 0
        let bound = proven ? objective : context.bestBound.map { min($0, objective) }
        return result(proven ? .optimal : .feasible, context, values, bound, hitLimit: hitLimit, objective: objective)
    }

    private static func fallback(to start: [Double]?, _ program: IntegerProgram, _ context: SearchContext) -> MIPResult {
        guard let start, program.maxViolation(of: start) <= 1e-6 else {
            return result(.noSolution, context, nil, nil, hitLimit: true)
        }
        return result(.feasible, context, start, context.bestBound, hitLimit: true, objective: program.objective(of: start))
    }

    private static func result(_ status: MIPStatus, _ context: SearchContext, _ values: [Double]?, _ bound: Double?,
                               hitLimit: Bool, objective: Double? = nil) -> MIPResult {
        MIPResult(status: status, values: values, objective: objective, bound: bound,
                  seconds: Date().timeIntervalSince(context.started), hitTimeLimit: hitLimit)
    }

    /// Writes the program in free MPS format with GLPK's own writer, for comparison with other solvers.
    public static func writeMPS(_ program: IntegerProgram, to path: String) throws(GLPKInputError) {
        let problem = try GLPKProblem(program)
        problem.nameEverything(program)
        glp_term_out(GLP_OFF)
        defer { glp_term_out(GLP_ON) }
        if glp_write_mps(problem.pointer, GLP_MPS_FILE, nil, path) != 0 {
            throw GLPKInputError(description: "GLPK could not write \(path)")
        }
    }
}
