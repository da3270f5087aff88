import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WebApp

/// The run queue solves as many runs side by side as it has workers. No clock decides it: the
/// solver holds each run at a gate that opens only once two runs are solving at the same moment.
@Suite(.timeLimit(.minutes(3))) struct RunQueueTests {
    /// Uploads the example and starts `count` runs of it; returns the final state and summary of each.
    func solve(_ count: Int, on server: TestServer) async throws -> [(state: String, summary: String)] {
        try await server.test { client in
            var headers = server.adminHeaders
            headers[.contentType] = "application/yaml"
            let scenario = try await client.execute(uri: "/api/v1/scenarios", method: .post, headers: headers,
                                                    body: ByteBuffer(string: try bundledScenario("example.yaml"))) { response in
                try #require(try object(response.body)["id"] as? Int)
            }
            var runs: [Int] = []
            for _ in 0..<count {
                runs.append(try await client.execute(uri: "/api/v1/scenarios/\(scenario)/runs", method: .post, headers: server.adminHeaders,
                                                     body: ByteBuffer(string: #"{"timeLimit": 5}"#)) { response in
                    #expect(response.status == .accepted)
                    return try #require(try object(response.body)["run"] as? Int)
                })
            }
            var outcomes: [(String, String)] = []
            for run in runs {
                // The event stream ends when the run does.
                _ = try await client.execute(uri: "/api/v1/runs/\(run)/events", method: .get, headers: server.adminHeaders) { $0.status }
                outcomes.append(try await client.execute(uri: "/api/v1/runs/\(run)", method: .get, headers: server.adminHeaders) { response in
                    let body = try object(response.body)
                    return (body["state"] as? String ?? "", body["summary"] as? String ?? "")
                })
            }
            return outcomes
        }
    }

    @Test func twoWorkersSolveTwoRunsAtTheSameTime() async throws {
        let server = try await TestServer.make(workers: 2, solver: GateSolver(parties: 2, within: 60))
        let outcomes = try await solve(2, on: server)
        #expect(outcomes.map(\.state) == ["done", "done"], "\(outcomes)")
    }

    /// The gate is a real test: with one worker the runs come one after another, and it stays shut.
    @Test func oneWorkerNeverHasTwoRunsAtTheGate() async throws {
        let server = try await TestServer.make(workers: 1, solver: GateSolver(parties: 2, within: 1))
        let outcomes = try await solve(2, on: server)
        #expect(outcomes.map(\.state) == ["failed", "failed"], "\(outcomes)")
        #expect(outcomes.allSatisfy { $0.summary.contains("only 1 of 2 solves") }, "\(outcomes)")
    }
}
