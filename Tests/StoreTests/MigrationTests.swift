import Foundation
import GRDB
import PostgresNIO
@testable import PostgresStore
import ServerTestSupport
@testable import Store
import Testing

/// The two stores' migrations are one list: same ids, same order, each applied once however many
/// processes start together.
@Suite struct MigrationTests {
    @Test func postgresAppliesTheSameMigrationsAsSQLiteInTheSameOrder() throws {
        #expect(PostgresMigrations.all.map(\.id) == Store.migrator.migrations)
    }

    @Test func serversStartingTogetherOnOneDatabaseMigrateItOnce() async throws {
        guard let url = try await SharedPostgres.newDatabase() else {
            try Test.cancel("PostgreSQL is not installed (apt-get install postgresql); CI runs these")
        }
        let databases = try (0..<3).map { _ in try PostgresDatabase(url: url) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for database in databases {
                group.addTask { try await database.withRunning { _ in } }
            }
            try await group.waitForAll()
        }
        let reader = try PostgresDatabase(url: url)
        let applied = try await reader.withRunning { _ in try await PostgresMigrations.applied(client: reader.client, logger: reader.logger) }
        #expect(applied == Store.migrator.migrations)
    }

    @Test func aBadDatabaseAddressIsRefusedWithWhatToWrite() {
        for (url, says) in [("mysql://a@h/d", "postgres://"), ("postgres://h/d", "no user"), ("postgres://u@h", "no database"),
                            ("postgres://u@h/d?sslmode=maybe", "sslmode=maybe")] {
            #expect(throws: DatabaseURLError.self, "\(url)") { _ = try PostgresDatabase(url: url) }
            do { _ = try PostgresDatabase(url: url) } catch { #expect(error.description.contains(says), "\(url): \(error)") }
        }
    }
}


/// The schools migration written for PostgreSQL, on a database as the server before schools left it.
@Suite struct PostgresSchoolMigrationTests {
    @Test func aSingleSchoolDatabaseMovesIntoOneSchoolWithItsAdminsAsDistrictAdmins() async throws {
        guard let url = try await SharedPostgres.newDatabase() else {
            try Test.cancel("PostgreSQL is not installed (apt-get install postgresql); CI runs these")
        }
        let before = try PostgresDatabase(url: url)
        try await before.withRunning(migrated: false) { _ in
            try await PostgresMigrations.apply(client: before.client, logger: before.logger, upTo: "v2-stable-runs")
            let now = Date()
            for statement: PostgresQuery in [
                #"INSERT INTO "user" (id, name, isAdmin, passwordHash, apiTokenDigest, created) VALUES (1, 'ada', true, 'h1', 'd1', \#(now)), (2, 'vic', false, 'h2', 'd2', \#(now))"#,
                "INSERT INTO session (tokenDigest, userID, csrfToken, expires) VALUES ('s1', 2, 'c1', \(now.addingTimeInterval(3_600)))",
                "INSERT INTO scenario (id, name, created) VALUES (1, 'Example week', \(now))",
                "INSERT INTO scenarioVersion (id, scenarioID, version, format, body, uploadedBy, created, warnings) VALUES (1, 1, 1, 'yaml', 'x', 1, \(now), '[]')",
                "INSERT INTO run (id, scenarioVersionID, requestedBy, timeLimit, state, created) VALUES (1, 1, 1, 5, 'done', \(now))",
                "INSERT INTO feed (scenarioID, kind, entityID, name, token, revoked, created) VALUES (1, 'teacher', 'lee', 'Ms. Lee', 'tok-lee', false, \(now))",
                #"SELECT setval(pg_get_serial_sequence('"user"', 'id'), 2)"#,
            ] { try await before.client.query(statement, logger: before.logger) }
        }
        try await PostgresDatabase(url: url).withRunning { store in
            let school = try #require(try await store.schools.list().first { $0.name == "School" }?.id)
            let ada = try #require(try await store.users.user(name: "ada"))
            #expect(ada.role == .districtAdmin && ada.schoolID == nil)
            let vic = try #require(try await store.users.user(apiTokenDigest: "d2"))
            #expect(vic.role == .viewer && vic.schoolID == school)
            #expect(try await store.users.session(tokenDigest: "s1", now: Date())?.1.name == "vic")
            #expect(try await store.scenarios.scenario(id: 1, in: .school(school))?.schoolID == school)
            #expect(try await store.runs.run(id: 1, in: vic.scope)?.state == .done)
            #expect(try await store.feeds.feed(token: "tok-lee")?.entityID == "lee")
            await #expect(throws: (any Error).self, "a viewer belongs to a school") {
                _ = try await store.users.create(UserRecord(name: "x", role: .viewer, schoolID: nil, passwordHash: "h", apiTokenDigest: "dx"))
            }
            #expect(try await store.users.create(UserRecord(name: "y", role: .viewer, schoolID: school, passwordHash: "h", apiTokenDigest: "dy")).schoolID == school)
        }
    }
}
