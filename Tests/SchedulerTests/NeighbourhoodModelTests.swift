import ScenarioKit
@testable import Scheduler
import Testing

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
