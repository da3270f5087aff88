import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WebApp

/// The API writes a key that has no value as `null` (a client sees every field every time), and
/// leaves out only what it documents as optional: a problem's column.
@Test func absentValuesAreWrittenAsNull() throws {
    func object(_ body: some Encodable) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(body)) as? [String: Any])
    }
    let scenario = try object(ScenarioBody(id: 1, school: 1, name: "Week A", version: 2, publishedRun: nil))
    #expect(scenario["publishedRun"] is NSNull && scenario["version"] as? Int == 2, "\(scenario)")
    #expect(try object(ScenarioBody(id: 1, school: 1, name: "Week A", version: 2, publishedRun: 7))["publishedRun"] as? Int == 7)
    let problem = try object(ErrorBody.Problem(file: "week.yaml", entity: "rooms[r1]", message: "no capacity", line: nil, column: nil))
    #expect(problem["line"] is NSNull && problem["column"] == nil && problem["file"] as? String == "week.yaml", "\(problem)")
}

/// What Python's `json.dumps` writes (`ensure_ascii`): names in five scripts, an emoji and a rare Han
/// character as surrogate pairs. The API reads it as the command line does.
let pythonJSONScenario = #"""
    {"name": "F\u00eate \ud83c\udf89 \u738b\u82b3", "days": ["mon"], "blocks": [{"id": "b1", "start": "08:00", "end": "08:50"}],
     "modalities": {"tutoring": {"min": 1, "max": 2, "teacher": true}},
     "teachers": [{"id": "t1", "name": "\u0414\u043c\u0438\u0442\u0440\u0438\u0439 \u0418\u0432\u0430\u043d\u043e\u0432", "subjects": ["math"]},
                  {"id": "t2", "name": "\u0641\u0627\u0637\u0645\u0629 \u0627\u0644\u0632\u0647\u0631\u0627\u0621", "subjects": ["math"]},
                  {"id": "t3", "name": "\u0905\u0928\u0928\u094d\u092f\u093e \u0936\u0930\u094d\u092e\u093e", "subjects": ["math"]},
                  {"id": "t4", "name": "\u0391\u03bb\u03ad\u03be\u03b1\u03bd\u03b4\u03c1\u03bf\u03c2", "subjects": ["math"]},
                  {"id": "t5", "name": "\ud842\udfb7\u7530", "subjects": ["math"]}],
     "rooms": [{"id": "r1", "capacity": 4}],
     "students": [{"id": "s1", "name": "Zo\u00eb \ud83d\udc69\u200d\ud83d\udd2c", "needs": [{"subject": "math", "modality": "tutoring", "sessions": 1}]}]}
    """#

@Test func jsonWithSurrogatePairEscapesUploadsThroughTheAPI() async throws {
    let server = try await TestServer.make()
    var headers = server.adminHeaders
    headers[.contentType] = "application/json"
    let sent = headers
    let name = try await server.test { client in
        try await client.execute(uri: "/api/v1/scenarios", method: .post, headers: sent, body: ByteBuffer(string: pythonJSONScenario)) { response in
            #expect(response.status == .created, "\(String(buffer: response.body))")
            return try object(response.body)["name"] as? String
        }
    }
    #expect(name == "Fête 🎉 王芳")
    let stored = try ScenarioService.validated(try await server.server.services.scenarios.latestVersion(scenarioID: 1, in: .all)).scenario
    #expect(stored.teachers.map(\.name) == ["Дмитрий Иванов", "فاطمة الزهراء", "अनन्या शर्मा", "Αλέξανδρος", "𠮷田"])
    #expect(stored.students.map(\.name) == ["Zoë 👩‍🔬"])
}
