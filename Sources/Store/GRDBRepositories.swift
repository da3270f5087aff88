import Foundation
import GRDB

/// One row through a statement prepared once per connection: the reads that every page, feed and
/// API call makes (a session, a token, a run and its version) skip building and preparing their SQL.
private func one<Record: FetchableRecord>(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws -> Record? {
    try Record.fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
}

/// The condition that keeps a question to its scope, on a query that names the `scenario` table and binds `:school`.
private let inSchool = "(:school IS NULL OR scenario.schoolID = :school)"

/// Whether the scenario exists within the scope: what every scoped question about its rows asks first.
private func isInScope(_ db: Database, scenarioID: Int64, _ scope: SchoolScope) throws -> Bool {
    try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM scenario WHERE id = :id AND \(inSchool))"),
                      arguments: ["id": scenarioID, "school": scope.schoolID]) ?? false
}

/// Inserts a user or a school, whose names are unique: a taken one is a `StoreConflict` that says so.
private func insertNamed<Record: MutablePersistableRecord & FetchableRecord & Sendable>(
    _ record: Record, name: String, kind: String, into database: any DatabaseWriter
) async throws -> Record {
    try await database.write { db in
        if try Record.filter(Column("name") == name).fetchCount(db) > 0 { throw StoreConflict("there is already a \(kind) named \(name)") }
        var record = record
        try record.insert(db)
        return record
    }
}

struct GRDBSchoolRepository: SchoolRepository {
    let database: any DatabaseWriter

    func create(_ school: SchoolRecord) async throws -> SchoolRecord {
        try await insertNamed(school, name: school.name, kind: "school", into: database)
    }

    func list() async throws -> [SchoolRecord] {
        try await database.read { try SchoolRecord.order(Column("id")).fetchAll($0) }
    }

    func school(id: Int64) async throws -> SchoolRecord? {
        try await database.read { try SchoolRecord.fetchOne($0, key: id) }
    }
}

struct GRDBUserRepository: UserRepository {
    let database: any DatabaseWriter

    func create(_ user: UserRecord) async throws -> UserRecord {
        try await insertNamed(user, name: user.name, kind: "user", into: database)
    }

    func user(id: Int64) async throws -> UserRecord? {
        try await database.read { try one($0, #"SELECT * FROM "user" WHERE id = ?"#, [id]) }
    }

    func user(name: String) async throws -> UserRecord? {
        try await database.read { try UserRecord.filter(Column("name") == name).fetchOne($0) }
    }

    func user(apiTokenDigest digest: String) async throws -> UserRecord? {
        try await database.read { try one($0, #"SELECT * FROM "user" WHERE apiTokenDigest = ?"#, [digest]) }
    }

    func firstAdmin() async throws -> UserRecord? {
        try await database.read { try UserRecord.filter(Column("role") != UserRole.viewer.rawValue).order(Column("id")).fetchOne($0) }
    }

    func startSession(_ session: SessionRecord) async throws {
        try await database.write { db in
            try SessionRecord.filter(Column("expires") < Date()).deleteAll(db)
            try session.insert(db)
        }
    }

    func session(tokenDigest: String, now: Date) async throws -> (SessionRecord, UserRecord)? {
        try await database.read { db in
            guard let session: SessionRecord = try one(db, "SELECT * FROM session WHERE tokenDigest = ?", [tokenDigest]), session.expires > now,
                  let user: UserRecord = try one(db, #"SELECT * FROM "user" WHERE id = ?"#, [session.userID]) else { return nil }
            return (session, user)
        }
    }

    func endSession(tokenDigest: String) async throws {
        _ = try await database.write { try SessionRecord.deleteOne($0, key: tokenDigest) }
    }

    func reserveSignIn(address: String, limit: Int, window: Double, now: Date) async throws -> Int64? {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM signInAttempt WHERE at <= ?", arguments: [now.addingTimeInterval(-window)])
            let recent = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM signInAttempt WHERE address = ?", arguments: [address]) ?? 0
            guard recent < limit else { return nil }
            try db.execute(sql: "INSERT INTO signInAttempt (address, at) VALUES (?, ?)", arguments: [address, now])
            return db.lastInsertedRowID
        }
    }

    func releaseSignIn(_ reservation: Int64) async throws {
        try await database.write { try $0.execute(sql: "DELETE FROM signInAttempt WHERE id = ?", arguments: [reservation]) }
    }
}

struct GRDBScenarioRepository: ScenarioRepository {
    let database: any DatabaseWriter

    func addVersion(name: String, schoolID: Int64, format: String, body: String, uploadedBy: Int64, warnings: String,
                    owners: [FeedOwner], newToken: @escaping @Sendable () -> String) async throws -> (ScenarioRecord, ScenarioVersionRecord) {
        try await database.write { db in
            var scenario = try ScenarioRecord.filter(Column("schoolID") == schoolID && Column("name") == name).fetchOne(db)
                ?? ScenarioRecord(schoolID: schoolID, name: name)
            if scenario.id == nil { try scenario.insert(db) }
            let scenarioID = scenario.id!
            let last = try Int.fetchOne(db, sql: "SELECT MAX(version) FROM scenarioVersion WHERE scenarioID = ?", arguments: [scenarioID]) ?? 0
            var version = ScenarioVersionRecord(scenarioID: scenarioID, version: last + 1, format: format, body: body,
                                                uploadedBy: uploadedBy, warnings: warnings)
            try version.insert(db)
            for owner in owners {
                if var existing = try FeedRecord.fetchOne(db, key: ["scenarioID": scenarioID, "kind": owner.kind.rawValue, "entityID": owner.id]) {
                    if existing.name != owner.name {
                        existing.name = owner.name
                        try existing.update(db)
                    }
                } else {
                    try FeedRecord(scenarioID: scenarioID, kind: owner.kind, entityID: owner.id, name: owner.name, token: newToken()).insert(db)
                }
            }
            return (scenario, version)
        }
    }

    func list(in scope: SchoolScope) async throws -> [ScenarioListing] {
        try await database.read { db in
            try ScenarioRecord.fetchAll(db, sql: "SELECT * FROM scenario WHERE \(inSchool) ORDER BY name, id", arguments: ["school": scope.schoolID])
                .compactMap { scenario in
                    guard let latest = try ScenarioVersionRecord.filter(Column("scenarioID") == scenario.id!)
                        .order(Column("version").desc).fetchOne(db) else { return nil }
                    return ScenarioListing(scenario: scenario, latest: latest, published: try PublicationRecord.fetchOne(db, key: scenario.id!))
                }
        }
    }

    func scenario(id: Int64, in scope: SchoolScope) async throws -> ScenarioRecord? {
        try await database.read { try one($0, "SELECT * FROM scenario WHERE id = :id AND \(inSchool)", ["id": id, "school": scope.schoolID]) }
    }

    func version(id: Int64) async throws -> ScenarioVersionRecord? {
        try await database.read { try one($0, "SELECT * FROM scenarioVersion WHERE id = ?", [id]) }
    }

    func versions(scenarioID: Int64, in scope: SchoolScope) async throws -> [ScenarioVersionRecord] {
        try await database.read { db in
            guard try isInScope(db, scenarioID: scenarioID, scope) else { return [] }
            return try ScenarioVersionRecord.filter(Column("scenarioID") == scenarioID).order(Column("version").desc).fetchAll(db)
        }
    }

    func latestVersion(scenarioID: Int64, in scope: SchoolScope) async throws -> ScenarioVersionRecord? {
        try await database.read { db in
            guard try isInScope(db, scenarioID: scenarioID, scope) else { return nil }
            return try ScenarioVersionRecord.filter(Column("scenarioID") == scenarioID).order(Column("version").desc).fetchOne(db)
        }
    }
}

struct GRDBRunRepository: RunRepository {
    let database: any DatabaseWriter

    func enqueue(_ runs: [RunRecord]) async throws -> [RunRecord] {
        try await database.write { db in
            try runs.map { run in
                var run = run
                try run.insert(db)
                return run
            }
        }
    }

    /// Runs with their scenario, for the scope's condition.
    private static let withScenario = """
        SELECT run.* FROM run JOIN scenarioVersion ON scenarioVersion.id = run.scenarioVersionID
        JOIN scenario ON scenario.id = scenarioVersion.scenarioID
        """

    func run(id: Int64, in scope: SchoolScope) async throws -> RunRecord? {
        try await database.read { try one($0, "\(Self.withScenario) WHERE run.id = :id AND \(inSchool)", ["id": id, "school": scope.schoolID]) }
    }

    func list(scenarioID: Int64?, in scope: SchoolScope, limit: Int) async throws -> [RunRecord] {
        try await database.read { db in
            try RunRecord.fetchAll(db, sql: """
                \(Self.withScenario) WHERE (:scenario IS NULL OR scenario.id = :scenario) AND \(inSchool) ORDER BY run.id DESC LIMIT :limit
                """, arguments: ["scenario": scenarioID, "school": scope.schoolID, "limit": limit])
        }
    }

    func recoverAfterRestart() async throws -> (interrupted: Int, queued: [RunRecord]) {
        try await database.write { db in
            let interrupted = try RunRecord.filter(Column("state") == RunState.running.rawValue)
                .updateAll(db, Column("state").set(to: RunState.interrupted.rawValue), Column("finished").set(to: Date()),
                           Column("summary").set(to: "interrupted: the server stopped during the solve"))
            let queued = try RunRecord.filter(Column("state") == RunState.queued.rawValue).order(Column("id")).fetchAll(db)
            return (interrupted, queued)
        }
    }

    func claim(worker: String, at time: Date) async throws -> RunRecord? {
        // SQLite lets one writer in at a time: the oldest queued run cannot be claimed twice.
        try await database.write { db in
            guard var run = try RunRecord.filter(Column("state") == RunState.queued.rawValue).order(Column("id")).fetchOne(db) else { return nil }
            run.state = .running
            run.started = time
            run.workerID = worker
            run.heartbeat = time
            run.attempts += 1
            try run.update(db)
            return run
        }
    }

    func beat(worker: String, at time: Date) async throws -> (held: [Int64], cancelRequested: [Int64]) {
        try await database.write { db in
            let held = RunRecord.filter(Column("state") == RunState.running.rawValue && Column("workerID") == worker)
            try held.updateAll(db, Column("heartbeat").set(to: time))
            let runs = try held.fetchAll(db)
            return (runs.compactMap(\.id), runs.filter(\.cancelRequested).compactMap(\.id))
        }
    }

    func requeueStale(heartbeatBefore before: Date, maxAttempts: Int, at time: Date) async throws -> (requeued: [Int64], interrupted: [Int64]) {
        try await database.write { db in
            let stale = try RunRecord.filter(Column("state") == RunState.running.rawValue && Column("heartbeat") < before).fetchAll(db)
            var outcome: (requeued: [Int64], interrupted: [Int64]) = ([], [])
            for var run in stale {
                if run.attempts < maxAttempts, !run.cancelRequested {
                    run.state = .queued
                    run.summary = "queued again: its worker stopped answering"
                    outcome.requeued.append(run.id!)
                } else {
                    run.state = .interrupted
                    run.finished = time
                    run.summary = "interrupted: its worker stopped answering\(run.attempts > 1 ? ", twice" : "")"
                    outcome.interrupted.append(run.id!)
                }
                run.workerID = nil
                run.heartbeat = nil
                try run.update(db)
            }
            return outcome
        }
    }

    func recordProgress(id: Int64, json: String) async throws {
        try await database.write { db in
            _ = try RunRecord.filter(key: id).updateAll(db, Column("progress").set(to: json))
        }
    }

    func finish(id: Int64, worker: String?, state: RunState, timetable: String?, summary: String, progress: String?, at time: Date) async throws -> Bool {
        try await database.write { db in
            guard var run = try RunRecord.fetchOne(db, key: id) else { return false }
            if let worker, run.workerID != worker || run.state != .running { return false }
            run.state = state
            run.timetable = timetable
            run.summary = summary
            run.finished = time
            run.workerID = nil
            if let progress { run.progress = progress }
            try run.update(db)
            return true
        }
    }

    func requestCancel(id: Int64) async throws -> RunState? {
        try await database.write { db in
            guard var run = try RunRecord.fetchOne(db, key: id) else { return nil }
            if run.state == .queued {
                run.state = .cancelled
                run.finished = Date()
                run.summary = "cancelled before it started"
            } else if run.state == .running {
                run.cancelRequested = true
            }
            try run.update(db)
            return run.state
        }
    }
}

struct GRDBFeedRepository: FeedRepository {
    let database: any DatabaseWriter

    func feeds(scenarioID: Int64, in scope: SchoolScope) async throws -> [FeedRecord] {
        try await database.read { db in
            guard try isInScope(db, scenarioID: scenarioID, scope) else { return [] }
            return try FeedRecord.filter(Column("scenarioID") == scenarioID).order(Column("kind"), Column("name"), Column("entityID")).fetchAll(db)
        }
    }

    func feed(scenarioID: Int64, kind: FeedKind, entityID: String, in scope: SchoolScope) async throws -> FeedRecord? {
        try await database.read { db in
            guard try isInScope(db, scenarioID: scenarioID, scope) else { return nil }
            return try FeedRecord.fetchOne(db, key: ["scenarioID": scenarioID, "kind": kind.rawValue, "entityID": entityID])
        }
    }

    func feed(token: String) async throws -> FeedRecord? {
        try await database.read { try one($0, "SELECT * FROM feed WHERE token = ? AND revoked = 0", [token]) }
    }

    func rotate(scenarioID: Int64, kind: FeedKind, entityID: String, token: String, in scope: SchoolScope) async throws -> FeedRecord? {
        try await database.write { db in
            guard try isInScope(db, scenarioID: scenarioID, scope),
                  var feed = try FeedRecord.fetchOne(db, key: ["scenarioID": scenarioID, "kind": kind.rawValue, "entityID": entityID]) else { return nil }
            feed.token = token
            feed.revoked = false
            try feed.update(db)
            return feed
        }
    }

    func revoke(scenarioID: Int64, kind: FeedKind, entityID: String, in scope: SchoolScope) async throws -> FeedRecord? {
        try await database.write { db in
            guard try isInScope(db, scenarioID: scenarioID, scope),
                  var feed = try FeedRecord.fetchOne(db, key: ["scenarioID": scenarioID, "kind": kind.rawValue, "entityID": entityID]) else { return nil }
            feed.revoked = true
            try feed.update(db)
            return feed
        }
    }

    func addIfMissing(_ feed: FeedRecord) async throws -> FeedRecord {
        try await database.write { db in
            if let existing = try FeedRecord.fetchOne(db, key: ["scenarioID": feed.scenarioID, "kind": feed.kind.rawValue, "entityID": feed.entityID]) {
                return existing
            }
            try feed.insert(db)
            return feed
        }
    }

    func publication(scenarioID: Int64) async throws -> PublicationRecord? {
        try await database.read { try one($0, "SELECT * FROM publication WHERE scenarioID = ?", [scenarioID]) }
    }

    func calendars(scenarioID: Int64) async throws -> [CalendarRecord] {
        try await database.read { try CalendarRecord.filter(Column("scenarioID") == scenarioID).fetchAll($0) }
    }

    func calendar(scenarioID: Int64, kind: FeedKind, entityID: String) async throws -> CalendarRecord? {
        try await database.read { try CalendarRecord.fetchOne($0, key: ["scenarioID": scenarioID, "kind": kind.rawValue, "entityID": entityID]) }
    }

    func publish(_ publication: PublicationRecord, calendars: [CalendarRecord]) async throws {
        try await database.write { db in
            try publication.save(db)
            try CalendarRecord.filter(Column("scenarioID") == publication.scenarioID).deleteAll(db)
            for calendar in calendars { try calendar.insert(db) }
        }
    }
}
