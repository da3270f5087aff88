import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WebApp

/// A signed-in browser: its session cookie and the CSRF token its pages carry.
struct PageSession {
    var cookie: String
    var csrf: String
    var headers: HTTPFields { [.cookie: cookie] }

    func form(_ fields: [String: String], csrf token: String? = nil) -> (HTTPFields, ByteBuffer) {
        var all = fields
        all["csrf"] = token ?? csrf
        let body = all.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
        return ([.cookie: cookie, .contentType: "application/x-www-form-urlencoded"], ByteBuffer(string: body))
    }
}

func hiddenCSRF(_ page: String) -> String? {
    guard let range = page.range(of: #"name="csrf" value="([^"]+)""#, options: .regularExpression) else { return nil }
    return String(page[range].dropFirst(#"name="csrf" value=""#.count).dropLast())
}

func cookieValue(_ response: TestResponse, _ name: String) -> String? {
    response.headers[values: .setCookie].compactMap { header -> String? in
        let pair = header.split(separator: ";").first.map(String.init) ?? ""
        return pair.hasPrefix(name + "=") ? pair : nil
    }.first
}

/// Signs in through the form as a browser does; returns the response to the password post.
func postSignIn(_ client: some TestClientProtocol, name: String, password: String) async throws -> TestResponse {
    let (preCookie, token) = try await client.execute(uri: "/signin", method: .get) { response in
        (try #require(cookieValue(response, "flexsched_signin")), try #require(hiddenCSRF(String(buffer: response.body))))
    }
    let body = "csrf=\(token)&name=\(name)&password=\(password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
    return try await client.execute(uri: "/signin", method: .post,
                                    headers: [.cookie: preCookie, .contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
}

func signIn(_ client: some TestClientProtocol, _ server: TestServer, as user: NewUser? = nil) async throws -> PageSession {
    let user = user ?? server.admin
    let response = try await postSignIn(client, name: user.name, password: user.password)
    #expect(response.status == .seeOther)
    let cookie = try #require(cookieValue(response, "flexsched_session"))
    let csrf = try await client.execute(uri: "/scenarios", method: .get, headers: [.cookie: cookie]) { page in
        try #require(hiddenCSRF(String(buffer: page.body)))
    }
    return PageSession(cookie: cookie, csrf: csrf)
}

/// A multipart upload of `text` as the file input, as a browser sends it.
func multipartUpload(_ session: PageSession, fileName: String, _ text: String) -> (HTTPFields, ByteBuffer) {
    let boundary = "----flexschedTestBoundary7MA4YWxk"
    let body = """
        --\(boundary)\r
        Content-Disposition: form-data; name="csrf"\r
        \r
        \(session.csrf)\r
        --\(boundary)\r
        Content-Disposition: form-data; name="file"; filename="\(fileName)"\r
        Content-Type: application/x-yaml\r
        \r
        \(text)\r
        --\(boundary)\r
        Content-Disposition: form-data; name="scenario"\r
        \r
        \r
        --\(boundary)--\r

        """
    return ([.cookie: session.cookie, .contentType: "multipart/form-data; boundary=\(boundary)"], ByteBuffer(string: body))
}

/// The pages as a browser without JavaScript uses them: sign-in, forms with CSRF tokens, the file
/// upload, a run to its grids and downloads, publishing.
@Suite(.timeLimit(.minutes(10))) struct PageRouteTests {
    @Test func signInSucceedsFailsAndIsRateLimited() async throws {
        let server = try await TestServer.make(signInAttempts: 2)
        try await server.test { client in
            try await client.execute(uri: "/scenarios", method: .get) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/signin")
            }
            // The style sheet comes from the program itself, for everyone (the sign-in page needs it too).
            try await client.execute(uri: "/static/app.css", method: .get) { response in
                #expect(response.headers[.contentType] == "text/css; charset=utf-8")
                #expect(String(buffer: response.body).contains("header.bar"))
            }
            let session = try await signIn(client, server)
            try await client.execute(uri: "/scenarios", method: .get, headers: session.headers) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("ada"))
            }
            for _ in 0..<2 {
                #expect(try await postSignIn(client, name: "ada", password: "wrong").status == .unauthorized)
            }
            // Over the limit even the right password is not checked.
            #expect(try await postSignIn(client, name: "ada", password: server.admin.password).status == .tooManyRequests)
        }
    }

    @Test func formsNeedTheSessionsCSRFToken() async throws {
        let server = try await TestServer.make()
        let example = try bundledScenario("example.yaml")
        try await server.test { client in
            let session = try await signIn(client, server)
            let (noToken, body) = session.form(["scenario": example], csrf: "")
            try await client.execute(uri: "/scenarios", method: .post, headers: noToken, body: body) { #expect($0.status == .forbidden) }
            let (wrong, wrongBody) = session.form(["scenario": example], csrf: "not-the-token")
            try await client.execute(uri: "/scenarios", method: .post, headers: wrong, body: wrongBody) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/scenarios", method: .get, headers: session.headers) { response in
                #expect(!String(buffer: response.body).contains("Maple Grove"))
            }
            // Every change goes through the same check: a cancel without the token is refused before
            // the run is even looked up; with it, an unknown run is a 404 page.
            try await client.execute(uri: "/runs/99/cancel", method: .post, headers: wrong, body: wrongBody) { #expect($0.status == .forbidden) }
            let (cancel, cancelBody) = session.form([:])
            try await client.execute(uri: "/runs/99/cancel", method: .post, headers: cancel, body: cancelBody) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("no run 99"))
            }
            let (good, goodBody) = session.form(["scenario": example])
            try await client.execute(uri: "/scenarios", method: .post, headers: good, body: goodBody) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location]?.hasPrefix("/scenarios/") == true)
            }
        }
    }

    @Test func aBrokenUploadedFileListsItsProblemsByLineAndSavesNothing() async throws {
        let server = try await TestServer.make()
        let broken = try bundledScenario("example.yaml").replacingOccurrences(of: "capacity: 24", with: "capacity: -24")
            .replacingOccurrences(of: "days: [mon, wed]", with: "days: [mon, wed, funday]")
        try await server.test { client in
            let session = try await signIn(client, server)
            let (headers, body) = multipartUpload(session, fileName: "school.yaml", broken)
            try await client.execute(uri: "/scenarios", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .unprocessableContent)
                let page = String(buffer: response.body)
                #expect(page.contains("Nothing was saved"))
                #expect(page.contains("school.yaml:25"), "the unknown day, by line: \(page)")
                #expect(page.contains("school.yaml:55"), "the negative capacity, by line")
            }
            try await client.execute(uri: "/api/v1/scenarios", method: .get, headers: server.adminHeaders) { response in
                let list = try json(response.body) as? [Any]
                #expect(list?.isEmpty == true)
            }
        }
    }

    /// An unmet need on the run page names the rules that bind by the catalogue's ids and names,
    /// the vocabulary of `flexsched rules`, `check` and `explain`.
    @Test func aRunsUnmetNeedsNameTheRulesThatBind() async throws {
        let server = try await TestServer.make()
        // Ana needs seven math tutoring sessions in a five-day week: at most one a day.
        let short = try bundledScenario("example.yaml").replacingOccurrences(
            of: "{subject: math, modality: tutoring, sessions: 2}", with: "{subject: math, modality: tutoring, sessions: 7}")
        try await server.test { client in
            let session = try await signIn(client, server)
            let (headers, body) = multipartUpload(session, fileName: "short.yaml", short)
            let scenarioPage = try await client.execute(uri: "/scenarios", method: .post, headers: headers, body: body) { response in
                try #require(response.headers[.location])
            }
            let (start, startBody) = session.form(["timeLimit": "5"])
            let runPage = try await client.execute(uri: scenarioPage + "/runs", method: .post, headers: start, body: startBody) { response in
                try #require(response.headers[.location])
            }
            try await client.execute(uri: runPage + "/events", method: .get, headers: session.headers) { response in
                #expect(String(buffer: response.body).contains("event: done"))
            }
            try await client.execute(uri: runPage, method: .get, headers: session.headers) { response in
                let page = String(buffer: response.body)
                #expect(page.contains("Rules that bind"))
                #expect(page.contains("R5.need-once-per-day (same need twice in a day)"), "\(page)")
            }
        }
    }

    @Test func aRunShowsItsProgressGridsDownloadsAndPublishes() async throws {
        let server = try await TestServer.make()
        let example = try bundledScenario("example.yaml")
        try await server.test { client in
            let session = try await signIn(client, server)
            let (headers, body) = multipartUpload(session, fileName: "example.yaml", example)
            let scenarioPage = try await client.execute(uri: "/scenarios", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .seeOther)
                return try #require(response.headers[.location])
            }
            try await client.execute(uri: scenarioPage, method: .get, headers: session.headers) { response in
                let page = String(buffer: response.body)
                #expect(page.contains("Maple Grove"))
                #expect(page.contains("maker-lab"), "the version's warnings are listed")
                #expect(page.contains("ada"), "who uploaded it")
            }
            let (start, startBody) = session.form(["timeLimit": "5"])
            let runPage = try await client.execute(uri: scenarioPage + "/runs", method: .post, headers: start, body: startBody) { response in
                #expect(response.status == .seeOther)
                return try #require(response.headers[.location])
            }
            // The page's live progress: the stream ends with the final state.
            try await client.execute(uri: runPage + "/events", method: .get, headers: session.headers) { response in
                #expect(response.headers[.contentType] == "text/event-stream")
                #expect(String(buffer: response.body).contains("event: done\ndata: {\"state\":\"done\"}"))
            }
            try await client.execute(uri: runPage, method: .get, headers: session.headers) { response in
                let page = String(buffer: response.body)
                #expect(page.contains(#"id="state" class="state-done">done"#))
                #expect(page.contains("/teachers/lee"))
                #expect(page.contains("id=\"publish\""))
            }
            try await client.execute(uri: scenarioPage, method: .get, headers: session.headers) { response in
                #expect(String(buffer: response.body).contains(runPage))
            }
            try await client.execute(uri: runPage + "/teachers/lee", method: .get, headers: session.headers) { response in
                #expect(response.status == .ok)
                let page = String(buffer: response.body)
                #expect(page.contains("Ms. Lee"))
                #expect(page.contains("<table class=\"week\">"))
            }
            // Liam shares a small group with others: his page names none of them.
            let others = ["Ana P.", "Mei C.", "Jamal W.", "Priya S.", "Diego R.", "Grace T."]
            try await client.execute(uri: runPage + "/students/liam-o", method: .get, headers: session.headers) { response in
                let page = String(buffer: response.body)
                #expect(page.contains("Liam O.") && page.contains("<table class=\"week\">"))
                #expect(others.allSatisfy { !page.contains($0) }, "\(page)")
            }
            try await client.execute(uri: runPage + "/days/mon", method: .get, headers: session.headers) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("<table class=\"day\">"))
            }
            try await client.execute(uri: runPage + "/teachers/nobody", method: .get, headers: session.headers) { #expect($0.status == .notFound) }
            // Without a session the grid is not shown.
            try await client.execute(uri: runPage + "/teachers/lee", method: .get) { response in
                #expect(response.status == .seeOther)
            }
            for (file, type) in [("download/timetable.json", "application/json"), ("download/sessions.csv", "text/csv; charset=utf-8"),
                                 ("download/unmet.csv", "text/csv; charset=utf-8"), ("download/timetable.html", "text/html; charset=utf-8"),
                                 ("download/school.ics", "text/calendar; charset=utf-8"), ("teachers/lee.ics", "text/calendar; charset=utf-8")] {
                try await client.execute(uri: "\(runPage)/\(file)", method: .get, headers: session.headers) { response in
                    #expect(response.status == .ok, "\(file)")
                    #expect(response.headers[.contentType] == type, "\(file)")
                    #expect(response.body.readableBytes > 0, "\(file)")
                }
            }
            try await client.execute(uri: "\(runPage)/download/sessions.csv", method: .get, headers: session.headers) { response in
                #expect(String(buffer: response.body).hasPrefix("day,"), "\(String(buffer: response.body).prefix(80))")
            }
            try await client.execute(uri: "\(runPage)/teachers/lee.ics", method: .get, headers: session.headers) { response in
                #expect(String(buffer: response.body).contains("BEGIN:VEVENT"))
            }
            // Explain is queued and its page follows it. The example meets every need, so explain has
            // nothing to try (its re-solves are tested in SchedulerTests/ExplainTests).
            let (explain, explainBody) = session.form([:])
            let explanationPage = try await client.execute(uri: runPage + "/explain", method: .post, headers: explain, body: explainBody) { response in
                #expect(response.status == .seeOther)
                return try #require(response.headers[.location])
            }
            #expect(explanationPage.hasPrefix("/explanations/"))
            let explained = try await eventually("explain's page to show its answer") { () async throws -> String? in
                try await client.execute(uri: explanationPage, method: .get, headers: session.headers) { response in
                    let page = String(buffer: response.body)
                    return page.contains("id=\"working\"") ? nil : page
                }
            }
            #expect(explained.contains("Every need is met"))
            try await client.execute(uri: "/explanations/999", method: .get, headers: session.headers) { #expect($0.status == .notFound) }
            let (publish, publishBody) = session.form([:])
            try await client.execute(uri: runPage + "/publish", method: .post, headers: publish, body: publishBody) { response in
                #expect(response.status == .ok)
                let page = String(buffer: response.body)
                #expect(page.contains("Published"))
                #expect(page.contains("Ms. Lee"), "everyone with a session is affected at the first publication")
            }
            let (_, noTokenBody) = session.form([:], csrf: "x")
            try await client.execute(uri: runPage + "/publish", method: .post, headers: publish, body: noTokenBody) { #expect($0.status == .forbidden) }
        }
    }

    @Test func namesWithMarkupAreEscapedOnEveryPage() async throws {
        let server = try await TestServer.make()
        let example = try bundledScenario("example.yaml")
            .replacingOccurrences(of: #"name: "Maple Grove Learning Studio — Mon/Wed example""#, with: #"name: "<script>alert(1)</script> school""#)
            .replacingOccurrences(of: "name: Ms. Lee", with: #"name: "Ms. <script>x</script> Lee""#)
        try await server.test { client in
            let session = try await signIn(client, server)
            let (headers, body) = session.form(["scenario": example])
            let scenarioPage = try await client.execute(uri: "/scenarios", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .seeOther, "\(String(buffer: response.body))")
                return try #require(response.headers[.location])
            }
            for uri in ["/scenarios", scenarioPage] {
                try await client.execute(uri: uri, method: .get, headers: session.headers) { response in
                    let page = String(buffer: response.body)
                    #expect(!page.contains("<script>alert"), "\(uri)")
                    #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; school"), "\(uri)")
                }
            }
            let (start, startBody) = session.form(["timeLimit": "5"])
            let runPage = try await client.execute(uri: scenarioPage + "/runs", method: .post, headers: start, body: startBody) { response in
                try #require(response.headers[.location])
            }
            try await client.execute(uri: runPage + "/events", method: .get, headers: session.headers) { _ in }
            for uri in [runPage, runPage + "/teachers/lee"] {
                try await client.execute(uri: uri, method: .get, headers: session.headers) { response in
                    let page = String(buffer: response.body)
                    #expect(!page.contains("<script>x"), "\(uri)")
                    #expect(page.contains("&lt;script&gt;x&lt;/script&gt; Lee"), "\(uri)")
                }
            }
        }
    }
}
