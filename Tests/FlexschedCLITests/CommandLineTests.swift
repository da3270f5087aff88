import FlexschedTestSupport
import Foundation
@testable import flexsched
import ScenarioKit
import TimetableChecker
import TimetableFormat
import Testing

private func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "flexsched-cli-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

private func write(_ text: String, to path: String) throws {
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}


private let scenarioYAML = """
name: CLI school
days: [mon, tue]
blocks: [{id: b1, start: "09:00", end: "09:45"}, {id: b2, start: "10:00", end: "10:45"}]
modalities: {tutoring: {min: 1, max: 2}}
teachers: [{id: lee, name: Ms. Lee, subjects: [math]}]
rooms: [{id: r1, capacity: 2}]
students:
  - {id: ana, needs: [{subject: math, modality: tutoring, sessions: 2}]}
  - {id: ben, needs: [{subject: math, modality: tutoring, sessions: 1}]}
"""

@Test func solveWritesACheckedTimetableAndGrids() throws {
    let dir = temporaryDirectory()
    try write(scenarioYAML, to: dir + "/s.yaml")
    #expect(try run(["solve", dir + "/s.yaml", "--out", dir + "/out", "--time-limit", "10", "--quiet"]) == 0)
    let timetable = try Timetable.load(path: dir + "/out/timetable.json")
    let scenario = try ScenarioLoader.load(path: dir + "/s.yaml")
    #expect(checkTimetable(timetable, against: scenario).isEmpty)
    #expect(timetable.unmet.isEmpty)
    for report in ["timetable.md", "timetable.html"] {
        #expect(try String(contentsOfFile: dir + "/out/" + report, encoding: .utf8).contains("Ms. Lee"), "\(report)")
    }
    #expect(try run(["check", dir + "/s.yaml", dir + "/out/timetable.json"]) == 0)
}

@Test func exportHTMLWritesOnlyACheckedTimetable() throws {
    let dir = temporaryDirectory()
    try write(scenarioYAML, to: dir + "/s.yaml")
    let both = Timetable.Session(day: "mon", block: "b1", subject: "math", modality: "tutoring", teacher: "lee", room: "r1", students: ["ana", "ben"])
    var good = Timetable(scenario: "CLI school", status: .optimal, objective: 0, bound: 0, gap: 0, sessions: [both], unmet: [])
    good.sessions.append(.init(day: "tue", block: "b1", subject: "math", modality: "tutoring", teacher: "lee", room: "r1", students: ["ana"]))
    try good.jsonData().write(to: URL(fileURLWithPath: dir + "/good.json"))
    // Ms. Lee, Room 1 and Ana twice in one block break hard rules.
    var broken = good
    broken.sessions[1].day = "mon"; broken.sessions[1].block = "b1"
    try broken.jsonData().write(to: URL(fileURLWithPath: dir + "/broken.json"))
    try write("{\"scenario\": 3}", to: dir + "/garbage.json")

    #expect(try run(["export", "html", dir + "/s.yaml", dir + "/broken.json", "--out", dir + "/out"]) == 1)
    #expect(try run(["export", "html", dir + "/s.yaml", dir + "/garbage.json", "--out", dir + "/out"]) == 2)
    #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
    #expect(try run(["export", "html", dir + "/s.yaml", dir + "/good.json", "--out", dir + "/out"]) == 0)
    let page = try String(contentsOfFile: dir + "/out/timetable.html", encoding: .utf8)
    #expect(page.contains("id=\"teacher-lee\"") && page.contains("id=\"student-ben\""))
}

@Test func badScenarioExitsTwoAndWritesNothing() throws {
    let dir = temporaryDirectory()
    try write(scenarioYAML.replacingOccurrences(of: "max: 2", with: "max: 0"), to: dir + "/bad.yaml")
    #expect(try run(["solve", dir + "/bad.yaml", "--out", dir + "/out"]) == 2)
    #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
    #expect(try run(["validate", dir + "/bad.yaml"]) == 2)
    #expect(try run(["validate", dir + "/missing.yaml"]) == 2)
}

@Test func jsonWithSurrogatePairEscapesValidates() throws {
    // `{"name": "\ud83c\udf89"}` is Python's json.dumps of "🎉": valid JSON that YAML's own `\u` refuses.
    let dir = temporaryDirectory()
    let json = #"{"name": "F\u00eate \ud83c\udf89", "days": ["mon"], "blocks": [{"id": "b1", "start": "08:00", "end": "08:50"}], "#
        + #""modalities": {"tutoring": {"min": 1, "max": 2}}, "teachers": [{"id": "lee", "name": "\u738b\u82b3 \ud842\udfb7", "subjects": ["math"]}], "#
        + #""rooms": [{"id": "r1", "capacity": 4}], "students": []}"#
    try write(json, to: dir + "/party.json")
    #expect(try run(["validate", dir + "/party.json"]) == 0)
}

@Test func writeModelWaitsUntilTheInputIsKnownToBeGood() throws {
    let dir = temporaryDirectory()
    try write(scenarioYAML.replacingOccurrences(of: "max: 2", with: "max: 0"), to: dir + "/bad.yaml")
    #expect(try run(["solve", dir + "/bad.yaml", "--write-model", dir + "/bad.mps", "--quiet"]) == 2)
    #expect(!FileManager.default.fileExists(atPath: dir + "/bad.mps"))

    try write(scenarioYAML, to: dir + "/s.yaml")
    #expect(try run(["solve", dir + "/s.yaml", "--out", dir + "/out", "--write-model", dir + "/s.mps", "--time-limit", "10", "--quiet"]) == 0)
    #expect(FileManager.default.fileExists(atPath: dir + "/s.mps"))
    // A pin is only checked against the scenario by the solve, after the scenario itself has loaded.
    #expect(try run(["solve", dir + "/s.yaml", "--baseline", dir + "/out/timetable.json", "--pin", "teacher:nobody",
                     "--write-model", dir + "/pinned.mps", "--quiet"]) == 2)
    #expect(!FileManager.default.fileExists(atPath: dir + "/pinned.mps"))
}

@Test func checkListsViolationsAndExitsOne() throws {
    let dir = temporaryDirectory()
    try write(scenarioYAML, to: dir + "/s.yaml")
    let broken = Timetable(scenario: "CLI school", status: .feasible, objective: nil, bound: nil, gap: nil, sessions: [
        .init(day: "mon", block: "b1", subject: "math", modality: "tutoring", teacher: "lee", room: "r1", students: ["ana"]),
        .init(day: "mon", block: "b2", subject: "math", modality: "tutoring", teacher: "lee", room: "r1", students: ["ana"]),
    ], unmet: [])
    try broken.jsonData().write(to: URL(fileURLWithPath: dir + "/t.json"))
    #expect(try run(["check", dir + "/s.yaml", dir + "/t.json"]) == 1)
    try write("{\"scenario\": 3}", to: dir + "/garbage.json")
    #expect(try run(["check", dir + "/s.yaml", dir + "/garbage.json"]) == 2)
}

@Test func optionsAreValidatedBeforeSolving() {
    #expect(throws: (any Error).self) { try Flexsched.parseAsRoot(["solve", "x.yaml", "--time-limit", "-1"]) }
    #expect(throws: (any Error).self) { try Flexsched.parseAsRoot(["solve", "x.yaml", "--gap", "2"]) }
}
