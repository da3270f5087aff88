import Advisor
import FlexschedTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import ScenarioKit
import Scheduler
import Testing
import TimetableChecker
import TimetableFormat
import WebApp

/// Hands out the hybrid week's hand-made timetable (the solver that places lessons is written
/// elsewhere), with the lesson titles of the uploaded scenario, checked like any other.
struct HybridSolver: TimetableSolver {
    func solve(_ scenario: ValidatedScenario, options: SolveOptions,
               progress: @escaping @Sendable (SolveProgress) -> Void) throws(SolveFailure) -> CheckedTimetable {
        var timetable = hybridTimetable()
        for i in timetable.sessions.indices {
            if let lesson = scenario.scenario.lessons.first(where: { $0.id == timetable.sessions[i].lesson }) { timetable.sessions[i].title = lesson.title }
        }
        do { return try checked(timetable, scenario) } catch { throw SolveFailure(description: "\(error)") }
    }

    func suggestChanges(for scenario: ValidatedScenario, timetable: Timetable, trials: Int, budget: TrialBudget) -> Advice {
        CachedSolver.shared.suggestChanges(for: scenario, timetable: timetable, trials: trials, budget: budget)
    }
}

/// A scenario uploaded through the API and solved (5 s): scenario and run ids.
func uploadAndSolve(_ client: some TestClientProtocol, _ server: TestServer, _ yaml: String) async throws -> (scenario: Int, run: Int) {
    var headers = server.adminHeaders
    headers[.contentType] = "application/yaml"
    let scenario = try await client.execute(uri: "/api/v1/scenarios", method: .post, headers: headers, body: ByteBuffer(string: yaml)) { response in
        #expect(response.status == .created, "\(String(buffer: response.body))")
        return try #require(try object(response.body)["id"] as? Int)
    }
    // Room to spare: these small weeks stop at their proven bound (about 2.5 s alone), but tests
    // solving side by side on a shared machine can take 5 s of wall clock from them.
    let run = try await client.execute(uri: "/api/v1/scenarios/\(scenario)/runs", method: .post, headers: server.adminHeaders,
                                       body: ByteBuffer(string: #"{"timeLimit": 30}"#)) { response in
        try #require(try object(response.body)["run"] as? Int)
    }
    try await eventually("run \(run) to finish") { () async throws -> Bool? in
        try await client.execute(uri: "/api/v1/runs/\(run)", method: .get, headers: server.adminHeaders) { response in
            try object(response.body)["state"] as? String == "done" ? true : nil
        }
    }
    return (scenario, run)
}

@Suite(.timeLimit(.minutes(10))) struct LessonPageTests {
    static let hostile = "<script>alert(1)</script> & Co"

    /// The hybrid week (its science lesson under a hostile title) uploaded and solved: scenario and run ids.
    func solvedHybrid(_ client: some TestClientProtocol, _ server: TestServer) async throws -> (scenario: Int, run: Int) {
        try await uploadAndSolve(client, server, hybridScenarioYAML.replacingOccurrences(of: "title: Science lab 7", with: "title: \"\(Self.hostile)\""))
    }

    func get(_ client: some TestClientProtocol, _ uri: String, _ headers: HTTPFields) async throws -> (HTTPResponse.Status, String) {
        try await client.execute(uri: uri, method: .get, headers: headers) { ($0.status, String(buffer: $0.body)) }
    }

    @Test func theRunPageLinksClassGridsAndListsUnplacedLessons() async throws {
        let server = try await TestServer.make(solver: HybridSolver())
        try await server.test { client in
            let (_, run) = try await solvedHybrid(client, server)
            let session = try await signIn(client, server)
            let (_, page) = try await get(client, "/runs/\(run)", session.headers)
            #expect(page.contains("<a href=\"/runs/\(run)/classes/7a\">Class 7A</a>") && page.contains("<a href=\"/runs/\(run)/classes/y7\">Year 7</a>"))
            #expect(page.contains("<td>Drama 7A (drama-7a)</td><td>Class 7A</td><td>1</td>"))
            #expect(page.contains("/runs/\(run)/download/unplaced.csv"))

            let (status, grid) = try await get(client, "/runs/\(run)/classes/7a", session.headers)
            #expect(status == .ok)
            #expect(grid.contains("Maths 7A") && grid.contains("Year 7 assembly") && !grid.contains("Math tutoring") && !grid.contains("Ana"))
            #expect(grid.contains("/runs/\(run)/classes/7a.ics"))
            // The hostile title is text on every page that shows it.
            #expect(!grid.contains("<script>alert") && grid.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"))
            let (_, lee) = try await get(client, "/runs/\(run)/teachers/lee", session.headers)
            #expect(lee.contains("Maths 7A") && lee.contains("Math tutoring") && !lee.contains("<script>alert"))
            let (_, day) = try await get(client, "/runs/\(run)/days/mon", session.headers)
            #expect(day.contains("Year 7 assembly") && day.contains("Great Hall"))

            let (_, calendar) = try await get(client, "/runs/\(run)/classes/7a.ics", session.headers)
            #expect(calendar.contains("SUMMARY:Maths 7A") && !calendar.contains("tutoring"))
            let (missing, _) = try await get(client, "/runs/\(run)/classes/8a", session.headers)
            #expect(missing == .notFound)
            let (_, unplaced) = try await get(client, "/runs/\(run)/download/unplaced.csv", session.headers)
            #expect(unplaced.contains("drama-7a,Drama 7A,7a,1,"))
        }
    }

    @Test func classLinksExistOnlyWhenAnAdminMakesThemAndServeTheClassCalendar() async throws {
        let server = try await TestServer.make(solver: HybridSolver())
        try await server.test { client in
            let (scenario, run) = try await solvedHybrid(client, server)
            let session = try await signIn(client, server)
            let (_, csvBefore) = try await get(client, "/scenarios/\(scenario)/links.csv", session.headers)
            #expect(!csvBefore.contains("\r\nclass,"), "no class link before an admin makes one")
            let (_, before) = try await get(client, "/scenarios/\(scenario)/links", session.headers)
            #expect(before.contains("Make a link for every class"))

            // Without the form's CSRF token, and as a viewer, nothing is made.
            let (noToken, noTokenBody) = session.form(["action": "add-class-links", "entity": "7a"], csrf: "")
            try await client.execute(uri: "/scenarios/\(scenario)/links", method: .post, headers: noToken, body: noTokenBody) { #expect($0.status == .forbidden) }
            let viewer = try await postSignIn(client, name: "vic", password: server.viewer.password)
            let viewerCookie = try #require(cookieValue(viewer, "flexsched_session"))
            let (_, viewerBody) = session.form(["action": "add-class-links", "entity": "7a"])
            try await client.execute(uri: "/scenarios/\(scenario)/links", method: .post,
                                     headers: [.cookie: viewerCookie, .contentType: "application/x-www-form-urlencoded"], body: viewerBody) {
                #expect($0.status == .forbidden || $0.status == .seeOther)
            }
            let (_, stillNone) = try await get(client, "/scenarios/\(scenario)/links.csv", session.headers)
            #expect(!stillNone.contains("\r\nclass,"))

            let (headers, body) = session.form(["action": "add-class-links", "entity": "7a"])
            let made = try await client.execute(uri: "/scenarios/\(scenario)/links", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
            #expect(made.contains("Class links: Class 7A."))
            let feeds = try await client.execute(uri: "/api/v1/scenarios/\(scenario)/feeds", method: .get, headers: server.adminHeaders) {
                try #require(try json($0.body) as? [[String: Any]])
            }
            let classFeeds = feeds.filter { $0["kind"] as? String == "class" }
            #expect(classFeeds.map { $0["id"] as? String } == ["7a"])
            let url = try #require(classFeeds.first?["url"] as? String)
            let token = String(try #require(url.split(separator: "/").last).dropLast(4))
            #expect(token.count >= 22, "at least 128 bits")

            try await client.execute(uri: "/api/v1/runs/\(run)/publish", method: .post, headers: server.adminHeaders) { #expect($0.status == .ok) }
            let (status, feed) = try await get(client, "/cal/\(token).ics", [:])
            #expect(status == .ok)
            #expect(feed.contains("SUMMARY:Maths 7A") && feed.contains("X-WR-CALNAME:Class 7A") && !feed.contains("tutoring") && !feed.contains("Ana"))
            let (_, me) = try await get(client, "/me/\(token)", [:])
            #expect(me.contains("Maths 7A") && !me.contains("<script>alert") && !me.contains("Math tutoring"))

            // The rest on request; the one made already keeps its token.
            let (allHeaders, allBody) = session.form(["action": "add-class-links"])
            try await client.execute(uri: "/scenarios/\(scenario)/links", method: .post, headers: allHeaders, body: allBody) { #expect($0.status == .ok) }
            let (_, after) = try await get(client, "/scenarios/\(scenario)/links.csv", session.headers)
            #expect(after.components(separatedBy: "\r\nclass,").count == 4 && after.contains(token))
        }
    }
}
