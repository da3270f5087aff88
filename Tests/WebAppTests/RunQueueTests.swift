import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import Testing
import WebApp

/// The run queue solves as many runs side by side as it has workers. No clock decides it: the
/// solver holds each run at a gate that opens only once two runs are solving at the same moment.
@Suite(.timeLimit(.minutes(10))) struct RunQueueTests {
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

    /// A graceful stop (what SIGTERM does) asks the running solve to stop and waits for it to record
    /// its best timetable; a queued run stays queued for the next start.
    @Test func aGracefulStopInterruptsTheRunningSolveAndKeepsTheQueuedOne() async throws {
        // What is checked is that the stop waits for the solve; how long a loaded test machine's solve
        // takes to stop is not, so the deadline here is generous.
        let server = try await TestServer.make(solver: SchedulerSolver()) { $0.shutdownDeadline = 60 }
        let (running, queued) = try await server.test { client in
            var headers = server.adminHeaders
            headers[.contentType] = "application/yaml"
            let scenario = try await client.execute(uri: "/api/v1/scenarios", method: .post, headers: headers,
                                                    body: ByteBuffer(string: try bundledScenario("midsize-week.yaml"))) { response in
                try #require(try object(response.body)["id"] as? Int)
            }
            var runs: [Int] = []
            for _ in 0..<2 {
                runs.append(try await client.execute(uri: "/api/v1/scenarios/\(scenario)/runs", method: .post, headers: server.adminHeaders,
                                                     body: ByteBuffer(string: #"{"timeLimit": 600}"#)) { response in
                    try #require(try object(response.body)["run"] as? Int)
                })
            }
            try await eventually("run \(runs[0]) to start solving") { () async throws -> Void? in
                try await client.execute(uri: "/api/v1/runs/\(runs[0])", method: .get, headers: server.adminHeaders) { response in
                    try object(response.body)["state"] as? String == "running" ? () : nil
                }
            }
            return (Int64(runs[0]), Int64(runs[1]))
        }
        // `test` returns once the service group, and so the run queue, has stopped.
        let stopped = try #require(try await server.store.runs.run(id: running, in: .all))
        #expect(stopped.state == .interrupted, "\(stopped.summary ?? "")")
        #expect(stopped.timetable != nil && stopped.summary?.hasPrefix("interrupted: the server stopped") == true)
        #expect(try await server.store.runs.run(id: queued, in: .all)?.state == .queued)
    }
}
