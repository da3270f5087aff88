import Foundation
import ScenarioGenerator
import ScenarioKit
import Scheduler
import TimetableChecker
import TimetableFormat
import Testing

/// A three-day week whose teachers' `max-per-week` is cut to two thirds: demand exceeds capacity, so
/// sub-problems solved side by side on different days compete for the same weekly limits and needs.
private func squeezedWeek(seed: UInt64) throws -> ValidatedScenario {
    var spec = GeneratorSpec.tiny(seed: seed)
    spec.days = [.mon, .tue, .wed]
    return try generateScenario(spec).overSubscribed.validated()
}

private func workLimited(threads: Int, seed: UInt64) -> SolveOptions {
    var options = SolveOptions()
    options.timeLimit = 600
    options.maxSubproblems = 8
    options.threads = threads
    options.seed = seed
    return options
}

/// No work limit: the run ends by itself or at `timeLimit`.
private func clockLimited(threads: Int, seed: UInt64, timeLimit: Double) -> SolveOptions {
    var options = SolveOptions()
    options.timeLimit = timeLimit
    options.patience = nil
    options.threads = threads
    options.seed = seed
    return options
}

/// Sub-problems solved two at a time each keep within their share of the weekly slack, so the
/// merged timetable holds every rule, and a seed with a work limit gives one timetable on every run.
/// Seed 13's week over-serves a need (R5) when each sub-problem may use the whole slack.
@Test(arguments: [UInt64(13), 4])
func twoThreadsGiveOneCheckedTimetablePerSeed(seed: UInt64) throws {
    let scenario = try squeezedWeek(seed: seed)
    let first = try solveTimetable(scenario, options: workLimited(threads: 2, seed: seed))
    #expect(checkTimetable(first, against: scenario).isEmpty, "seed \(seed)")
    #expect(first.stats?.subproblems == 8)
    let second = try solveTimetable(scenario, options: workLimited(threads: 2, seed: seed))
    #expect(second.sessions == first.sessions)
    #expect(second.objective == first.objective)
}

/// One thread is the search one sub-problem at a time; it too repeats itself.
@Test func oneThreadRepeatsItselfToo() throws {
    let scenario = try squeezedWeek(seed: 3)
    let first = try solveTimetable(scenario, options: workLimited(threads: 1, seed: 3))
    let second = try solveTimetable(scenario, options: workLimited(threads: 1, seed: 3))
    #expect(checkTimetable(first, against: scenario).isEmpty)
    #expect(second.sessions == first.sessions)
}

/// Without a work limit each thread takes the next piece as soon as its last one is done, from the
/// timetable as it then stands, and is given only the weekly slack the pieces still out have not
/// been given. Whatever the timing, the merged timetable must hold every rule. Seeds 3 and 13 over-
/// served needs (R5) when every piece was given all the slack; 4 and 21 are two more squeezed weeks.
@Test(arguments: [UInt64(3), 13, 4, 21])
func piecesTakenAsThreadsFreeUpStillFitTogether(seed: UInt64) throws {
    let scenario = try squeezedWeek(seed: seed)
    let timetable = try solveTimetable(scenario, options: clockLimited(threads: 2, seed: seed, timeLimit: 2))
    #expect(checkTimetable(timetable, against: scenario).isEmpty, "seed \(seed)")
}

/// Without a work limit too, the pieces are kept in the order they were started and each stops on
/// work, so one seed gives one timetable however the threads happen to be scheduled. The pieces'
/// clock is set far beyond what these small pieces take, so it cannot decide anything here.
@Test(arguments: [UInt64(13), 21])
func piecesTakenAsThreadsFreeUpGiveOneTimetablePerSeed(seed: UInt64) throws {
    let scenario = try squeezedWeek(seed: seed)
    var options = clockLimited(threads: 2, seed: seed, timeLimit: 600)
    options.subproblemTimeLimit = 60
    options.repairTimeLimit = 60
    let first = try solveTimetable(scenario, options: options)
    let second = try solveTimetable(scenario, options: options)
    #expect(![.timeLimit, .patience].contains(first.stats?.stopReason), "the run ended on its own, not on a clock")
    #expect(checkTimetable(first, against: scenario).isEmpty)
    #expect(second.sessions == first.sessions, "seed \(seed)")
    #expect(second.stats?.subproblems == first.stats?.subproblems)
}
