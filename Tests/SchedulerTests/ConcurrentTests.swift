import Foundation
import Scheduler
import Testing

/// Explain's trial solves run side by side and come back in input order. No clock decides it: the
/// first trial holds its thread until another has finished, which only happens if trials really run
/// at once, and it waits at most a minute before failing and saying what it waited for.
@Test(.enabled(if: ProcessInfo.processInfo.activeProcessorCount >= 2, "two cores are needed to run trials side by side"))
func concurrentSolvesRunSideBySideAndComeBackInInputOrder() {
    final class Observed: @unchecked Sendable {
        // Guarded by `condition`.
        let condition = NSCondition()
        var inside = 0, most = 0
        var finished: [Int] = []
        var firstGaveUp = false
    }
    let seen = Observed()
    let results = solveConcurrently(12) { i -> String in
        seen.condition.lock()
        defer { seen.condition.unlock() }
        seen.inside += 1
        seen.most = max(seen.most, seen.inside)
        if i == 0 {
            let deadline = Date().addingTimeInterval(60)
            while seen.finished.isEmpty, !seen.firstGaveUp {
                if !seen.condition.wait(until: deadline) { seen.firstGaveUp = true }
            }
        }
        seen.inside -= 1
        seen.finished.append(i)
        seen.condition.broadcast()
        return "result \(i)"
    }
    #expect(!seen.firstGaveUp, "trial 0 waited 60 s for another trial to finish beside it: the trials did not run side by side")
    #expect(seen.finished.first != 0, "trial 0 finished first, so completion order and input order were never told apart")
    #expect(results == (0..<12).map { "result \($0)" })
    #expect(seen.most >= 2 && seen.most <= ProcessInfo.processInfo.activeProcessorCount, "at most \(seen.most) trials at once")
    #expect(solveConcurrently(0) { $0 }.isEmpty)
}

/// A job that holds one lane runs its trials one at a time, still in input order. Trial 0 waits for
/// a second trial to come in beside it: with the width ignored one does (on two cores), and the
/// count fails; kept to one lane, none comes, and trial 0 goes on after 3 s.
@Test(.enabled(if: ProcessInfo.processInfo.activeProcessorCount >= 2, "two cores are needed to see trials side by side"))
func concurrentSolvesKeepToTheirWidth() {
    final class Observed: @unchecked Sendable {
        // Guarded by `condition`.
        let condition = NSCondition()
        var inside = 0, most = 0
    }
    let seen = Observed()
    let results = solveConcurrently(9, width: 1) { i -> Int in
        seen.condition.lock()
        defer { seen.condition.unlock() }
        seen.inside += 1
        seen.most = max(seen.most, seen.inside)
        seen.condition.broadcast()
        if i == 0 {
            let until = Date().addingTimeInterval(3)
            while seen.inside < 2, seen.condition.wait(until: until) {}
        }
        seen.inside -= 1
        return i * i
    }
    #expect(results == (0..<9).map { $0 * $0 })
    #expect(seen.most == 1, "\(seen.most) trials ran at once in one lane")
}
