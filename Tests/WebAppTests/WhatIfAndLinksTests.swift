import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WebApp

/// What-if variants through the API and the page, and the admin's list of private links.
@Suite(.timeLimit(.minutes(10))) struct WhatIfAndLinksTests {
    /// The example scenario uploaded and solved: its id and the finished run's id.
    func solvedExample(_ client: some TestClientProtocol, _ server: TestServer) async throws -> (scenario: Int, run: Int) {
        var headers = server.adminHeaders
        headers[.contentType] = "application/yaml"
        let scenario = try await client.execute(uri: "/api/v1/scenarios", method: .post, headers: headers,
                                                body: ByteBuffer(string: try bundledScenario("example.yaml"))) { response in
            try #require(try object(response.body)["id"] as? Int)
        }
        let run = try await start(client, server, "/api/v1/scenarios/\(scenario)/runs", #"{"timeLimit": 5}"#)
        #expect(try await finalState(client, server, run: run) == "done")
        return (scenario, run)
    }

    func start(_ client: some TestClientProtocol, _ server: TestServer, _ uri: String, _ body: String) async throws -> Int {
        try await client.execute(uri: uri, method: .post, headers: server.adminHeaders, body: ByteBuffer(string: body)) { response in
            #expect(response.status == .accepted, "\(String(buffer: response.body))")
            return try #require(try object(response.body)["run"] as? Int)
        }
    }

    func finalState(_ client: some TestClientProtocol, _ server: TestServer, run: Int) async throws -> String {
        try await client.execute(uri: "/api/v1/runs/\(run)/events", method: .get, headers: server.adminHeaders) { response in
            String(buffer: response.body).components(separatedBy: "\"state\":\"").last?.components(separatedBy: "\"").first ?? ""
        }
    }

    func runCount(_ client: some TestClientProtocol, _ server: TestServer, scenario: Int) async throws -> Int {
        try await client.execute(uri: "/api/v1/scenarios/\(scenario)/runs", method: .get, headers: server.adminHeaders) { response in
            try #require(try json(response.body) as? [Any]).count
        }
    }

    @Test func variantsAreValidatedTogetherThenSolvedAndComparedWithTheirBaseline() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let (scenario, baseline) = try await solvedExample(client, server)
            // One bad change refuses the whole request, with the bad file's line; nothing is queued.
            let mixed = #"{"changes": [{"name": "lee-leaves", "yaml": "teachers-leave: [lee]"}, {"name": "typo", "yaml": "rooms-close:\n  nowhere: all\n"}], "timeLimit": 3}"#
            try await client.execute(uri: "/api/v1/runs/\(baseline)/whatif", method: .post, headers: server.adminHeaders, body: ByteBuffer(string: mixed)) { response in
                #expect(response.status == .unprocessableContent)
                let problems = try problems(response.body)
                #expect(problems.contains { ($0["file"] as? String) == "typo.yaml" && ($0["line"] as? Int) == 2 }, "\(problems)")
            }
            #expect(try await runCount(client, server, scenario: scenario) == 1)
            try await client.execute(uri: "/api/v1/runs/\(baseline)/whatif", method: .post, headers: server.viewerHeaders,
                                     body: ByteBuffer(string: #"{"changes": [{"name": "x", "yaml": ""}]}"#)) { response in
                #expect(response.status == .forbidden)
            }

            let good = #"{"changes": [{"name": "lee-leaves", "yaml": "teachers-leave: [lee]"}, {"name": "library-closed", "yaml": "rooms-close: {library: all}"}], "timeLimit": 3}"#
            let variants = try await client.execute(uri: "/api/v1/runs/\(baseline)/whatif", method: .post, headers: server.adminHeaders,
                                                    body: ByteBuffer(string: good)) { response in
                #expect(response.status == .accepted, "\(String(buffer: response.body))")
                return try #require(try object(response.body)["runs"] as? [[String: Any]]).compactMap { $0["run"] as? Int }
            }
            #expect(variants.count == 2)
            for variant in variants { #expect(try await finalState(client, server, run: variant) == "done") }
            let comparison = try await client.execute(uri: "/api/v1/runs/\(baseline)/whatif", method: .get, headers: server.viewerHeaders) { response in
                #expect(response.status == .ok)
                return try object(response.body)
            }
            let rows = try #require(comparison["variants"] as? [[String: Any]])
            #expect(Set(rows.compactMap { $0["run"] as? Int }) == Set(variants))
            let baselineTimetable = try await client.execute(uri: "/api/v1/runs/\(baseline)", method: .get, headers: server.adminHeaders) { response in
                try #require(try object(response.body)["timetable"] as? [String: Any])
            }
            let baselineSessions = try #require(baselineTimetable["sessions"] as? [[String: Any]])
            let leeHad = baselineSessions.filter { ($0["teacher"] as? String) == "lee" }.count
            let leaves = try #require(rows.first { $0["change"] as? String == "lee-leaves" })
            let counts = try #require(leaves["sessions"] as? [String: Int])
            // Every session Ms. Lee led is no longer as it was: she is gone from the variant.
            #expect(leeHad > 0 && counts["kept", default: 0] <= baselineSessions.count - leeHad)
            let affected = try #require(leaves["peopleAffected"] as? [[String: Any]])
            // Her students are told: each of her sessions now has another teacher, or is gone.
            let herStudents = Set(baselineSessions.filter { ($0["teacher"] as? String) == "lee" }.flatMap { $0["students"] as? [String] ?? [] })
            #expect(!herStudents.isEmpty && affected.contains { $0["role"] as? String == "student" && herStudents.contains($0["id"] as? String ?? "") })
            #expect(leaves["unmetSessions"] is Int && leaves["state"] as? String == "done")

            // A variant is not a baseline: its own timetable was made for a changed scenario.
            try await client.execute(uri: "/api/v1/runs/\(variants[0])/whatif", method: .post, headers: server.adminHeaders,
                                     body: ByteBuffer(string: #"{"changes": [{"name": "x", "yaml": "teachers-leave: [lee]"}]}"#)) { response in
                #expect(response.status == .conflict)
            }
        }
    }

    /// Signs the admin in through the form and returns the session cookie and a page's CSRF token.
    func signIn(_ client: some TestClientProtocol, _ server: TestServer, page: String) async throws -> (cookie: String, csrf: String, html: String) {
        let (preCookie, preToken) = try await client.execute(uri: "/signin", method: .get) { response in
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("flexsched_signin=") })
            return (String(cookie.prefix { $0 != ";" }), try Self.hiddenCSRF(String(buffer: response.body)))
        }
        let body = "csrf=\(preToken)&name=ada&password=\(server.admin.password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        let session = try await client.execute(uri: "/signin", method: .post, headers: [.cookie: preCookie, .contentType: "application/x-www-form-urlencoded"],
                                               body: ByteBuffer(string: body)) { response in
            #expect(response.status == .seeOther)
            return String(try #require(response.headers[values: .setCookie].first { $0.hasPrefix("flexsched_session=") }).prefix { $0 != ";" })
        }
        let html = try await client.execute(uri: page, method: .get, headers: [.cookie: session]) { response in
            #expect(response.status == .ok)
            return String(buffer: response.body)
        }
        return (session, try Self.hiddenCSRF(html), html)
    }

    static func hiddenCSRF(_ html: String) throws -> String {
        let marker = #"name="csrf" value=""#
        let start = try #require(html.range(of: marker)).upperBound
        return String(html[start...].prefix { $0 != "\"" })
    }

    static func form(_ fields: [(String, String)]) -> ByteBuffer {
        ByteBuffer(string: fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&"))
    }

    @Test func theWhatIfFormBuildsChangeFilesAndShowsTheirProblemsWithLines() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let (scenario, baseline) = try await solvedExample(client, server)
            let (cookie, csrf, html) = try await signIn(client, server, page: "/runs/\(baseline)/whatif")
            #expect(html.contains(#"<option value="okafor">Dr. Okafor (okafor)</option>"#))
            let headers: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
            // A built change with a slot the week lacks, beside a good one: nothing is queued.
            let bad = Self.form([("csrf", csrf), ("awayTeacher", "garcia"), ("awaySlots", "fri"), ("closedRoom", "library"), ("timeLimit", "2")])
            try await client.execute(uri: "/runs/\(baseline)/whatif", method: .post, headers: headers, body: bad) { response in
                #expect(response.status == .unprocessableContent)
                let page = String(buffer: response.body)
                #expect(page.contains("Mr. Garcia away Friday.yaml"), "\(page)")
                #expect(page.contains("teachers-unavailable: {&quot;garcia&quot;: [&quot;fri&quot;]}"))
            }
            #expect(try await runCount(client, server, scenario: scenario) == 1)
            let missingCSRF = Self.form([("closedRoom", "library")])
            try await client.execute(uri: "/runs/\(baseline)/whatif", method: .post, headers: headers, body: missingCSRF) { response in
                #expect(response.status == .forbidden)
            }
            let good = Self.form([("csrf", csrf), ("leavingTeacher", "garcia"), ("closedRoom", "library"), ("closedSlots", "mon.b1"),
                                  ("changeName", "ana-more-math"), ("changeYAML", "needs-change:\n  - {student: ana-p, subject: math, modality: tutoring, sessions: 1}\n"),
                                  ("timeLimit", "2")])
            try await client.execute(uri: "/runs/\(baseline)/whatif", method: .post, headers: headers, body: good) { response in
                #expect(response.status == .seeOther)
            }
            let runs = try await client.execute(uri: "/api/v1/scenarios/\(scenario)/runs", method: .get, headers: server.adminHeaders) { response in
                try #require(try json(response.body) as? [[String: Any]])
            }
            #expect(Set(runs.compactMap { $0["change"] as? String }) == ["ana-more-math", "Mr. Garcia leaves", "Library closed Monday 08:30"])
            for run in runs { _ = try await finalState(client, server, run: try #require(run["id"] as? Int)) }
            try await client.execute(uri: "/runs/\(baseline)/whatif", method: .get, headers: [.cookie: cookie]) { response in
                let page = String(buffer: response.body)
                #expect(page.contains("<td>Mr. Garcia leaves</td><td>done</td>"), "\(page)")
                #expect(page.contains("Mr. Garcia"))
            }
        }
    }

    @Test func theLinksPageListsRotatesAndRevokesAndDownloadsAGuardedCSV() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            var headers = server.adminHeaders
            headers[.contentType] = "application/yaml"
            // A student whose name a spreadsheet would run as a formula.
            let example = try bundledScenario("example.yaml").replacingOccurrences(of: "name: Ana P.", with: "name: \"=HYPERLINK(1)\"")
            let scenario = try await client.execute(uri: "/api/v1/scenarios", method: .post, headers: headers, body: ByteBuffer(string: example)) { response in
                try #require(try object(response.body)["id"] as? Int)
            }
            let (cookie, csrf, html) = try await signIn(client, server, page: "/scenarios/\(scenario)/links")
            let feeds = try await client.execute(uri: "/api/v1/scenarios/\(scenario)/feeds", method: .get, headers: server.adminHeaders) { response in
                try #require(try json(response.body) as? [[String: Any]])
            }
            for feed in feeds { #expect(html.contains(try #require(feed["url"] as? String))) }
            let csv = try await client.execute(uri: "/scenarios/\(scenario)/links.csv", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                return String(buffer: response.body)
            }
            let lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.first == "kind,id,name,calendar_url,webcal_url,page_url,revoked")
            #expect(lines.count == feeds.count + 1)
            #expect(lines.contains { $0.hasPrefix("student,ana-p,'=HYPERLINK(1),") })

            let lee = try #require(feeds.first { $0["id"] as? String == "lee" })
            let oldURL = try #require(lee["url"] as? String)
            let form: HTTPFields = [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"]
            let rotated = try await client.execute(uri: "/scenarios/\(scenario)/links", method: .post, headers: form,
                                                   body: Self.form([("csrf", csrf), ("kind", "teacher"), ("entity", "lee"), ("action", "rotate")])) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
            #expect(!rotated.contains(oldURL) && rotated.contains("link was replaced; the old one no longer works"))
            let revoked = try await client.execute(uri: "/scenarios/\(scenario)/links", method: .post, headers: form,
                                                   body: Self.form([("csrf", csrf), ("kind", "teacher"), ("entity", "lee"), ("action", "revoke")])) { response in
                String(buffer: response.body)
            }
            #expect(revoked.contains("<td>revoked</td>"))
            try await client.execute(uri: "/scenarios/\(scenario)/links", method: .post, headers: form,
                                     body: Self.form([("kind", "teacher"), ("entity", "lee"), ("action", "revoke")])) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/scenarios/\(scenario)/links.csv", method: .get, headers: server.adminHeaders) { response in
                // Pages take a session, not an API token: without one a GET goes to sign-in.
                #expect(response.status == .seeOther)
            }
        }
    }
}
