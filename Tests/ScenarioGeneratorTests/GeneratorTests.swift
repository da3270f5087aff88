import Testing
import SeededRandom
import ScenarioKit
import TimetableFormat
import TimetableChecker
@testable import ScenarioGenerator

let presets: [(String, GeneratorSpec)] = [("small", .small), ("medium", .medium), ("large", .large)]

@Test func sameSeedSameScenario() {
    for spec in [GeneratorSpec.small, .medium, .tiny(seed: 3), .tiny(seed: 99)] {
        #expect(generateScenario(spec) == generateScenario(spec))
        var unplanted = spec
        unplanted.planted = false
        #expect(generateScenario(unplanted) == generateScenario(unplanted))
    }
    var other = GeneratorSpec.medium
    other.seed += 1
    #expect(generateScenario(other).scenario != generateScenario(.medium).scenario)
}

@Test func rngIsStable() {
    // Pinned so a change to the generator's randomness (and so to every bundled file) is deliberate.
    var rng = SplitMix64(seed: 0)
    #expect([rng.next(), rng.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4])
}

@Test(arguments: presets.map(\.0))
func plantedTimetableMeetsEveryRule(preset: String) throws {
    let spec = presets.first { $0.0 == preset }!.1
    let g = generateScenario(spec)
    let scenario = try g.scenario.validated()
    let planted = try #require(g.planted)
    #expect(planted.status == .feasible && planted.unmet.isEmpty && planted.scenario == spec.name)
    #expect(hardRuleProblems(planted, scenario.scenario) == [])
    #expect(checkTimetable(planted, against: scenario) == [])
    #expect(scenario.students.count == spec.students && scenario.teachers.count == spec.teachers && scenario.rooms.count == spec.rooms)
    #expect(scenario.days == spec.days && scenario.blocks.count == spec.blocksPerDay)
    for s in scenario.students {
        let total = s.needs.reduce(0) { $0 + $1.sessions }
        #expect((3...6).contains(total) && (2...4).contains(s.needs.count), "\(s.id): \(total) sessions over \(s.needs.count) needs")
    }
    #expect(scenario.students.contains { !$0.requires.isEmpty })
    #expect(scenario.students.contains { !$0.unavailable.isEmpty })
    #expect(scenario.teachers.allSatisfy { (2...3).contains($0.subjects.count) })
    #expect(scenario.rooms.allSatisfy { (4...30).contains($0.capacity) })
}

@Test func tinyPlantedScenariosAreValid() throws {
    for seed in UInt64(0)..<200 {
        let g = generateScenario(.tiny(seed: seed))
        let scenario = try g.scenario.validated()
        let planted = try #require(g.planted)
        #expect(hardRuleProblems(planted, scenario.scenario) == [], "seed \(seed)")
        #expect(checkTimetable(planted, against: scenario) == [], "seed \(seed)")
        #expect((6...12).contains(scenario.students.count) && (1...2).contains(scenario.days.count), "seed \(seed)")
        // Two rooms and as few as three blocks cannot always seat everyone, so a rare student goes without.
        #expect(scenario.students.filter(\.needs.isEmpty).count * 4 <= scenario.students.count, "seed \(seed)")
    }
}

@Test func unplantedScenariosAreValid() throws {
    for var spec in [GeneratorSpec.small, .medium, .large] + (0..<50).map({ GeneratorSpec.tiny(seed: $0) }) {
        spec.planted = false
        let g = generateScenario(spec)
        #expect(g.planted == nil)
        _ = try g.scenario.validated()
    }
}

@Test func idsArePlainAscii() {
    let s = generateScenario(.large).scenario
    let ids = s.students.map(\.id) + s.teachers.map(\.id) + s.rooms.map(\.id)
    #expect(ids.allSatisfy { id in id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" } })
    #expect(s.students[16].id.hasSuffix("-017"))
}

@Test func ruleCheckCatchesBrokenTimetables() throws {
    let g = generateScenario(.small)
    var t = try #require(g.planted)
    t.sessions.append(t.sessions[0])
    #expect(!hardRuleProblems(t, g.scenario).isEmpty)
    t.sessions.removeLast()
    t.sessions[0].room = t.sessions[1].room
    t.sessions[0].block = t.sessions[1].block
    #expect(!hardRuleProblems(t, g.scenario).isEmpty)
    t = try #require(g.planted)
    t.sessions.removeLast()
    #expect(!hardRuleProblems(t, g.scenario).isEmpty)  // some need is no longer met exactly
}
