import Foundation
import ScenarioGenerator
import ScenarioKit
import Scheduler
import TimetableChecker
import TimetableFormat
import Testing

/// Random small schools with a planted timetable: a full timetable is known to exist, so the solver
/// must find one with nothing unmet, and the independent checker must accept it.
@Test(arguments: 1...24)
func plantedTinySchoolsAreFullyScheduled(seed: UInt64) throws {
    _ = try solvePlanted(.tiny(seed: seed), seed: seed, subproblems: 20)
}

/// Generates, checks the planted timetable, solves under a work limit, and expects a checked
/// timetable with nothing unmet and an objective no lower than its bound.
private func solvePlanted(_ spec: GeneratorSpec, seed: UInt64, subproblems: Int) throws -> (ValidatedScenario, Timetable) {
    let generated = generateScenario(spec)
    let scenario = try generated.scenario.validated()
    #expect(generated.planted.map { checkTimetable($0, against: scenario) } == [])
    var options = SolveOptions()
    options.timeLimit = 600
    options.maxSubproblems = subproblems
    options.seed = seed
    let timetable = try solveTimetable(scenario, options: options)
    #expect(checkTimetable(timetable, against: scenario).isEmpty)
    #expect(timetable.unmet.isEmpty, "seed \(seed): \(timetable.unmet.map { "\($0.student) \($0.subject) \($0.modality) \($0.missing)" })")
    #expect((timetable.objective ?? .infinity) >= (timetable.bound ?? -.infinity))
    return (scenario, timetable)
}

@Test func sameSeedAndWorkLimitGiveTheSameTimetable() throws {
    var spec = GeneratorSpec.small
    spec.students = 30
    spec.days = [.mon, .tue, .wed]
    let scenario = try generateScenario(spec).scenario.validated()
    var options = SolveOptions()
    options.timeLimit = 600
    options.maxSubproblems = 6
    options.seed = 7
    let first = try solveTimetable(scenario, options: options)
    let second = try solveTimetable(scenario, options: options)
    #expect(first.sessions == second.sessions)
    #expect(first.objective == second.objective)
    #expect(checkTimetable(first, against: scenario).isEmpty)
}

/// The same with every v1.1 feature planted: fixed sessions, priorities, requested and preferred
/// teachers, double blocks around a lunch break, level windows, students kept apart, prefer-not. The
/// planted timetable proves a full one exists; construction and repair must find one.
@Test(arguments: 1...16)
func plantedSchoolsWithEveryFeatureAreFullyScheduled(seed: UInt64) throws {
    var spec = GeneratorSpec.tiny(seed: seed).withAllFeatures
    spec.days = [.mon, .tue, .wed]
    spec.blocksPerDay = 5
    let (scenario, timetable) = try solvePlanted(spec, seed: seed, subproblems: 40)
    // Level spread and apart, asserted here too rather than only through the checker.
    let students = Dictionary(uniqueKeysWithValues: scenario.students.map { ($0.id, $0) })
    for session in timetable.sessions where !session.fixed {
        if let spread = scenario.modality(session.modality)?.levelSpread {
            let levels = session.students.compactMap { id in
                students[id]?.needs.first { $0.subject == session.subject && $0.modality == session.modality }?.level
            }
            #expect((levels.max() ?? 0) - (levels.min() ?? 0) <= spread)
        }
        for id in session.students {
            let apart: Set<String> = Set(students[id]?.apart ?? [])
            #expect(apart.isDisjoint(with: session.students), "\(id) shares \(session)")
        }
    }
}
