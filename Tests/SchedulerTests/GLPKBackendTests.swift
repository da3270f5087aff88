import GLPKBackend
import IntegerProgram
import Testing

/// max 5a + 4b + 3c  s.t. 2a + 3b + c <= 5, 4a + b + 2c <= 11, 3a + 4b + 2c <= 8 (binary): optimum a=1, c=1 -> 8.
private func knapsack() -> IntegerProgram {
    var ip = IntegerProgram()
    let a = ip.addBinary("a", cost: -5), b = ip.addBinary("b", cost: -4), c = ip.addBinary("c", cost: -3)
    ip.addRow("r1", [(a, 2), (b, 3), (c, 1)], upper: 5)
    ip.addRow("r2", [(a, 4), (b, 1), (c, 2)], upper: 11)
    ip.addRow("r3", [(a, 3), (b, 4), (c, 2)], upper: 8)
    return ip
}

@Test func solvesSmallBinaryProgramToProvenOptimum() throws {
    let result = try GLPKSolver.solve(knapsack())
    #expect(result.status == .optimal)
    #expect(result.objective == -9)  // a + b: 2+3 <= 5, 4+1 <= 11, 3+4 <= 8 -> 9
    #expect(result.bound == -9)
    #expect(result.values == [1, 1, 0])
}

@Test func reportsInfeasibleProgram() throws {
    var ip = IntegerProgram()
    let a = ip.addBinary("a"), b = ip.addBinary("b")
    ip.addRow("both", [(a, 1), (b, 1)], lower: 3)
    let result = try GLPKSolver.solve(ip)
    #expect(result.status == .infeasible)
    #expect(result.values == nil)
}

@Test func keepsTheStartWhenItIsOptimal() throws {
    let result = try GLPKSolver.solve(knapsack(), options: MIPOptions(start: [1, 1, 0]))
    #expect(result.objective == -9)
}

@Test func rejectsBadNumbersBeforeCallingGLPK() {
    var ip = IntegerProgram()
    ip.addBinary("a", cost: .nan)
    #expect(throws: GLPKInputError.self) { try GLPKSolver.solve(ip) }
    #expect(throws: GLPKInputError.self) { try GLPKSolver.solve(knapsack(), options: MIPOptions(start: [1])) }
    #expect(throws: GLPKInputError.self) { try GLPKSolver.solve(knapsack(), options: MIPOptions(timeLimit: 0)) }
}

@Test func writesMPSWithGLPKsWriter() throws {
    let path = FileManagerPath.temporary("knapsack.mps")
    try GLPKSolver.writeMPS(knapsack(), to: path)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.contains("ROWS"))
    #expect(text.contains("COLUMNS"))
}

enum FileManagerPath {
    static func temporary(_ name: String) -> String {
        NSTemporaryDirectory() + "flexsched-\(UUID().uuidString)-\(name)"
    }
}

import Foundation
