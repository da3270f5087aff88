import FlexschedTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WebApp

/// The web app's explain for a run with unplaced lessons, with the real solver: the run page offers
/// it under the unplaced lessons, and its page and API give each change in names, with the lessons
/// it places. (Which changes, and their verification, are tested in
/// FlexschedCLITests/ExplainLessonTests with work limits; here only that they reach the pages.)
@Suite(.timeLimit(.minutes(10))) struct ExplainLessonPageTests {
    @Test func explainOfUnplacedLessonsShowsTheChangesThatPlaceThemInNames() async throws {
        let server = try await TestServer.make(solver: SchedulerSolver())
        try await server.test { client in
            let (_, run) = try await uploadAndSolve(client, server, lessonsExplainYAML())
            let session = try await signIn(client, server)
            let runPage = try await client.execute(uri: "/runs/\(run)", method: .get, headers: session.headers) { String(buffer: $0.body) }
            #expect(runPage.contains("id=\"explain-lessons\""))
            let (location, page) = try await explained(client, session, run: run)
            #expect(page.contains("<h1>Changes that would place more lessons</h1>"), "\(page)")
            #expect(page.contains("<li>let Science 7A use Room 1: places 2 more lesson(s), 1 left unplaced</li>"), "\(page)")
            #expect(!page.contains("sci-7a") && !page.contains("math-7b"), "names, not ids")
            try await client.execute(uri: "/api/v1" + location, method: .get, headers: server.adminHeaders) { response in
                let answer = try object(response.body)
                #expect(answer["unplaced"] as? Bool == true && answer["unmet"] as? Bool == false)
                let first = try #require((answer["suggestions"] as? [[String: Any]])?.first)
                #expect(first["change"] as? String == "let Science 7A use Room 1")
                #expect(first["lessonsPlaced"] as? Int == 2 && first["unplacedAfter"] as? Int == 1)
            }
        }
    }
}

/// Queues explain for a run through its form and waits for its page's answer: the page's address and text.
func explained(_ client: some TestClientProtocol, _ session: PageSession, run: Int) async throws -> (location: String, page: String) {
    let (form, body) = session.form([:])
    let location = try await client.execute(uri: "/runs/\(run)/explain", method: .post, headers: form, body: body) { response in
        try #require(response.headers[.location])
    }
    let page = try await eventually("explain's page to show its answer", within: 150) { () async throws -> String? in
        try await client.execute(uri: location, method: .get, headers: session.headers) { response in
            let page = String(buffer: response.body)
            return page.contains("id=\"working\"") ? nil : page
        }
    }
    return (location, page)
}
