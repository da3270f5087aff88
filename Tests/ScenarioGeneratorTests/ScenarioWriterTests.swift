import Testing
import ScenarioKit
import ScenarioGenerator

@Test(arguments: [GeneratorSpec.small, .medium, .large, .xl, .tiny(seed: 5)], [true, false])
func generatedScenariosRoundTrip(spec: GeneratorSpec, planted: Bool) throws {
    var spec = spec
    spec.planted = planted
    let scenario = generateScenario(spec).scenario
    #expect(try ScenarioLoader.parse(scenario.yamlText(), file: "gen.yaml").scenario == scenario)
}

@Test func trickyTextRoundTrips() throws {
    let names = ["Zoë: the \"quiet\" one", "# not a comment", "O'Brien, Pat", "  leading spaces", "trailing ",
                 "null", "~", "yes", "08:30", "[brackets] & {braces}", "- dash", "tab\there", "line\nbreak",
                 "back\\slash", "日本語の名前", "emoji 🎒", "?question", "*star", "@at", "`tick`", "100", "a: b", "%pct"]
    let scenario = Scenario(
        name: "Ünïcode: Riverside — \"Test\" #1", timezone: "Europe/Berlin",
        term: Term(start: LocalDate(year: 2027, month: 1, day: 11), end: LocalDate(year: 2027, month: 3, day: 26)),
        days: [.mon, .sat], blocks: [Block(id: "early", start: ClockTime(hour: 7, minute: 5), end: ClockTime(hour: 8, minute: 0))],
        modalities: [Modality(id: "tutoring", min: 1, max: 3, teacher: true),
                     Modality(id: "solo", min: 1, max: 1, teacher: false, roomFeatures: ["quiet zone", "a,b"])],
        teachers: names.enumerated().map { i, n in
            Teacher(id: "t\(i)", name: n, subjects: ["math: advanced", "art"], unavailable: [.day(.sat), .block(.mon, "early")],
                    maxPerDay: 1, maxPerWeek: 2)
        },
        rooms: [Room(id: "r1", name: "Room #1, east", capacity: 10, features: ["quiet zone", "a,b", "accessible"], unavailable: [.day(.sat)])],
        students: names.enumerated().map { i, n in
            Student(id: "s\(i)", name: n, needs: [Need(subject: "math: advanced", modality: "tutoring", sessions: 2),
                                                   Need(subject: "art", modality: "solo", sessions: 1)],
                    unavailable: [.block(.sat, "early")], requires: ["accessible"], maxPerDay: 2)
        } + [Student(id: "empty", name: "", needs: [])])
    let text = scenario.yamlText()
    #expect(try ScenarioLoader.parse(text, file: "tricky.yaml").scenario == scenario, "\(text)")
}

@Test func layoutIsCompactFlowStyle() {
    let text = generateScenario(.small).scenario.yamlText()
    #expect(text.contains("\n  - {id: b1, start: \"08:30\", end: \"09:15\"}\n"))
    #expect(text.contains("\n  small-group: {min: 3, max: 6, teacher: true, room-features: [collaboration]}\n"))
    #expect(text.contains("\n      - {subject: "))
    #expect(!text.contains("max-per-week") && !text.contains("term:"))  // nil and empty keys are left out
}

@Test func everyV11KeyRoundTrips() throws {
    let t = { (h: Int, m: Int) in ClockTime(hour: h, minute: m) }
    let scenario = Scenario(
        name: "v1.1", timezone: "UTC", days: [.mon, .tue],
        blocks: [Block(id: "b1", start: t(8, 30), end: t(9, 15)), Block(id: "b2", start: t(9, 20), end: t(10, 5)),
                 Block(id: "b3", start: t(11, 0), end: t(11, 45), breakBefore: true)],
        modalities: [Modality(id: "tutoring", min: 1, max: 3, teacher: true),
                     Modality(id: "project", min: 2, max: 4, teacher: true, roomFeatures: ["collaboration"], length: 2, levelSpread: 0),
                     Modality(id: "study", min: 1, max: 8, teacher: false)],
        teachers: [Teacher(id: "lee", name: "Ms. Lee", subjects: ["reading", "math"], preferNot: [.block(.tue, "b3"), .day(.mon)]),
                   Teacher(id: "kim", name: "Mr. Kim", subjects: ["math"])],
        rooms: [Room(id: "r101", name: "Room 101", capacity: 8, features: ["collaboration"])],
        students: [
            Student(id: "ana", name: "Ana", needs: [
                Need(subject: "reading", modality: "tutoring", sessions: 3, priority: .mandated, teacher: "lee"),
                Need(subject: "math", modality: "project", sessions: 1, priority: .low, preferTeachers: ["kim", "lee"], level: 0),
                Need(subject: "math", modality: "study", sessions: 1, priority: .high, level: 1000),
            ], apart: ["ben"]),
            Student(id: "ben", name: "Ben", needs: [Need(subject: "math", modality: "project", sessions: 1, level: 4)]),
            Student(id: "dan", name: "Dan", needs: []),
        ],
        groups: [StudentGroup(id: "grade6", students: ["ana", "ben"]), StudentGroup(id: "empty", students: [])],
        fixed: [FixedSession(id: "advisory-6", title: "Advisory: grade 6", day: .mon, block: "b1", length: 2, teachers: ["lee", "kim"],
                             room: "r101", students: ["dan"], groups: ["grade6"]),
                FixedSession(id: "duty", title: "duty", day: .tue, block: "b3")])
    let text = scenario.yamlText()
    #expect(try ScenarioLoader.parse(text, file: "v11.yaml").scenario == scenario, "\(text)")
    // Defaults stay unwritten.
    #expect(!text.contains("priority: normal") && !text.contains("length: 1") && !text.contains("break-before: false"))
}
