import Foundation
import Testing

@Test func theWatchdogReportsAHangingCaseAndStopsWaitingForIt() {
    let release = DispatchSemaphore(value: 0)
    // Lets the abandoned case, and so its thread, finish once the test is done.
    defer { release.signal() }
    let clock = ContinuousClock()
    var results: [Int]? = []
    let elapsed = clock.measure {
        withKnownIssue {
            results = runWatched(0..<5, limit: .milliseconds(200), describe: { "case \($0) (seed 7)" }) { index in
                if index == 2 { release.wait() }
                return index
            }
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("case 2 (seed 7) was still running after") }
        }
    }
    #expect(results == nil)
    #expect(elapsed < .seconds(60), "the watchdog waited \(elapsed) for a case limited to 0.2 s")
}

@Test func theWatchdogReturnsTheResultsOfCasesThatFinish() {
    #expect(runWatched(0..<4, limit: .seconds(60), describe: { "case \($0)" }) { $0 * $0 } == [0, 1, 4, 9])
}

@Test func anIssueInAWatchedCaseBelongsToTheTest() {
    // Matched only if the case runs in this test's context (known-issue matching is task-local).
    withKnownIssue {
        _ = runWatched(0..<1, limit: .seconds(60), describe: { "case \($0)" }) { _ in Issue.record("from inside the case") }
    } matching: { issue in
        issue.comments.contains { $0.rawValue == "from inside the case" }
    }
}
