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
                                     baselineRunID, changeName, changeText, stableFromRunID, workerID, heartbeat, attempts, cancelRequested)
                    VALUES (\(run.scenarioVersionID), \(run.requestedBy), \(run.timeLimit), \(run.state.rawValue), \(run.created), \(run.started),
                            \(run.finished), \(run.progress), \(run.timetable), \(run.summary), \(run.baselineRunID), \(run.changeName),
                            \(run.changeText), \(run.stableFromRunID), \(run.workerID), \(run.heartbeat), \(run.attempts), \(run.cancelRequested))
                    RETURNING id
                    """, logger: logger).first?.decode(Int64.self)
                stored.append(run)
            }
            return stored
        }
    }

    /// Runs with their scenario, for the scope's condition.
    private static let withScenario = """
        FROM run JOIN scenarioVersion ON scenarioVersion.id = run.scenarioVersionID JOIN scenario ON scenario.id = scenarioVersion.scenarioID
        """

    func run(id: Int64, in scope: SchoolScope) async throws -> RunRecord? {
        try await database.first("""
            SELECT \(unescaped: RunRecord.columns) \(unescaped: Self.withScenario) WHERE run.id = \(id) AND \(inSchool: scope)
            """).map(RunRecord.init)
    }

    func list(scenarioID: Int64?, in scope: SchoolScope, limit: Int) async throws -> [RunRecord] {
        try await database.rows("""
            SELECT \(unescaped: RunRecord.columns) \(unescaped: Self.withScenario)
            WHERE (\(scenarioID)::BIGINT IS NULL OR scenario.id = \(scenarioID)) AND \(inSchool: scope) ORDER BY run.id DESC LIMIT \(limit)
            """).map(RunRecord.init)
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

    func claim(worker: String, at time: Date) async throws -> RunRecord? {
        // SKIP LOCKED: workers claiming at once each take a different run instead of waiting on one.
        try await database.first("""
            UPDATE run SET state = \(RunState.running.rawValue), started = \(time), workerID = \(worker), heartbeat = \(time),
                           attempts = attempts + 1
            WHERE id = (SELECT id FROM run WHERE state = \(RunState.queued.rawValue) ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)
            RETURNING \(unescaped: RunRecord.columns)
            """).map(RunRecord.init)
    }

    func beat(worker: String, at time: Date) async throws -> (held: [Int64], cancelRequested: [Int64]) {
        let rows = try await database.rows("""
            UPDATE run SET heartbeat = \(time) WHERE state = \(RunState.running.rawValue) AND workerID = \(worker) RETURNING id, cancelRequested
            """)
        let runs = try rows.map { try $0.decode((Int64, Bool).self) }
        return (runs.map(\.0), runs.filter(\.1).map(\.0))
    }

    func requeueStale(heartbeatBefore before: Date, maxAttempts: Int, at time: Date) async throws -> (requeued: [Int64], interrupted: [Int64]) {
        // Every server and worker looks; SKIP LOCKED gives each stale run to one of them.
        let rows = try await database.rows("""
            WITH stale AS (
              SELECT id, attempts < \(maxAttempts) AND NOT cancelRequested AS again FROM run
              WHERE state = \(RunState.running.rawValue) AND heartbeat < \(before) FOR UPDATE SKIP LOCKED)
            UPDATE run SET
              state = CASE WHEN again THEN \(RunState.queued.rawValue) ELSE \(RunState.interrupted.rawValue) END,
              finished = CASE WHEN again THEN NULL ELSE \(time) END,
              summary = CASE WHEN again THEN 'queued again: its worker stopped answering'
                             WHEN attempts > 1 THEN 'interrupted: its worker stopped answering, twice'
                             ELSE 'interrupted: its worker stopped answering' END,
              workerID = NULL, heartbeat = NULL
            FROM stale WHERE run.id = stale.id
            RETURNING run.id, run.state
            """)
        var outcome: (requeued: [Int64], interrupted: [Int64]) = ([], [])
        for (id, state) in try rows.map({ try $0.decode((Int64, String).self) }) {
            if state == RunState.queued.rawValue { outcome.requeued.append(id) } else { outcome.interrupted.append(id) }
        }
        return outcome
    }

    func recordProgress(id: Int64, json: String) async throws {
        _ = try await database.rows("UPDATE run SET progress = \(json) WHERE id = \(id)")
    }

    func finish(id: Int64, worker: String?, state: RunState, timetable: String?, summary: String, progress: String?, at time: Date) async throws -> Bool {
        try await !database.rows("""
            UPDATE run SET state = \(state.rawValue), timetable = \(timetable), summary = \(summary), finished = \(time),
                           progress = COALESCE(\(progress), progress), workerID = NULL
            WHERE id = \(id) AND (\(worker)::TEXT IS NULL OR (workerID = \(worker) AND state = \(RunState.running.rawValue)))
            RETURNING id
            """).isEmpty
    }

    func requestCancel(id: Int64) async throws -> RunState? {
        try await database.first("""
            UPDATE run SET
              state = CASE WHEN state = \(RunState.queued.rawValue) THEN \(RunState.cancelled.rawValue) ELSE state END,
              finished = CASE WHEN state = \(RunState.queued.rawValue) THEN \(Date()) ELSE finished END,
              summary = CASE WHEN state = \(RunState.queued.rawValue) THEN 'cancelled before it started' ELSE summary END,
              cancelRequested = cancelRequested OR state = \(RunState.running.rawValue)
            WHERE id = \(id) RETURNING state
            """).flatMap { RunState(rawValue: try $0.decode(String.self)) }
    }
}

struct PostgresFeedRepository: FeedRepository {
    let database: PostgresConnectionSource

    func feeds(scenarioID: Int64, in scope: SchoolScope) async throws -> [FeedRecord] {
        // The kinds' and names' order in bytes, as SQLite sorts them.
        try await database.rows("""
            SELECT \(unescaped: FeedRecord.columns) FROM feed JOIN scenario ON scenario.id = feed.scenarioID
            WHERE feed.scenarioID = \(scenarioID) AND \(inSchool: scope)
            ORDER BY feed.kind COLLATE "C", feed.name COLLATE "C", feed.entityID COLLATE "C"
            """).map(FeedRecord.init)
    }

    func feed(scenarioID: Int64, kind: FeedKind, entityID: String, in scope: SchoolScope) async throws -> FeedRecord? {
        try await database.first("""
            SELECT \(unescaped: FeedRecord.columns) FROM feed JOIN scenario ON scenario.id = feed.scenarioID
            WHERE feed.scenarioID = \(scenarioID) AND kind = \(kind.rawValue) AND entityID = \(entityID) AND \(inSchool: scope)
            """).map(FeedRecord.init)
    }

    func feed(token: String) async throws -> FeedRecord? {
        try await database.first("SELECT \(unescaped: FeedRecord.columns) FROM feed WHERE token = \(token) AND NOT revoked").map(FeedRecord.init)
    }

    func rotate(scenarioID: Int64, kind: FeedKind, entityID: String, token: String, in scope: SchoolScope) async throws -> FeedRecord? {
        try await database.first("""
            UPDATE feed SET token = \(token), revoked = false FROM scenario
            WHERE scenario.id = feed.scenarioID AND feed.scenarioID = \(scenarioID) AND kind = \(kind.rawValue) AND entityID = \(entityID)
              AND \(inSchool: scope)
            RETURNING \(unescaped: FeedRecord.columns)
            """).map(FeedRecord.init)
    }

    func revoke(scenarioID: Int64, kind: FeedKind, entityID: String, in scope: SchoolScope) async throws -> FeedRecord? {
        try await database.first("""
            UPDATE feed SET revoked = true FROM scenario
            WHERE scenario.id = feed.scenarioID AND feed.scenarioID = \(scenarioID) AND kind = \(kind.rawValue) AND entityID = \(entityID)
              AND \(inSchool: scope)
            RETURNING \(unescaped: FeedRecord.columns)
            """).map(FeedRecord.init)
    }

    func addIfMissing(_ feed: FeedRecord) async throws -> FeedRecord {
        _ = try await database.rows("""
            INSERT INTO feed (scenarioID, kind, entityID, name, token, revoked, created)
            VALUES (\(feed.scenarioID), \(feed.kind.rawValue), \(feed.entityID), \(feed.name), \(feed.token), \(feed.revoked), \(feed.created))
            ON CONFLICT (scenarioID, kind, entityID) DO NOTHING
            """)
        guard let stored = try await self.feed(scenarioID: feed.scenarioID, kind: feed.kind, entityID: feed.entityID, in: .all) else {
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
