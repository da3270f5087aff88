import Foundation
import GLPKBackend
import IntegerProgram
import Rules
import ScenarioGenerator
import ScenarioKit
@testable import Scheduler
import TimetableChecker
import TimetableFormat
import Testing
import WeekIndex

// No timetable may beat a proven bound: each part is compared with planted timetables, with the
// optimum of tiny weeks that GLPK solves exactly, and with what the solver finds on over-subscribed
// weeks.

/// What one valid timetable achieves, part by part, at the week's true weights.
private struct Achieved {
    var unmetSessions: Int
    var unmetCost: Double
    var comfort: Double
    /// Sessions each need gets.
    var done: [[Int]]

    /// As the independent checker measures a timetable.
    init(_ timetable: Timetable, _ scenario: ValidatedScenario, weights: ObjectiveWeights) {
        let measured = measureObjective(timetable, against: scenario.scenario)
        self.init(counts: { measured[$0.id] ?? 0 }, done: Plan(rebuilding: timetable, Instance(scenario)).done, weights: weights)
    }

    init(_ plan: Plan, weights: ObjectiveWeights) {
        self.init(counts: { plan.terms[$0] }, done: plan.done, weights: weights)
    }

    private init(counts: (Rule) -> Int, done: [[Int]], weights: ObjectiveWeights) {
        let unmet = ObjectiveWeights.unmetByPriority.map(\.1)
        unmetSessions = unmet.reduce(0) { $0 + counts($1) }
        unmetCost = unmet.reduce(0) { $0 + weights[$1] * Double(counts($1)) }
        comfort = RuleCatalogue.objectiveTerms.filter { !unmet.contains($0) }.reduce(0) { $0 + weights[$1] * Double(counts($1)) }
        self.done = done
    }
}

/// The bounds claimed for a week, the comfort one for the sessions a given timetable meets.
private struct Claimed {
    var unmetSessions: Int
    var unmetCost: Double
    var comfort: Double
    var objective: Double

    init(_ lower: LowerBounds, meeting done: [[Int]]) {
        unmetSessions = lower.unmetSessions
        unmetCost = lower.unmetObjective
        comfort = lower.comfort(done: done)
        objective = lower.objective
    }

    init(unmetSessions: Int, unmetCost: Double, comfort: Double, objective: Double) {
        self.unmetSessions = unmetSessions; self.unmetCost = unmetCost; self.comfort = comfort; self.objective = objective
    }

    /// The parts a timetable beats: each would be a bound proven wrong.
    func beaten(by achieved: Achieved) -> [String] {
        var wrong: [String] = []
        if unmetSessions > achieved.unmetSessions { wrong.append("unmet sessions \(unmetSessions) > \(achieved.unmetSessions)") }
        if unmetCost > achieved.unmetCost + 1e-6 { wrong.append("unmet cost \(unmetCost) > \(achieved.unmetCost)") }
        if comfort > achieved.comfort + 1e-6 { wrong.append("comfort \(comfort) > \(achieved.comfort)") }
        if objective > achieved.unmetCost + achieved.comfort + 1e-6 {
            wrong.append("objective \(objective) > \(achieved.unmetCost + achieved.comfort)")
        }
        return wrong
    }
}

private func bounds(_ scenario: ValidatedScenario) -> (LowerBounds, ObjectiveWeights) {
    let instance = Instance(scenario)
    let weights = ObjectiveWeights().lexicographic(instance)
    return (LowerBounds(instance, weights: weights), weights)
}

/// Zero unmet is achievable in a planted week, so the unmet bound must be 0; the planted timetable's
/// comfort, as the checker measures it, caps the comfort bound.
@Test(arguments: Array(UInt64(1)...8))
func plantedWeeksBeatNoBound(seed: UInt64) throws {
    var spec = GeneratorSpec.tiny(seed: seed)
    if seed > 4 { spec = spec.withAllFeatures; spec.days = [.mon, .tue, .wed]; spec.blocksPerDay = 5 }
    let generated = generateScenario(spec)
    let scenario = try generated.scenario.validated()
    let planted = try #require(generated.planted)
    let (lower, weights) = bounds(scenario)
    let achieved = Achieved(planted, scenario, weights: weights)
    #expect(achieved.unmetSessions == 0)
    #expect(lower.unmetSessions == 0 && lower.unmetObjective == 0)
    #expect(Claimed(lower, meeting: achieved.done).beaten(by: achieved) == [], "seed \(seed)")
}

/// Tiny one-day weeks, planted and over-subscribed, solved by GLPK on the exact whole-day model to
/// proven optimality: the best timetable there is beats no bound.
@Test(arguments: Array(UInt64(1)...6))
func exactOptimaOfTinyWeeksBeatNoBound(seed: UInt64) throws {
    var spec = GeneratorSpec.tiny(seed: seed)
    spec.days = [.mon]
    let generated = generateScenario(spec)
    for scenario in [try generated.scenario.validated(), try generated.overSubscribed.validated()] {
        let instance = Instance(scenario)
        let (lower, weights) = bounds(scenario)
        let whole = Neighbourhood(days: [0], activities: Array(instance.activities.indices))
        let model = NeighbourhoodModel(base: Plan(instance), hood: whole, weights: weights)
        let result = try GLPKSolver.solve(model.program, options: MIPOptions(timeLimit: 60))
        try #require(result.status == .optimal, "seed \(seed): GLPK did not prove the optimum")
        var plan = Plan(instance)
        let values = try #require(result.values)
        for session in try #require(model.decode(values, previous: [])) { plan.add(session) }
        let achieved = Achieved(plan, weights: weights)
        #expect(Claimed(lower, meeting: achieved.done).beaten(by: achieved) == [], "seed \(seed)")
    }
}

/// Teachers' weekly limits cut to two thirds: the bound proves sessions unmet, and no timetable the
/// solver finds (two seeds) beats any part of it.
@Test(arguments: [UInt64(1), 6])
func overSubscribedWeeksHaveAPositiveBoundNoTimetableBeats(week: UInt64) throws {
    var spec = GeneratorSpec.tiny(seed: week)
    spec.days = [.mon, .tue]
    let scenario = try generateScenario(spec).overSubscribed.validated()
    let (lower, weights) = bounds(scenario)
    #expect(lower.unmetSessions > 0)
    for seed in [UInt64(1), 2, 3] {
        let timetable = try solveTimetable(scenario, options: workLimited(6, seed: seed))
        #expect(checkTimetable(timetable, against: scenario).isEmpty)
        let achieved = Achieved(timetable, scenario, weights: weights)
        #expect(Claimed(lower, meeting: achieved.done).beaten(by: achieved) == [], "week \(week), seed \(seed)")
        let parts = try #require(timetable.bounds)
        #expect(parts.unmetSessions == min(lower.unmetSessions, achieved.unmetSessions))
        #expect(parts.comfort <= parts.comfortScore && (timetable.bound ?? .infinity) <= (timetable.objective ?? 0))
    }
}

/// The comparison itself: a bound equal to what a timetable achieves stands, and one unit more on
/// any part is caught.
@Test func comparisonCatchesABoundOneAboveATimetable() throws {
    let generated = generateScenario(.tiny(seed: 3))
    let scenario = try generated.overSubscribed.validated()
    let (_, weights) = bounds(scenario)
    var options = SolveOptions()
    options.timeLimit = 600
    options.maxSubproblems = 4
    let achieved = Achieved(try solveTimetable(scenario, options: options), scenario, weights: weights)
    let exact = Claimed(unmetSessions: achieved.unmetSessions, unmetCost: achieved.unmetCost, comfort: achieved.comfort,
                        objective: achieved.unmetCost + achieved.comfort)
    #expect(exact.beaten(by: achieved) == [])
    for part in 0..<4 {
        var raised = exact
        switch part {
        case 0: raised.unmetSessions += 1
        case 1: raised.unmetCost += 1
        case 2: raised.comfort += 1
        default: raised.objective += 1
        }
        #expect(raised.beaten(by: achieved).count == 1)
    }
}

/// Each comfort argument forced once, in a week small enough to check by hand: the preferred teacher
/// `a` works only Monday and `b` only Tuesday, so s1's two math sessions fall on neighbouring days with
/// two teachers, one of them not preferred; s2 is away between her two fixed sessions on Monday, an
/// idle block nothing can fill. The best timetable pays exactly that, so the bound meets what the
/// solver finds, and every argument's share is needed to reach it.
@Test func eachComfortArgumentIsForcedAndTight() throws {
    let yaml = """
    name: forced comfort
    days: [mon, tue]
    blocks:
      - {id: b1, start: "09:00", end: "09:45"}
      - {id: b2, start: "10:00", end: "10:45"}
      - {id: b3, start: "11:00", end: "11:45"}
    modalities:
      tutoring: {min: 1, max: 3, teacher: true}
    teachers:
      - {id: a, name: A, subjects: [math], unavailable: [tue]}
      - {id: b, name: B, subjects: [math], unavailable: [mon]}
    rooms:
      - {id: r1, name: R1, capacity: 4}
    students:
      - {id: s1, name: S1, needs: [{subject: math, modality: tutoring, sessions: 2, prefer-teacher: [a]}]}
      - {id: s2, name: S2, needs: [{subject: math, modality: tutoring, sessions: 1}], unavailable: [mon.b2]}
    fixed:
      - {id: f1, title: Assembly, day: mon, block: b1, students: [s2]}
      - {id: f2, title: Choir, day: mon, block: b3, students: [s2]}
    """
    let scenario = try ScenarioLoader.parse(yaml, file: "forced.yaml")
    let (lower, weights) = bounds(scenario)
    var options = SolveOptions()
    options.timeLimit = 600
    options.maxSubproblems = 6
    let timetable = try solveTimetable(scenario, options: options)
    #expect(checkTimetable(timetable, against: scenario).isEmpty)
    let achieved = Achieved(timetable, scenario, weights: weights)
    #expect(achieved.unmetSessions == 0)
    #expect(lower.comfort(done: achieved.done) == achieved.comfort)
    for term in [Rule.sameNeedNextDay, .teacherContinuity, .preferredTeacher, .studentIdle] {
        var without = weights
        without[term] = 0
        let weaker = LowerBounds(Instance(scenario), weights: without)
        #expect(weaker.comfort(done: achieved.done) == achieved.comfort - weights[term], "\(term.id)")
    }
}

/// A re-solve after the teacher of the only session is taken away that day: the student's seat and
/// the teacher must change (the room may stay), so the bound counts both, and the re-solved
/// timetable, measured against the baseline by the checker, pays exactly that.
@Test func forcedChangesOfAReSolveAreCountedAndTight() throws {
    func week(away teacher: String = "", on day: String = "") -> String {
        func line(_ id: String) -> String {
            "  - {id: \(id), name: \(id), subjects: [math]\(id == teacher ? ", unavailable: [\(day)]" : "")}"
        }
        return """
        name: one session
        days: [mon, tue]
        blocks:
          - {id: b1, start: "09:00", end: "09:45"}
          - {id: b2, start: "10:00", end: "10:45"}
        modalities:
          tutoring: {min: 1, max: 3, teacher: true}
        teachers:
        \(line("a"))
        \(line("b"))
        rooms:
          - {id: r1, name: R1, capacity: 4}
        students:
          - {id: s1, name: S1, needs: [{subject: math, modality: tutoring, sessions: 1}]}
        """
    }
    var options = SolveOptions()
    options.timeLimit = 600
    options.maxSubproblems = 4
    let before = try solveTimetable(try ScenarioLoader.parse(week(), file: "before.yaml"), options: options)
    let session = try #require(before.sessions.first)
    let scenario = try ScenarioLoader.parse(week(away: session.teacher ?? "", on: session.day), file: "after.yaml")
    options.baseline = before
    let after = try solveTimetable(scenario, options: options)
    #expect(checkTimetable(after, against: scenario).isEmpty)
    let instance = Instance(scenario)
    let weights = ObjectiveWeights().lexicographic(instance)
    var lower = LowerBounds(instance, weights: weights)
    let withoutBaseline = lower.comfort(done: [[1]])
    lower.countForcedChanges(try Baseline(before, instance: instance, pins: []))
    let measured = measureObjective(after, against: scenario.scenario, baseline: before)
    let achieved = RuleCatalogue.objectiveTerms.reduce(0.0) { $0 + weights[$1] * Double(measured[$1.id] ?? 0) }
    #expect(lower.comfort(done: [[1]]) == withoutBaseline + weights[.changedSeat] + weights[.changedTeacher])
    #expect(lower.comfort(done: [[1]]) == achieved)
}

/// A small three-day week with every feature: the comfort bound a solve reports adds GLPK's bound on
/// the whole-week model (no consecutive days in it) to what consecutive days alone force. It beats
/// neither the solve's timetable nor a whole-week model solution GLPK finds (a valid timetable,
/// measured by the checker with consecutive days counted), and it is above what the per-need
/// arguments give alone.
@Test func comfortBoundWithTheWholeWeekModelBeatsNoTimetable() throws {
    var spec = GeneratorSpec.tiny(seed: 5).withAllFeatures
    spec.days = [.mon, .tue, .wed]
    spec.blocksPerDay = 5
    let scenario = try generateScenario(spec).scenario.validated()
    let instance = Instance(scenario)
    let (lower, weights) = bounds(scenario)
    var options = SolveOptions()
    options.timeLimit = 600
    options.maxSubproblems = 8
    let timetable = try solveTimetable(scenario, options: options)
    let parts = try #require(timetable.bounds)
    let solved = Achieved(timetable, scenario, weights: weights)
    #expect(solved.unmetSessions == 0 && parts.comfort <= solved.comfort + 1e-6)
    let whole = Neighbourhood(days: Array(0..<instance.dayCount), activities: Array(instance.activities.indices))
    // As the solve's bound model: consecutive days left out (the bound adds them separately).
    var modelWeights = weights
    modelWeights[.sameNeedNextDay] = 0
    let model = NeighbourhoodModel(base: Plan(instance), hood: whole, weights: modelWeights)
    let result = try GLPKSolver.solve(model.program, options: MIPOptions(timeLimit: 60, nodeLimit: 100))
    var plan = Plan(instance)
    let values = try #require(result.values)
    for session in try #require(model.decode(values, previous: [])) { plan.add(session) }
    let found = Achieved(plan, weights: weights)
    if found.unmetSessions == 0 { #expect(parts.comfort <= found.comfort + 1e-6) }
    #expect(parts.comfort >= lower.comfort(done: solved.done) - 1e-6)
    #expect(parts.comfort > lower.comfort(done: solved.done))
}
