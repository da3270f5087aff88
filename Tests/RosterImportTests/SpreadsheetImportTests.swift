import Foundation
import ScenarioKit
import Testing
@testable import RosterImport

private let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
private let template = testsDirectory.appendingPathComponent("../../Scenarios/csv-template").standardized
private let corpus = testsDirectory.appendingPathComponent("Corpus/csv")
private let importsMarker = "(imports)"

/// A bad-sheet case: the template's files with some replaced by the case's own, and the problems
/// `flexsched import csv` must print for them in `expected`, one per line, file names without folders.
/// `FLEXSCHED_CORPUS_RECORD=1` rewrites the expected files from what the importer says now; review the diff.
struct SpreadsheetCase: Sendable, CustomTestStringConvertible {
    var name: String
    var directory: URL { corpus.appendingPathComponent(name) }
    var testDescription: String { "csv/\(name)" }

    func path(_ file: String) -> String {
        let own = directory.appendingPathComponent(file)
        return FileManager.default.fileExists(atPath: own.path) ? own.path : template.appendingPathComponent(file).path
    }

    func outcome() -> [String] {
        do {
            _ = try importSpreadsheets(week: path("WEEK.yaml"), needs: path("needs.csv"), teachers: path("teachers.csv"),
                                       students: path("students.csv"), rooms: path("rooms.csv"), outputFile: "week.yaml")
            return [importsMarker]
        } catch {
            return error.problems.map { problem in
                var shown = problem
                shown.file = URL(fileURLWithPath: problem.file).lastPathComponent
                return shown.description
            }
        }
    }
}

private let cases = ((try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []).sorted().map(SpreadsheetCase.init)

@Suite struct SpreadsheetImportTests {
    @Test func theTemplateImportsAsTheExampleScenario() throws {
        let imported = try importSpreadsheets(week: template.appendingPathComponent("WEEK.yaml").path,
                                              needs: template.appendingPathComponent("needs.csv").path,
                                              teachers: template.appendingPathComponent("teachers.csv").path,
                                              students: template.appendingPathComponent("students.csv").path,
                                              rooms: template.appendingPathComponent("rooms.csv").path, outputFile: "week.yaml").scenario.scenario
        var example = try ScenarioLoader.load(path: template.appendingPathComponent("../example.yaml").standardized.path).scenario
        example.teachers.sort { $0.id < $1.id }
        example.students.sort { $0.id < $1.id }
        #expect(imported == example)
        #expect(RosterChanges.between(old: example, new: imported).entries.isEmpty)
    }

    /// A part-time teacher's days, her breaks and her aim come from her row as the scenario keys do.
    @Test func teacherLimitsComeFromTheirColumns() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let teachers = dir.appendingPathComponent("teachers.csv").path
        try Data("""
            id,name,subjects,max-days,max-in-a-row,aim-per-week
            lee,Ms. Lee,math science,3,2,12
            garcia,Mr. Garcia,reading writing spanish,,,
            okafor,Dr. Okafor,science math,,,

            """.utf8).write(to: URL(fileURLWithPath: teachers))
        let file = { (name: String) in template.appendingPathComponent(name).path }
        let result = try importSpreadsheets(week: file("WEEK.yaml"), needs: file("needs.csv"), teachers: teachers,
                                            students: file("students.csv"), rooms: file("rooms.csv"), outputFile: "week.yaml")
        let lee = try #require(result.scenario.scenario.teachers.first { $0.id == "lee" })
        #expect(lee.maxDays == 3 && lee.maxInARow == 2 && lee.aimPerWeek == 12)
        #expect(result.scenario.scenario.teachers.first { $0.id == "garcia" }?.maxDays == nil)
    }

    @Test func theCorpusHasCases() { #expect(cases.count >= 10) }

    @Test(arguments: cases) func badSheetsGetTheirExactMessages(_ sample: SpreadsheetCase) throws {
        let expectedURL = sample.directory.appendingPathComponent("expected")
        let got = sample.outcome()
        if ProcessInfo.processInfo.environment["FLEXSCHED_CORPUS_RECORD"] == "1" {
            try (got.joined(separator: "\n") + "\n").write(to: expectedURL, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(got == expected)
    }

    @Test func aReimportNamesOnlyWhatTheSchoolChanged() throws {
        var before = try ScenarioLoader.load(path: template.appendingPathComponent("../example.yaml").standardized.path).scenario
        var after = before
        after.students.removeAll { $0.id == "omar-b" }
        after.teachers.append(Teacher(id: "ito", name: "Mr. Ito", subjects: ["math"]))
        after.students[0].needs[0].sessions = 1
        before.rooms[0].name = before.rooms[0].name
        let changes = RosterChanges.between(old: before, new: after).entries.map(\.description)
        #expect(changes == [
            "+ teacher ito: Mr. Ito",
            "- student omar-b: Omar B.",
            "~ student ana-p: needs math/tutoring×2 reading/small-group×1 -> math/tutoring×1 reading/small-group×1",
        ])
    }
}
