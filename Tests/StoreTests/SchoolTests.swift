import Foundation
import GRDB
@testable import Store
import Testing

/// Schools as tenants in the store: the migration of a one-school data folder, and the scope every
/// question about a request's id is asked in.
@Suite struct SchoolTests {
    static func database() throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        return try DatabaseQueue(configuration: configuration)
    }

    /// A folder as the server before schools left it: an admin, a viewer, a scenario solved,
    /// published and linked, and a signed-in session.
    static func singleSchoolFolder() throws -> DatabaseQueue {
        let queue = try database()
        try Store.migrator.migrate(queue, upTo: "v2-stable-runs")
        try queue.write { db in
            let now = Date()
            try db.execute(sql: """
                INSERT INTO "user" (id, name, isAdmin, passwordHash, apiTokenDigest, created) VALUES (1, 'ada', 1, 'h1', 'd1', :now), (2, 'vic', 0, 'h2', 'd2', :now);
                INSERT INTO session (tokenDigest, userID, csrfToken, expires) VALUES ('s1', 2, 'c1', :later);
                INSERT INTO scenario (id, name, created) VALUES (1, 'Example week', :now);
                INSERT INTO scenarioVersion (id, scenarioID, version, format, body, uploadedBy, created, warnings) VALUES (1, 1, 1, 'yaml', 'x', 1, :now, '[]');
                INSERT INTO run (id, scenarioVersionID, requestedBy, timeLimit, state, created) VALUES (1, 1, 1, 5, 'done', :now);
                INSERT INTO publication (scenarioID, runID, published, publishedBy) VALUES (1, 1, :now, 1);
                INSERT INTO feed (scenarioID, kind, entityID, name, token, revoked, created) VALUES (1, 'teacher', 'lee', 'Ms. Lee', 'tok-lee', 0, :now);
                """, arguments: ["now": now, "later": now.addingTimeInterval(3_600)])
        }
        return queue
    }

    @Test func aSingleSchoolFolderMovesIntoOneSchoolWithItsAdminsAsDistrictAdmins() async throws {
        let queue = try Self.singleSchoolFolder()
        try Store.migrate(queue)
        #expect(try await queue.read { try Int.fetchOne($0, sql: "PRAGMA freelist_count") } == 0, "the rebuilt tables' old pages are given back")
        let store = Store(database: queue)
        let schools = try await store.schools.list()
        #expect(schools.map(\.name) == ["School"])
        let school = try #require(schools.first?.id)
        let ada = try #require(try await store.users.user(name: "ada"))
        #expect(ada.role == .districtAdmin && ada.schoolID == nil && ada.scope == .all)
        let vic = try #require(try await store.users.user(apiTokenDigest: "d2"))
        #expect(vic.role == .viewer && vic.schoolID == school && !vic.isAdmin)
        #expect(try await store.users.session(tokenDigest: "s1", now: Date())?.1.name == "vic", "sessions outlive the migration")
        #expect(try await store.scenarios.scenario(id: 1, in: .school(school))?.schoolID == school)
        #expect(try await store.runs.run(id: 1, in: vic.scope)?.state == .done)
        #expect(try await store.feeds.publication(scenarioID: 1)?.runID == 1)
        #expect(try await store.feeds.feed(token: "tok-lee")?.entityID == "lee")
        #expect(try await store.users.firstAdmin()?.name == "ada")
    }

    @Test func aNewFolderStartsWithOneSchoolAndTheTableRefusesASchoollessViewer() async throws {
        let queue = try Self.database()
        try Store.migrate(queue)
        let store = Store(database: queue)
        #expect(try await store.schools.list().map(\.name) == ["School"])
        await #expect(throws: DatabaseError.self) {
            _ = try await store.users.create(UserRecord(name: "x", role: .viewer, schoolID: nil, passwordHash: "h", apiTokenDigest: "d"))
        }
        await #expect(throws: DatabaseError.self) {
            _ = try await store.users.create(UserRecord(name: "y", role: .districtAdmin, schoolID: 1, passwordHash: "h", apiTokenDigest: "e"))
        }
        await #expect(throws: StoreConflict.self) { _ = try await store.schools.create(SchoolRecord(name: "School")) }
    }

    /// Another school's rows answer as rows that do not exist; the same name is another scenario there.
    @Test(arguments: Backend.allCases)
    func everyScopedQuestionSeesOnlyItsSchool(_ backend: Backend) async throws {
        try await backend.withStore { store in try await Self.scopedQuestions(store) }
    }

    static func scopedQuestions(_ store: Store) async throws {
        let north = try #require(try await store.schools.create(SchoolRecord(name: "North")).id)
        let user = try await store.users.create(UserRecord(name: "ada", role: .districtAdmin, schoolID: nil, passwordHash: "h", apiTokenDigest: "d"))
        let owners = [FeedOwner(kind: .teacher, id: "lee", name: "Ms. Lee")]
        let (a, aVersion) = try await store.scenarios.addVersion(name: "Week", schoolID: 1, format: "yaml", body: "a", uploadedBy: user.id!,
                                                                 warnings: "[]", owners: owners) { "token-a" }
        let (b, _) = try await store.scenarios.addVersion(name: "Week", schoolID: north, format: "yaml", body: "b", uploadedBy: user.id!,
                                                          warnings: "[]", owners: owners) { "token-b" }
        #expect(a.id != b.id, "names are unique per school, not globally")
        let run = try await store.runs.enqueue(RunRecord(scenarioVersionID: aVersion.id!, requestedBy: user.id!, timeLimit: 5))
        let other = SchoolScope.school(north), own = SchoolScope.school(1)
        #expect(try await store.scenarios.list(in: other).map(\.scenario.id) == [b.id])
        #expect(try await store.scenarios.list(in: .all).count == 2)
        #expect(try await store.scenarios.scenario(id: a.id!, in: other) == nil)
        #expect(try await store.scenarios.versions(scenarioID: a.id!, in: other).isEmpty)
        #expect(try await store.scenarios.latestVersion(scenarioID: a.id!, in: other) == nil)
        #expect(try await store.runs.run(id: run.id!, in: other) == nil)
        #expect(try await store.runs.run(id: run.id!, in: own)?.id == run.id)
        #expect(try await store.runs.list(in: other).isEmpty)
        #expect(try await store.runs.list(scenarioID: a.id!, in: other).isEmpty)
        #expect(try await store.runs.list(scenarioID: a.id!, in: own).count == 1)
        #expect(try await store.feeds.feeds(scenarioID: a.id!, in: other).isEmpty)
        #expect(try await store.feeds.feed(scenarioID: a.id!, kind: .teacher, entityID: "lee", in: other) == nil)
        #expect(try await store.feeds.rotate(scenarioID: a.id!, kind: .teacher, entityID: "lee", token: "new", in: other) == nil)
        #expect(try await store.feeds.revoke(scenarioID: a.id!, kind: .teacher, entityID: "lee", in: other) == nil)
        #expect(try await store.feeds.feed(token: "token-a")?.scenarioID == a.id, "unchanged by the refused rotation")
    }
}
