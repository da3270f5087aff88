import Foundation
import Hummingbird
import HummingbirdTesting
import ScenarioKit
import Testing
import WebApp

/// What a person reads on a page or in a download: never a Swift value's spelling, an empty
/// placeholder, or the id of someone (or a room) the scenario names.
struct RawValueCheck {
    /// Ids with a name of their own, and that name.
    let named: [(id: String, name: String)]

    init(_ scenario: Scenario) {
        named = (scenario.teachers.map { ($0.id, $0.name) } + scenario.students.map { ($0.id, $0.name) } + scenario.rooms.map { ($0.id, $0.name) })
            .filter { !$0.1.isEmpty && $0.1 != $0.0 }
    }

    /// The text a browser shows: the title and the body without markup, scripts and styles.
    static func visibleText(_ html: String) -> String {
        var text = html
        for pattern in ["<script[^>]*>.*?</script>", "<style[^>]*>.*?</style>", "<[^>]*>"] {
            text = text.replacingOccurrences(of: pattern, with: " ", options: [.regularExpression, .caseInsensitive])
        }
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&#x27;", "'"), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text
    }

    /// What is wrong with `text`, one line each; `ids` false for files that keep ids by design
    /// (timetable JSON, spreadsheets with a name column beside the id).
    func problems(_ text: String, ids: Bool) -> [String] {
        var found: [String] = []
        let raw: [(String, String)] = [(#"\bnil\b"#, "nil"), (#"Optional\("#, "Optional("), (#":\s*\."#, "an empty value before a full stop"),
                                       (#"\(\s*\)"#, "empty brackets"), (#":\s*\)"#, "an empty value in brackets"), (#"^\s*·"#, "a title with nothing before ·")]
        for (pattern, what) in raw {
            for line in text.components(separatedBy: .newlines) where line.range(of: pattern, options: .regularExpression) != nil {
                found.append("\(what): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        guard ids else { return found }
        for (id, name) in named {
            // A picker may show "Name (id)" on purpose, to tell two people of one name apart; a
            // scenario's warning points into its file (`rooms[lab]`).
            let shown = text.replacingOccurrences(of: "\(name) (\(id))", with: name)
                .replacingOccurrences(of: #"[a-z]+\["# + NSRegularExpression.escapedPattern(for: id) + #"\]"#, with: "", options: .regularExpression)
            let pattern = "(?<![A-Za-z0-9_.-])" + NSRegularExpression.escapedPattern(for: id) + "(?![A-Za-z0-9_-])"
            for line in shown.components(separatedBy: .newlines) where line.range(of: pattern, options: .regularExpression) != nil {
                found.append("the id \(id) instead of \(name): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        return found
    }
}

@Suite(.timeLimit(.minutes(10))) struct RawValueCrawlTests {
    /// Every same-site link of `html` that a GET opens.
    static func links(_ html: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: ##"href="(/[^"#]*)""##)
        return regex.matches(in: html, range: NSRange(html.startIndex..., in: html)).compactMap { match in
            Range(match.range(at: 1), in: html).map { String(html[$0]).replacingOccurrences(of: "&amp;", with: "&") }
        }
    }

    @Test func noPageOrDownloadOfASolvedPublishedAndWhatIfdScenarioShowsARawValue() async throws {
        let server = try await TestServer.make()
        let text = try bundledScenario("example.yaml")
        let scenario = try ScenarioLoader.parse(text, file: "example.yaml").scenario
        let check = RawValueCheck(scenario)
        try await server.test { client in
            var problems: [String] = []
            func inspect(_ where: String, _ body: String, type: String) {
                let html = type.hasPrefix("text/html")
                let shown = html ? RawValueCheck.visibleText(body) : body
                // JSON and spreadsheets carry ids by design, beside the names.
                let ids = html || type.hasPrefix("text/calendar")
                let lines = type.hasPrefix("text/calendar")
                    ? shown.components(separatedBy: "\r\n").filter { $0.hasPrefix("SUMMARY") || $0.hasPrefix("DESCRIPTION") || $0.hasPrefix("LOCATION") }.joined(separator: "\n")
                    : shown
                problems += check.problems(lines, ids: ids).map { "\(`where`): \($0)" }
                if html, let title = body.range(of: "<title>[^<]*</title>", options: .regularExpression) {
                    problems += check.problems(String(body[title]).replacingOccurrences(of: "<title>", with: ""), ids: true).map { "\(`where`) title: \($0)" }
                }
            }
            // Signed out: the sign-in page, then a failed sign-in.
            try await client.execute(uri: "/signin", method: .get) { inspect("/signin", String(buffer: $0.body), type: "text/html") }
            let failed = try await postSignIn(client, name: "ada", password: "wrong")
            inspect("failed sign-in", String(buffer: failed.body), type: "text/html")

            _ = try await publishedExample(client, server, text)
            let session = try await signIn(client, server)
            // A stable re-solve, published, and a what-if of a teacher away, through the pages' forms.
            let (start, startBody) = session.form(["timeLimit": "5"])
            try await client.execute(uri: "/scenarios/1/runs", method: .post, headers: start, body: startBody) { #expect($0.status == .seeOther) }
            _ = try await eventually("run 2 to finish") {
                try await client.execute(uri: "/api/v1/runs/2", method: .get, headers: server.adminHeaders) { try object($0.body)["state"] as? String == "done" ? true : nil }
            }
            let (publish, publishBody) = session.form([:])
            try await client.execute(uri: "/runs/2/publish", method: .post, headers: publish, body: publishBody) {
                inspect("POST /runs/2/publish", String(buffer: $0.body), type: "text/html")
            }
            let (whatIf, whatIfBody) = session.form(["awayTeacher": "garcia", "awaySlots": "mon", "timeLimit": "3"])
            try await client.execute(uri: "/runs/2/whatif", method: .post, headers: whatIf, body: whatIfBody) { #expect($0.status == .seeOther) }
            _ = try await eventually("the what-if variant to finish") {
                try await client.execute(uri: "/api/v1/runs/3", method: .get, headers: server.adminHeaders) { try object($0.body)["state"] as? String == "done" ? true : nil }
            }
            let (rotate, rotateBody) = session.form(["kind": "teacher", "entity": "lee", "action": "rotate"])
            try await client.execute(uri: "/scenarios/1/links", method: .post, headers: rotate, body: rotateBody) {
                inspect("POST /scenarios/1/links", String(buffer: $0.body), type: "text/html")
            }

            var seen: Set<String> = [], queue = ["/scenarios", "/runs/2/whatif"]
            while let path = queue.popLast() {
                guard seen.insert(path).inserted, !path.hasPrefix("/static/") else { continue }
                let (status, type, body) = try await client.execute(uri: path, method: .get, headers: session.headers) {
                    ($0.status, $0.headers[.contentType] ?? "", String(buffer: $0.body))
                }
                guard path != "/" else { continue }
                #expect(status == .ok, "\(path)")
                inspect(path, body, type: type)
                if type.hasPrefix("text/html") { queue += Self.links(body).filter { !seen.contains($0) } }
            }
            // The crawl reached every kind of page and download.
            for expected in ["/scenarios/1", "/scenarios/1/links", "/runs/1", "/runs/3", "/runs/1/days/mon", "/runs/1/teachers/lee",
                             "/runs/1/students/ana-p", "/runs/1/rooms/r101", "/runs/1/download/unmet.csv", "/runs/1/download/school.ics"] {
                #expect(seen.contains(expected), "the crawl never reached \(expected)")
            }
            // A teacher's own page, from her private link.
            let feeds = try await client.execute(uri: "/api/v1/scenarios/1/feeds", method: .get, headers: server.adminHeaders) {
                try #require(try json($0.body) as? [[String: Any]])
            }
            for feed in feeds.prefix(4) {
                let page = try #require(feed["page"] as? String)
                let path = String(page.drop { $0 != "/" }.dropFirst(2).drop { $0 != "/" })
                try await client.execute(uri: path, method: .get) { inspect(path, String(buffer: $0.body), type: "text/html") }
            }
            for path in ["/api/v1/scenarios", "/api/v1/runs/2", "/api/v1/runs/2/whatif", "/api/v1/scenarios/1/runs"] {
                try await client.execute(uri: path, method: .get, headers: server.adminHeaders) { inspect(path, String(buffer: $0.body), type: "application/json") }
            }
            #expect(problems.isEmpty, "\(problems.count) raw values:\n\(problems.prefix(40).joined(separator: "\n"))")
        }
    }
}
