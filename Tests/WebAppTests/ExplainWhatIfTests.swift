import FlexschedTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WebApp

/// Explain's suggestions in the web, on issue 26's over-subscribed week, with the real solver: each
/// teacher change has a "Try as what-if" form whose change file queues a variant; the run page
/// states the math teachers' shared cause once and keeps each row's full reason in a details element.
/// (Which changes, and their values, are tested with work limits in SchedulerTests/ExplainBindingTests.)
@Suite(.timeLimit(.minutes(10))) struct ExplainWhatIfTests {
    @Test func aSuggestionIsTriedAsAWhatIfVariant() async throws {
        let server = try await TestServer.make(solver: SchedulerSolver())
        try await server.test { client in
            let (_, run) = try await uploadAndSolve(client, server, overSubscribedMathYAML)
            let session = try await signIn(client, server)
            let runPage = try await client.execute(uri: "/runs/\(run)", method: .get, headers: session.headers) { String(buffer: $0.body) }
            let shared = try #require(runPage.range(of: "<ul class=\"shared-causes\">").map { runPage[$0.upperBound...].prefix { $0 != "\n" } })
            #expect(shared.contains("all 4 math teachers (Mr. Brennan, Ms. Cho, Mr. Diaz, Ms. Haddad) are at max-per-week 4"), "\(shared)")
            #expect(runPage.contains("<details><summary>Full reason</summary>"))
            let (location, page) = try await explained(client, session, run: run)
            #expect(page.contains("<li>raise Ms. Ortiz&#39;s max-per-week from 1 to 2: meets 2 more session(s)"), "\(page)")
            #expect(page.contains("id=\"whatif-1\""), "\(page)")
            let name = try #require(hidden("changeName", in: page)), yaml = try #require(hidden("changeYAML", in: page))
            #expect(name == "raise Ms. Ortiz's max-per-week from 1 to 2")
            #expect(yaml.contains("teachers-leave: [ortiz]") && yaml.contains("max-per-week: 2"), "\(yaml)")
            try await client.execute(uri: "/api/v1" + location, method: .get, headers: server.adminHeaders) { response in
                let first = try #require((try object(response.body)["suggestions"] as? [[String: Any]])?.first)
                #expect(first["mandatedRecovered"] as? Int == 2 && first["changeFile"] as? String == yaml)
            }
            let (whatIf, fields) = session.form(["changeName": name, "changeYAML": yaml])
            try await client.execute(uri: "/runs/\(run)/whatif", method: .post, headers: whatIf, body: fields) { response in
                #expect(response.status == .seeOther || response.status == .found, "\(String(buffer: response.body))")
            }
            let variants = try await client.execute(uri: "/runs/\(run)/whatif", method: .get, headers: session.headers) { String(buffer: $0.body) }
            #expect(variants.contains("raise Ms. Ortiz&#39;s max-per-week from 1 to 2"), "\(variants)")
            // A viewer sees the suggestions, not the forms that change things.
            let viewer = try await signIn(client, server, as: server.viewer)
            let viewed = try await client.execute(uri: location, method: .get, headers: viewer.headers) { String(buffer: $0.body) }
            #expect(!viewed.contains("whatif-1"))
        }
    }
}

/// The first hidden field `name` of a page, its HTML escapes undone.
private func hidden(_ name: String, in page: String) -> String? {
    guard let start = page.range(of: "name=\"\(name)\" value=\""),
          let end = page[start.upperBound...].range(of: "\"") else { return nil }
    return String(page[start.upperBound..<end.lowerBound])
        .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
        .replacingOccurrences(of: "&lt;", with: "<")
        .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
}
