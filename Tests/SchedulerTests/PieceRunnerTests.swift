import Foundation
@testable import Scheduler
import Testing

/// The search keeps pieces' results in the order the pieces were started, whichever finishes first:
/// here the first piece cannot finish before the second has, and is still the first result handed
/// back. Taken as they finished, one seed gave different timetables from run to run.
@Test func piecesAreHandedBackInTheOrderTheyWereStarted() {
    let runner = PieceRunner()
    let secondDone = DispatchSemaphore(value: 0)
    runner.launch(0) {
        // A deadline, so a runner that never runs the second piece fails here instead of hanging.
        let waited = secondDone.wait(timeout: .now() + 60)
        return .failure(SolveFailure(description: waited == .success ? "first" : "first, without waiting for the second"))
    }
    runner.launch(1) {
        defer { secondDone.signal() }
        return .failure(SolveFailure(description: "second"))
    }
    #expect(description(runner.result(of: 0)) == "first")
    #expect(description(runner.result(of: 1)) == "second")
}

private func description(_ result: Result<SolvedNeighbourhood?, SolveFailure>) -> String? {
    if case .failure(let failure) = result { return failure.description }
    return nil
}
