import FlexschedTestSupport
import Foundation
@testable import flexsched
import Testing

private func scenarioFile(_ text: String) throws -> String {
    let path = NSTemporaryDirectory() + "flexsched-validate-\(UUID().uuidString).yaml"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

private let withTypo = """
name: Typo school
days: [mon, tue]
blocks: [{id: b1, start: "09:00", end: "09:45"}, {id: b2, start: "10:00", end: "10:45"}]
modalities: {tutoring: {min: 1, max: 2}}
teachers:
  - {id: lee, name: Ms. Lee, subjects: [math]}
  - {id: kim, name: Mr. Kim, subjects: [maths]}
rooms: [{id: r1, capacity: 2}]
students:
  - {id: ana, needs: [{subject: math, modality: tutoring, sessions: 2}]}
"""

@Test func validatePrintsTypoWarningsAfterTheSummaryAndStillExitsZero() throws {
    let path = try scenarioFile(withTypo)
    #expect(try run(["validate", path]) == 0)
    #expect(try Validate.parse([path]).output() == """
        \(path): valid scenario "Typo school"
          2 day(s) x 2 blocks, 2 teachers, 1 rooms
          1 students with 1 needs, 2 sessions to schedule
        warnings (allowed, but probably not meant):
          \(path):7: teachers[kim]: teaches `maths`, which no student needs — did you mean `math`?

        """)
}

@Test func validateJSONListsTheTypoWarnings() throws {
    let path = try scenarioFile(withTypo)
    let json = try Validate.parse([path, "--json"]).output()
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let warnings = try #require(object["inputWarnings"] as? [[String: Any]])
    #expect(warnings.count == 1)
    #expect(warnings.first?["line"] as? Int == 7)
    #expect(warnings.first?["entity"] as? String == "teachers[kim]")
    #expect(warnings.first?["message"] as? String == "teaches `maths`, which no student needs — did you mean `math`?")
}

@Test func aCleanScenarioHasNoWarningsHeading() throws {
    let path = try scenarioFile(withTypo.replacingOccurrences(of: "[maths]", with: "[math]"))
    #expect(try !Validate.parse([path]).output().contains("warnings"))
    #expect(Validate.warningsText([]) == "")
}

@Test func aRejectedFileStillExitsTwo() throws {
    let path = try scenarioFile(withTypo.replacingOccurrences(of: "  - {id: lee, name: Ms. Lee, subjects: [math]}\n", with: ""))
    #expect(try run(["validate", path]) == 2)
}
