import FlexschedTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ServerTestSupport
import Testing

/// A district on one PostgreSQL database: two `flexsched serve` processes that only serve and two
/// `flexsched worker` processes that solve, all real processes on loopback. Runs queued through one
/// server are watched live on the other; the worker holding a run is killed with SIGKILL and the
/// run is never lost or left `running`; a publication and a revoked link through one server reach
/// the other's feeds.
@Suite(.serialized, .timeLimit(.minutes(12))) struct DistrictTests {
    typealias Node = RestartTests.ServerProcess

    @Test func serversAndWorkersShareOneDatabaseAndSurviveAWorkerKilledMidSolve() async throws {
        guard TemporaryPostgres.binaries != nil || SharedPostgres.required else {
            try Test.cancel("PostgreSQL is not installed (apt-get install postgresql); CI runs this")
        }
        let flexsched = try #require(builtFlexsched(), "no built flexsched next to the tests")
        let postgres = try await TemporaryPostgres.start()
        // Stopped on a thread of their own: a test's cleanup must not hold one of the few cooperative threads.
        defer { Thread { postgres.stop() }.start() }
        try await postgres.createDatabase("district")
        let url = postgres.url(database: "district")
        let logs = NSTemporaryDirectory() + "flexsched-district-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: logs) }

        let added = try await offThePool { try runProcess(flexsched, ["users", "add", "ada", "--admin", "--database", url]) }
        #expect(added.status == 0, "\(added.stderr)")
        let token = try #require(added.stdout.split(separator: "\n").first { $0.hasPrefix("API token:") }?.split(separator: " ").last.map(String.init))
        let password = try #require(added.stdout.split(separator: "\n").first { $0.hasPrefix("password:") }?.split(separator: " ").last.map(String.init))
        let (portA, portB) = (try freeLoopbackPort(), try freeLoopbackPort())
        // Niced: in the whole suite, solving workers would otherwise take both cores from the test
        // process, whose other tests' in-process servers then miss their clients' deadlines.
        let niced = { (level: Int, arguments: [String]) in ["-n", "\(level)", flexsched] + arguments }
        let serverA = try Node(flexsched: "/usr/bin/nice", arguments: niced(5, ["serve", "--database", url, "--port", "\(portA)", "--workers", "0"]),
                               port: portA, token: token, log: logs + "/a.log")
        defer { kill(serverA.process.processIdentifier, SIGKILL) }
        let serverB = try Node(flexsched: "/usr/bin/nice", arguments: niced(5, ["serve", "--database", url, "--port", "\(portB)", "--workers", "0"]),
                               port: portB, token: token, log: logs + "/b.log")
        defer { kill(serverB.process.processIdentifier, SIGKILL) }
        let workers = try (1...2).map { index in
            try Node(flexsched: "/usr/bin/nice", arguments: niced(19, ["worker", "--database", url, "--jobs", "1"]), port: 0, token: token,
                     log: logs + "/w\(index).log")
        }
        defer { workers.forEach { kill($0.process.processIdentifier, SIGKILL) } }
        try await serverA.waitUntilListening()
        try await serverB.waitUntilListening()

        // The worker holding the long run (the only one of 20 s) dies mid-solve. Watched and killed
        // from a thread of its own, started before the runs are queued: in the whole suite a task can
        // wait longer for a cooperative thread than the run lasts.
        let workerPIDs = workers.map(\.process.processIdentifier)
        async let killing: (run: Int, pid: Int32)? = offThePool {
            let deadline = Date().addingTimeInterval(300)
            while Date() < deadline {
                let held = try postgres.queryBlocking("SELECT id, workerID FROM run WHERE timeLimit = 20 AND state = 'running'", database: "district")
                if let row = held.first, let run = Int(row[0]), let pid = workerPIDs.first(where: { row[1].contains("-\($0)-") }) {
                    kill(pid, SIGKILL)
                    return (run, pid)
                }
                usleep(100_000)
            }
            return nil
        }

        // Six runs queued through A.
        let (uploaded, scenario) = try await serverA.request("/api/v1/scenarios", method: "POST", body: try bundledScenario("midsize-week.yaml"),
                                                             contentType: "application/yaml")
        #expect(uploaded == 201)
        let scenarioID = try #require((scenario as? [String: Any])?["id"] as? Int)
        // The first run is long enough to be surely still solving when its worker is killed.
        var runIDs: [Int] = []
        for timeLimit in [20, 2, 2, 2, 2, 2] {
            let (status, body) = try await serverA.request("/api/v1/scenarios/\(scenarioID)/runs", method: "POST", body: #"{"timeLimit": \#(timeLimit)}"#)
            #expect(status == 202)
            runIDs.append(try #require((body as? [String: Any])?["run"] as? Int))
        }
        // B's event stream of the long run: progress from workers in other processes, across the death
        // of the first and the claim by the second, then its end. (A 2 s run may end before the stream opens.)
        let watchedPath = "/api/v1/runs/\(runIDs[0])/events"
        async let watched = serverB.raw(watchedPath)

        guard let (killedRun, killedPID) = try await killing else {
            let runs = try await postgres.query("SELECT id, state, workerID, attempts, summary FROM run ORDER BY id", database: "district")
            let workerLogs = (1...2).map { (try? String(contentsOfFile: logs + "/w\($0).log", encoding: .utf8)) ?? "" }
            Issue.record("no worker held the long run within 300 s\nruns: \(runs)\nworker logs: \(workerLogs.map { String($0.suffix(1_500)) })")
            return
        }
        let victim = try #require(workers.first { $0.process.processIdentifier == killedPID })
        victim.process.waitUntilExit()

        // Every run ends: none is lost, none stays running or queued.
        var final: [Int: String] = [:]
        for id in runIDs {
            final[id] = try await serverB.waitFor(run: id, ["done", "interrupted"], within: 300)["state"] as? String
        }
        #expect(final[killedRun] == "done" || final[killedRun] == "interrupted", "run \(killedRun): \(final[killedRun] ?? "?")")
        let attempts = try await postgres.query("SELECT attempts, state FROM run WHERE id = \(killedRun)", database: "district")
        #expect(attempts.first == ["2", final[killedRun] ?? ""], "the killed run was claimed again once: \(attempts)")
        let stuck = try await postgres.query("SELECT count(*) FROM run WHERE state IN ('queued', 'running')", database: "district")
        #expect(stuck == [["0"]])

        let (watchedStatus, watchedBody, _) = try await watched
        let stream = String(decoding: watchedBody, as: UTF8.self)
        #expect(watchedStatus == 200 && stream.contains("event: progress") && stream.contains("event: done"), "\(stream.prefix(500))")

        // Published through B, served by A (which caches the calendar by its token); the link
        // revoked through B, and A's cache hears of it: the old link opens nothing there either.
        let done = try #require(runIDs.first { final[$0] == "done" }, "runs: \(final)")
        let (feed, teacher) = try await publish(done, through: serverB, thenFeedOf: scenarioID, from: serverA)
        for _ in 0..<2 {
            let (status, body, _) = try await serverA.raw(feed, authorized: false)
            #expect(status == 200 && String(decoding: body, as: UTF8.self).hasPrefix("BEGIN:VCALENDAR"))
        }
        let (revoked, _) = try await serverB.request("/api/v1/feeds/teacher/\(teacher)?scenario=\(scenarioID)", method: "DELETE")
        #expect(revoked == 200)
        _ = try await eventually("server A to stop serving the revoked link", within: 30) { () async throws -> Void? in
            try await serverA.raw(feed, authorized: false).0 == 404 ? () : nil
        }

        // Another school's admin, made while the servers run, sees none of this school's data on either server.
        let added2 = try await offThePool { try runProcess(flexsched, ["schools", "add", "Other school", "--database", url]) }
        let otherSchool = added2.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let other = try await offThePool { try runProcess(flexsched, ["users", "add", "bea", "--school", otherSchool, "--admin", "--database", url]) }
        #expect(added2.status == 0 && other.status == 0, "\(added2.stderr)\(other.stderr)")
        let otherToken = try #require(other.stdout.split(separator: "\n").first { $0.hasPrefix("API token:") }?.split(separator: " ").last.map(String.init))
        for server in [serverA, serverB] {
            let outsider = Node.Caller(base: server.base, token: otherToken)
            let (listed, scenarios) = try await outsider.request("/api/v1/scenarios")
            #expect(listed == 200 && (scenarios as? [Any])?.isEmpty == true, "\(String(describing: scenarios))")
            for path in ["/api/v1/runs/\(killedRun)", "/api/v1/scenarios/\(scenarioID)/runs", "/api/v1/scenarios/\(scenarioID)/feeds"] {
                #expect(try await outsider.request(path).0 == 404, "\(path) for another school's admin")
            }
        }

        // A browser signed in on A is signed in on B; failed sign-ins count on every server.
        let signedIn = try await signIn(port: portA, password: password)
        let cookie = try #require(signedIn.split(separator: "\r\n").first { $0.hasPrefix("Set-Cookie: flexsched_session=") }?
            .dropFirst("Set-Cookie: ".count).split(separator: ";").first.map(String.init), "\(signedIn.prefix(400))")
        let page = try await http(port: portB, "GET /scenarios HTTP/1.1\r\nHost: b\r\nCookie: \(cookie)\r\n")
        #expect(page.hasPrefix("HTTP/1.1 200"), "\(page.prefix(200))")
        for _ in 0..<5 {
            let refused = try await signIn(port: portA, password: "wrong")
            #expect(refused.hasPrefix("HTTP/1.1 401"), "\(refused.prefix(200))")
        }
        let limited = try await signIn(port: portB, password: password)
        #expect(limited.hasPrefix("HTTP/1.1 429"), "the sixth attempt, on the other server: \(limited.prefix(200))")
    }

    /// The sign-in form as a browser posts it (its CSRF check compares the field with its cookie).
    private func signIn(port: Int, password: String) async throws -> String {
        let body = "csrf=form-token&name=ada&password=\(password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        return try await http(port: port, """
            POST /signin HTTP/1.1\r\nHost: a\r\nCookie: flexsched_signin=form-token\r\nContent-Type: application/x-www-form-urlencoded\r\n
            """, body: body)
    }

    /// One request on a connection of its own, answered in full.
    private func http(port: Int, _ head: String, body: String = "") async throws -> String {
        let connection = try RawConnection(port: port)
        _ = connection.send(head + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body)
        return try await connection.untilClosed(head.prefix(40).description, within: 60)
    }

    /// Publishes the run through one server; the path of a teacher's feed as the other lists it, and the teacher.
    private func publish(_ run: Int, through server: Node, thenFeedOf scenarioID: Int, from other: Node) async throws -> (String, String) {
        let (status, body) = try await server.request("/api/v1/runs/\(run)/publish", method: "POST", body: #"{"confirm": true}"#)
        #expect(status == 200, "publishing run \(run): \(String(describing: body))")
        let (listed, feeds) = try await other.request("/api/v1/scenarios/\(scenarioID)/feeds")
        #expect(listed == 200)
        let link = try #require((feeds as? [[String: Any]])?.first { $0["kind"] as? String == "teacher" })
        let url = try #require(link["url"] as? String)
        return (try #require(URL(string: url)?.path), try #require(link["id"] as? String))
    }
}
