import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WebApp

/// Every API call with a good and a bad request, and who may make it.
@Suite(.timeLimit(.minutes(10))) struct APIRouteTests {
    static let yaml: HTTPFields = [.contentType: "application/yaml"]

    func upload(_ client: some TestClientProtocol, _ server: TestServer, _ text: String) async throws -> [String: Any] {
        var headers = server.adminHeaders
        headers[.contentType] = "application/yaml"
        return try await client.execute(uri: "/api/v1/scenarios", method: .post, headers: headers, body: ByteBuffer(string: text)) { response in
            #expect(response.status == .created, "\(String(buffer: response.body))")
            return try object(response.body)
        }
    }

    /// Waits for the run's event stream to end and returns its final state.
    func finish(_ client: some TestClientProtocol, _ server: TestServer, run: Int) async throws -> String {
        try await client.execute(uri: "/api/v1/runs/\(run)/events", method: .get, headers: server.adminHeaders) { response in
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/event-stream")
            let text = String(buffer: response.body)
            guard let last = text.components(separatedBy: "event: done\ndata: ").last, text.contains("event: done") else {
                throw TestFailure("the stream ended without a done event: \(text)")
            }
            return try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: String])["state"] ?? ""
        }
    }

    func startRun(_ client: some TestClientProtocol, _ server: TestServer, scenario: Int, body: String) async throws -> Int {
        try await client.execute(uri: "/api/v1/scenarios/\(scenario)/runs", method: .post, headers: server.adminHeaders,
                                 body: ByteBuffer(string: body)) { response in
            #expect(response.status == .accepted, "\(String(buffer: response.body))")
            return try #require(try object(response.body)["run"] as? Int)
        }
    }

    @Test func uploadingAScenarioMakesVersionsAndBadOnesListTheirProblems() async throws {
        let server = try await TestServer.make()
        let example = try bundledScenario("example.yaml")
        try await server.test { client in
            let first = try await upload(client, server, example)
            #expect(first["version"] as? Int == 1)
            #expect((first["warnings"] as? [String])?.contains { $0.contains("maker-lab") } == true)
            let second = try await upload(client, server, example)
            #expect(second["version"] as? Int == 2)
            #expect(second["id"] as? Int == first["id"] as? Int)

            // JSON is read by the same loader.
            var headers = server.adminHeaders
            headers[.contentType] = "application/json"
            try await client.execute(uri: "/api/v1/scenarios", method: .post, headers: headers,
                                     body: ByteBuffer(string: #"{"name": "json week", "days": ["mon"]}"#)) { response in
                #expect(response.status == .unprocessableContent)
                let problems = try problems(response.body)
                #expect(problems.contains { ($0["message"] as? String)?.contains("blocks") == true })
            }

            // A broken file: every problem with its line, and nothing stored.
            let broken = example.replacingOccurrences(of: "capacity: 24", with: "capacity: -24").replacingOccurrences(of: "days: [mon, wed]", with: "days: [mon, wed, funday]")
            headers[.contentType] = "application/yaml"
            try await client.execute(uri: "/api/v1/scenarios", method: .post, headers: headers, body: ByteBuffer(string: broken)) { response in
                #expect(response.status == .unprocessableContent)
                let problems = try problems(response.body)
                #expect(problems.count >= 2)
                #expect(problems.allSatisfy { $0["line"] is Int && $0["entity"] is String && $0["message"] is String })
            }
            try await client.execute(uri: "/api/v1/scenarios", method: .get, headers: server.adminHeaders) { response in
                let list = try #require(try json(response.body) as? [[String: Any]])
                #expect(list.count == 1)
                #expect(list.first?["version"] as? Int == 2)
            }
            // Neither YAML nor JSON.
            headers[.contentType] = "text/plain"
            try await client.execute(uri: "/api/v1/scenarios", method: .post, headers: headers, body: ByteBuffer(string: example)) { response in
                #expect(response.status == .unsupportedMediaType)
            }
        }
    }

    @Test func withoutATokenNothingAnswersAndOnlyAdminsChangeAnything() async throws {
        let server = try await TestServer.make()
        let example = try bundledScenario("example.yaml")
        try await server.test { client in
            let routes: [(String, HTTPRequest.Method)] = [
                ("/api/v1/scenarios", .post), ("/api/v1/scenarios", .get), ("/api/v1/scenarios/1/runs", .post), ("/api/v1/scenarios/1/feeds", .get),
                ("/api/v1/runs/1", .get), ("/api/v1/runs/1/events", .get), ("/api/v1/runs/1", .delete), ("/api/v1/runs/1/publish", .post),
                ("/api/v1/feeds/teacher/lee/rotate", .post), ("/api/v1/runs/1/explain", .post), ("/api/v1/explanations/1", .get),
            ]
            for (uri, method) in routes {
                try await client.execute(uri: uri, method: method, headers: [.contentType: "application/yaml"], body: ByteBuffer(string: example)) { response in
                    #expect(response.status == .unauthorized, "\(method) \(uri)")
                }
                try await client.execute(uri: uri, method: method, headers: [.authorization: "Bearer not-a-token", .contentType: "application/yaml"],
                                         body: ByteBuffer(string: example)) { response in
                    #expect(response.status == .unauthorized, "\(method) \(uri) with a wrong token")
                }
            }
            // A signed-in non-admin may look but not change.
            var headers = server.viewerHeaders
            headers[.contentType] = "application/yaml"
            for (uri, method) in routes where method != .get {
                try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: example)) { response in
                    #expect(response.status == .forbidden, "\(method) \(uri) by a non-admin")
                }
            }
            try await client.execute(uri: "/api/v1/scenarios", method: .get, headers: server.viewerHeaders) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func anUploadOverTheLimitIsRefusedWith413() async throws {
        let server = try await TestServer.make(maxUpload: 4_096)
        try await server.test { client in
            var headers = server.adminHeaders
            headers[.contentType] = "application/yaml"
            let big = "name: big\n" + String(repeating: "# padding line\n", count: 400)
            try await client.execute(uri: "/api/v1/scenarios", method: .post, headers: headers, body: ByteBuffer(string: big)) { response in
                #expect(response.status == .contentTooLarge)
            }
            try await client.execute(uri: "/api/v1/scenarios", method: .get, headers: server.adminHeaders) { response in
                let list = try json(response.body) as? [Any]
                #expect(list?.isEmpty == true)
            }
        }
    }

    @Test func explainIsAJobThatOnlyAdminsStartAndAnyoneSignedInFollows() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let scenario = try #require(try await upload(client, server, try bundledScenario("example.yaml"))["id"] as? Int)
            let run = try await startRun(client, server, scenario: scenario, body: #"{"timeLimit": 5}"#)
            #expect(try await finish(client, server, run: run) == "done")
            try await client.execute(uri: "/api/v1/runs/\(run)/explain", method: .post, headers: server.viewerHeaders) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/api/v1/runs/999/explain", method: .post, headers: server.adminHeaders) { #expect($0.status == .notFound) }
            let location = try await client.execute(uri: "/api/v1/runs/\(run)/explain", method: .post, headers: server.adminHeaders) { response in
                #expect(response.status == .accepted)
                #expect(try object(response.body)["state"] as? String == "queued")
                return try #require(response.headers[.location])
            }
            let answer = try await eventually("explanation \(location) to finish") { () async throws -> [String: Any]? in
                try await client.execute(uri: location, method: .get, headers: server.viewerHeaders) { response in
                    let body = try object(response.body)
                    return ["queued", "running"].contains(body["state"] as? String ?? "") ? nil : body
                }
            }
            // The example meets every need: nothing to try, and nothing suggested.
            #expect(answer["state"] as? String == "done" && answer["run"] as? Int == run && answer["unmet"] as? Bool == false)
            #expect((answer["suggestions"] as? [Any])?.isEmpty == true)
            try await client.execute(uri: "/api/v1/explanations/999", method: .get, headers: server.adminHeaders) { #expect($0.status == .notFound) }
        }
    }

    /// End to end with the real solver.
    @Test func aRunSolvesChecksAndPublishesAndFeedsServeIt() async throws {
        let server = try await TestServer.make(solver: SchedulerSolver())
        let example = try bundledScenario("example.yaml")
        try await server.test { client in
            let scenario = try #require(try await upload(client, server, example)["id"] as? Int)
            // Bad run requests.
            for body in [#"{"timeLimit": "soon"}"#, #"{"timeLimit": 0}"#, #"{"timeLimit": 100000}"#, #"{"timelimit": 5}"#, "[1]"] {
                try await client.execute(uri: "/api/v1/scenarios/\(scenario)/runs", method: .post, headers: server.adminHeaders,
                                         body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .badRequest, "\(body)")
                }
            }
            try await client.execute(uri: "/api/v1/scenarios/999/runs", method: .post, headers: server.adminHeaders,
                                     body: ByteBuffer(string: #"{"timeLimit": 5}"#)) { response in
                #expect(response.status == .notFound)
            }
            let run = try await startRun(client, server, scenario: scenario, body: #"{"timeLimit": 20}"#)
            #expect(try await finish(client, server, run: run) == "done")
            try await client.execute(uri: "/api/v1/runs/\(run)", method: .get, headers: server.adminHeaders) { response in
                let body = try object(response.body)
                #expect(body["state"] as? String == "done")
                #expect(body["requestedBy"] as? String == "ada")
                let timetable = try #require(body["timetable"] as? [String: Any])
                #expect((timetable["sessions"] as? [Any])?.isEmpty == false)
                #expect((body["progress"] as? [String: Any])?["unmetSessions"] is Int)
            }
            for uri in ["/api/v1/runs/999", "/api/v1/runs/999/events", "/api/v1/runs/x", "/api/v1/scenarios/999/runs"] {
                try await client.execute(uri: uri, method: .get, headers: server.adminHeaders) { response in
                    #expect(response.status == .notFound, "\(uri)")
                }
            }
            // A finished run cannot be cancelled; an unknown one cannot be published.
            try await client.execute(uri: "/api/v1/runs/\(run)", method: .delete, headers: server.adminHeaders) { response in
                #expect(response.status == .conflict)
            }
            try await client.execute(uri: "/api/v1/runs/999/publish", method: .post, headers: server.adminHeaders) { response in
                #expect(response.status == .notFound)
            }
            // Before publication a link shows nothing.
            let feeds = try await client.execute(uri: "/api/v1/scenarios/\(scenario)/feeds", method: .get, headers: server.adminHeaders) { response in
                try #require(try json(response.body) as? [[String: Any]])
            }
            #expect(Set(feeds.compactMap { $0["kind"] as? String }) == ["teacher", "student", "room"])
            let lee = try #require(feeds.first { $0["kind"] as? String == "teacher" && $0["id"] as? String == "lee" })
            let leeURL = try #require(lee["url"] as? String)
            let leePath = String(leeURL.drop { $0 != "/" }.dropFirst(2).drop { $0 != "/" })
            try await client.execute(uri: leePath, method: .get) { response in #expect(response.status == .notFound) }

            let published = try await client.execute(uri: "/api/v1/runs/\(run)/publish", method: .post, headers: server.adminHeaders) { response in
                #expect(response.status == .ok)
                return try object(response.body)
            }
            let affected = try #require(published["affected"] as? [[String: Any]])
            #expect(affected.contains { $0["id"] as? String == "lee" })
            #expect((published["events"] as? [String: Int])?["added"] ?? 0 > 0)

            let etag = try await client.execute(uri: leePath, method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/calendar; charset=utf-8")
                #expect(String(buffer: response.body).hasPrefix("BEGIN:VCALENDAR"))
                return try #require(response.headers[.eTag])
            }
            try await client.execute(uri: leePath, method: .get, headers: [.ifNoneMatch: etag]) { response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: leePath, method: .get, headers: [.ifNoneMatch: "\"other\""]) { response in
                #expect(response.status == .ok)
            }

            // Rotation: the old link is gone, the new one serves the same calendar.
            let rotated = try await client.execute(uri: "/api/v1/feeds/teacher/lee/rotate", method: .post, headers: server.adminHeaders) { response in
                #expect(response.status == .ok)
                return try object(response.body)
            }
            let newURL = try #require(rotated["url"] as? String)
            #expect(newURL != leeURL)
            let oldResponse = try await client.execute(uri: leePath, method: .get) { $0 }
            let unknownResponse = try await client.execute(uri: "/cal/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics", method: .get) { $0 }
            let malformed = try await client.execute(uri: "/cal/..%2F..%2Fetc%2Fpasswd.ics", method: .get) { $0 }
            for response in [oldResponse, unknownResponse, malformed] {
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body) == "Not found\n")
            }
            let newPath = String(newURL.drop { $0 != "/" }.dropFirst(2).drop { $0 != "/" })
            try await client.execute(uri: newPath, method: .get, headers: [.ifNoneMatch: etag]) { response in
                #expect(response.status == .notModified)
            }
            try await client.execute(uri: "/api/v1/feeds/teacher/nobody/rotate", method: .post, headers: server.adminHeaders) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/v1/feeds/wizard/lee/rotate", method: .post, headers: server.adminHeaders) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/v1/scenarios/999/feeds", method: .get, headers: server.adminHeaders) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func aQueuedRunIsCancelledAtOnceAndARunningOneStopsWithItsBestTimetable() async throws {
        // One worker: the second run waits behind the first. The real solver, which stops between
        // sub-problems when cancelled.
        let server = try await TestServer.make(solver: SchedulerSolver())
        let midsize = try bundledScenario("midsize-week.yaml")
        try await server.test { client in
            let scenario = try #require(try await upload(client, server, midsize)["id"] as? Int)
            let running = try await startRun(client, server, scenario: scenario, body: #"{"timeLimit": 600}"#)
            let queued = try await startRun(client, server, scenario: scenario, body: #"{"timeLimit": 600}"#)
            // Cancel the first only once its worker has it, so that it stops with a timetable.
            try await eventually("run \(running) to leave the queue") { () async throws -> Void? in
                try await client.execute(uri: "/api/v1/runs/\(running)", method: .get, headers: server.adminHeaders) { response in
                    try object(response.body)["state"] as? String == "queued" ? nil : ()
                }
            }
            try await client.execute(uri: "/api/v1/runs/\(queued)", method: .delete, headers: server.adminHeaders) { response in
                #expect(response.status == .accepted)
            }
            try await client.execute(uri: "/api/v1/runs/\(queued)", method: .get, headers: server.adminHeaders) { response in
                let body = try object(response.body)
                #expect(body["state"] as? String == "cancelled")
            }
            try await client.execute(uri: "/api/v1/runs/\(running)", method: .delete, headers: server.adminHeaders) { response in
                #expect(response.status == .accepted)
            }
            #expect(try await finish(client, server, run: running) == "cancelled")
            try await client.execute(uri: "/api/v1/runs/\(running)", method: .get, headers: server.adminHeaders) { response in
                let body = try object(response.body)
                // Cancelled between sub-problems, with the checked timetable found until then.
                #expect(body["state"] as? String == "cancelled")
                #expect((body["timetable"] as? [String: Any])?["sessions"] is [Any])
            }
        }
    }
}
