import ScenarioKit

extension GeneratedScenario {
    /// The planted week with every teacher's `max-per-week` cut to two thirds of the blocks she leads
    /// in the planted timetable (rounded down, at least the 1 a scenario allows), so demand exceeds what teachers can give:
    /// the over-subscribed week of the benchmarks and the bound tests.
    public var overSubscribed: Scenario {
        var scenario = self.scenario
        var load: [String: Int] = [:]
        for session in planted?.sessions ?? [] {
            for teacher in session.staff { load[teacher, default: 0] += session.length }
        }
        for i in scenario.teachers.indices {
            let planted = load[scenario.teachers[i].id, default: 0]
            let limit = min(scenario.teachers[i].maxPerWeek ?? planted, planted)
            scenario.teachers[i].maxPerWeek = max(1, limit * 2 / 3)
        }
        return scenario
    }
}
