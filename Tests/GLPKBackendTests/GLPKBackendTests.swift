import Foundation
import GLPKBackend
import IntegerProgram
import Testing

/// max 5a + 4b + 3c  s.t. 2a + 3b + c <= 5, 4a + b + 2c <= 11, 3a + 4b + 2c <= 8 (binary): optimum a=1, b=1 -> 9.
private func knapsack() -> IntegerProgram {
    var ip = IntegerProgram()
    let a = ip.addBinary("a", cost: -5), b = ip.addBinary("b", cost: -4), c = ip.addBinary("c", cost: -3)
    ip.addRow("r1", [(a, 2), (b, 3), (c, 1)], upper: 5)
    ip.addRow("r2", [(a, 4), (b, 1), (c, 2)], upper: 11)
    ip.addRow("r3", [(a, 3), (b, 4), (c, 2)], upper: 8)
    return ip
}

/// A generalised assignment problem: each job goes to one agent or stays unassigned (continuous,
/// penalty 1000), agents have tight capacities. Hard enough that GLPK needs far more than a few
/// dozen nodes, and the all-unassigned point is an exactly feasible start.
private struct Assignment {
    var program = IntegerProgram()
    var start: [Double] = []

    init(agents: Int, jobs: Int, seed: UInt64) {
        var state = seed
        func next(_ range: ClosedRange<Int>) -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(range.lowerBound + Int((state >> 33) % UInt64(range.count)))
        }
        var x: [[Int]] = []
        var weight: [[Double]] = []
        for i in 0..<agents {
            // Costs that fall as weights rise (plus noise) make the capacity rows bite: the
            // classic hard kind of instance.
            let w = (0..<jobs).map { _ in next(5...25) }
            weight.append(w)
            x.append((0..<jobs).map { j in program.addBinary("x[\(i),\(j)]", cost: 40 - w[j] + next(0...8)) })
        }
        let unassigned = (0..<jobs).map { j in program.addContinuous("u[\(j)]", upper: 1, cost: 1000) }
        for j in 0..<jobs {
            program.addRow("job \(j)", (0..<agents).map { (x[$0][j], 1.0) } + [(unassigned[j], 1.0)], lower: 1, upper: 1)
        }
        for i in 0..<agents {
            let capacity = (weight[i].reduce(0, +) / Double(agents) * 0.8).rounded()
            program.addRow("agent \(i)", (0..<jobs).map { (x[i][$0], weight[i][$0]) }, upper: capacity)
        }
        start = Array(repeating: 0, count: program.columns.count)
        for column in unassigned { start[column] = 1 }
    }
}

@Test func solvesSmallBinaryProgramToProvenOptimum() throws {
    let result = try GLPKSolver.solve(knapsack())
    #expect(result.status == .optimal)
    #expect(result.outcome == .success)
    #expect(result.objective == -9)  // a + b: 2+3 <= 5, 4+1 <= 11, 3+4 <= 8 -> 9
    #expect(result.bound == -9)
    #expect(result.values == [1, 1, 0])
    #expect(!result.hitTimeLimit && !result.hitWorkLimit)
}

@Test func reportsInfeasibleProgram() throws {
    var ip = IntegerProgram()
    let a = ip.addBinary("a"), b = ip.addBinary("b")
    ip.addRow("both", [(a, 1), (b, 1)], lower: 3)
    let result = try GLPKSolver.solve(ip)
    #expect(result.status == .infeasible)
    #expect(result.values == nil)
    // The root LP's presolver reports the infeasibility as a return code.
    #expect(result.outcome == .noPrimalFeasible)
}

@Test func keepsTheStartWhenItIsOptimal() throws {
    let result = try GLPKSolver.solve(knapsack(), options: MIPOptions(start: [1, 1, 0]))
    #expect(result.objective == -9)
}

@Test func rejectsBadNumbersBeforeCallingGLPK() {
    var ip = IntegerProgram()
    ip.addBinary("a", cost: .nan)
    #expect(throws: GLPKFailure.self) { try GLPKSolver.solve(ip) }
    let bad: [MIPOptions] = [
        MIPOptions(start: [1]), MIPOptions(start: [1, .nan, 0]), MIPOptions(timeLimit: 0), MIPOptions(timeLimit: .nan),
        MIPOptions(nodeLimit: 0), MIPOptions(iterationLimit: 0), MIPOptions(relativeGap: -1), MIPOptions(relativeGap: .nan),
    ]
    for options in bad {
        #expect(throws: GLPKFailure.self) { try GLPKSolver.solve(knapsack(), options: options) }
    }
}

@Test func anInfiniteTimeLimitLeavesOnlyTheWorkLimits() throws {
    let result = try GLPKSolver.solve(knapsack(), options: MIPOptions(timeLimit: .infinity))
    #expect(result.status == .optimal)
}

@Test func outcomeCodesMapBothWays() {
    let codes = GLPKOutcome.named.map(\.code)
    #expect(Set(codes).count == codes.count)
    for outcome in GLPKOutcome.named { #expect(GLPKOutcome(code: outcome.code) == outcome) }
    #expect(GLPKOutcome(code: 0) == .success)
    #expect(GLPKOutcome(code: 999) == .unknown(999))
    #expect(GLPKOutcome.unknown(999).code == 999)
}

// MARK: work limits

@Test func aNodeLimitGivesTheSameResultOnEveryRunAndUnderLoad() throws {
    let gap = Assignment(agents: 8, jobs: 30, seed: 11)
    let options = MIPOptions(timeLimit: 3600, nodeLimit: 400, start: gap.start)
    let first = try GLPKSolver.solve(gap.program, options: options)
    #expect(first.hitWorkLimit)
    #expect(!first.hitTimeLimit)
    #expect(first.status == .feasible)
    // The search found something of its own, so the comparison is about GLPK's path, not the start.
    #expect(try #require(first.objective) < gap.program.objective(of: gap.start))
    // Two more at once: each thread has its own GLPK environment, and the two compete for the cores.
    let others = Results()
    DispatchQueue.concurrentPerform(iterations: 2) { k in
        others.set(k, Result { () throws(GLPKFailure) in try GLPKSolver.solve(gap.program, options: options) })
    }
    for other in others.all {
        let again = try other.get()
        #expect(again.values == first.values)
        #expect(again.objective == first.objective)
        #expect(again.bound == first.bound)
        #expect(again.outcome == first.outcome)
    }
}

@Test func aNodeLimitStopsTheSearchEarly() throws {
    let gap = Assignment(agents: 8, jobs: 30, seed: 11)
    let result = try GLPKSolver.solve(gap.program, options: MIPOptions(timeLimit: 3600, nodeLimit: 5, start: gap.start))
    #expect(result.status != .optimal)
    #expect(result.hitWorkLimit)
    #expect(!result.hitTimeLimit)
    #expect(result.outcome == .stoppedByCallback)
    // Never worse than the start.
    let objective = try #require(result.objective)
    #expect(objective <= gap.program.objective(of: gap.start))
}

@Test func anIterationLimitStopsTheRootLPAndKeepsTheStart() throws {
    let gap = Assignment(agents: 8, jobs: 30, seed: 11)
    let result = try GLPKSolver.solve(gap.program, options: MIPOptions(iterationLimit: 1, start: gap.start))
    #expect(result.outcome == .iterationLimit)
    #expect(result.hitWorkLimit)
    #expect(result.status == .feasible)
    #expect(result.values == gap.start)
}

// MARK: cancelling

/// The root LP has no callback: a cancel is heard at GLPK's first output line (the simplex prints
/// every 250 ms), and the solve ends there with nothing, marked cancelled, GLPK still usable.
@Test func aCancelStopsTheRootLPAtGLPKsFirstOutput() throws {
    let gap = Assignment(agents: 8, jobs: 30, seed: 11)
    let asked = Counter()
    let result = try GLPKSolver.solve(gap.program, options: MIPOptions(timeLimit: .infinity, isCancelled: { asked.next() >= 1 }))
    #expect(result.cancelled)
    #expect(result.status == .noSolution && result.values == nil)
    #expect(result.outcome == .stoppedByCallback)
    #expect(!result.hitTimeLimit)
    #expect(asked.count == 1)
    #expect(try GLPKSolver.solve(knapsack()).objective == -9)
    #expect(try GLPKSolver.solve(knapsack(), options: MIPOptions(isCancelled: { false })).objective == -9)
}

/// With the MIP presolver GLPK's search solves the LP itself, quietly: the search's callback hears
/// the cancel and the start comes back as the result.
@Test func aCancelStopsTheSearchAndKeepsTheStart() throws {
    let gap = Assignment(agents: 8, jobs: 30, seed: 11)
    let result = try GLPKSolver.solve(gap.program, options: MIPOptions(timeLimit: .infinity, presolve: true, start: gap.start,
                                                                       isCancelled: { true }))
    #expect(result.cancelled)
    #expect(result.outcome == .stoppedByCallback)
    #expect(result.status == .feasible && result.values == gap.start)
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var asked = 0
    var count: Int { lock.withLock { asked } }
    func next() -> Int { lock.withLock { asked += 1; return asked } }
}

// MARK: starts

@Test func aNearlyFeasibleStartIsKeptButAnInfeasibleOneIsNot() throws {
    let gap = Assignment(agents: 8, jobs: 30, seed: 11)
    var nearly = gap.start
    nearly[nearly.count - 1] = 1 + 1e-9  // within tolerance, so a fallback, but never offered to GLPK
    let kept = try GLPKSolver.solve(gap.program, options: MIPOptions(iterationLimit: 1, start: nearly))
    #expect(kept.status == .feasible)
    #expect(kept.values == nearly)
    var wrong = gap.start
    wrong[wrong.count - 1] = 0  // its job is then neither assigned nor unassigned
    let rejected = try GLPKSolver.solve(gap.program, options: MIPOptions(iterationLimit: 1, start: wrong))
    #expect(rejected.status == .noSolution)
    #expect(rejected.values == nil)
}

@Test func withPresolveTheStartIsStillTheFallback() throws {
    let gap = Assignment(agents: 8, jobs: 30, seed: 11)
    let result = try GLPKSolver.solve(gap.program, options: MIPOptions(nodeLimit: 1, presolve: true, start: gap.start))
    let objective = try #require(result.objective)
    #expect(objective <= gap.program.objective(of: gap.start))
    #expect(gap.program.maxViolation(of: try #require(result.values)) <= 1e-6)
}

// MARK: the error hook and the terminal

@Test func aFatalGLPKErrorBecomesASwiftErrorAndGLPKKeepsWorking() throws {
    // Everything here runs on one thread (a synchronous test), which is the thread whose GLPK
    // environment the error frees.
    do {
        try GLPKSolver._testFeedInvalidIndex()
        Issue.record("GLPK accepted a column index out of range")
    } catch let .glpkError(message) {
        #expect(message.contains("out of range"))
    } catch {
        Issue.record("unexpected error \(error)")
    }
    let result = try GLPKSolver.solve(knapsack())
    #expect(result.status == .optimal)
    #expect(result.objective == -9)
    // And again, now that the environment was made anew.
    #expect(throws: GLPKFailure.self) { try GLPKSolver._testFeedInvalidIndex() }
    #expect(try GLPKSolver.solve(knapsack()).objective == -9)
}

@Test func theTerminalSettingIsPutBackAfterSolvesAndErrors() throws {
    let original = GLPKSolver._setTerminalOutput(false)
    defer { _ = GLPKSolver._setTerminalOutput(original) }
    _ = try GLPKSolver.solve(knapsack())
    #expect(GLPKSolver._setTerminalOutput(false) == false)
    #expect(throws: GLPKFailure.self) { try GLPKSolver._testFeedInvalidIndex() }
    #expect(GLPKSolver._setTerminalOutput(true) == false)
    _ = try GLPKSolver.solve(knapsack())
    #expect(GLPKSolver._setTerminalOutput(true) == true)
}

// MARK: names and the MPS writer

@Test func namesFitGLPKAndFreeMPS() {
    #expect(glpkName("a b\tc\nd\u{00A0}e", fallback: "f") == "a_b_c_d_e")
    #expect(glpkName("x\u{1B}y\u{7F}z\u{9F}", fallback: "f") == "xyz")
    #expect(glpkName("", fallback: "c1") == "c1")
    #expect(glpkName("\u{0}\u{1}", fallback: "c1") == "c1")
    let accents = glpkName(String(repeating: "é", count: 300), fallback: "f")
    #expect(accents.utf8.count == 254)  // 127 two-byte scalars; a 128th would make 256
    #expect(accents.unicodeScalars.allSatisfy { $0 == "é" })
    let foxes = glpkName("a" + String(repeating: "🦊", count: 100), fallback: "f")
    #expect(foxes.utf8.count == 253)
    #expect(foxes == "a" + String(repeating: "🦊", count: 63))
    let plain = String(repeating: "x", count: 255)
    #expect(glpkName(plain + "y", fallback: "f") == plain)
}

@Test func writesMPSWithGLPKsWriter() throws {
    let path = temporaryPath("knapsack.mps")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try GLPKSolver.writeMPS(knapsack(), to: path)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.contains("ROWS"))
    #expect(text.contains("COLUMNS"))
}

@Test func writesMPSWithNamesGLPKWouldRefuse() throws {
    var ip = IntegerProgram()
    let long = String(repeating: "é", count: 300)
    let a = ip.addBinary(long, cost: -1)
    ip.addRow("limit\u{7}with bell and spaces", [(a, 1)], upper: 1)
    let path = temporaryPath("names.mps")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try GLPKSolver.writeMPS(ip, to: path)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.contains(String(repeating: "é", count: 127) + " "))
    #expect(!text.contains(String(repeating: "é", count: 128)))
    #expect(text.contains("r1_limitwith_bell_and_spaces"))
}

@Test func aFileGLPKCannotWriteIsAnError() {
    #expect(throws: GLPKFailure.self) { try GLPKSolver.writeMPS(knapsack(), to: "/nonexistent-directory/x.mps") }
}

private func temporaryPath(_ name: String) -> String {
    NSTemporaryDirectory() + "flexsched-\(UUID().uuidString)-\(name)"
}

private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Int: Result<MIPResult, GLPKFailure>] = [:]
    func set(_ k: Int, _ result: Result<MIPResult, GLPKFailure>) { lock.withLock { results[k] = result } }
    var all: [Result<MIPResult, GLPKFailure>] { lock.withLock { results.keys.sorted().compactMap { results[$0] } } }
}

@Test func programsWithoutRowsOrColumnsAreSolved() throws {
    var noRows = IntegerProgram()
    noRows.addBinary("a", cost: -2)
    noRows.addContinuous("b", upper: 3, cost: 1)
    let result = try GLPKSolver.solve(noRows)
    #expect(result.status == .optimal)
    #expect(result.values == [1, 0])
    var empty = IntegerProgram()
    empty.objectiveConstant = 7
    let nothing = try GLPKSolver.solve(empty)
    #expect(nothing.status == .optimal)
    #expect(nothing.objective == 7)
    #expect(nothing.values == [])
    let path = temporaryPath("empty.mps")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try GLPKSolver.writeMPS(empty, to: path)
}
