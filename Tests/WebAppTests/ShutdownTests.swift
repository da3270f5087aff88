import FlexschedTestSupport
import Foundation
import ServerTestSupport
import Testing

/// The real `flexsched serve` stopped with SIGTERM while it solves, streams progress and holds a
/// slow client; and a second server started on its data folder. One at a time: in the whole suite
/// the test process's other work leaves little of the two cores to server processes.
@Suite(.serialized, .timeLimit(.minutes(10))) struct ShutdownTests {
    /// A data folder with an admin, and the admin's API token.
    static func dataFolder(_ flexsched: String, _ name: String) throws -> (String, String) {
        let data = NSTemporaryDirectory() + "flexsched-\(name)-\(UUID().uuidString)"
        let added = try runProcess(flexsched, ["users", "add", "ada", "--admin", "--data", data])
        #expect(added.status == 0, "\(added.stderr)")
        let token = try #require(added.stdout.split(separator: "\n").first { $0.hasPrefix("API token:") }?.split(separator: " ").last.map(String.init))
        return (data, token)
    }

    @Test func sigtermEndsTheServerWhileItSolvesStreamsAndHoldsASlowClient() async throws {
        let flexsched = try #require(builtFlexsched(), "no built flexsched next to the tests")
        let (data, token) = try Self.dataFolder(flexsched, "sigterm")
        defer { try? FileManager.default.removeItem(atPath: data) }
        let port = try freeLoopbackPort()
        let server = try RestartTests.ServerProcess(flexsched: flexsched, data: data, port: port, token: token, log: data + "/serve.log")
        defer { server.stop() }
        try await server.waitUntilListening()
        let (_, scenario) = try await server.request("/api/v1/scenarios", method: "POST", body: try bundledScenario("midsize-week.yaml"),
                                                     contentType: "application/yaml")
        let scenarioID = try #require((scenario as? [String: Any])?["id"] as? Int)
        var runs: [Int] = []
        for _ in 0..<2 {
            let (_, run) = try await server.request("/api/v1/scenarios/\(scenarioID)/runs", method: "POST", body: #"{"timeLimit": 600}"#)
            runs.append(try #require((run as? [String: Any])?["run"] as? Int))
        }
        _ = try await server.waitFor(run: runs[0], ["running"])
        // One worker: the second run stays queued, and its follower's stream would never end by itself.
        let follower = try RawConnection(port: port)
        follower.send("GET /api/v1/runs/\(runs[1])/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(token)\r\n\r\n")
        _ = try await eventually("the queued run's event stream to open") { () -> Bool? in
            follower.poll()
            return String(decoding: follower.received, as: UTF8.self).hasPrefix("HTTP/1.1 200") ? true : nil
        }
        let slow = try RawConnection(port: port)
        slow.send("GET /api/v1/scenarios HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")

        kill(server.process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(20)
        while server.process.isRunning {
            guard ContinuousClock.now < deadline else { throw TestFailure("waited 20 s for flexsched serve to end after SIGTERM") }
            slow.send("a")
            try await Task.sleep(for: .milliseconds(100))
        }
        let log = (try? String(contentsOfFile: data + "/serve.log", encoding: .utf8)) ?? ""
        #expect(server.process.terminationReason == .exit && server.process.terminationStatus == 0,
                "it stopped by itself (status \(server.process.terminationStatus)): \(log.suffix(2_000))")
        follower.poll()
        #expect(follower.closedByServer)
    }

    @Test func aSecondServerOnTheSameDataRefusesToStartNamingTheFirst() async throws {
        let flexsched = try #require(builtFlexsched(), "no built flexsched next to the tests")
        let (data, token) = try Self.dataFolder(flexsched, "second")
        defer { try? FileManager.default.removeItem(atPath: data) }
        let first = try RestartTests.ServerProcess(flexsched: flexsched, data: data, port: try freeLoopbackPort(), token: token,
                                                   log: data + "/first.log")
        defer { first.stop() }
        try await first.waitUntilListening()
        let second = try await offThePool { try runProcess(flexsched, ["serve", "--data", data, "--port", String(try freeLoopbackPort())]) }
        #expect(second.status == 2)
        #expect(second.stderr.contains("another flexsched server is using \(data)"), "\(second.stderr)")
        #expect(second.stderr.contains("pid \(first.process.processIdentifier), serving \(first.base)"), "\(second.stderr)")
        let (status, _) = try await first.request("/api/v1/scenarios")
        #expect(status == 200, "the first keeps serving")
    }
}
