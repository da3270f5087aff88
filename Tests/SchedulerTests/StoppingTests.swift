import Foundation
import ScenarioGenerator
import ScenarioKit
@testable import Scheduler
import TimetableFormat
import WeekIndex
import Testing

@Test func patienceInSubproblemsStopsAWorkLimitedRunReproducibly() throws {
    let scenario = try bundled("example.yaml")
    var patient = workLimited(200)
    patient.patienceSubproblems = 2
    let first = try solveTimetable(scenario, options: patient)
    let stats = try #require(first.stats)
    #expect(stats.stopReason == .patience)
    #expect((stats.subproblems ?? 0) < 200)
    // Patience counted in sub-problems keeps a seed's timetable the same from run to run.
    let second = try solveTimetable(scenario, options: patient)
    #expect(second.sessions == first.sessions && second.stats?.subproblems == stats.subproblems)
    // The wall-clock patience has no say under a work limit, however short.
    var clockOnly = workLimited(3)
    clockOnly.patience = 1e-9
    #expect(try solveTimetable(scenario, options: clockOnly).stats?.stopReason == .workLimit)
}

@Test func aGapTargetStopsTheSearchOnceTheBoundIsCloseEnough() throws {
    // One day is modelled exactly, so the whole-day model's bound is what the target is checked against.
    let scenario = try bundled("small-day.yaml")
    var options = workLimited(20)
    options.relativeGap = 0.999
    let timetable = try solveTimetable(scenario, options: options)
    let gap = try #require(timetable.gap)
    #expect(timetable.stats?.stopReason == .gap)
    #expect(gap > 1e-9 && gap <= 0.999)
    #expect((timetable.stats?.subproblems ?? 0) < 20)
}

@Test(arguments: [Timetable.StopReason.gap, .patience, .optimal, .converged, .timeLimit, .workLimit])
func stopReasonsSurviveTheTimetableJSON(_ reason: Timetable.StopReason) throws {
    var timetable = Timetable(scenario: "s", status: .feasible, objective: 3, bound: 1, gap: 2.0 / 3, sessions: [], unmet: [])
    timetable.stats = .init(seconds: 1.5, unmetSessions: 0, neededSessions: 0, stopReason: reason)
    let text = String(decoding: try timetable.jsonData(), as: UTF8.self)
    #expect(text.contains("\"stopReason\" : \"\(reason.rawValue)\""))
    #expect(try JSONDecoder().decode(Timetable.self, from: Data(text.utf8)) == timetable)
}

@Test func timetablesThatStoppedAsConvergedStillLoad() throws {
    // Written before patience existed: the search then stopped only on convergence, time or work.
    let old = """
    {"scenario": "s", "status": "feasible", "objective": 3, "sessions": [], "unmet": [],
     "stats": {"seconds": 1.5, "unmetSessions": 0, "neededSessions": 4, "stopReason": "converged"}}
    """
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("flexsched-converged-\(UUID().uuidString).json").path
    try Data(old.utf8).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(try Timetable.load(path: path).stats?.stopReason == .converged)
}

/// A cancel lands inside construction, not after it: on a 10,000-student week construction alone
/// outlasts a 90 s limit. Cancelled once the first few sessions are in, the mid-size week stops
/// with those (a valid timetable, most of the week unmet) and says it was cancelled.
@Test func aCancelStopsConstructionBetweenSessions() throws {
    let scenario = try bundled("midsize-week.yaml")
    let asked = Counter()
    var options = workLimited(50)
    options.isCancelled = { asked.next() > 20 }
    let timetable = try solveTimetable(scenario, options: options)
    #expect(timetable.stats?.stopReason == .cancelled)
    let planned = timetable.sessions.filter(\.isFlex).count
    #expect(planned > 0 && planned <= 25, "construction went on after the cancel: \(planned) sessions")
}

/// The bounds' LPs hear a cancel too (a 10,000-student week's runs 20 s): asked once before the
/// first LP and then by GLPK while it runs, the over-subscribed week's capacity LP stops unproven
/// and no later LP starts.
@Test func aCancelStopsTheBoundsLPs() throws {
    var spec = GeneratorSpec.tiny(seed: 1)
    spec.days = [.mon, .tue]
    let instance = Instance(try generateScenario(spec).overSubscribed.validated())
    let weights = ObjectiveWeights().lexicographic(instance)
    let proven = LowerBounds(instance, weights: weights)
    try #require(proven.unmetSessions > 0)
    let asked = Counter()
    let cancelled = LowerBounds(instance, weights: weights, isCancelled: { asked.next() > 1 })
    #expect(cancelled.unmetSessions < proven.unmetSessions)
    #expect(asked.next() == 3, "asked before the LP and once from GLPK's output, then never again")
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func next() -> Int { lock.withLock { count += 1; return count } }
}
