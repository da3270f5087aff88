import Foundation

/// The long greedy phases' link to the admin: a progress report at least once a second and the
/// cancel flag, asked between sessions. On a 10,000-student week construction alone outlasts a
/// 90 s limit, and without it the web's run page heard nothing for minutes and a cancel waited.
final class Heartbeat: @unchecked Sendable {
    private let started: Date
    private let progress: (@Sendable (SolveProgress) -> Void)?
    private let isCancelled: (@Sendable () -> Bool)?
    private let weights: ObjectiveWeights
    private var lastBeat = Date()
    private(set) var cancelled = false

    init(started: Date, options: SolveOptions, weights: ObjectiveWeights, progress: (@Sendable (SolveProgress) -> Void)?) {
        self.started = started
        self.progress = progress
        self.isCancelled = options.isCancelled
        self.weights = weights
    }

    /// False once the run is cancelled: the phase stops with what it has.
    func beat(_ plan: Plan) -> Bool {
        if !cancelled, isCancelled?() == true { cancelled = true }
        if let progress, Date().timeIntervalSince(lastBeat) >= 1 {
            lastBeat = Date()
            let terms = plan.terms
            progress(SolveProgress(elapsed: Date().timeIntervalSince(started), unmetSessions: terms.unmetSessions,
                                   objective: terms.total(weights), bound: 0, subproblems: 0, periodic: true, stopReason: nil))
        }
        return !cancelled
    }
}

/// A report every second from a timer while the bounds are proven (no phase of the search runs
/// yet to report): the empty timetable's figures, with the time gone.
final class BoundsPulse {
    private let timer: DispatchSourceTimer

    init(started: Date, nothingPlaced plan: Plan, weights: ObjectiveWeights, progress: @escaping @Sendable (SolveProgress) -> Void) {
        let terms = plan.terms
        let unmet = terms.unmetSessions, objective = terms.total(weights)
        timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler {
            progress(SolveProgress(elapsed: Date().timeIntervalSince(started), unmetSessions: unmet, objective: objective,
                                   bound: 0, subproblems: 0, periodic: true, stopReason: nil))
        }
        timer.resume()
    }

    /// Safe to call twice (Dispatch ignores a second cancel).
    func stop() { timer.cancel() }
}
