import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WebApp

/// Unmet needs come mandated first, then high, normal and low, each by name: on the run page, in the
/// API's timetable and in unmet.csv, whatever order the students are listed in.
@Suite(.timeLimit(.minutes(10))) struct UnmetOrderTests {
    /// Five students away all week, listed neither by priority nor by name.
    static let awayStudents = """

          - {id: q1, name: Yara Q., unavailable: [mon, wed], needs: [{subject: science, modality: tutoring, sessions: 1, priority: low}]}
          - {id: q2, name: Bea Q., unavailable: [mon, wed], needs: [{subject: science, modality: tutoring, sessions: 1, priority: mandated}]}
          - {id: q3, name: Cal Q., unavailable: [mon, wed], needs: [{subject: science, modality: tutoring, sessions: 1}]}
          - {id: q4, name: Abe Q., unavailable: [mon, wed], needs: [{subject: science, modality: tutoring, sessions: 1, priority: high}]}
          - {id: q5, name: Ada Q., unavailable: [mon, wed], needs: [{subject: science, modality: tutoring, sessions: 1, priority: mandated}]}

        """

    @Test func unmetNeedsAreListedByPriorityThenNameEverywhere() async throws {
        let server = try await TestServer.make()
        let text = try bundledScenario("example.yaml") + Self.awayStudents
        try await server.test { client in
            _ = try await publishedExample(client, server, text)
            let unmet = try await client.execute(uri: "/api/v1/runs/1", method: .get, headers: server.adminHeaders) { response in
                try #require((try object(response.body)["timetable"] as? [String: Any])?["unmet"] as? [[String: Any]])
            }
            #expect(unmet.compactMap { $0["student"] as? String } == ["q5", "q2", "q4", "q3", "q1"])
            #expect(unmet.compactMap { $0["priority"] as? String } == ["mandated", "mandated", "high", "normal", "low"])

            let session = try await signIn(client, server)
            let page = try await client.execute(uri: "/runs/1", method: .get, headers: session.headers) { String(buffer: $0.body) }
            let names = ["Ada Q.", "Bea Q.", "Abe Q.", "Cal Q.", "Yara Q."]
            let positions = try names.map { name in try #require(page.range(of: "<td>\(name)</td>")?.lowerBound, "\(name) is in the unmet table") }
            #expect(positions == positions.sorted(), "the run page lists \(names) in this order")

            let csv = try await client.execute(uri: "/runs/1/download/unmet.csv", method: .get, headers: session.headers) { String(buffer: $0.body) }
            let students = csv.split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",").first.map(String.init) ?? "" }
            #expect(students == ["q5", "q2", "q4", "q3", "q1"], "\(csv)")
        }
    }
}
