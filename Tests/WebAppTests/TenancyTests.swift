import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import Testing
import WebApp

/// Schools as tenants through every route. Two schools solve the same example week; school B's
/// viewer and admin, by session and by API token, get for each of school A's ids exactly the answer
/// an id that exists nowhere gets, change nothing of A's, and list only B's. A district admin sees both.
@Suite(.timeLimit(.minutes(10))) struct TenancyTests {
    /// One school's rows, or ids that exist nowhere.
    struct Ids {
        var scenario: Int
        var run: Int
        var explanation: Int
    }

    struct Probe {
        var method: HTTPRequest.Method
        var uri: String
        var api: Bool
    }

    static let missing = Ids(scenario: 99_999, run: 99_999, explanation: 99_999)
    static let whatIf = #"{"changes": [{"name": "closed", "yaml": "rooms-close: {library: all}"}], "timeLimit": 3}"#
    /// Every page form's fields at once: each form reads the ones it knows.
    static let formFields = ["timeLimit": "5", "confirm": "yes", "action": "rotate", "kind": "teacher", "entity": "lee",
                             "changeName": "closed", "changeYAML": "rooms-close: {library: all}\n"]

    /// The requests that name a school's rows, for one registered route: none for a route that takes
    /// no id (lists and uploads, checked on their own) or that a private token opens (a capability).
    static func probes(_ route: String, _ ids: Ids) throws -> [Probe] {
        let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
        let method = try #require(HTTPRequest.Method(parts[0])), path = parts[1]
        guard path.contains("{"), !path.contains("{file}"), !path.contains("{token}") else { return [] }
        let uris: [String]
        if path == "/runs/{run}/{kind}/{id}" {
            uris = ["teachers/lee", "teachers/lee.ics", "days/mon", "download/sessions.csv", "download/timetable.json"].map { "/runs/\(ids.run)/\($0)" }
        } else if path.hasSuffix("/feeds/{kind}/{id}") || path.hasSuffix("/feeds/{kind}/{id}/rotate") {
            uris = [path.replacing("{kind}/{id}", with: "teacher/lee") + "?scenario=\(ids.scenario)"]
        } else {
            let id = path.contains("/explanations/") ? ids.explanation : ids.scenario
            uris = [path.replacing("{run}", with: "\(ids.run)").replacing("{id}", with: "\(id)")]
        }
        for uri in uris where uri.contains("{") { throw TestFailure("\(route) takes an id this test does not know how to give") }
        return uris.map { Probe(method: method, uri: $0, api: path.hasPrefix("/api/")) }
    }

    /// A caller of school B (or the district): a page session and an API token.
    struct Caller {
        var name: String
        var session: PageSession
        var token: String

        func request(_ probe: Probe) -> (HTTPFields, ByteBuffer) {
            if probe.api {
                var headers: HTTPFields = [.authorization: "Bearer \(token)"]
                guard probe.method == .post, probe.uri.hasSuffix("/whatif") else { return (headers, ByteBuffer()) }
                headers[.contentType] = "application/json"
                return (headers, ByteBuffer(string: TenancyTests.whatIf))
            }
            return probe.method == .post ? session.form(TenancyTests.formFields) : (session.headers, ByteBuffer())
        }
    }

    /// An answer as it may differ between two ids: not at all, but for the ids and each response's nonce.
    static func answer(_ client: some TestClientProtocol, _ caller: Caller, _ probe: Probe) async throws -> (HTTPResponse.Status, String) {
        let (headers, body) = caller.request(probe)
        return try await client.execute(uri: probe.uri, method: probe.method, headers: headers, body: body) { response in
            let text = String(buffer: response.body).replacing(/nonce-[A-Za-z0-9_-]+|nonce="[^"]*"/, with: "nonce")
            return (response.status, (response.headers[.contentType] ?? "") + "\n" + text.filter { !$0.isNumber })
        }
    }

    /// What school A's admin sees of A: it must be the same after B's attempts.
    static func snapshot(_ client: some TestClientProtocol, _ server: TestServer, _ a: Ids) async throws -> [String] {
        var seen: [String] = []
        for uri in ["/api/v1/scenarios", "/api/v1/scenarios/\(a.scenario)/runs", "/api/v1/scenarios/\(a.scenario)/feeds"] {
            seen.append(try await client.execute(uri: uri, method: .get, headers: server.adminHeaders) { String(buffer: $0.body) })
        }
        return seen
    }

    static func scenarioIDs(_ client: some TestClientProtocol, _ token: String) async throws -> [Int] {
        try await client.execute(uri: "/api/v1/scenarios", method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
            try #require(try json(response.body) as? [[String: Any]]).compactMap { $0["id"] as? Int }
        }
    }

    static func upload(_ client: some TestClientProtocol, _ token: String, query: String = "") async throws -> (HTTPResponse.Status, [String: Any]) {
        let headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/yaml"]
        return try await client.execute(uri: "/api/v1/scenarios" + query, method: .post, headers: headers,
                                        body: ByteBuffer(string: try bundledScenario("example.yaml"))) { ($0.status, try object($0.body)) }
    }

    @Test func schoolBGetsForSchoolAsIdsTheAnswerOfIdsThatDoNotExist() async throws {
        let server = try await TestServer.make(solver: NoAdviceSolver())
        let north = try #require(try await Accounts.addSchool(name: "North", store: server.store).id)
        let bea = try await Accounts.add(name: "bea", role: .schoolAdmin, schoolID: north, store: server.store, bcryptCost: 4)
        let bob = try await Accounts.add(name: "bob", role: .viewer, schoolID: north, store: server.store, bcryptCost: 4)
        let dora = try await Accounts.add(name: "dora", role: .districtAdmin, store: server.store, bcryptCost: 4)
        try await server.test { client in
            // School A (the server's first school, whose admin is ada): solved, published, explained.
            _ = try await publishedExample(client, server, try bundledScenario("example.yaml"))
            let explanation = try await client.execute(uri: "/api/v1/runs/1/explain", method: .post, headers: server.adminHeaders) { response in
                try #require(try object(response.body)["id"] as? Int)
            }
            let a = Ids(scenario: 1, run: 1, explanation: explanation)
            // School B: the same week under the same name is its own scenario, solved by its own admin.
            let (status, uploaded) = try await Self.upload(client, bea.apiToken)
            #expect(status == .created)
            let bScenario = try #require(uploaded["id"] as? Int)
            #expect(bScenario != a.scenario)
            try await client.execute(uri: "/api/v1/scenarios/\(bScenario)/runs", method: .post, headers: [.authorization: "Bearer \(bea.apiToken)"]) {
                #expect($0.status == .accepted)
            }
            try await client.execute(uri: "/api/v1/runs/2/events", method: .get, headers: [.authorization: "Bearer \(bea.apiToken)"]) {
                #expect(String(buffer: $0.body).contains(#""state":"done""#))
            }
            let before = try await Self.snapshot(client, server, a)

            let callers = [Caller(name: "B's viewer", session: try await signIn(client, server, as: bob), token: bob.apiToken),
                           Caller(name: "B's admin", session: try await signIn(client, server, as: bea), token: bea.apiToken)]
            var probed = 0
            for route in server.server.router().routes.map({ "\($0.method) \($0.path)" }).sorted() {
                for (probe, absent) in zip(try Self.probes(route, a), try Self.probes(route, Self.missing)) {
                    for caller in callers {
                        let (status, body) = try await Self.answer(client, caller, probe)
                        let (absentStatus, absentBody) = try await Self.answer(client, caller, absent)
                        #expect(status == absentStatus && body == absentBody, "\(caller.name): \(probe.method) \(probe.uri) answers \(status), \(absent.uri) \(absentStatus)")
                        #expect(status == .notFound || (status == .forbidden && caller.name == "B's viewer"), "\(caller.name): \(probe.method) \(probe.uri): \(status)")
                        probed += 1
                    }
                }
            }
            #expect(probed >= 50, "every route with an id was probed: \(probed)")

            // Uploads: into A's school, refused as a school that does not exist; without one, into B's own scenario.
            #expect(try await Self.upload(client, bea.apiToken, query: "?schoolID=1").0 == .notFound)
            #expect(try await Self.upload(client, bea.apiToken, query: "?schoolID=99999").0 == .notFound)
            let (again, second) = try await Self.upload(client, bea.apiToken)
            #expect(again == .created && second["id"] as? Int == bScenario && second["version"] as? Int == 2)
            let page = callers[1].session
            let (headers, body) = page.form(["scenario": try bundledScenario("example.yaml"), "schoolID": "1"])
            try await client.execute(uri: "/scenarios", method: .post, headers: headers, body: body) { #expect($0.status == .notFound) }
            #expect(try await Self.snapshot(client, server, a) == before, "nothing of school A changed")

            // Lists: B's own scenario only, on the API and on the page.
            for caller in callers { #expect(try await Self.scenarioIDs(client, caller.token) == [bScenario], "\(caller.name)'s list") }
            try await client.execute(uri: "/scenarios", method: .get, headers: callers[0].session.headers) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("href=\"/scenarios/\(bScenario)\"") && !text.contains("href=\"/scenarios/\(a.scenario)\""))
            }
            #expect(try await Self.scenarioIDs(client, server.admin.apiToken) == [a.scenario], "and A's admin sees only A's")

            // The district admin sees and reaches both, and must say which school an upload is for.
            #expect(try await Self.scenarioIDs(client, dora.apiToken) == [a.scenario, bScenario])
            let listed = try await client.execute(uri: "/api/v1/scenarios", method: .get, headers: [.authorization: "Bearer \(dora.apiToken)"]) {
                try json($0.body) as? [[String: Any]]
            }
            #expect(listed?.compactMap { $0["school"] as? Int } == [1, Int(north)], "each scenario says its school")
            let district = try await signIn(client, server, as: dora)
            for uri in ["/runs/1", "/runs/2", "/scenarios/\(a.scenario)/links", "/scenarios/\(bScenario)/links", "/explanations/\(explanation)"] {
                try await client.execute(uri: uri, method: .get, headers: district.headers) { #expect($0.status == .ok, "dora: \(uri)") }
            }
            try await client.execute(uri: "/scenarios", method: .get, headers: district.headers) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#"<option value="2">North</option>"#), "the upload form offers the schools")
                #expect(text.contains("· North") && text.contains("· School"), "and each scenario says its school")
            }
            let (unsaid, refusal) = try await Self.upload(client, dora.apiToken)
            #expect(unsaid == .badRequest && "\(refusal)".contains("schoolID"))
            let (said, stored) = try await Self.upload(client, dora.apiToken, query: "?schoolID=\(north)")
            #expect(said == .created && stored["id"] as? Int == bScenario)
        }
    }
}
