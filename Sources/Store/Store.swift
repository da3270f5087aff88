import Foundation
import GRDB

/// The web app's state behind one repository per kind of record. The web app sees only the
/// protocols; `init(directory:)` and `inMemory()` put GRDB behind them, and a test may put anything.
public struct Store: Sendable {
    public let schools: any SchoolRepository
    public let users: any UserRepository
    public let scenarios: any ScenarioRepository
    public let runs: any RunRepository
    public let feeds: any FeedRepository
    public let events: any StoreEvents
    /// Several processes use this store at once (a district's servers and workers): none of them may
    /// treat the runs it finds `running` at its start as its own dead ones (`recoverAfterRestart`).
    public let isShared: Bool
    /// Only for the questions about the database itself (`journalMode`, `capSize`); nil when not GRDB.
    let writer: (any DatabaseWriter)?

    public init(schools: any SchoolRepository, users: any UserRepository, scenarios: any ScenarioRepository, runs: any RunRepository,
                feeds: any FeedRepository, events: any StoreEvents = LocalEvents(), isShared: Bool = false) {
        self.schools = schools
        self.users = users
        self.scenarios = scenarios
        self.runs = runs
        self.feeds = feeds
        self.events = events
        self.isShared = isShared
        writer = nil
    }

    /// The one SQLite database in `directory` (`flexsched.sqlite`, created with the folder if
    /// needed), in WAL mode so feeds and pages read while a run writes. Every write is one transaction.
    /// It holds password hashes and every private link: the folder is created for its owner alone
    /// (0700) and the database is kept at 0600 (SQLite gives its WAL files the database's mode).
    public init(directory: String) throws {
        let files = FileManager.default
        if !files.fileExists(atPath: directory) {
            try files.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let path = (directory as NSString).appendingPathComponent("flexsched.sqlite")
        if !files.fileExists(atPath: path) {
            guard files.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw StoreConflict("cannot create \(path)")
            }
        } else {
            try? files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // A CLI command writing while the server runs (`users add`) waits for the other write instead of failing.
        configuration.busyMode = .timeout(5)
        let pool = try DatabasePool(path: path, configuration: configuration)
        try Store.migrate(pool)
        self.init(database: pool)
    }

    /// A private in-memory database, for tests.
    public static func inMemory() throws -> Store {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        let queue = try DatabaseQueue(configuration: configuration)
        try migrate(queue)
        return Store(database: queue)
    }

    init(database: any DatabaseWriter) {
        schools = GRDBSchoolRepository(database: database)
        users = GRDBUserRepository(database: database)
        scenarios = GRDBScenarioRepository(database: database)
        runs = GRDBRunRepository(database: database)
        feeds = GRDBFeedRepository(database: database)
        events = LocalEvents()
        isShared = false
        writer = database
    }

    /// Whether the database runs in write-ahead-log mode (it must, for readers not to wait on runs).
    public func journalMode() async throws -> String? {
        guard let writer else { return nil }
        return try await writer.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// Brings the database to the latest migration. One that rebuilds a table leaves the old table's
    /// pages free inside the file; they are given back once, after the upgrade, so the file is as
    /// small as its data and a write that needs a page needs one from the disk.
    static func migrate(_ writer: any DatabaseWriter) throws {
        let upgrading = try writer.read { try !migrator.hasCompletedMigrations($0) }
        try migrator.migrate(writer)
        if upgrading { try writer.vacuum() }
    }

    /// Versioned: a migration, once released, is never edited; changes come as new ones.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "user") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("isAdmin", .boolean).notNull()
                t.column("passwordHash", .text).notNull()
                t.column("apiTokenDigest", .text).notNull().unique()
                t.column("created", .datetime).notNull()
            }
            try db.create(table: "session") { t in
                t.primaryKey("tokenDigest", .text)
                t.column("userID", .integer).notNull().references("user", onDelete: .cascade)
                t.column("csrfToken", .text).notNull()
                t.column("expires", .datetime).notNull()
            }
            try db.create(table: "scenario") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("created", .datetime).notNull()
            }
            try db.create(table: "scenarioVersion") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("scenarioID", .integer).notNull().references("scenario", onDelete: .cascade)
                t.column("version", .integer).notNull()
                t.column("format", .text).notNull()
                t.column("body", .text).notNull()
                t.column("uploadedBy", .integer).notNull().references("user")
                t.column("created", .datetime).notNull()
                t.column("warnings", .text).notNull()
                t.uniqueKey(["scenarioID", "version"])
            }
            try db.create(table: "run") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("scenarioVersionID", .integer).notNull().references("scenarioVersion", onDelete: .cascade)
                t.column("requestedBy", .integer).notNull().references("user")
                t.column("timeLimit", .double).notNull()
                t.column("state", .text).notNull().indexed()
                t.column("created", .datetime).notNull()
                t.column("started", .datetime)
                t.column("finished", .datetime)
                t.column("progress", .text)
                t.column("timetable", .text)
                t.column("summary", .text)
                t.column("baselineRunID", .integer).references("run")
                t.column("changeName", .text)
                t.column("changeText", .text)
            }
            try db.create(table: "publication") { t in
                t.primaryKey("scenarioID", .integer).references("scenario", onDelete: .cascade)
                t.column("runID", .integer).notNull().references("run")
                t.column("published", .datetime).notNull()
                t.column("publishedBy", .integer).notNull().references("user")
            }
            try db.create(table: "calendar") { t in
                t.column("scenarioID", .integer).notNull().references("scenario", onDelete: .cascade)
                t.column("kind", .text).notNull()
                t.column("entityID", .text).notNull()
                t.column("body", .blob).notNull()
                t.column("etag", .text).notNull()
                t.primaryKey(["scenarioID", "kind", "entityID"])
            }
            try db.create(table: "feed") { t in
                t.column("scenarioID", .integer).notNull().references("scenario", onDelete: .cascade)
                t.column("kind", .text).notNull()
                t.column("entityID", .text).notNull()
                t.column("name", .text).notNull()
                t.column("token", .text).notNull().unique()
                t.column("revoked", .boolean).notNull()
                t.column("created", .datetime).notNull()
                t.primaryKey(["scenarioID", "kind", "entityID"])
            }
        }
        // A solve that starts from the published timetable (the stability objective of `solve
        // --baseline`), told apart from a what-if variant, which cannot be published.
        migrator.registerMigration("v2-stable-runs") { db in
            try db.alter(table: "run") { t in t.add(column: "stableFromRunID", .integer).references("run") }
        }
        // Runs claimed by workers (in a district, on several machines), who beat a heartbeat while they solve.
        migrator.registerMigration("v3-run-workers") { db in
            try db.alter(table: "run") { t in
                t.add(column: "workerID", .text)
                t.add(column: "heartbeat", .datetime)
                t.add(column: "attempts", .integer).notNull().defaults(to: 0)
                t.add(column: "cancelRequested", .boolean).notNull().defaults(to: false)
            }
        }
        // The sign-in limit, counted in the store so that every server of a district counts the same attempts.
        migrator.registerMigration("v4-sign-in-attempts") { db in
            try db.create(table: "signInAttempt") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("address", .text).notNull().indexed()
                t.column("at", .datetime).notNull().indexed()
            }
        }
        // Schools as tenants. A data folder of one school becomes the district's first school,
        // "School": its scenarios are that school's, its admins district admins (nothing they could
        // do is lost), its other accounts that school's viewers. A new folder starts with it too, so
        // `users add` needs no --school while there is only one.
        migrator.registerMigration("v5-schools") { db in
            try db.create(table: "school") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("created", .datetime).notNull()
            }
            try db.execute(sql: "INSERT INTO school (name, created) VALUES ('School', ?)", arguments: [Date()])
            let school = db.lastInsertedRowID
            // SQLite cannot change a column's constraints in place: both tables are made anew and
            // their rows copied, ids kept (a migration runs with foreign keys off, checked at its end).
            try db.create(table: "newUser") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("role", .text).notNull()
                t.column("schoolID", .integer).references("school")
                t.column("passwordHash", .text).notNull()
                t.column("apiTokenDigest", .text).notNull().unique()
                t.column("created", .datetime).notNull()
                t.check(sql: "role IN ('district-admin', 'school-admin', 'viewer') AND (role = 'district-admin') = (schoolID IS NULL)")
            }
            try db.execute(sql: """
                INSERT INTO newUser (id, name, role, schoolID, passwordHash, apiTokenDigest, created)
                SELECT id, name, CASE WHEN isAdmin THEN 'district-admin' ELSE 'viewer' END, CASE WHEN isAdmin THEN NULL ELSE ? END,
                       passwordHash, apiTokenDigest, created FROM "user"
                """, arguments: [school])
            try db.drop(table: "user")
            try db.rename(table: "newUser", to: "user")
            try db.create(table: "newScenario") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("schoolID", .integer).notNull().references("school")
                t.column("name", .text).notNull()
                t.column("created", .datetime).notNull()
                t.uniqueKey(["schoolID", "name"])
            }
            try db.execute(sql: "INSERT INTO newScenario (id, schoolID, name, created) SELECT id, ?, name, created FROM scenario", arguments: [school])
            try db.drop(table: "scenario")
            try db.rename(table: "newScenario", to: "scenario")
        }
        return migrator
    }
}

/// A write that would break a rule of the store (a name taken, a run in the wrong state).
public struct StoreConflict: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
