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

    @Test func studentSettingsReachTheirStudentsAndBadRowsAreNamed() throws {
        let imported = try importOneRoster(directory: sample + "/district", school: "CVMS", term: nil, week: sample + "/WEEK.yaml",
                                           needs: sample + "/NEEDS.csv", studentSettings: sample + "/STUDENTS.csv",
                                           outputFile: "cvms.yaml").scenario.scenario
        // Rows name students by student number; the scenario knows them by sourcedId.
        #expect(imported.students.filter { $0.requires == ["accessible"] }.count == 3)
        #expect(imported.students.filter { !$0.unavailable.isEmpty }.count == 4)
        #expect(imported.students.filter { !$0.apart.isEmpty }.count == 1)

        let directory = NSTemporaryDirectory() + "flexsched-settings-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "student,requires,max-per-day,apart\n240472,accessible,,\n999999,accessible,,\n240332,,lots,240193x\n240472,,,\n"
            .write(toFile: directory + "/STUDENTS.csv", atomically: true, encoding: .utf8)
        do {
            _ = try importOneRoster(directory: sample + "/district", school: "CVMS", term: nil, week: sample + "/WEEK.yaml",
                                    needs: sample + "/NEEDS.csv", studentSettings: directory + "/STUDENTS.csv", outputFile: "cvms.yaml")
            Issue.record("bad student settings were accepted")
        } catch {
            #expect(error.problems.map { "\($0.line ?? 0):\($0.column ?? 0) \($0.message.prefix(30))" } == [
                "3:1 no student `999999` in the ros",
                "4:4 no student `240193x` in the ro",
                "4:3 `lots` is not a whole number f",
                "5:1 a second row for `240472` (the",
            ])
        }
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
