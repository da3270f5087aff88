import Foundation
import GRDB
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
        guard let url = try SharedPostgres.newDatabase() else {
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

