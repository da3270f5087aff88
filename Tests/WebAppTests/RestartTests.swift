import FlexschedTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ServerTestSupport
import Testing

/// The real `flexsched serve`, killed with SIGKILL during a solve and started again on the same data.
@Suite(.timeLimit(.minutes(10))) struct RestartTests {
    /// A `flexsched serve` child process on a loopback port, with its output in files.
    final class ServerProcess: @unchecked Sendable {
        let process = Process()
        let base: String
        let token: String

        convenience init(flexsched: String, data: String, port: Int, token: String, log: String) throws {
            try self.init(flexsched: flexsched, arguments: ["serve", "--data", data, "--port", "\(port)", "--workers", "1"], port: port,
                          token: token, log: log)
        }

        /// Any `flexsched` command (`port` is where it listens, if it serves).
        init(flexsched: String, arguments: [String], port: Int, token: String, log: String) throws {
            base = "http://127.0.0.1:\(port)"
            self.token = token
            process.executableURL = URL(fileURLWithPath: flexsched)
            process.arguments = arguments
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            // One handle for both, as `> log 2>&1` would share one: two handles would overwrite each other.
            let output = FileHandle(forWritingAtPath: log)
            process.standardOutput = output
            process.standardError = output
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }

        func request(_ path: String, method: String = "GET", body: String? = nil, contentType: String = "application/json") async throws -> (Int, Any?) {
            try await Caller(base: base, token: token).request(path, method: method, body: body, contentType: contentType)
        }

        func raw(_ path: String, method: String = "GET", body: String? = nil, contentType: String = "application/json",
                 authorized: Bool = true) async throws -> (Int, Data, [AnyHashable: Any]) {
            try await Caller(base: base, token: token).raw(path, method: method, body: body, contentType: contentType, authorized: authorized)
        }

        /// Someone calling the server's API with a token.
        struct Caller {
            let base: String
            let token: String

            func request(_ path: String, method: String = "GET", body: String? = nil, contentType: String = "application/json") async throws -> (Int, Any?) {
                let (status, data, _) = try await raw(path, method: method, body: body, contentType: contentType)
                return (status, try? JSONSerialization.jsonObject(with: data))
            }

            /// The status, body and headers as they came.
            func raw(_ path: String, method: String = "GET", body: String? = nil, contentType: String = "application/json",
                     authorized: Bool = true) async throws -> (Int, Data, [AnyHashable: Any]) {
                var request = URLRequest(url: URL(string: base + path)!)
                request.httpMethod = method
                if authorized { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
                if let body {
                    request.httpBody = Data(body.utf8)
                    request.setValue(contentType, forHTTPHeaderField: "Content-Type")
                }
                let (data, response) = try await URLSession.shared.data(for: request)
                let http = response as? HTTPURLResponse
                return (http?.statusCode ?? 0, data, http?.allHeaderFields ?? [:])
            }
        }

        func run(_ id: Int) async throws -> [String: Any] {
            let (status, json) = try await request("/api/v1/runs/\(id)")
            guard status == 200, let run = json as? [String: Any] else { throw TestFailure("GET run \(id) answered \(status)") }
            return run
        }

        /// Polls until the server answers; fails if the process ends first, or after three minutes
        /// (the whole suite, on two cores, can leave a starting server little time).
        func waitUntilListening() async throws {
            try await eventually("flexsched serve to answer on \(base)", within: 180) { () async throws -> Void? in
                guard process.isRunning else { throw TestFailure("flexsched serve exited with status \(process.terminationStatus)") }
                // Refused connections are expected until it listens.
                guard let (status, _) = try? await request("/api/v1/scenarios"), status == 200 else { return nil }
                return ()
            }
        }

        /// Polls the run until its state is one of `states` (a run that ends otherwise fails the test).
        func waitFor(run id: Int, _ states: Set<String>, within seconds: Double = 120) async throws -> [String: Any] {
            try await eventually("run \(id) to be \(states.sorted().joined(separator: " or "))", within: seconds) {
                let run = try await run(id)
                let state = run["state"] as? String ?? ""
                if states.contains(state) { return run }
                guard state == "queued" || state == "running" else { throw TestFailure("run \(id) ended \(state): \(run["summary"] ?? "")") }
                return nil
            }
        }

        func stop() {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
    }

    static func canonical(_ value: Any?) throws -> Data {
        try JSONSerialization.data(withJSONObject: try #require(value), options: [.sortedKeys])
    }

    @Test func aRunKilledMidSolveIsInterruptedAfterRestartAndEarlierRunsAreIntact() async throws {
        let flexsched = try #require(builtFlexsched(), "no built flexsched next to the tests")
        let data = NSTemporaryDirectory() + "flexsched-restart-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: data) }
        let added = try await offThePool { try runProcess(flexsched, ["users", "add", "ada", "--admin", "--data", data]) }
        #expect(added.status == 0, "\(added.stderr)")
        let token = try #require(added.stdout.split(separator: "\n").first { $0.hasPrefix("API token:") }?.split(separator: " ").last.map(String.init))
        let port = try freeLoopbackPort()

        let first = try ServerProcess(flexsched: flexsched, data: data, port: port, token: token, log: data + "/first.log")
        defer { first.stop() }
        try await first.waitUntilListening()
        // A server's log is a file; its start-up line must be there while it runs, not only at exit.
        let startLog = try String(contentsOfFile: data + "/first.log", encoding: .utf8)
        #expect(startLog.contains("flexsched serving http://"), "log: \(startLog)")
        let (uploaded, scenario) = try await first.request("/api/v1/scenarios", method: "POST", body: try bundledScenario("midsize-week.yaml"),
                                                           contentType: "application/yaml")
        #expect(uploaded == 201)
        let scenarioID = try #require((scenario as? [String: Any])?["id"] as? Int)
        let (shortStatus, short) = try await first.request("/api/v1/scenarios/\(scenarioID)/runs", method: "POST", body: #"{"timeLimit": 2}"#)
        #expect(shortStatus == 202)
        let earlierID = try #require((short as? [String: Any])?["run"] as? Int)
        let earlier = try await first.waitFor(run: earlierID, ["done"])
        let (_, long) = try await first.request("/api/v1/scenarios/\(scenarioID)/runs", method: "POST", body: #"{"timeLimit": 600}"#)
        let killedID = try #require((long as? [String: Any])?["run"] as? Int)
        _ = try await first.waitFor(run: killedID, ["running"])
        kill(first.process.processIdentifier, SIGKILL)
        first.process.waitUntilExit()
        #expect(first.process.terminationReason == .uncaughtSignal && first.process.terminationStatus == SIGKILL)

        let second = try ServerProcess(flexsched: flexsched, data: data, port: port, token: token, log: data + "/second.log")
        defer { second.stop() }
        try await second.waitUntilListening()
        let killed = try await second.run(killedID)
        #expect(killed["state"] as? String == "interrupted")
        let earlierAfter = try await second.run(earlierID)
        #expect(earlierAfter["state"] as? String == "done")
        #expect(try Self.canonical(earlierAfter["timetable"]) == Self.canonical(earlier["timetable"]))
        #expect(earlierAfter["summary"] as? String == earlier["summary"] as? String)
        let (listed, runs) = try await second.request("/api/v1/scenarios/\(scenarioID)/runs")
        #expect(listed == 200)
        let states = try #require(runs as? [[String: Any]]).compactMap { $0["state"] as? String }
        #expect(states.sorted() == ["done", "interrupted"])
    }
}
