import Scheduler
import TimetableFormat

/// Work limits only, with room to spare: whatever stops these solves, it is not the clock, so one
/// seed gives one timetable on any load.
func workLimited(_ subproblems: Int, seed: UInt64 = 1, baseline: Timetable? = nil) -> SolveOptions {
    var options = SolveOptions()
    options.seed = seed
    options.timeLimit = 600
    options.maxSubproblems = subproblems
    options.baseline = baseline
    return options
}
