import Foundation
import ScenarioKit
import Testing
@testable import RosterImport

private let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Scenarios/oneroster-sample").standardized.path

@Suite struct OneRosterImportTests {
    private func importSample(week: String = sample + "/WEEK.yaml") throws(InputError) -> Scenario {
        try importOneRoster(directory: sample + "/district", school: "CVMS", term: nil, week: week, needs: sample + "/NEEDS.csv",
                            outputFile: "cvms.yaml").scenario.scenario
    }

    @Test func teachersTeachTheMappedSubjectsOfTheirClassesAndKeepTheTemplatesSettings() throws {
        let scenario = try importSample()
        #expect(Set(scenario.teachers.flatMap(\.subjects)) == ["math", "reading", "science", "history", "spanish"])
        let rossi = try #require(scenario.teachers.first { $0.id == "90ae0233-6dac-49d4-a560-679e52945896" })
        #expect(rossi.maxPerWeek == 20)
        #expect(scenario.term?.start == LocalDate(year: 2027, month: 1, day: 11))
    }

    @Test func aSubjectTheMapLacksIsOneProblemListingEveryValue() throws {
        let directory = NSTemporaryDirectory() + "flexsched-map-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let week = try String(contentsOfFile: sample + "/WEEK.yaml", encoding: .utf8)
            .replacingOccurrences(of: "  Science: science\n", with: "").replacingOccurrences(of: "  World Languages: spanish\n", with: "")
        try week.write(toFile: directory + "/WEEK.yaml", atomically: true, encoding: .utf8)
        do {
            _ = try importSample(week: directory + "/WEEK.yaml")
            Issue.record("a roster subject missing from the map was accepted")
        } catch {
            let messages = error.problems.map(\.message)
            #expect(messages.count == 1)
            let mapStart = week.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("  Mathematics:") }.map { $0 + 1 }
            #expect(error.problems.first?.line == mapStart, "at the `subjects` map")
            #expect(messages.first?.hasPrefix("the roster's classes use subject values the map does not name: `Science` (taught by ") == true)
            #expect(messages.first?.contains("`World Languages` (taught by ") == true)
            #expect(messages.first?.hasSuffix("add each as `VALUE: subject-id`") == true)
        }
    }
}
