import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import Testing
import WebApp

/// Pages drawn once and kept: they follow every change of what they show, and never stand in for a
/// stored timetable that was not checked.
@Suite(.timeLimit(.minutes(10))) struct PageCacheTests {
    @Test func aPersonalPageFollowsRenamingRotationAndANewNonceEachTime() async throws {
        let server = try await TestServer.make()
        let example = try bundledScenario("example.yaml")
        try await server.test { client in
            _ = try await publishedExample(client, server, example)
            let lee = try await client.execute(uri: "/api/v1/scenarios/1/feeds", method: .get, headers: server.adminHeaders) { response in
                let feeds = try #require(try json(response.body) as? [[String: Any]])
                let page = try #require(feeds.first { $0["id"] as? String == "lee" }?["page"] as? String)
                return "/me/" + page.split(separator: "/").last!
            }
            var nonces: Set<String> = []
            for _ in 0..<2 {
                try await client.execute(uri: lee, method: .get) { response in
                    #expect(String(buffer: response.body).contains("Ms. Lee"))
                    let policy = try #require(response.headers[.contentSecurityPolicy])
                    nonces.insert(String(try #require(policy.firstMatch(of: /'nonce-([A-Za-z0-9_-]+)'/)?.1)))
                }
            }
            #expect(nonces.count == 2, "each answer has a nonce of its own, kept page or not")

            var yaml = server.adminHeaders
            yaml[.contentType] = "application/yaml"
            let renamed = example.replacingOccurrences(of: "name: Ms. Lee,", with: "name: Ms. Lee-Park,")
            #expect(renamed != example)
            try await client.execute(uri: "/api/v1/scenarios", method: .post, headers: yaml, body: ByteBuffer(string: renamed)) { #expect($0.status == .created) }
            try await client.execute(uri: lee, method: .get) { response in
                #expect(String(buffer: response.body).contains("Ms. Lee-Park"), "a new version's name shows at once")
            }
            try await client.execute(uri: "/api/v1/feeds/teacher/lee/rotate", method: .post, headers: server.adminHeaders) { #expect($0.status == .ok) }
            try await client.execute(uri: lee, method: .get) { #expect($0.status == .notFound, "the rotated link's page is gone at once") }
        }
    }

    @Test func aGridIsNeverServedForAStoredTimetableThatWasNotChecked() async throws {
        let server = try await TestServer.make()
        let example = try bundledScenario("example.yaml")
        try await server.test { client in
            _ = try await publishedExample(client, server, example)
            let session = try await signIn(client, server)
            try await client.execute(uri: "/runs/1/teachers/lee", method: .get, headers: session.headers) { #expect($0.status == .ok) }
            // The database is outside the process: a timetable changed there is read and checked again.
            let stored = try #require(try await server.store.runs.run(id: 1, in: .all))
            let moved = try #require(stored.timetable).replacingOccurrences(of: "\"room\" : \"", with: "\"room\" : \"nowhere-")
            #expect(moved != stored.timetable)
            try await server.store.runs.finish(id: 1, worker: nil, state: .done, timetable: moved, summary: stored.summary ?? "", progress: nil, at: Date())
            try await client.execute(uri: "/runs/1/teachers/lee", method: .get, headers: session.headers) { response in
                #expect(response.status == .conflict, "\(String(buffer: response.body).prefix(300))")
                #expect(String(buffer: response.body).contains("fails the independent check"))
            }
        }
    }
}
