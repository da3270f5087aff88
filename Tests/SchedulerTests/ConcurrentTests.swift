import Foundation
import Scheduler
import Synchronization
import Testing

@Test func concurrentSolvesComeBackInInputOrderAndNoWiderThanTheCores() {
    let running = Mutex((now: 0, most: 0))
    let results = solveConcurrently(12) { i -> String in
        running.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
        // Later indices finish first, so the order cannot come from completion order.
        Thread.sleep(forTimeInterval: Double(12 - i) * 0.005)
        running.withLock { $0.now -= 1 }
        return "result \(i)"
    }
    #expect(results == (0..<12).map { "result \($0)" })
    #expect(running.withLock { $0.most } <= ProcessInfo.processInfo.activeProcessorCount)
    #expect(solveConcurrently(0) { $0 }.isEmpty)
}
