import FlexschedTestSupport
import Foundation
import ScenarioKit
import Testing

private let template = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Scenarios/csv-template").standardized.path

private func importArguments(needs: String, out: String) -> [String] {
    ["import", "csv", "--week", template + "/WEEK.yaml", "--teachers", template + "/teachers.csv", "--rooms", template + "/rooms.csv",
     "--students", template + "/students.csv", "--needs", needs, "--out", out]
}

@Test func importCSVWritesAScenarioThatValidatesOrNothingAtAll() throws {
    let dir = NSTemporaryDirectory() + "flexsched-import-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    #expect(try run(importArguments(needs: template + "/needs.csv", out: dir + "/week.yaml")) == 0)
    #expect(try run(["validate", dir + "/week.yaml"]) == 0)
    let written = try String(contentsOfFile: dir + "/week.yaml", encoding: .utf8)

    // A bad needs sheet: exit 2, and the earlier import is left exactly as it was.
    let bad = try String(contentsOfFile: template + "/needs.csv", encoding: .utf8).replacingOccurrences(of: "ana-p,math", with: "ana-q,math")
    try bad.write(toFile: dir + "/needs.csv", atomically: true, encoding: .utf8)
    #expect(try run(importArguments(needs: dir + "/needs.csv", out: dir + "/week.yaml")) == 2)
    #expect(try String(contentsOfFile: dir + "/week.yaml", encoding: .utf8) == written)
    #expect(try run(importArguments(needs: dir + "/needs.csv", out: dir + "/other.yaml")) == 2)
    #expect(!FileManager.default.fileExists(atPath: dir + "/other.yaml"))
}

/// The README's path on the bundled district: import one school, solve it, and the timetable passes
/// the independent check. A work limit (not a time limit) keeps it deterministic on busy machines.
@Test func theSampleDistrictImportsAndSolvesToACheckedTimetable() throws {
    let sample = URL(fileURLWithPath: template).deletingLastPathComponent().appendingPathComponent("oneroster-sample").path
    let dir = NSTemporaryDirectory() + "flexsched-oneroster-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    #expect(try run(["import", "oneroster", sample + "/district", "--school", "CVMS", "--week", sample + "/WEEK.yaml",
                     "--needs", sample + "/NEEDS.csv", "--students", sample + "/STUDENTS.csv", "--out", dir + "/cvms.yaml"]) == 0)
    let scenario = try ScenarioLoader.load(path: dir + "/cvms.yaml").scenario
    #expect(scenario.students.count == 80 && scenario.teachers.count == 11)
    #expect(scenario.students.filter { $0.requires.contains("accessible") }.count == 3)
    #expect(try run(["solve", dir + "/cvms.yaml", "--out", dir + "/out", "--max-subproblems", "4", "--quiet"]) == 0)
    #expect(try run(["check", dir + "/cvms.yaml", dir + "/out/timetable.json"]) == 0)
    // The district holds two schools: without --school the importer must ask which.
    #expect(try run(["import", "oneroster", sample + "/district", "--week", sample + "/WEEK.yaml",
                     "--needs", sample + "/NEEDS.csv", "--out", dir + "/any.yaml"]) == 2)
    #expect(!FileManager.default.fileExists(atPath: dir + "/any.yaml"))
}
