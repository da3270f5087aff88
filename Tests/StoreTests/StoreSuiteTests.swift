import Foundation
import Store
import Testing

/// What the web app relies on from its store, asked of SQLite and PostgreSQL alike.
@Suite struct StoreSuiteTests {
    @Test(arguments: Backend.allCases)
    func usersAreFoundByIdNameAndTokenAndNamesAreUnique(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let ada = try await Fixture.user("ada", in: store)
            _ = try await Fixture.user("bo", admin: false, in: store)
            #expect(try await store.users.user(id: ada.id!)?.name == "ada")
            #expect(try await store.users.user(name: "bo")?.isAdmin == false)
            #expect(try await store.users.user(apiTokenDigest: "digest-ada")?.id == ada.id)
            #expect(try await store.users.user(name: "nobody") == nil)
            #expect(try await store.users.firstAdmin()?.id == ada.id)
            await #expect(throws: StoreConflict.self) { _ = try await Fixture.user("ada", in: store) }
        }
    }

    @Test(arguments: Backend.allCases)
    func twoAccountsOfOneNameAddedAtOnceGiveOneAccountAndOneConflict(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<2 {
                    group.addTask {
                        (try? await store.users.create(UserRecord(name: "same", role: .schoolAdmin, schoolID: 1, passwordHash: "h",
                                                                  apiTokenDigest: "digest-\(index)"))) != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1 && outcomes.count == 2)
        }
    }

    @Test(arguments: Backend.allCases)
    func parallelSignInsFromOneAddressTakeAtMostTheLimitWithinTheWindow(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let now = Date()
            let places = try await withThrowingTaskGroup(of: Int64?.self) { group in
                for _ in 0..<12 {
                    group.addTask { try await store.users.reserveSignIn(address: "10.0.0.1", limit: 5, window: 300, now: now) }
                }
                return try await group.reduce(into: [Int64]()) { if let place = $1 { $0.append(place) } }
            }
            #expect(places.count == 5)
            #expect(try await store.users.reserveSignIn(address: "10.0.0.2", limit: 5, window: 300, now: now) != nil)
            try await store.users.releaseSignIn(places[0])
            #expect(try await store.users.reserveSignIn(address: "10.0.0.1", limit: 5, window: 300, now: now) != nil)
            #expect(try await store.users.reserveSignIn(address: "10.0.0.1", limit: 5, window: 300, now: now) == nil)
            #expect(try await store.users.reserveSignIn(address: "10.0.0.1", limit: 5, window: 300, now: now.addingTimeInterval(301)) != nil)
        }
    }

    @Test(arguments: Backend.allCases)
    func sessionsEndAtTheirExpiryOrWhenEnded(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let ada = try await Fixture.user("ada", in: store)
            let now = Date()
            try await store.users.startSession(SessionRecord(tokenDigest: "live", userID: ada.id!, csrfToken: "c1", expires: now.addingTimeInterval(600)))
            try await store.users.startSession(SessionRecord(tokenDigest: "old", userID: ada.id!, csrfToken: "c2", expires: now.addingTimeInterval(60)))
            let (session, user) = try #require(try await store.users.session(tokenDigest: "live", now: now))
            #expect(session.csrfToken == "c1" && user.name == "ada")
            #expect(try await store.users.session(tokenDigest: "old", now: now.addingTimeInterval(120)) == nil)
            try await store.users.endSession(tokenDigest: "live")
            #expect(try await store.users.session(tokenDigest: "live", now: now) == nil)
        }
    }

    @Test(arguments: Backend.allCases)
    func uploadsBecomeVersionsAndGiveEachOwnerOneLink(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let ada = try await Fixture.user("ada", in: store)
            let (scenario, first) = try await Fixture.scenario(by: ada, in: store)
            let links = try await store.feeds.feeds(scenarioID: scenario.id!, in: .all)
            #expect(links.map(\.entityID) == ["s1", "t1"])
            let renamed = [FeedOwner(kind: .teacher, id: "t1", name: "Ada L."), FeedOwner(kind: .room, id: "r1", name: "Lab")]
            let (again, second) = try await store.scenarios.addVersion(name: "Week", schoolID: 1, format: "json", body: "{}", uploadedBy: ada.id!,
                                                                       warnings: "[\"w\"]", owners: renamed, newToken: { UUID().uuidString })
            #expect(again.id == scenario.id)
            #expect(first.version == 1 && second.version == 2)
            #expect(try await store.scenarios.versions(scenarioID: scenario.id!, in: .all).map(\.version) == [2, 1])
            #expect(try await store.scenarios.latestVersion(scenarioID: scenario.id!, in: .all)?.warnings == "[\"w\"]")
            #expect(try await store.scenarios.version(id: first.id!)?.body == "name: Week\n")
            let after = try await store.feeds.feeds(scenarioID: scenario.id!, in: .all)
            #expect(after.map(\.kind) == [.room, .student, .teacher])
            let teacher = try #require(after.first { $0.entityID == "t1" })
            #expect(teacher.name == "Ada L." && teacher.token == links.first { $0.entityID == "t1" }?.token)
        }
    }

    @Test(arguments: Backend.allCases)
    func theListGivesEachScenarioItsLatestVersionAndPublicationByName(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let ada = try await Fixture.user("ada", in: store)
            let (zeta, _) = try await Fixture.scenario("zeta", by: ada, in: store)
            _ = try await Fixture.scenario("Alpha", by: ada, in: store)
            let (_, latest) = try await Fixture.scenario("zeta", by: ada, in: store)
            let run = try await store.runs.enqueue(RunRecord(scenarioVersionID: latest.id!, requestedBy: ada.id!, timeLimit: 10))
            try await store.feeds.publish(PublicationRecord(scenarioID: zeta.id!, runID: run.id!, publishedBy: ada.id!), calendars: [])
            let listings = try await store.scenarios.list(in: .all)
            #expect(listings.map(\.scenario.name) == ["Alpha", "zeta"])
            #expect(listings[1].latest.version == 2 && listings[1].published?.runID == run.id)
            #expect(listings[0].published == nil)
        }
    }

    @Test(arguments: Backend.allCases)
    func queuedRunsAreClaimedOldestFirstAndACancelledOneNever(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let ada = try await Fixture.user("ada", in: store)
            let (scenario, version) = try await Fixture.scenario(by: ada, in: store)
            let runs = try await store.runs.enqueue([
                RunRecord(scenarioVersionID: version.id!, requestedBy: ada.id!, timeLimit: 10),
                RunRecord(scenarioVersionID: version.id!, requestedBy: ada.id!, timeLimit: 20, changeName: "no Tuesday", changeText: "x"),
            ])
            let (first, second) = (runs[0].id!, runs[1].id!)
            let claimed = try #require(try await store.runs.claim(worker: "w1", at: Date()))
            #expect(claimed.id == first && claimed.state == .running && claimed.workerID == "w1" && claimed.attempts == 1)
            #expect(try await store.runs.requestCancel(id: second) == .cancelled)
            #expect(try await store.runs.claim(worker: "w1", at: Date()) == nil)
            #expect(try await store.runs.requestCancel(id: 999_999) == nil)
            try await store.runs.recordProgress(id: first, json: "{\"unmet\":3}")
            #expect(try await !store.runs.finish(id: first, worker: "w2", state: .done, timetable: "{}", summary: "", progress: nil, at: Date()))
            #expect(try await store.runs.finish(id: first, worker: "w1", state: .done, timetable: "{}", summary: "all met", progress: nil, at: Date()))
            let done = try #require(try await store.runs.run(id: first, in: .all))
            #expect(done.state == .done && done.progress == "{\"unmet\":3}" && done.timetable == "{}" && done.finished != nil)
            #expect(try await store.runs.run(id: second, in: .all)?.changeName == "no Tuesday")
            #expect(try await store.runs.list(scenarioID: scenario.id!, in: .all, limit: 1).map(\.id) == [second])
            #expect(try await store.runs.list(scenarioID: nil, in: .all).map(\.id) == [second, first])
        }
    }

    @Test(arguments: Backend.allCases)
    func workersClaimingAtOnceNeverShareARun(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let (_, runs) = try await Fixture.queuedRuns(12, in: store)
            let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        var mine: [Int64] = []
                        while let run = try await store.runs.claim(worker: "w\(worker)", at: Date()) { mine.append(run.id!) }
                        return mine
                    }
                }
                return try await group.reduce(into: [Int64]()) { $0 += $1 }
            }
            #expect(claims.sorted() == runs.map { $0.id! })
        }
    }

    @Test(arguments: Backend.allCases)
    func aRunWhoseWorkerStopsBeatingIsQueuedAgainOnceThenInterrupted(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let (_, runs) = try await Fixture.queuedRuns(1, in: store)
            let run = runs[0]
            let start = Date()
            _ = try await store.runs.claim(worker: "dies", at: start)
            let beaten = try await store.runs.beat(worker: "dies", at: start.addingTimeInterval(5))
            #expect(beaten.held == [run.id!] && beaten.cancelRequested.isEmpty)
            // Fresh at 5 s: nothing is stale before 4 s.
            #expect(try await store.runs.requeueStale(heartbeatBefore: start.addingTimeInterval(4), maxAttempts: 2, at: start).requeued.isEmpty)
            let first = try await store.runs.requeueStale(heartbeatBefore: start.addingTimeInterval(20), maxAttempts: 2, at: start)
            #expect(first.requeued == [run.id!] && first.interrupted.isEmpty)
            #expect(try await store.runs.beat(worker: "dies", at: start).held.isEmpty)
            #expect(try await !store.runs.finish(id: run.id!, worker: "dies", state: .done, timetable: "{}", summary: "", progress: nil, at: start))
            let again = try #require(try await store.runs.claim(worker: "also-dies", at: start))
            #expect(again.id == run.id && again.attempts == 2)
            let second = try await store.runs.requeueStale(heartbeatBefore: start.addingTimeInterval(20), maxAttempts: 2, at: start)
            #expect(second.interrupted == [run.id!])
            #expect(try await store.runs.run(id: run.id!, in: .all)?.state == .interrupted)
        }
    }

    @Test(arguments: Backend.allCases)
    func cancellingARunningRunReachesItsWorkerWithTheHeartbeat(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let (_, runs) = try await Fixture.queuedRuns(1, in: store)
            let run = runs[0]
            _ = try await store.runs.claim(worker: "w", at: Date())
            #expect(try await store.runs.requestCancel(id: run.id!) == .running)
            #expect(try await store.runs.beat(worker: "w", at: Date()).cancelRequested == [run.id!])
        }
    }

    @Test(arguments: Backend.allCases)
    func aRestartInterruptsRunningRunsAndHandsBackQueuedOnesOldestFirst(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let (_, runs) = try await Fixture.queuedRuns(3, in: store)
            #expect(try await store.runs.claim(worker: "w", at: Date())?.id == runs[0].id)
            let (interrupted, queued) = try await store.runs.recoverAfterRestart()
            #expect(interrupted == 1)
            #expect(queued.map(\.id) == [runs[1].id, runs[2].id])
            #expect(try await store.runs.run(id: runs[0].id!, in: .all)?.state == .interrupted)
        }
    }

    @Test(arguments: Backend.allCases)
    func linksRotateAndRevokeAndARevokedTokenOpensNothing(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let ada = try await Fixture.user("ada", in: store)
            let (scenario, _) = try await Fixture.scenario(by: ada, in: store)
            let id = scenario.id!
            let old = try #require(try await store.feeds.feed(scenarioID: id, kind: .teacher, entityID: "t1", in: .all))
            #expect(try await store.feeds.feed(token: old.token)?.entityID == "t1")
            _ = try await store.feeds.revoke(scenarioID: id, kind: .teacher, entityID: "t1", in: .all)
            #expect(try await store.feeds.feed(token: old.token) == nil)
            let rotated = try #require(try await store.feeds.rotate(scenarioID: id, kind: .teacher, entityID: "t1", token: "new-token", in: .all))
            #expect(!rotated.revoked && rotated.token == "new-token")
            #expect(try await store.feeds.feed(token: "new-token")?.entityID == "t1")
            #expect(try await store.feeds.rotate(scenarioID: id, kind: .room, entityID: "nobody", token: "x", in: .all) == nil)
            let added = try await store.feeds.addIfMissing(FeedRecord(scenarioID: id, kind: .schoolClass, entityID: "7a", name: "7A", token: "class-1"))
            let again = try await store.feeds.addIfMissing(FeedRecord(scenarioID: id, kind: .schoolClass, entityID: "7a", name: "7A", token: "class-2"))
            #expect(added.token == "class-1" && again.token == "class-1")
        }
    }

    @Test(arguments: Backend.allCases)
    func publishingReplacesEveryCalendarAtOnceWithItsBytes(_ backend: Backend) async throws {
        try await backend.withStore { store in
            let ada = try await Fixture.user("ada", in: store)
            let (scenario, version) = try await Fixture.scenario(by: ada, in: store)
            let id = scenario.id!
            let runs = try await store.runs.enqueue([RunRecord(scenarioVersionID: version.id!, requestedBy: ada.id!, timeLimit: 5),
                                                     RunRecord(scenarioVersionID: version.id!, requestedBy: ada.id!, timeLimit: 5)])
            let bytes = Data([0, 1, 2, 255] + Array("BEGIN:VCALENDAR\r\n".utf8))
            try await store.feeds.publish(PublicationRecord(scenarioID: id, runID: runs[0].id!, publishedBy: ada.id!), calendars: [
                CalendarRecord(scenarioID: id, kind: .teacher, entityID: "t1", body: bytes, etag: "\"a\""),
                CalendarRecord(scenarioID: id, kind: .student, entityID: "s1", body: Data("s".utf8), etag: "\"b\""),
            ])
            #expect(try await store.feeds.calendar(scenarioID: id, kind: .teacher, entityID: "t1")?.body == bytes)
            try await store.feeds.publish(PublicationRecord(scenarioID: id, runID: runs[1].id!, publishedBy: ada.id!), calendars: [
                CalendarRecord(scenarioID: id, kind: .teacher, entityID: "t1", body: Data("v2".utf8), etag: "\"c\""),
            ])
            #expect(try await store.feeds.publication(scenarioID: id)?.runID == runs[1].id)
            let calendars = try await store.feeds.calendars(scenarioID: id)
            #expect(calendars.map(\.etag) == ["\"c\""])
            #expect(try await store.feeds.calendar(scenarioID: id, kind: .student, entityID: "s1") == nil)
        }
    }
}
