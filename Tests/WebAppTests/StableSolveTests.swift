import Advisor
import Foundation
import Hummingbird
import HummingbirdTesting
import Scheduler
import ScenarioKit
import Synchronization
import Testing
import TimetableChecker
import TimetableFormat
import WebApp

/// The real solver, remembering which solves were given a baseline: a stable re-solve must be the
/// command line's roll-forward, not a solve that happens to come out the same.
final class BaselineRecordingSolver: TimetableSolver {
    private let baselines = Mutex([Bool]())
    private let real = SchedulerSolver()

    var solvedWithBaseline: [Bool] { baselines.withLock { $0 } }

    func solve(_ scenario: ValidatedScenario, options: SolveOptions,
               progress: @escaping @Sendable (SolveProgress) -> Void) throws(SolveFailure) -> CheckedTimetable {
        baselines.withLock { $0.append(options.baseline != nil) }
        return try real.solve(scenario, options: options, progress: progress)
    }

    func suggestChanges(for scenario: ValidatedScenario, timetable: Timetable, trials: Int, budget: TrialBudget) -> Advice {
        real.suggestChanges(for: scenario, timetable: timetable, trials: trials, budget: budget)
    }
}

/// Once a timetable is published, solves start from it; publishing a change that many people must be
/// told about waits for a confirmation.
@Suite(.timeLimit(.minutes(10))) struct StableSolveTests {
    func run(_ client: some TestClientProtocol, _ server: TestServer, _ id: Int) async throws -> [String: Any] {
        try await client.execute(uri: "/api/v1/runs/\(id)", method: .get, headers: server.adminHeaders) { try object($0.body) }
    }

    func solve(_ client: some TestClientProtocol, _ server: TestServer, scenario: Int, body: String) async throws -> [String: Any] {
        let id = try await client.execute(uri: "/api/v1/scenarios/\(scenario)/runs", method: .post, headers: server.adminHeaders,
                                          body: ByteBuffer(string: body)) { response in
            #expect(response.status == .accepted, "\(String(buffer: response.body))")
            return try #require(try object(response.body)["run"] as? Int)
        }
        return try await eventually("run \(id) to finish") {
            let run = try await run(client, server, id)
            return (run["state"] as? String).map { $0 == "queued" || $0 == "running" } == false ? run : nil
        }
    }

    func publish(_ client: some TestClientProtocol, _ server: TestServer, run: Int, body: String = "") async throws -> (HTTPResponse.Status, [String: Any]) {
        try await client.execute(uri: "/api/v1/runs/\(run)/publish", method: .post, headers: server.adminHeaders, body: ByteBuffer(string: body)) {
            ($0.status, try object($0.body))
        }
    }

    func upload(_ client: some TestClientProtocol, _ server: TestServer, _ text: String) async throws -> Int {
        var headers = server.adminHeaders
        headers[.contentType] = "application/yaml"
        return try await client.execute(uri: "/api/v1/scenarios", method: .post, headers: headers, body: ByteBuffer(string: text)) { response in
            #expect(response.status == .created || response.status == .ok, "\(String(buffer: response.body))")
            return try #require(try object(response.body)["id"] as? Int)
        }
    }

    @Test func aReSolveOfTheSameVersionStartsFromThePublishedTimetableAndChangesNothing() async throws {
        let solver = BaselineRecordingSolver()
        let server = try await TestServer.make(solver: solver)
        try await server.test { client in
            let scenario = try await upload(client, server, try bundledScenario("example.yaml"))
            let first = try await solve(client, server, scenario: scenario, body: #"{"timeLimit": 5}"#)
            #expect(first["state"] as? String == "done" && first["stableFrom"] == nil, "nothing is published yet: \(first)")
            let (status, published) = try await publish(client, server, run: 1)
            #expect(status == .ok && published["published"] as? Bool == true)
            #expect(try await run(client, server, 1)["live"] as? Bool == true)

            let again = try await solve(client, server, scenario: scenario, body: #"{"timeLimit": 5}"#)
            #expect(again["state"] as? String == "done" && again["stableFrom"] as? Int == 1, "\(again)")
            let (againStatus, republished) = try await publish(client, server, run: 2)
            #expect(againStatus == .ok)
            let events = try #require(republished["events"] as? [String: Int])
            #expect(events["changed"] == 0 && events["added"] == 0 && events["removed"] == 0, "\(events)")
            #expect((republished["affected"] as? [Any])?.isEmpty == true, "\(republished)")
            #expect(try await run(client, server, 1)["live"] as? Bool == false)
            #expect(try await run(client, server, 2)["live"] as? Bool == true)

            // The admin may still start over, explicitly.
            let scratch = try await solve(client, server, scenario: scenario, body: #"{"timeLimit": 5, "fromScratch": true}"#)
            #expect(scratch["state"] as? String == "done" && scratch["stableFrom"] == nil, "\(scratch)")

            // Next week's version, with a new student, rolls forward from the published week: she is
            // the only student whose week changes.
            let joining = "  - {id: nia-n, name: Nia N., needs: [{subject: math, modality: small-group, sessions: 1}, {subject: reading, modality: independent, sessions: 1}]}\n"
            _ = try await upload(client, server, try bundledScenario("example.yaml") + joining)
            let next = try await solve(client, server, scenario: scenario, body: #"{"timeLimit": 5}"#)
            #expect(next["state"] as? String == "done" && next["stableFrom"] as? Int == 2, "\(next)")
            let (_, preview) = try await publish(client, server, run: try #require(next["id"] as? Int))
            let told = try #require(preview["affected"] as? [[String: Any]]).filter { $0["role"] as? String == "student" }.compactMap { $0["id"] as? String }
            #expect(told == ["nia-n"], "\(told)")
            #expect(solver.solvedWithBaseline == [false, true, false, true])
        }
    }

    /// A new version that only moves a block's clock times changes no session, but it changes the
    /// calendars of everyone with a session in that block: they are told, and publishing asks first.
    @Test func aBlockMovedInTimeTellsEveryoneWithASessionInIt() async throws {
        let server = try await TestServer.make(solver: BaselineRecordingSolver())
        try await server.test { client in
            let week = try bundledScenario("example.yaml")
            let scenario = try await upload(client, server, week)
            _ = try await solve(client, server, scenario: scenario, body: #"{"timeLimit": 5}"#)
            _ = try await publish(client, server, run: 1)
            let sessions = try #require((try await run(client, server, 1)["timetable"] as? [String: Any])?["sessions"] as? [[String: Any]])
            let inFirstBlock = sessions.filter { $0["block"] as? String == "b1" }
            var expected = Set(inFirstBlock.flatMap { ($0["students"] as? [String] ?? []).map { "student/\($0)" } })
            for s in inFirstBlock { if let t = s["teacher"] as? String { expected.insert("teacher/\(t)") } }
            try #require(expected.count > 5, "the example has more than five people in its first block: \(expected)")

            let line = #"  - {id: b1, start: "08:30", end: "09:15"}"#
            try #require(week.contains(line))
            _ = try await upload(client, server, week.replacingOccurrences(of: line, with: #"  - {id: b1, start: "08:35", end: "09:15"}"#))
            let moved = try await solve(client, server, scenario: scenario, body: #"{"timeLimit": 5}"#)
            let id = try #require(moved["id"] as? Int)
            let (status, preview) = try await publish(client, server, run: id)
            #expect(status == .conflict, "more than five people's calendars change: \(preview)")
            let told = try #require(preview["affected"] as? [[String: Any]]).map { "\($0["role"] as? String ?? "")/\($0["id"] as? String ?? "")" }
            #expect(Set(told) == expected, "\(told)")
        }
    }

    @Test func aTeacherAwayChangesOnlyHisSessionsAndEveryOneTheAbsenceForbids() async throws {
        let server = try await TestServer.make(solver: BaselineRecordingSolver())
        try await server.test { client in
            let scenario = try await upload(client, server, try bundledScenario("example.yaml"))
            _ = try await solve(client, server, scenario: scenario, body: #"{"timeLimit": 5}"#)
            _ = try await publish(client, server, run: 1)
            let published = try #require(try await run(client, server, 1)["timetable"] as? [String: Any])
            let sessions = try #require(published["sessions"] as? [[String: Any]])
            let forced = sessions.filter { $0["teacher"] as? String == "garcia" && $0["day"] as? String == "mon" }
            try #require(!forced.isEmpty, "Mr. Garcia teaches on Monday in the published week")

            let change = #"{"changes": [{"name": "garcia-away-monday", "yaml": "teachers-unavailable: {garcia: [mon]}"}], "timeLimit": 8}"#
            let variant = try await client.execute(uri: "/api/v1/runs/1/whatif", method: .post, headers: server.adminHeaders,
                                                   body: ByteBuffer(string: change)) { response in
                #expect(response.status == .accepted, "\(String(buffer: response.body))")
                return try #require((try object(response.body)["runs"] as? [[String: Any]])?.first?["run"] as? Int)
            }
            let solved = try await eventually("the variant to finish") {
                let run = try await run(client, server, variant)
                return run["state"] as? String == "done" ? run : nil
            }
            let after = try #require((solved["timetable"] as? [String: Any])?["sessions"] as? [[String: Any]])
            func key(_ s: [String: Any]) -> String {
                ["day", "block", "subject", "modality", "teacher", "room"].map { "\(s[$0] ?? "")" }.joined(separator: "|")
                    + "|" + ((s["students"] as? [String]) ?? []).sorted().joined(separator: ",")
            }
            let kept = Set(after.map(key))
            let lost = sessions.filter { !kept.contains(key($0)) }
            // Every session on his Monday changes; nobody else's session does. (His Wednesday may
            // change too: with max-per-day 3, his Monday sessions can only go there.)
            #expect(Set(forced.map(key)).isSubset(of: Set(lost.map(key))), "\(lost.map(key)) vs \(forced.map(key))")
            #expect(lost.allSatisfy { $0["teacher"] as? String == "garcia" }, "changed beyond his sessions: \(lost.map(key))")
            #expect(lost.count <= sessions.filter { $0["teacher"] as? String == "garcia" }.count)
        }
    }

    /// The example published as run 1, then a version whose day starts an hour later in renamed
    /// blocks, solved from scratch: a replacement that changes everyone's week, whatever the solves
    /// find. Its run id.
    func replacement(_ client: some TestClientProtocol, _ server: TestServer) async throws -> Int {
        let example = try bundledScenario("example.yaml")
        let scenario = try await upload(client, server, example)
        _ = try await solve(client, server, scenario: scenario, body: #"{"timeLimit": 5}"#)
        _ = try await publish(client, server, run: 1)
        let hourLater = [("08:30", "09:15", "09:30", "10:15"), ("09:20", "10:05", "10:20", "11:05"),
                         ("10:15", "11:00", "11:15", "12:00"), ("11:05", "11:50", "12:05", "12:50")]
        var changed = example
        for (i, times) in hourLater.enumerated() {
            changed = changed.replacingOccurrences(of: #"{id: b\#(i + 1), start: "\#(times.0)", end: "\#(times.1)"}"#,
                                                   with: #"{id: b\#(i + 1), start: "\#(times.2)", end: "\#(times.3)"}"#)
        }
        for n in 1...4 { changed = changed.replacingOccurrences(of: "b\(n)", with: "p\(n)") }
        #expect(changed != example && !changed.contains("08:30") && !changed.contains("b1"))
        _ = try await upload(client, server, changed)
        let second = try await solve(client, server, scenario: scenario, body: #"{"timeLimit": 5, "fromScratch": true}"#)
        return try #require(second["id"] as? Int)
    }

    @Test func replacingAPublishedWeekForManyPeopleWaitsForAConfirmation() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let id = try await replacement(client, server)
            let (status, preview) = try await publish(client, server, run: id)
            let affected = try #require(preview["affected"] as? [[String: Any]])
            try #require(affected.count > PublishingService.confirmAbove, "the change must touch more than a few people: \(affected.count)")
            #expect(status == .conflict && preview["published"] as? Bool == false)
            #expect(try await run(client, server, 1)["live"] as? Bool == true, "nothing was published")
            // Each person's change is said in names and clock times.
            let lines = affected.flatMap { $0["changes"] as? [String] ?? [] }
            #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("Mon ") || $0.hasPrefix("Wed ") }, "\(lines)")
            let (confirmedStatus, confirmed) = try await publish(client, server, run: id, body: #"{"confirm": true}"#)
            #expect(confirmedStatus == .ok && confirmed["published"] as? Bool == true)
            #expect(try await run(client, server, id)["live"] as? Bool == true)
        }
    }

    @Test func thePagesMarkTheLiveRunOfferAFreshStartAndAskBeforeAWideChange() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let id = try await replacement(client, server)
            let session = try await signIn(client, server)
            let scenarioPage = try await client.execute(uri: "/scenarios/1", method: .get, headers: session.headers) { String(buffer: $0.body) }
            #expect(scenarioPage.contains(#"<tr class="live"><td><a href="/runs/1">1</a> <strong class="live-mark">published</strong>"#))
            #expect(scenarioPage.contains(#"id="fromScratch" name="fromScratch""#), "after a publication the admin may start over")
            let (publish, body) = session.form([:])
            let preview = try await client.execute(uri: "/runs/\(id)/publish", method: .post, headers: publish, body: body) { String(buffer: $0.body) }
            #expect(preview.contains("Publish run \(id)?") && preview.contains(#"name="confirm" value="yes""#) && preview.contains("id=\"confirm-publish\""))
            #expect(try await run(client, server, 1)["live"] as? Bool == true, "the preview publishes nothing")
            let (confirm, confirmBody) = session.form(["confirm": "yes"])
            let published = try await client.execute(uri: "/runs/\(id)/publish", method: .post, headers: confirm, body: confirmBody) { String(buffer: $0.body) }
            #expect(published.contains("<h1>Published</h1>") && published.contains("instead of run 1"))
            let runPage = try await client.execute(uri: "/runs/\(id)", method: .get, headers: session.headers) { String(buffer: $0.body) }
            #expect(runPage.contains(#"id="live""#))
            // A solve started from the page now starts from the new published run; from scratch, from nothing.
            for (fields, stableFrom) in [(["timeLimit": "5"], id as Int?), (["timeLimit": "5", "fromScratch": "yes"], nil)] {
                let (start, startBody) = session.form(fields)
                let location = try await client.execute(uri: "/scenarios/1/runs", method: .post, headers: start, body: startBody) { $0.headers[.location] ?? "" }
                let next = try #require(Int(location.split(separator: "/").last ?? ""), "a redirect to the new run: \(location)")
                #expect(try await run(client, server, next)["stableFrom"] as? Int == stableFrom, "\(fields)")
            }
        }
    }
}
