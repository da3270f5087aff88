import Foundation
import PostgresNIO
import Store

extension PostgresQuery.StringInterpolation {
    /// `\(inSchool: scope)`: the condition that keeps a question to its scope, on a query that
    /// names the `scenario` table.
    mutating func appendInterpolation(inSchool scope: SchoolScope) {
        appendLiteral("(")
        appendInterpolation(scope.schoolID)
        appendLiteral("::BIGINT IS NULL OR scenario.schoolID = ")
        appendInterpolation(scope.schoolID)
        appendLiteral(")")
    }
}

struct PostgresSchoolRepository: SchoolRepository {
    let database: PostgresConnectionSource

    func create(_ school: SchoolRecord) async throws -> SchoolRecord {
        guard let row = try await database.first("""
            INSERT INTO school (name, created) VALUES (\(school.name), \(school.created)) ON CONFLICT (name) DO NOTHING RETURNING id
            """) else { throw StoreConflict("there is already a school named \(school.name)") }
        var school = school
        school.id = try row.decode(Int64.self)
        return school
    }

    func list() async throws -> [SchoolRecord] {
        try await database.rows("SELECT id, name, created FROM school ORDER BY id").map(SchoolRecord.init)
    }

    func school(id: Int64) async throws -> SchoolRecord? {
        try await database.first("SELECT id, name, created FROM school WHERE id = \(id)").map(SchoolRecord.init)
    }
}

struct PostgresUserRepository: UserRepository {
    let database: PostgresConnectionSource

    func create(_ user: UserRecord) async throws -> UserRecord {
        // The unique name is the check: two servers adding one name at once get one user and one conflict.
        guard let row = try await database.first("""
            INSERT INTO "user" (name, role, schoolID, passwordHash, apiTokenDigest, created)
            VALUES (\(user.name), \(user.role.rawValue), \(user.schoolID), \(user.passwordHash), \(user.apiTokenDigest), \(user.created))
            ON CONFLICT (name) DO NOTHING RETURNING id
            """) else { throw StoreConflict("there is already a user named \(user.name)") }
        var user = user
        user.id = try row.decode(Int64.self)
        return user
    }

    func user(id: Int64) async throws -> UserRecord? {
        try await database.first(#"SELECT \#(unescaped: UserRecord.columns) FROM "user" WHERE id = \#(id)"#).map(UserRecord.init)
    }

    func user(name: String) async throws -> UserRecord? {
        try await database.first(#"SELECT \#(unescaped: UserRecord.columns) FROM "user" WHERE name = \#(name)"#).map(UserRecord.init)
    }

    func user(apiTokenDigest digest: String) async throws -> UserRecord? {
        try await database.first(#"SELECT \#(unescaped: UserRecord.columns) FROM "user" WHERE apiTokenDigest = \#(digest)"#).map(UserRecord.init)
    }

    func firstAdmin() async throws -> UserRecord? {
        try await database.first(#"SELECT \#(unescaped: UserRecord.columns) FROM "user" WHERE role <> 'viewer' ORDER BY id LIMIT 1"#).map(UserRecord.init)
    }

    func startSession(_ session: SessionRecord) async throws {
        try await database.transaction { connection in
            try await connection.query("DELETE FROM session WHERE expires < \(Date())", logger: database.logger)
            try await connection.query("""
                INSERT INTO session (tokenDigest, userID, csrfToken, expires)
                VALUES (\(session.tokenDigest), \(session.userID), \(session.csrfToken), \(session.expires))
                """, logger: database.logger)
        }
    }

    func session(tokenDigest: String, now: Date) async throws -> (SessionRecord, UserRecord)? {
        guard let row = try await database.first("""
            SELECT session.tokenDigest, session.userID, session.csrfToken, session.expires,
                   u.id, u.name, u.role, u.schoolID, u.passwordHash, u.apiTokenDigest, u.created
            FROM session JOIN "user" u ON u.id = session.userID WHERE session.tokenDigest = \(tokenDigest) AND session.expires > \(now)
            """) else { return nil }
        return (try SessionRecord(row), try UserRecord(row))
    }

    func endSession(tokenDigest: String) async throws {
        _ = try await database.rows("DELETE FROM session WHERE tokenDigest = \(tokenDigest)")
    }

    func reserveSignIn(address: String, limit: Int, window: Double, now: Date) async throws -> Int64? {
        let logger = database.logger
        return try await database.transaction { connection in
            // One address's attempts one at a time, whichever server they reach.
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(address)))", logger: logger)
            try await connection.query("DELETE FROM signInAttempt WHERE at <= \(now.addingTimeInterval(-window))", logger: logger)
            let recent = try await connection.rows("SELECT COUNT(*) FROM signInAttempt WHERE address = \(address)", logger: logger)
                .first?.decode(Int.self) ?? 0
            guard recent < limit else { return nil }
            return try await connection.rows("INSERT INTO signInAttempt (address, at) VALUES (\(address), \(now)) RETURNING id", logger: logger)
                .first?.decode(Int64.self)
        }
    }

    func releaseSignIn(_ reservation: Int64) async throws {
        _ = try await database.rows("DELETE FROM signInAttempt WHERE id = \(reservation)")
    }
}

struct PostgresScenarioRepository: ScenarioRepository {
    let database: PostgresConnectionSource

    func addVersion(name: String, schoolID: Int64, format: String, body: String, uploadedBy: Int64, warnings: String,
                    owners: [FeedOwner], newToken: @escaping @Sendable () -> String) async throws -> (ScenarioRecord, ScenarioVersionRecord) {
        let logger = database.logger
        return try await database.transaction { connection in
            // Two uploads of one new name at once: the second waits on the first's row, then finds it.
            try await connection.query("""
                INSERT INTO scenario (schoolID, name, created) VALUES (\(schoolID), \(name), \(Date())) ON CONFLICT (schoolID, name) DO NOTHING
                """, logger: logger)
            guard let scenarioRow = try await connection.rows("""
                SELECT \(unescaped: ScenarioRecord.columns) FROM scenario WHERE schoolID = \(schoolID) AND name = \(name) FOR UPDATE
                """, logger: logger).first else {
                throw StoreConflict("the scenario \(name) vanished while it was being stored")
            }
            let scenario = try ScenarioRecord(scenarioRow)
            let scenarioID = scenario.id!
            let last = try await connection.rows("SELECT COALESCE(MAX(version), 0) FROM scenarioVersion WHERE scenarioID = \(scenarioID)",
                                                 logger: logger).first?.decode(Int.self) ?? 0
            var version = ScenarioVersionRecord(scenarioID: scenarioID, version: last + 1, format: format, body: body,
                                                uploadedBy: uploadedBy, warnings: warnings)
            version.id = try await connection.rows("""
                INSERT INTO scenarioVersion (scenarioID, version, format, body, uploadedBy, created, warnings)
                VALUES (\(scenarioID), \(version.version), \(format), \(body), \(uploadedBy), \(version.created), \(warnings)) RETURNING id
                """, logger: logger).first?.decode(Int64.self)
            for owner in owners {
                try await connection.query("""
                    INSERT INTO feed (scenarioID, kind, entityID, name, token, revoked, created)
                    VALUES (\(scenarioID), \(owner.kind.rawValue), \(owner.id), \(owner.name), \(newToken()), false, \(Date()))
                    ON CONFLICT (scenarioID, kind, entityID) DO UPDATE SET name = EXCLUDED.name WHERE feed.name <> EXCLUDED.name
                    """, logger: logger)
            }
            return (scenario, version)
        }
    }

    func list(in scope: SchoolScope) async throws -> [ScenarioListing] {
        let rows = try await database.rows("""
            SELECT DISTINCT ON (scenario.id) scenario.id, scenario.schoolID, scenario.name, scenario.created,
                   v.id AS vid, v.version, v.format, v.body, v.uploadedBy, v.created AS vcreated, v.warnings,
                   p.runID, p.published, p.publishedBy
            FROM scenario JOIN scenarioVersion v ON v.scenarioID = scenario.id LEFT JOIN publication p ON p.scenarioID = scenario.id
            WHERE \(inSchool: scope) ORDER BY scenario.id, v.version DESC
            """)
        let listings = try rows.map { row in
            let cells = row.makeRandomAccess()
            let scenario = try ScenarioRecord(row)
            var latest = ScenarioVersionRecord(scenarioID: scenario.id!, version: try cells["version"].decode(Int.self),
                                               format: try cells["format"].decode(String.self), body: try cells["body"].decode(String.self),
                                               uploadedBy: try cells["uploadedby"].decode(Int64.self), created: try cells["vcreated"].decode(Date.self),
                                               warnings: try cells["warnings"].decode(String.self))
            latest.id = try cells["vid"].decode(Int64.self)
            let published = try cells["runid"].decode(Int64?.self).map { runID in
                PublicationRecord(scenarioID: scenario.id!, runID: runID, published: try cells["published"].decode(Date.self),
                                  publishedBy: try cells["publishedby"].decode(Int64.self))
            }
            return ScenarioListing(scenario: scenario, latest: latest, published: published)
        }
        // By name in byte order, as SQLite sorts them, whatever collation the database was made with.
        return listings.sorted {
            $0.scenario.name == $1.scenario.name ? $0.scenario.id! < $1.scenario.id! : $0.scenario.name.utf8.lexicographicallyPrecedes($1.scenario.name.utf8)
        }
    }

    func scenario(id: Int64, in scope: SchoolScope) async throws -> ScenarioRecord? {
        try await database.first("SELECT \(unescaped: ScenarioRecord.columns) FROM scenario WHERE id = \(id) AND \(inSchool: scope)")
            .map(ScenarioRecord.init)
    }

    func version(id: Int64) async throws -> ScenarioVersionRecord? {
        try await database.first("SELECT \(unescaped: ScenarioVersionRecord.columns) FROM scenarioVersion v WHERE id = \(id)").map(ScenarioVersionRecord.init)
    }

    func versions(scenarioID: Int64, in scope: SchoolScope) async throws -> [ScenarioVersionRecord] {
        try await database.rows("""
            SELECT \(unescaped: ScenarioVersionRecord.columns) FROM scenarioVersion v JOIN scenario ON scenario.id = v.scenarioID
            WHERE v.scenarioID = \(scenarioID) AND \(inSchool: scope) ORDER BY version DESC
            """).map(ScenarioVersionRecord.init)
    }

    func latestVersion(scenarioID: Int64, in scope: SchoolScope) async throws -> ScenarioVersionRecord? {
        try await database.first("""
            SELECT \(unescaped: ScenarioVersionRecord.columns) FROM scenarioVersion v JOIN scenario ON scenario.id = v.scenarioID
            WHERE v.scenarioID = \(scenarioID) AND \(inSchool: scope) ORDER BY version DESC LIMIT 1
            """).map(ScenarioVersionRecord.init)
    }
}
