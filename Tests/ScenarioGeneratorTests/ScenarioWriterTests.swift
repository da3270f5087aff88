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
