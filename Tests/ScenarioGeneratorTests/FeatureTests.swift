import Testing
import ScenarioKit
import TimetableFormat
import ScenarioGenerator
import TimetableChecker

// Planted weeks with the scenario format v1.1 features: the planted timetable keeps every rule they
// add (checked by HardRules.swift, not by the generator, and by the product's checker), and each
// feature really is in the week.

let featureSizes: [(String, GeneratorSpec)] = [("small", .small), ("medium", .medium), ("large", .large)]

func sessionsOfNeed(_ t: Timetable, _ student: String, _ need: Need) -> [Timetable.Session] {
    t.sessions.filter { !$0.fixed && $0.subject == need.subject && $0.modality == need.modality && $0.students.contains(student) }
}

@Test(arguments: featureSizes.map(\.0))
func plantedWeekWithEveryFeatureKeepsEveryRule(size: String) throws {
    let spec = featureSizes.first { $0.0 == size }!.1.withAllFeatures
    let g = generateScenario(spec)
    let s = try g.scenario.validated().scenario
    let planted = try #require(g.planted)
    #expect(hardRuleProblems(planted, s) == [])
    #expect(checkTimetable(planted, against: s) == [])

    // Each feature is present, or the check above would prove nothing about it.
    #expect(s.groups.count >= 2 && Set(s.groups.flatMap(\.students)).count == s.students.count)
    #expect(s.fixed.contains { !$0.groups.isEmpty } && s.fixed.contains { !$0.students.isEmpty && $0.room != nil })
    #expect(s.fixed.contains { $0.length == 2 } == (s.days.count > 1), "a week (not a single day) has a double lesson")
    #expect(planted.sessions.filter(\.fixed).count == s.fixed.count)
    let needs = s.students.flatMap(\.needs)
    for p in Priority.allCases { #expect(needs.contains { $0.priority == p }, "no \(p) need") }
    #expect(needs.filter { $0.priority == .normal }.count * 2 > needs.count)
    #expect(needs.contains { $0.teacher != nil } && needs.contains { !$0.preferTeachers.isEmpty })
    #expect(s.blocks.contains(where: \.breakBefore) && s.modality("project")?.length == 2)
    #expect(planted.sessions.contains { $0.modality == "project" && $0.length == 2 })
    let levelled = needs.filter { s.modality($0.modality)?.levelSpread != nil }
    #expect(levelled.contains { $0.level != nil })
    #expect(s.students.contains { !$0.apart.isEmpty } && s.teachers.contains { !$0.preferNot.isEmpty })

    // The generator promises more than the rules ask: apart pairs share no fixed session either.
    for st in s.students {
        for other in st.apart {
            #expect(!planted.sessions.contains { $0.students.contains(st.id) && $0.students.contains(other) }, "\(st.id) meets \(other)")
        }
    }
    // A requested teacher led every planted session of the need.
    for st in s.students {
        for n in st.needs where n.teacher != nil {
            #expect(sessionsOfNeed(planted, st.id, n).allSatisfy { $0.teacher == n.teacher })
        }
    }
}

@Test func tinyPlantedWeeksWithEveryFeatureKeepEveryRule() throws {
    var withProject = 0, withRequest = 0, withApart = 0, withLevels = 0, withoutLevel = 0
    for seed in UInt64(0)..<100 {
        let g = generateScenario(GeneratorSpec.tiny(seed: seed).withAllFeatures)
        let s = try g.scenario.validated().scenario
        let planted = try #require(g.planted)
        #expect(hardRuleProblems(planted, s) == [], "seed \(seed)")
        #expect(checkTimetable(planted, against: s) == [], "seed \(seed)")
        #expect(!s.fixed.isEmpty && s.blocks.contains(where: \.breakBefore), "seed \(seed)")
        // Advisory takes one of as few as three blocks, so more students than without features go without.
        #expect(s.students.filter(\.needs.isEmpty).count * 2 <= s.students.count, "seed \(seed)")
        if planted.sessions.contains(where: { $0.length == 2 && !$0.fixed }) { withProject += 1 }
        if s.students.contains(where: { $0.needs.contains { $0.teacher != nil } }) { withRequest += 1 }
        if s.students.contains(where: { !$0.apart.isEmpty }) { withApart += 1 }
        if s.students.contains(where: { $0.needs.contains { $0.level != nil } }) { withLevels += 1 }
        if s.students.contains(where: { $0.needs.contains { $0.level == nil && s.modality($0.modality)?.levelSpread != nil } }) { withoutLevel += 1 }
    }
    // Tiny weeks are cramped; most still carry each feature.
    #expect(withProject >= 20 && withRequest >= 60 && withApart >= 60 && withLevels >= 40 && withoutLevel >= 10,
            "project \(withProject), requests \(withRequest), apart \(withApart), levels \(withLevels), no level \(withoutLevel)")
}

@Test(arguments: GeneratorSpec.Features.names.map(\.name))
func eachFeatureAlonePlantsAValidWeek(feature: String) throws {
    let only = try #require(GeneratorSpec.Features(parsing: feature))
    for var spec in [GeneratorSpec.small, .tiny(seed: 7), .tiny(seed: 8)] {
        spec.features = only
        let g = generateScenario(spec)
        let planted = try #require(g.planted), s = try g.scenario.validated().scenario
        #expect(hardRuleProblems(planted, s) == [], "\(spec.name)")
        #expect(checkTimetable(planted, against: s) == [], "\(spec.name)")
    }
}

@Test func sameSeedSameWeekWithFeatures() {
    for spec in [GeneratorSpec.small, .medium, .tiny(seed: 3)].map(\.withAllFeatures) {
        #expect(generateScenario(spec) == generateScenario(spec))
        var unplanted = spec
        unplanted.planted = false
        #expect(generateScenario(unplanted) == generateScenario(unplanted))
    }
    var other = GeneratorSpec.medium.withAllFeatures
    other.seed += 1
    #expect(generateScenario(other).scenario != generateScenario(.medium.withAllFeatures).scenario)
}

/// Features that only annotate (priorities, requests, preferences, apart pairs) are chosen after
/// planting from their own random stream, so the planted week and everything else stay as they were.
@Test func annotatingFeaturesLeaveThePlantedWeekAlone() throws {
    var spec = GeneratorSpec.medium
    let plain = generateScenario(spec)
    spec.features = [.priorities, .requestedTeachers, .preferTeachers, .apart, .preferNot]
    let annotated = generateScenario(spec)
    #expect(annotated.planted == plain.planted)
    var stripped = annotated.scenario
    for i in stripped.students.indices {
        stripped.students[i].apart = []
        for n in stripped.students[i].needs.indices {
            stripped.students[i].needs[n].priority = .normal
            stripped.students[i].needs[n].teacher = nil
            stripped.students[i].needs[n].preferTeachers = []
        }
    }
    for i in stripped.teachers.indices { stripped.teachers[i].preferNot = [] }
    #expect(stripped == plain.scenario)
    #expect(annotated.scenario != plain.scenario)
}

@Test func unplantedWeeksWithFeaturesAreValid() throws {
    for var spec in [GeneratorSpec.small, .medium].map(\.withAllFeatures) + (0..<30).map({ GeneratorSpec.tiny(seed: $0).withAllFeatures }) {
        spec.planted = false
        let g = generateScenario(spec)
        #expect(g.planted == nil)
        let s = try g.scenario.validated().scenario
        #expect(!s.fixed.isEmpty && s.modality("project") != nil)
        // The fixed sessions alone keep every rule: no clash, nobody unavailable, limits respected.
        let fixedOnly = Timetable(scenario: s.name, status: .feasible, objective: nil, bound: nil, gap: nil, sessions: s.fixed.map { f in
            Timetable.Session(fixed: f.id, title: f.title, day: f.day.rawValue, block: f.block, length: f.length, teachers: f.teachers,
                              room: f.room, students: s.attendees(of: f))
        }, unmet: [])
        #expect(hardRuleProblems(fixedOnly, s, exact: false) == [], "\(spec.name)")
    }
}

@Test func featuresParseFromTheirNames() {
    #expect(GeneratorSpec.Features(parsing: "all") == .all)
    #expect(GeneratorSpec.Features(parsing: "none") == [])
    #expect(GeneratorSpec.Features(parsing: "fixed, Levels") == [.fixed, .levels])
    #expect(GeneratorSpec.Features(parsing: "fixed,levles") == nil)
    #expect(GeneratorSpec.Features.names.reduce(into: GeneratorSpec.Features()) { $0.formUnion($1.feature) } == .all)
    #expect(Set(GeneratorSpec.Features.names.map(\.feature.rawValue)).count == GeneratorSpec.Features.names.count)
}

/// Each new rule of HardRules.swift catches its own breach in a planted week with every feature.
@Test func ruleCheckCatchesBrokenFeatureRules() throws {
    let g = generateScenario(GeneratorSpec.medium.withAllFeatures)
    let s = g.scenario, planted = try #require(g.planted)
    func problems(_ t: Timetable, _ scenario: Scenario? = nil) -> String { hardRuleProblems(t, scenario ?? s).joined(separator: "\n") }
    let flexible = planted.sessions.indices.filter { !planted.sessions[$0].fixed }

    // A double block across lunch, or cut to one block.
    let p = try #require(flexible.first { planted.sessions[$0].length == 2 })
    var t = planted
    let lunch = try #require(s.blocks.firstIndex { $0.breakBefore })
    t.sessions[p].block = s.blocks[lunch - 1].id
    #expect(problems(t).contains("leave the day or span a break"))
    t = planted
    t.sessions[p].length = 1
    #expect(problems(t).contains("length 1, project takes 2"))

    // Levels too far apart in a levelled session.
    let l = try #require(flexible.first { planted.sessions[$0].students.count >= 2 && s.modality(planted.sessions[$0].modality)?.levelSpread != nil })
    let spread = try #require(s.modality(planted.sessions[l].modality)?.levelSpread)
    var changed = s
    func setNeed(_ student: String, of session: Timetable.Session, _ change: (inout Need) -> Void) {
        let i = changed.students.firstIndex { $0.id == student }!
        let n = changed.students[i].needs.firstIndex { $0.subject == session.subject && $0.modality == session.modality }!
        change(&changed.students[i].needs[n])
    }
    setNeed(planted.sessions[l].students[0], of: planted.sessions[l]) { $0.level = 1 }
    setNeed(planted.sessions[l].students[1], of: planted.sessions[l]) { $0.level = 2 + spread }
    #expect(problems(planted, changed).contains("differ by more than \(spread)"))

    // A request for a teacher who did not lead the session.
    let r = try #require(flexible.first { planted.sessions[$0].teacher != nil })
    let other = try #require(s.teachers.first { $0.id != planted.sessions[r].teacher }).id
    changed = s
    setNeed(planted.sessions[r].students[0], of: planted.sessions[r]) { $0.teacher = other }
    #expect(problems(planted, changed).contains("requested \(other)"))

    // Two students kept apart in one session.
    let a = planted.sessions[l]
    changed = s
    changed.students[changed.students.firstIndex { $0.id == a.students[0] }!].apart.append(a.students[1])
    #expect(problems(planted, changed).contains("\([a.students[0], a.students[1]].sorted()[0]) and"))

    // A fixed session dropped, or moved.
    let f = try #require(planted.sessions.firstIndex { $0.fixed && $0.room != nil })
    t = planted
    t.sessions.remove(at: f)
    #expect(problems(t).contains("fixed session \(planted.sessions[f].id!) is missing"))
    t = planted
    t.sessions[f].room = nil
    #expect(problems(t).contains("not as the scenario fixes it"))

    // A flexible session put on a fixed session's teacher, in the fixed session's blocks.
    let held = planted.sessions[f], busy = try #require(held.teachers?.first)
    t = planted
    t.sessions[r].day = held.day
    t.sessions[r].block = held.block
    t.sessions[r].teacher = busy
    #expect(problems(t).contains("teacher \(busy) double-booked at \(held.day).\(held.block)"))

    // Limits count blocks: a teacher's double block on a day counts twice towards max-per-day.
    let double = planted.sessions[p], lead = try #require(double.teacher)
    let thatDay = planted.sessions.filter { $0.day == double.day && $0.staff.contains(lead) }
    let blocks = thatDay.reduce(0) { $0 + $1.length }
    changed = s
    let ti = changed.teachers.firstIndex { $0.id == lead }!
    changed.teachers[ti].maxPerDay = thatDay.count
    #expect(problems(planted, changed).contains("\(lead): over max-per-day on \(double.day)"))
    changed.teachers[ti].maxPerDay = blocks
    #expect(!problems(planted, changed).contains("\(lead): over max-per-day on \(double.day)"))
    // And a student's: a fixed double lesson and a project both count two blocks.
    let pupil = double.students[0]
    let pupilDay = planted.sessions.filter { $0.day == double.day && $0.students.contains(pupil) }
    changed = s
    let si = changed.students.firstIndex { $0.id == pupil }!
    changed.students[si].maxPerDay = pupilDay.count
    #expect(problems(planted, changed).contains("\(pupil): over max-per-day on \(double.day)"))
    changed.students[si].maxPerDay = pupilDay.reduce(0) { $0 + $1.length }
    #expect(!problems(planted, changed).contains("\(pupil): over max-per-day on \(double.day)"))
}
