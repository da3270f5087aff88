import Logging
import PostgresNIO

/// The SQLite store's migrations (`Store.migrator`), one for one, with the same ids and the same
/// meaning in PostgreSQL's dialect. As there: once released, a migration is never edited.
/// Identifiers are left unquoted (PostgreSQL folds them to lower case) except the reserved `user`.
enum PostgresMigrations {
    static let all: [(id: String, statements: [String])] = [
        ("v1", [
            """
            CREATE TABLE "user" (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE, isAdmin BOOLEAN NOT NULL,
              passwordHash TEXT NOT NULL, apiTokenDigest TEXT NOT NULL UNIQUE, created TIMESTAMPTZ NOT NULL)
            """,
            """
            CREATE TABLE session (tokenDigest TEXT PRIMARY KEY, userID BIGINT NOT NULL REFERENCES "user" ON DELETE CASCADE,
              csrfToken TEXT NOT NULL, expires TIMESTAMPTZ NOT NULL)
            """,
            "CREATE TABLE scenario (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE, created TIMESTAMPTZ NOT NULL)",
            """
            CREATE TABLE scenarioVersion (id BIGSERIAL PRIMARY KEY, scenarioID BIGINT NOT NULL REFERENCES scenario ON DELETE CASCADE,
              version INTEGER NOT NULL, format TEXT NOT NULL, body TEXT NOT NULL, uploadedBy BIGINT NOT NULL REFERENCES "user",
              created TIMESTAMPTZ NOT NULL, warnings TEXT NOT NULL, UNIQUE (scenarioID, version))
            """,
            """
            CREATE TABLE run (id BIGSERIAL PRIMARY KEY, scenarioVersionID BIGINT NOT NULL REFERENCES scenarioVersion ON DELETE CASCADE,
              requestedBy BIGINT NOT NULL REFERENCES "user", timeLimit DOUBLE PRECISION NOT NULL, state TEXT NOT NULL,
              created TIMESTAMPTZ NOT NULL, started TIMESTAMPTZ, finished TIMESTAMPTZ, progress TEXT, timetable TEXT, summary TEXT,
              baselineRunID BIGINT REFERENCES run, changeName TEXT, changeText TEXT)
            """,
            "CREATE INDEX run_state ON run (state)",
            """
            CREATE TABLE publication (scenarioID BIGINT PRIMARY KEY REFERENCES scenario ON DELETE CASCADE,
              runID BIGINT NOT NULL REFERENCES run, published TIMESTAMPTZ NOT NULL, publishedBy BIGINT NOT NULL REFERENCES "user")
            """,
            """
            CREATE TABLE calendar (scenarioID BIGINT NOT NULL REFERENCES scenario ON DELETE CASCADE, kind TEXT NOT NULL,
              entityID TEXT NOT NULL, body BYTEA NOT NULL, etag TEXT NOT NULL, PRIMARY KEY (scenarioID, kind, entityID))
            """,
            """
            CREATE TABLE feed (scenarioID BIGINT NOT NULL REFERENCES scenario ON DELETE CASCADE, kind TEXT NOT NULL,
              entityID TEXT NOT NULL, name TEXT NOT NULL, token TEXT NOT NULL UNIQUE, revoked BOOLEAN NOT NULL,
              created TIMESTAMPTZ NOT NULL, PRIMARY KEY (scenarioID, kind, entityID))
            """,
        ]),
        ("v2-stable-runs", ["ALTER TABLE run ADD COLUMN stableFromRunID BIGINT REFERENCES run"]),
        ("v3-run-workers", [
            """
            ALTER TABLE run ADD COLUMN workerID TEXT, ADD COLUMN heartbeat TIMESTAMPTZ, ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0,
              ADD COLUMN cancelRequested BOOLEAN NOT NULL DEFAULT false
            """,
        ]),
        ("v4-sign-in-attempts", [
            "CREATE TABLE signInAttempt (id BIGSERIAL PRIMARY KEY, address TEXT NOT NULL, at TIMESTAMPTZ NOT NULL)",
            "CREATE INDEX signInAttempt_address ON signInAttempt (address)",
            "CREATE INDEX signInAttempt_at ON signInAttempt (at)",
        ]),
        ("v5-schools", [
            "CREATE TABLE school (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE, created TIMESTAMPTZ NOT NULL)",
            "INSERT INTO school (name, created) VALUES ('School', now())",
            """
            ALTER TABLE "user" ADD COLUMN role TEXT, ADD COLUMN schoolID BIGINT REFERENCES school
            """,
            """
            UPDATE "user" SET role = CASE WHEN isAdmin THEN 'district-admin' ELSE 'viewer' END,
                              schoolID = CASE WHEN isAdmin THEN NULL ELSE (SELECT min(id) FROM school) END
            """,
            """
            ALTER TABLE "user" DROP COLUMN isAdmin, ALTER COLUMN role SET NOT NULL,
              ADD CHECK (role IN ('district-admin', 'school-admin', 'viewer') AND (role = 'district-admin') = (schoolID IS NULL))
            """,
            "ALTER TABLE scenario ADD COLUMN schoolID BIGINT REFERENCES school",
            "UPDATE scenario SET schoolID = (SELECT min(id) FROM school)",
            "ALTER TABLE scenario ALTER COLUMN schoolID SET NOT NULL, DROP CONSTRAINT scenario_name_key, ADD UNIQUE (schoolID, name)",
        ]),
    ]

    /// Applies the missing migrations in order, each in its own transaction with its record, under
    /// one advisory lock held by one connection, so that servers and workers starting together
    /// migrate once (even `CREATE TABLE IF NOT EXISTS` fails when two run it at once).
    static func apply(client: PostgresClient, logger: Logger, upTo last: String? = nil) async throws {
        try await client.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(7151882)", logger: logger)
            do {
                try await connection.query("""
                    CREATE TABLE IF NOT EXISTS schemaMigration (id TEXT PRIMARY KEY, applied TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())
                    """, logger: logger)
                let done = Set(try await connection.rows("SELECT id FROM schemaMigration", logger: logger).map { try $0.decode(String.self) })
                let wanted = last.flatMap { last in all.firstIndex { $0.id == last }.map { Array(all[...$0]) } } ?? all
                for migration in wanted where !done.contains(migration.id) {
                    try await connection.withTransaction(logger: logger) { connection in
                        for statement in migration.statements {
                            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                        }
                        try await connection.query("INSERT INTO schemaMigration (id) VALUES (\(migration.id))", logger: logger)
                    }
                }
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(7151882)", logger: logger)
                throw error
            }
            try await connection.query("SELECT pg_advisory_unlock(7151882)", logger: logger)
        }
    }

    /// The ids applied, in order: the same list `Store.migrator` records for SQLite.
    static func applied(client: PostgresClient, logger: Logger) async throws -> [String] {
        try await client.query("SELECT id FROM schemaMigration ORDER BY applied", logger: logger).collect().map { try $0.decode(String.self) }
    }
}
