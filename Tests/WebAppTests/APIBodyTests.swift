import Foundation
import Testing
@testable import WebApp

/// The API writes a key that has no value as `null` (a client sees every field every time), and
/// leaves out only what it documents as optional: a problem's column.
@Test func absentValuesAreWrittenAsNull() throws {
    func object(_ body: some Encodable) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(body)) as? [String: Any])
    }
    let scenario = try object(ScenarioBody(id: 1, name: "Week A", version: 2, publishedRun: nil))
    #expect(scenario["publishedRun"] is NSNull && scenario["version"] as? Int == 2, "\(scenario)")
    #expect(try object(ScenarioBody(id: 1, name: "Week A", version: 2, publishedRun: 7))["publishedRun"] as? Int == 7)
    let problem = try object(ErrorBody.Problem(file: "week.yaml", entity: "rooms[r1]", message: "no capacity", line: nil, column: nil))
    #expect(problem["line"] is NSNull && problem["column"] == nil && problem["file"] as? String == "week.yaml", "\(problem)")
}
