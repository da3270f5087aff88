import GLPKBackend
import ScenarioGenerator
import ScenarioKit
@testable import Scheduler
import Testing
import TimetableChecker
import WeekIndex

/// The one-day model must be exact: the current sessions of a neighbourhood are a feasible point of
/// its program, and the program's objective there equals the whole timetable's objective.
func expectModelsReproduceThePlan(_ scenario: ValidatedScenario) {
    let instance = Instance(scenario)
    var plan = Plan(instance)
    plan.constructGreedily()
    let objective = plan.terms.total(ObjectiveWeights())
    for d in 0..<instance.dayCount {
        let hood = Neighbourhood(days: [d], activities: Array(instance.activities.indices))
        let removed = plan.activeSessions.filter { instance.day(of: $0.session.slot) == d }
        var base = plan
        for (id, _) in removed { base.remove(id) }
        let model = NeighbourhoodModel(base: base, hood: hood, weights: ObjectiveWeights())
        guard let start = model.startValues(for: removed.map(\.session)) else {
            Issue.record("day \(d): current sessions have no columns in the model")
            continue
        }
        #expect(model.program.maxViolation(of: start) <= 1e-9, "day \(d)")
        #expect(abs(model.program.objective(of: start) - objective) <= 1e-6, "day \(d)")
        // Decoding the start gives back sessions with the same objective.
        if let sessions = model.decode(start) {
            var rebuilt = base
            for s in sessions { rebuilt.add(s) }
            #expect(abs(rebuilt.terms.total(ObjectiveWeights()) - objective) <= 1e-6)
        } else {
            Issue.record("day \(d): the start could not be decoded")
        }
    }
}

@Test func oneDayModelIsExactOnTheHandExample() throws {
    expectModelsReproduceThePlan(try ScenarioLoader.parse(handExample, file: "hand.yaml"))
}

/// The whole-week model (what `--write-model` writes for other solvers) counts a need met on two
/// consecutive days inside it, so its objective at a timetable equals that timetable's objective on
/// every term it models (teacher continuity and preferred teachers need the groups it does not see).
@Test func wholeWeekModelCountsTheSameNeedOnConsecutiveDays() throws {
    var weights = ObjectiveWeights()
    weights[.teacherContinuity] = 0
    weights[.preferredTeacher] = 0
    var pairs = 0
    for seed in UInt64(1)...3 {
        var spec = GeneratorSpec.tiny(seed: seed)
        spec.days = [.mon, .tue, .wed]
        let instance = Instance(try generateScenario(spec).scenario.validated())
        var plan = Plan(instance)
        plan.constructGreedily()
        pairs += plan.terms[.sameNeedNextDay]
        let whole = Neighbourhood(days: Array(0..<instance.dayCount), activities: Array(instance.activities.indices))
        let model = NeighbourhoodModel(base: Plan(instance), hood: whole, weights: weights)
        let start = try #require(model.startValues(for: plan.activeSessions.map(\.session)), "seed \(seed)")
        #expect(model.program.maxViolation(of: start) <= 1e-9, "seed \(seed)")
        #expect(abs(model.program.objective(of: start) - plan.terms.total(weights)) <= 1e-6, "seed \(seed)")
    }
    #expect(pairs > 0, "no timetable here has a need on consecutive days, so the rows went untested")
}

/// Another solver's answer comes back by column name (flexsched-bench --cpsat): the values of a
/// greedy timetable, named as the written model names them, decode into a timetable the independent
/// checker accepts, meeting the same sessions.
@Test func wholeWeekSolutionDecodesByColumnName() throws {
    var spec = GeneratorSpec.tiny(seed: 2)
    spec.days = [.mon, .tue]
    let scenario = try generateScenario(spec).scenario.validated()
    let instance = Instance(scenario)
    var plan = Plan(instance)
    plan.constructGreedily()
    let whole = Neighbourhood(days: Array(0..<instance.dayCount), activities: Array(instance.activities.indices))
    let model = NeighbourhoodModel(base: Plan(instance), hood: whole, weights: ObjectiveWeights(), seatsByTeacher: true)
    let start = try #require(model.startValues(for: plan.activeSessions.map(\.session)))
    let named = Dictionary(model.program.columns.indices.filter { start[$0] > 0.5 }.map { (model.program.columns[$0].name, start[$0]) },
                           uniquingKeysWith: max)
    let timetable = try #require(decodeWholeWeekSolution(scenario, values: named))
    #expect(checkTimetable(timetable, against: scenario).isEmpty)
    #expect(timetable.stats?.unmetSessions == plan.terms.unmetSessions)
    #expect(plan.terms.unmetSessions < instance.totalSessionsNeeded, "the greedy timetable meets nothing, so decoding went untested")
}

/// With groups by teacher (the written whole-week model) teacher continuity and preferred teachers are
/// exact: at a timetable's columns the model's objective is the timetable's measured objective, every
/// term included; those columns decode into a timetable the checker accepts with the same terms; and
/// the warm start built from that timetable (`wholeWeekStartValues`) sets the same columns.
@Test func wholeWeekModelCountsTeacherContinuity() throws {
    var continuity = 0, preferred = 0
    for seed in UInt64(1)...4 {
        var spec = GeneratorSpec.tiny(seed: seed)
        spec.days = [.mon, .tue, .wed]
        spec.features = [.preferTeachers, .requestedTeachers, .apart]
        let scenario = try generateScenario(spec).scenario.validated()
        let instance = Instance(scenario)
        var plan = Plan(instance)
        plan.constructGreedily()
        continuity += plan.terms[.teacherContinuity]
        preferred += plan.terms[.preferredTeacher]
        let weights = ObjectiveWeights().lexicographic(instance)
        let whole = Neighbourhood(days: Array(0..<instance.dayCount), activities: Array(instance.activities.indices))
        let model = NeighbourhoodModel(base: Plan(instance), hood: whole, weights: weights, seatsByTeacher: true)
        let start = try #require(model.startValues(for: plan.activeSessions.map(\.session)), "seed \(seed)")
        #expect(model.program.maxViolation(of: start) <= 1e-9, "seed \(seed)")
        #expect(abs(model.program.objective(of: start) - plan.terms.total(weights)) <= 1e-6, "seed \(seed)")
        // Solvers read the written model by column name (OR-Tools merges columns that share one).
        let names = model.program.columns.map { glpkName($0.name, fallback: "") }
        #expect(Set(names).count == names.count, "seed \(seed): column names repeat")
        let named = Dictionary(names.indices.filter { start[$0] > 0.5 }.map { (names[$0], start[$0]) }, uniquingKeysWith: max)
        let timetable = try #require(decodeWholeWeekSolution(scenario, values: named), "seed \(seed)")
        #expect(checkTimetable(timetable, against: scenario).isEmpty, "seed \(seed)")
        #expect(timetable.stats?.terms == plan.terms.byId, "seed \(seed)")
        let warm = try #require(wholeWeekStartValues(scenario, timetable: timetable), "seed \(seed)")
        #expect(Set(warm.filter { $0.value > 0.5 }.keys) == Set(named.keys), "seed \(seed)")
    }
    #expect(continuity > 0, "no student here has two teachers for one need, so the continuity rows went untested")
    #expect(preferred > 0, "no session here has a teacher its student does not prefer, so those costs went untested")
}
