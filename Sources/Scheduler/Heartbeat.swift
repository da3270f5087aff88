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
