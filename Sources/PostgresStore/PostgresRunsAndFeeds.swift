import Foundation
import PostgresNIO
import Store

struct PostgresRunRepository: RunRepository {
    let database: PostgresConnectionSource

    func enqueue(_ runs: [RunRecord]) async throws -> [RunRecord] {
        let logger = database.logger
        return try await database.transaction { connection in
            var stored: [RunRecord] = []
            for var run in runs {
                run.id = try await connection.rows("""
                    INSERT INTO run (scenarioVersionID, requestedBy, timeLimit, state, created, started, finished, progress, timetable, summary,
                                     baselineRunID, changeName, changeText, stableFromRunID)
                    VALUES (\(run.scenarioVersionID), \(run.requestedBy), \(run.timeLimit), \(run.state.rawValue), \(run.created), \(run.started),
                            \(run.finished), \(run.progress), \(run.timetable), \(run.summary), \(run.baselineRunID), \(run.changeName),
                            \(run.changeText), \(run.stableFromRunID))
                    RETURNING id
                    """, logger: logger).first?.decode(Int64.self)
                stored.append(run)
            }
            return stored
        }
    }

    func run(id: Int64) async throws -> RunRecord? {
        try await database.first("SELECT \(unescaped: RunRecord.columns) FROM run WHERE id = \(id)").map(RunRecord.init)
    }

    func list(scenarioID: Int64?, limit: Int) async throws -> [RunRecord] {
        if let scenarioID {
            return try await database.rows("""
                SELECT \(unescaped: RunRecord.columns) FROM run JOIN scenarioVersion ON scenarioVersion.id = run.scenarioVersionID
                WHERE scenarioVersion.scenarioID = \(scenarioID) ORDER BY run.id DESC LIMIT \(limit)
                """).map(RunRecord.init)
        }
        return try await database.rows("SELECT \(unescaped: RunRecord.columns) FROM run ORDER BY id DESC LIMIT \(limit)").map(RunRecord.init)
    }

    func recoverAfterRestart() async throws -> (interrupted: Int, queued: [RunRecord]) {
        let logger = database.logger
        return try await database.transaction { connection in
            let interrupted = try await connection.rows("""
                UPDATE run SET state = \(RunState.interrupted.rawValue), finished = \(Date()),
                               summary = 'interrupted: the server stopped during the solve'
                WHERE state = \(RunState.running.rawValue) RETURNING id
                """, logger: logger).count
            let queued = try await connection.rows("""
                SELECT \(unescaped: RunRecord.columns) FROM run WHERE state = \(RunState.queued.rawValue) ORDER BY id
                """, logger: logger).map(RunRecord.init)
            return (interrupted, queued)
        }
    }

    func markRunning(id: Int64, at time: Date) async throws -> Bool {
        try await !database.rows("""
            UPDATE run SET state = \(RunState.running.rawValue), started = \(time) WHERE id = \(id) AND state = \(RunState.queued.rawValue) RETURNING id
            """).isEmpty
    }

    func recordProgress(id: Int64, json: String) async throws {
        _ = try await database.rows("UPDATE run SET progress = \(json) WHERE id = \(id)")
    }

    func finish(id: Int64, state: RunState, timetable: String?, summary: String, progress: String?, at time: Date) async throws {
        _ = try await database.rows("""
            UPDATE run SET state = \(state.rawValue), timetable = \(timetable), summary = \(summary), finished = \(time),
                           progress = COALESCE(\(progress), progress)
            WHERE id = \(id)
            """)
    }

    func cancelIfQueued(id: Int64) async throws -> RunState? {
        let logger = database.logger
        return try await database.transaction { connection in
            try await connection.query("""
                UPDATE run SET state = \(RunState.cancelled.rawValue), finished = \(Date()), summary = 'cancelled before it started'
                WHERE id = \(id) AND state = \(RunState.queued.rawValue)
                """, logger: logger)
            return try await connection.rows("SELECT state FROM run WHERE id = \(id)", logger: logger).first
                .flatMap { RunState(rawValue: try $0.decode(String.self)) }
        }
    }
}

struct PostgresFeedRepository: FeedRepository {
    let database: PostgresConnectionSource

    func feeds(scenarioID: Int64) async throws -> [FeedRecord] {
        // The kinds' and names' order in bytes, as SQLite sorts them.
        try await database.rows("""
            SELECT \(unescaped: FeedRecord.columns) FROM feed WHERE scenarioID = \(scenarioID)
            ORDER BY kind COLLATE "C", name COLLATE "C", entityID COLLATE "C"
            """).map(FeedRecord.init)
    }

    func feed(scenarioID: Int64, kind: FeedKind, entityID: String) async throws -> FeedRecord? {
        try await database.first("""
            SELECT \(unescaped: FeedRecord.columns) FROM feed WHERE scenarioID = \(scenarioID) AND kind = \(kind.rawValue) AND entityID = \(entityID)
            """).map(FeedRecord.init)
    }

    func feed(token: String) async throws -> FeedRecord? {
        try await database.first("SELECT \(unescaped: FeedRecord.columns) FROM feed WHERE token = \(token) AND NOT revoked").map(FeedRecord.init)
    }

    func rotate(scenarioID: Int64, kind: FeedKind, entityID: String, token: String) async throws -> FeedRecord? {
        try await database.first("""
            UPDATE feed SET token = \(token), revoked = false WHERE scenarioID = \(scenarioID) AND kind = \(kind.rawValue) AND entityID = \(entityID)
            RETURNING \(unescaped: FeedRecord.columns)
            """).map(FeedRecord.init)
    }

    func revoke(scenarioID: Int64, kind: FeedKind, entityID: String) async throws -> FeedRecord? {
        try await database.first("""
            UPDATE feed SET revoked = true WHERE scenarioID = \(scenarioID) AND kind = \(kind.rawValue) AND entityID = \(entityID)
            RETURNING \(unescaped: FeedRecord.columns)
            """).map(FeedRecord.init)
    }

    func addIfMissing(_ feed: FeedRecord) async throws -> FeedRecord {
        _ = try await database.rows("""
            INSERT INTO feed (scenarioID, kind, entityID, name, token, revoked, created)
            VALUES (\(feed.scenarioID), \(feed.kind.rawValue), \(feed.entityID), \(feed.name), \(feed.token), \(feed.revoked), \(feed.created))
            ON CONFLICT (scenarioID, kind, entityID) DO NOTHING
            """)
        guard let stored = try await self.feed(scenarioID: feed.scenarioID, kind: feed.kind, entityID: feed.entityID) else {
            throw StoreConflict("the link for \(feed.entityID) vanished while it was being stored")
        }
        return stored
    }

    func publication(scenarioID: Int64) async throws -> PublicationRecord? {
        try await database.first("SELECT \(unescaped: PublicationRecord.columns) FROM publication WHERE scenarioID = \(scenarioID)")
            .map(PublicationRecord.init)
    }

    func calendars(scenarioID: Int64) async throws -> [CalendarRecord] {
        try await database.rows("SELECT \(unescaped: CalendarRecord.columns) FROM calendar WHERE scenarioID = \(scenarioID)").map(CalendarRecord.init)
    }

    func calendar(scenarioID: Int64, kind: FeedKind, entityID: String) async throws -> CalendarRecord? {
        try await database.first("""
            SELECT \(unescaped: CalendarRecord.columns) FROM calendar WHERE scenarioID = \(scenarioID) AND kind = \(kind.rawValue) AND entityID = \(entityID)
            """).map(CalendarRecord.init)
    }

    func publish(_ publication: PublicationRecord, calendars: [CalendarRecord]) async throws {
        let logger = database.logger
        try await database.transaction { connection in
            try await connection.query("""
                INSERT INTO publication (scenarioID, runID, published, publishedBy)
                VALUES (\(publication.scenarioID), \(publication.runID), \(publication.published), \(publication.publishedBy))
                ON CONFLICT (scenarioID) DO UPDATE SET runID = EXCLUDED.runID, published = EXCLUDED.published, publishedBy = EXCLUDED.publishedBy
                """, logger: logger)
            try await connection.query("DELETE FROM calendar WHERE scenarioID = \(publication.scenarioID)", logger: logger)
            for calendar in calendars {
                try await connection.query("""
                    INSERT INTO calendar (scenarioID, kind, entityID, body, etag)
                    VALUES (\(calendar.scenarioID), \(calendar.kind.rawValue), \(calendar.entityID), \(calendar.body), \(calendar.etag))
                    """, logger: logger)
            }
        }
    }
}
