import CGLPK
import CGLPKGuard
import Foundation
import IntegerProgram
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything GLPK work reads and writes while it runs inside `flexsched_glpk_guarded`.
///
/// A fatal GLPK error leaves the guarded code by `longjmp`, skipping every Swift frame in between
/// without running its cleanup. So the guarded functions keep all their state here, in memory
/// owned by `GLPKProblem` outside the guard, and the `BitwiseCopyable` conformance makes the
/// compiler confirm that nothing here has a reference count or a destructor that could be skipped.
/// The guarded functions themselves use only such values as locals: no arrays, strings or objects.
///
/// Arrays follow GLPK's 1-based layout: element 0 is never read.
struct GLPKWork: BitwiseCopyable {
    /// Set only between `createAndLoad` and the `glp_delete_prob` at the end of the same guarded
    /// body; after a GLPK error it is dangling (the environment freed it) and is cleared.
    var problem: OpaquePointer?

    // The model.
    var columnCount: Int32
    var rowCount: Int32
    var entryCount: Int32
    var objectiveConstant: Double
    var columnKind: UnsafeMutablePointer<Int32>
    var columnType: UnsafeMutablePointer<Int32>
    var columnLower: UnsafeMutablePointer<Double>
    var columnUpper: UnsafeMutablePointer<Double>
    var cost: UnsafeMutablePointer<Double>
    var rowType: UnsafeMutablePointer<Int32>
    var rowLower: UnsafeMutablePointer<Double>
    var rowUpper: UnsafeMutablePointer<Double>
    var entryRow: UnsafeMutablePointer<Int32>
    var entryColumn: UnsafeMutablePointer<Int32>
    var entryValue: UnsafeMutablePointer<Double>

    // For the MPS writer: NUL-terminated names (columns 1...n, then rows n+1...n+m) and the path.
    var names: UnsafeMutablePointer<CChar>?
    var nameOffsets: UnsafeMutablePointer<Int>?
    var path: UnsafeMutablePointer<CChar>?

    // Solve options.
    var presolve = false
    var lpPresolve = true
    var cuts = true
    var showLog = false
    var relativeGap = 0.0
    var iterationLimit: Int32?
    var nodeLimit = Int.max
    /// Monotonic seconds (`monotonicSeconds()`).
    var deadline = Double.infinity
    /// Offered to the search once; nil when it must not be (see `GLPKSolver.solve`).
    var start: UnsafeMutablePointer<Double>?
    /// An unretained `CancelProbe`, asked only through `cancelRequested` (see there).
    var cancelProbe: UnsafeMutableRawPointer?

    // Written by the search callback.
    var offeredStart = false
    var bestBound: Double?
    var stoppedByNodes = false
    var stoppedByIterations = false
    /// Simplex iterations over the whole solve (root LP and every node's LP).
    var iterations: Int32 = 0
    var stoppedByClock = false
    var stoppedByCancel = false

    // Results.
    var simplexCode: Int32?
    var lpStatus: Int32?
    var intoptCode: Int32?
    var mipStatus: Int32?
    var values: UnsafeMutablePointer<Double>
    var hasValues = false
    var writeCode: Int32?
}

/// The one owner of a `glp_prob` and of the memory GLPK reads and writes (`GLPKWork`).
///
/// The `glp_prob` exists only inside one guarded body, which creates, uses and deletes it on the
/// calling thread. After a fatal error GLPK's manual requires freeing the thread's whole GLPK
/// environment, which frees every problem object of that thread; because no problem outlives a
/// guarded call and solves are synchronous, that never frees a problem belonging to another solve.
/// GLPK's environment is thread-local in Debian's build (`glp_config("TLS")` is `_Thread_local`),
/// so solves on other threads are unaffected.
///
/// Not `Sendable`: it is made, run and dropped within one synchronous call.
final class GLPKProblem {
    private let work: UnsafeMutablePointer<GLPKWork>
    private let message: UnsafeMutablePointer<CChar>
    private let messageCapacity = 1024
    private var extraBuffers: [UnsafeMutableRawPointer] = []

    /// Checks `program` (GLPK aborts on invalid arguments) and lays it out for GLPK.
    init(_ program: IntegerProgram) throws(GLPKFailure) {
        try GLPKProblem.check(program)
        let n = program.columns.count, m = program.rows.count
        let entries = program.rows.reduce(0) { $0 + $1.columns.count }
        func doubles(_ count: Int) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: count)
            p.initialize(repeating: 0, count: count)
            return p
        }
        func ints(_ count: Int) -> UnsafeMutablePointer<Int32> {
            let p = UnsafeMutablePointer<Int32>.allocate(capacity: count)
            p.initialize(repeating: 0, count: count)
            return p
        }
        work = .allocate(capacity: 1)
        work.initialize(to: GLPKWork(
            columnCount: Int32(n), rowCount: Int32(m), entryCount: Int32(entries), objectiveConstant: program.objectiveConstant,
            columnKind: ints(n + 1), columnType: ints(n + 1), columnLower: doubles(n + 1), columnUpper: doubles(n + 1),
            cost: doubles(n + 1), rowType: ints(m + 1), rowLower: doubles(m + 1), rowUpper: doubles(m + 1),
            entryRow: ints(entries + 1), entryColumn: ints(entries + 1), entryValue: doubles(entries + 1),
            values: doubles(n + 1)))
        message = .allocate(capacity: messageCapacity)
        message.initialize(repeating: 0, count: messageCapacity)

        let w = work.pointee
        for (j, column) in program.columns.enumerated() {
            let index = j + 1
            w.columnKind[index] = column.kind == .binary ? GLP_BV : GLP_CV
            let (type, lower, upper) = GLPKProblem.boundType(lower: column.lower, upper: column.upper)
            w.columnType[index] = type
            w.columnLower[index] = lower
            w.columnUpper[index] = upper
            w.cost[index] = column.cost
        }
        var entry = 0
        for (i, row) in program.rows.enumerated() {
            let (type, lower, upper) = GLPKProblem.boundType(lower: row.lower, upper: row.upper)
            w.rowType[i + 1] = type
            w.rowLower[i + 1] = lower
            w.rowUpper[i + 1] = upper
            for (column, coefficient) in zip(row.columns, row.coefficients) {
                entry += 1
                w.entryRow[entry] = Int32(i + 1)
                w.entryColumn[entry] = Int32(column + 1)
                w.entryValue[entry] = coefficient
            }
        }
    }

    deinit {
        let w = work.pointee
        // Every guarded body deletes its problem, and a failed one has it cleared.
        assert(w.problem == nil, "a glp_prob outlived its guarded call")
        for p in [w.columnKind, w.columnType, w.rowType, w.entryRow, w.entryColumn] { p.deallocate() }
        for p in [w.columnLower, w.columnUpper, w.cost, w.rowLower, w.rowUpper, w.entryValue, w.values] { p.deallocate() }
        for p in extraBuffers { p.deallocate() }
        work.deinitialize(count: 1)
        work.deallocate()
        message.deallocate()
    }

    /// Reads or changes the work area outside the guard (options before a run, results after).
    func withWork<R>(_ body: (UnsafeMutablePointer<GLPKWork>) -> R) -> R {
        withExtendedLifetime(self) { body(work) }
    }

    /// The solution copied out of GLPK, 0-based.
    func solutionValues() -> [Double] {
        withExtendedLifetime(self) {
            let w = work.pointee
            return (0..<Int(w.columnCount)).map { w.values[$0 + 1] }
        }
    }

    /// Gives the search a start (GLPK's 1-based layout); the buffer lives as long as this object.
    func offer(start: [Double]) {
        withExtendedLifetime(self) {
            let buffer = UnsafeMutablePointer<Double>.allocate(capacity: start.count + 1)
            buffer.initialize(to: 0)
            (buffer + 1).initialize(from: start, count: start.count)
            extraBuffers.append(UnsafeMutableRawPointer(buffer))
            work.pointee.start = buffer
        }
    }

    /// Names for every column and row (already cleaned with `glpkName`) and a path, for the MPS writer.
    func setNames(columns: [String], rows: [String], path: String) {
        withExtendedLifetime(self) {
            precondition(columns.count == Int(work.pointee.columnCount) && rows.count == Int(work.pointee.rowCount))
            let all = columns + rows
            let size = all.reduce(0) { $0 + $1.utf8.count + 1 }
            let names = UnsafeMutablePointer<CChar>.allocate(capacity: max(1, size))
            let offsets = UnsafeMutablePointer<Int>.allocate(capacity: all.count + 1)
            offsets.initialize(repeating: 0, count: all.count + 1)
            var at = 0
            for (k, name) in all.enumerated() {
                offsets[k + 1] = at
                for byte in name.utf8 {
                    (names + at).initialize(to: CChar(bitPattern: byte))
                    at += 1
                }
                (names + at).initialize(to: 0)
                at += 1
            }
            let pathBytes = path.utf8CString
            let pathBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: pathBytes.count)
            pathBytes.withUnsafeBufferPointer { pathBuffer.initialize(from: $0.baseAddress!, count: pathBytes.count) }
            extraBuffers += [UnsafeMutableRawPointer(names), UnsafeMutableRawPointer(offsets), UnsafeMutableRawPointer(pathBuffer)]
            work.pointee.names = names
            work.pointee.nameOffsets = offsets
            work.pointee.path = pathBuffer
        }
    }

    /// Runs `body` (one of the guarded bodies below) with GLPK's fatal errors caught. On an error
    /// the problem GLPK freed is forgotten and GLPK's message is thrown. A solve with a cancel
    /// probe may also be left from GLPK's output (`stopFromOutput`): that is a stop, not an error.
    func run(showOutput: Bool, _ body: @convention(c) (UnsafeMutableRawPointer?) -> Void) throws(GLPKFailure) {
        try withExtendedLifetime(self) { () throws(GLPKFailure) in
            let stop: (@convention(c) (UnsafeMutableRawPointer?) -> Int32)? = work.pointee.cancelProbe == nil ? nil : stopFromOutput
            let failed = flexsched_glpk_guarded(body, UnsafeMutableRawPointer(work), showOutput ? 1 : 0, stop, message, messageCapacity)
            guard failed != 0 else { return }
            if failed == 2 { throw GLPKFailure.glpkError("GLPK was called from inside another GLPK call on this thread") }
            work.pointee.problem = nil
            if failed == 3 { return }
            let text = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
            throw GLPKFailure.glpkError(text.isEmpty ? "GLPK stopped with an error" : text)
        }
    }

    private static func boundType(lower: Double?, upper: Double?) -> (Int32, Double, Double) {
        switch (lower, upper) {
        case let (l?, u?): (l == u ? GLP_FX : GLP_DB, l, u)
        case let (l?, nil): (GLP_LO, l, 0)
        case let (nil, u?): (GLP_UP, 0, u)
        case (nil, nil): (GLP_FR, 0, 0)
        }
    }

    /// GLPK aborts the process (or, under the guard, fails the solve) on invalid arguments, so
    /// everything it would reject is rejected here first with a useful message.
    private static func check(_ program: IntegerProgram) throws(GLPKFailure) {
        let limit = Int(Int32.max) - 1
        guard program.columns.count < limit, program.rows.count < limit,
              program.rows.reduce(0, { $0 + $1.columns.count }) < limit else {
            throw .invalidInput("the model is too large for GLPK")
        }
        guard program.objectiveConstant.isFinite else { throw .invalidInput("the objective constant is not finite") }
        for (j, c) in program.columns.enumerated() {
            guard c.lower.isFinite, c.cost.isFinite, (c.upper ?? 0).isFinite else {
                throw .invalidInput("column \(c.name) (#\(j)) has a non-finite bound or cost")
            }
            if let u = c.upper, u < c.lower { throw .invalidInput("column \(c.name) (#\(j)) has lower bound above upper bound") }
        }
        for (i, row) in program.rows.enumerated() {
            if let l = row.lower, let u = row.upper, l > u {
                throw .invalidInput("row \(row.name) (#\(i)) has lower bound above upper bound")
            }
            guard (row.lower ?? 0).isFinite, (row.upper ?? 0).isFinite, row.coefficients.allSatisfy(\.isFinite) else {
                throw .invalidInput("row \(row.name) (#\(i)) has a non-finite bound or coefficient")
            }
            guard row.columns.count == row.coefficients.count,
                  row.columns.allSatisfy({ program.columns.indices.contains($0) }),
                  Set(row.columns).count == row.columns.count else {
                throw .invalidInput("row \(row.name) (#\(i)) names a column twice or a column that does not exist")
            }
        }
    }
}

/// Seconds on a clock that never jumps (the wall clock can), for the search's own deadline.
func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}

// MARK: guarded bodies
//
// Everything below runs inside `flexsched_glpk_guarded` and may be abandoned at any GLPK call:
// state goes through `GLPKWork`, locals are plain values, and nothing throws or allocates.

/// Creates the problem and loads the model into it.
private func createAndLoad(_ work: UnsafeMutablePointer<GLPKWork>) -> OpaquePointer {
    let p: OpaquePointer = glp_create_prob()
    work.pointee.problem = p
    let w = work.pointee
    glp_set_obj_dir(p, GLP_MIN)
    if w.columnCount > 0 { glp_add_cols(p, w.columnCount) }
    if w.rowCount > 0 { glp_add_rows(p, w.rowCount) }
    glp_set_obj_coef(p, 0, w.objectiveConstant)
    var j: Int32 = 1
    while j <= w.columnCount {
        let k = Int(j)
        glp_set_col_kind(p, j, w.columnKind[k])
        // GLPK sets a binary column's bounds itself.
        if w.columnKind[k] != GLP_BV { glp_set_col_bnds(p, j, w.columnType[k], w.columnLower[k], w.columnUpper[k]) }
        glp_set_obj_coef(p, j, w.cost[k])
        j += 1
    }
    var i: Int32 = 1
    while i <= w.rowCount {
        glp_set_row_bnds(p, i, w.rowType[Int(i)], w.rowLower[Int(i)], w.rowUpper[Int(i)])
        i += 1
    }
    if w.entryCount > 0 { glp_load_matrix(p, w.entryCount, w.entryRow, w.entryColumn, w.entryValue) }
    return p
}

private func deleteProblem(_ p: OpaquePointer, _ work: UnsafeMutablePointer<GLPKWork>) {
    glp_delete_prob(p)
    work.pointee.problem = nil
}

/// GLPK's `tm_lim` for what is left until the deadline; INT_MAX (GLPK's "none") when that is
/// beyond what it can count, which also skips GLPK's clock checks altogether.
private func remainingMilliseconds(_ work: UnsafeMutablePointer<GLPKWork>) -> Int32 {
    let left = (work.pointee.deadline - monotonicSeconds()) * 1000
    return left >= Double(Int32.max) ? Int32.max : Int32(max(1, left))
}

/// Reads the tree's counters and the clock, offers the start once, records the bound and asks
/// GLPK to stop when a limit is reached. Nothing in it can throw.
private func searchCallback(_ tree: OpaquePointer?, _ info: UnsafeMutableRawPointer?) {
    guard let tree, let info else { return }
    let work = info.assumingMemoryBound(to: GLPKWork.self)
    if glp_ios_reason(tree) == GLP_IHEUR, !work.pointee.offeredStart, let start = work.pointee.start {
        work.pointee.offeredStart = true
        _ = glp_ios_heur_sol(tree, start)
    }
    let best = glp_ios_best_node(tree)
    if best != 0 { work.pointee.bestBound = glp_ios_node_bound(tree, best) }
    var active: Int32 = 0, current: Int32 = 0, total: Int32 = 0
    glp_ios_tree_size(tree, &active, &current, &total)
    // Without the MIP presolver the search works on the loaded problem itself, whose count includes
    // the root LP solved before: the budget covers the whole solve.
    if let problem = glp_ios_get_prob(tree) { work.pointee.iterations = glp_get_it_cnt(problem) }
    // The work limits first: when a work limit and the clock are both reached, the reproducible
    // one is the reason.
    if Int(total) >= work.pointee.nodeLimit {
        work.pointee.stoppedByNodes = true
        glp_ios_terminate(tree)
    } else if let limit = work.pointee.iterationLimit, work.pointee.iterations >= limit {
        work.pointee.stoppedByIterations = true
        glp_ios_terminate(tree)
    } else if monotonicSeconds() >= work.pointee.deadline {
        work.pointee.stoppedByClock = true
        glp_ios_terminate(tree)
    } else if cancelRequested(work) {
        work.pointee.stoppedByCancel = true
        glp_ios_terminate(tree)
    }
}

/// Asked by the guard every time GLPK prints, only in a solve with a cancel probe. Nonzero leaves
/// GLPK at once (its environment freed): the only way out of a long simplex, which has no
/// callback and which overran its own time limit by 8 s on a 10,000-student week.
private func stopFromOutput(_ info: UnsafeMutableRawPointer?) -> Int32 {
    guard let info else { return 0 }
    let work = info.assumingMemoryBound(to: GLPKWork.self)
    if cancelRequested(work) {
        work.pointee.stoppedByCancel = true
        return 1
    }
    if monotonicSeconds() >= work.pointee.deadline {
        work.pointee.stoppedByClock = true
        return 1
    }
    return 0
}

/// Asks the caller's cancel closure. It runs inside a guarded body, but all its reference counting
/// begins and ends in this frame, which has returned before GLPK goes on: a longjmp from GLPK
/// never skips it.
@inline(never)
private func cancelRequested(_ work: UnsafeMutablePointer<GLPKWork>) -> Bool {
    guard let raw = work.pointee.cancelProbe else { return false }
    return Unmanaged<CancelProbe>.fromOpaque(raw).takeUnretainedValue().isCancelled()
}

/// The caller's cancel closure, kept alive by `GLPKSolver.solve` for the length of one solve.
final class CancelProbe {
    let isCancelled: @Sendable () -> Bool
    init(_ isCancelled: @escaping @Sendable () -> Bool) { self.isCancelled = isCancelled }
}

/// The root LP (with presolve off), then branch-and-cut; the solution is copied to `values`.
func solveBody(_ raw: UnsafeMutableRawPointer?) {
    guard let raw else { return }
    let work = raw.assumingMemoryBound(to: GLPKWork.self)
    let p = createAndLoad(work)
    let messageLevel = work.pointee.showLog ? GLP_MSG_ON : GLP_MSG_OFF

    // GLPK's `tm_lim` is not enforced in the root LP inside glp_intopt, so without the MIP
    // presolver (which would solve it again) the LP is solved here under its own limits first.
    if !work.pointee.presolve {
        var smcp = glp_smcp()
        glp_init_smcp(&smcp)
        smcp.msg_lev = messageLevel
        smcp.tm_lim = remainingMilliseconds(work)
        if let limit = work.pointee.iterationLimit { smcp.it_lim = limit }
        smcp.presolve = work.pointee.lpPresolve ? GLP_ON : GLP_OFF
        // The simplex's progress lines are where a cancel is heard (see `stopFromOutput`).
        if work.pointee.cancelProbe != nil {
            smcp.msg_lev = max(messageLevel, GLP_MSG_ON)
            smcp.out_frq = 250
            smcp.out_dly = 0
        }
        let code = glp_simplex(p, &smcp)
        work.pointee.iterations = glp_get_it_cnt(p)
        let status = glp_get_status(p)
        work.pointee.simplexCode = code
        work.pointee.lpStatus = status
        if code != 0 || status != GLP_OPT {
            deleteProblem(p, work)
            return
        }
    }

    var iocp = glp_iocp()
    glp_init_iocp(&iocp)
    iocp.msg_lev = messageLevel
    iocp.tm_lim = remainingMilliseconds(work)
    iocp.mip_gap = work.pointee.relativeGap
    iocp.presolve = work.pointee.presolve ? GLP_ON : GLP_OFF
    let cuts = work.pointee.cuts ? GLP_ON : GLP_OFF
    iocp.gmi_cuts = cuts
    iocp.mir_cuts = cuts
    iocp.cov_cuts = cuts
    iocp.clq_cuts = cuts
    // Not GLP_BR_PCH: its strong-branching start solves LPs for every fractional column without
    // calling back, which overran a 5 s limit by 40 s on a 30-student week.
    iocp.br_tech = GLP_BR_DTH
    iocp.bt_tech = GLP_BT_BLB
    iocp.cb_func = searchCallback
    iocp.cb_info = raw
    work.pointee.intoptCode = glp_intopt(p, &iocp)
    work.pointee.iterations = glp_get_it_cnt(p)
    let status = glp_mip_status(p)
    work.pointee.mipStatus = status
    if status == GLP_OPT || status == GLP_FEAS {
        var j: Int32 = 1
        while j <= work.pointee.columnCount {
            work.pointee.values[Int(j)] = glp_mip_col_val(p, j)
            j += 1
        }
        work.pointee.hasValues = true
    }
    deleteProblem(p, work)
}

/// Loads the model, names everything and writes free MPS with GLPK's own writer.
func writeMPSBody(_ raw: UnsafeMutableRawPointer?) {
    guard let raw else { return }
    let work = raw.assumingMemoryBound(to: GLPKWork.self)
    let p = createAndLoad(work)
    let w = work.pointee
    if let names = w.names, let offsets = w.nameOffsets, let path = w.path {
        var j: Int32 = 1
        while j <= w.columnCount {
            glp_set_col_name(p, j, names + offsets[Int(j)])
            j += 1
        }
        var i: Int32 = 1
        while i <= w.rowCount {
            glp_set_row_name(p, i, names + offsets[Int(w.columnCount + i)])
            i += 1
        }
        // A StaticString, not a String converted for the call: that conversion is a scope a
        // longjmp would skip.
        let objective: StaticString = "objective"
        glp_set_obj_name(p, UnsafeRawPointer(objective.utf8Start).assumingMemoryBound(to: CChar.self))
        work.pointee.writeCode = glp_write_mps(p, GLP_MPS_FILE, nil, path)
    }
    deleteProblem(p, work)
}

/// Test only: hands `glp_set_mat_row` a column index past the last column, which GLPK answers
/// with a fatal error. Needs a model with at least one row and one entry.
func feedInvalidIndexBody(_ raw: UnsafeMutableRawPointer?) {
    guard let raw else { return }
    let work = raw.assumingMemoryBound(to: GLPKWork.self)
    let p = createAndLoad(work)
    work.pointee.entryColumn[1] = work.pointee.columnCount + 1
    glp_set_mat_row(p, 1, 1, work.pointee.entryColumn, work.pointee.entryValue)
    deleteProblem(p, work)
}
