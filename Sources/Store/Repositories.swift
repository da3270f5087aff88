import Foundation
import GRDB

public struct UserRepository: Sendable {
    let database: any DatabaseWriter

    public func create(_ user: UserRecord) throws -> UserRecord {
        try database.write { db in
            if try UserRecord.filter(Column("name") == user.name).fetchCount(db) > 0 {
                throw StoreConflict("there is already a user named \(user.name)")
            }
            var user = user
            try user.insert(db)
            return user
        }
    }

    public func user(id: Int64) throws -> UserRecord? {
        try database.read { try UserRecord.fetchOne($0, key: id) }
    }

    public func user(name: String) throws -> UserRecord? {
        try database.read { try UserRecord.filter(Column("name") == name).fetchOne($0) }
    }

    public func user(apiTokenDigest digest: String) throws -> UserRecord? {
        try database.read { try UserRecord.filter(Column("apiTokenDigest") == digest).fetchOne($0) }
    }

    /// The admin created first: the one `serve --load` uploads in the name of.
    public func firstAdmin() throws -> UserRecord? {
        try database.read { try UserRecord.filter(Column("isAdmin") == true).order(Column("id")).fetchOne($0) }
    }

    public func names() throws -> [Int64: String] {
        try database.read { db in
            Dictionary(uniqueKeysWithValues: try UserRecord.fetchAll(db).compactMap { u in u.id.map { ($0, u.name) } })
        }
    }

    public func startSession(_ session: SessionRecord) throws {
        try database.write { db in
            try SessionRecord.filter(Column("expires") < Date()).deleteAll(db)
            try session.insert(db)
        }
    }

    /// The session and its user, while it has not expired.
    public func session(tokenDigest: String, now: Date = Date()) throws -> (SessionRecord, UserRecord)? {
        try database.read { db in
            guard let session = try SessionRecord.fetchOne(db, key: tokenDigest), session.expires > now,
                  let user = try UserRecord.fetchOne(db, key: session.userID) else { return nil }
            return (session, user)
        }
    }

    public func endSession(tokenDigest: String) throws {
        _ = try database.write { try SessionRecord.deleteOne($0, key: tokenDigest) }
    }
}

/// A scenario with the number of its latest version, for lists.
public struct ScenarioListing: Sendable {
    public var scenario: ScenarioRecord
    public var latest: ScenarioVersionRecord
    public var published: PublicationRecord?
}

/// Someone or something a private calendar link is for.
public struct FeedOwner: Sendable, Hashable {
    public var kind: FeedKind
    public var id: String
    public var name: String
    public init(kind: FeedKind, id: String, name: String) {
        self.kind = kind
        self.id = id
        self.name = name
    }
}

public struct ScenarioRepository: Sendable {
    let database: any DatabaseWriter

    /// Stores an upload as the next version of the scenario with its name (a new scenario the first
    /// time), and gives a private link to every teacher, student and room that has none yet.
    public func addVersion(name: String, format: String, body: String, uploadedBy: Int64, warnings: String,
                           owners: [FeedOwner], newToken: () -> String) throws -> (ScenarioRecord, ScenarioVersionRecord) {
        try database.write { db in
            var scenario = try ScenarioRecord.filter(Column("name") == name).fetchOne(db) ?? ScenarioRecord(name: name)
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

    public func list() throws -> [ScenarioListing] {
        try database.read { db in
            try ScenarioRecord.order(Column("name")).fetchAll(db).compactMap { scenario in
                guard let latest = try ScenarioVersionRecord.filter(Column("scenarioID") == scenario.id!)
                    .order(Column("version").desc).fetchOne(db) else { return nil }
                return ScenarioListing(scenario: scenario, latest: latest, published: try PublicationRecord.fetchOne(db, key: scenario.id!))
            }
        }
    }

    public func scenario(id: Int64) throws -> ScenarioRecord? {
        try database.read { try ScenarioRecord.fetchOne($0, key: id) }
    }

    public func version(id: Int64) throws -> ScenarioVersionRecord? {
        try database.read { try ScenarioVersionRecord.fetchOne($0, key: id) }
    }

    public func versions(scenarioID: Int64) throws -> [ScenarioVersionRecord] {
        try database.read { try ScenarioVersionRecord.filter(Column("scenarioID") == scenarioID).order(Column("version").desc).fetchAll($0) }
    }

    public func latestVersion(scenarioID: Int64) throws -> ScenarioVersionRecord? {
        try database.read { try ScenarioVersionRecord.filter(Column("scenarioID") == scenarioID).order(Column("version").desc).fetchOne($0) }
    }
}

public struct RunRepository: Sendable {
    let database: any DatabaseWriter

    public func enqueue(_ run: RunRecord) throws -> RunRecord {
        try enqueue([run])[0]
    }

    /// Stores several runs in one transaction: all of them or none.
    public func enqueue(_ runs: [RunRecord]) throws -> [RunRecord] {
        try database.write { db in
            try runs.map { run in
                var run = run
                try run.insert(db)
                return run
            }
        }
    }

    public func run(id: Int64) throws -> RunRecord? {
        try database.read { try RunRecord.fetchOne($0, key: id) }
    }

    /// Newest first; only one scenario's runs when given.
    public func list(scenarioID: Int64? = nil, limit: Int = 200) throws -> [RunRecord] {
        try database.read { db in
            if let scenarioID {
                return try RunRecord.fetchAll(db, sql: """
                    SELECT run.* FROM run JOIN scenarioVersion ON scenarioVersion.id = run.scenarioVersionID
                    WHERE scenarioVersion.scenarioID = ? ORDER BY run.id DESC LIMIT ?
                    """, arguments: [scenarioID, limit])
            }
            return try RunRecord.order(Column("id").desc).limit(limit).fetchAll(db)
        }
    }

    /// At start-up: runs a stopped server left `running` become `interrupted`; returns the queued
    /// ones, oldest first, to be run now.
    public func recoverAfterRestart() throws -> (interrupted: Int, queued: [RunRecord]) {
        try database.write { db in
            let interrupted = try RunRecord.filter(Column("state") == RunState.running.rawValue)
                .updateAll(db, Column("state").set(to: RunState.interrupted.rawValue), Column("finished").set(to: Date()),
                           Column("summary").set(to: "interrupted: the server stopped during the solve"))
            let queued = try RunRecord.filter(Column("state") == RunState.queued.rawValue).order(Column("id")).fetchAll(db)
            return (interrupted, queued)
        }
    }

    /// Moves a queued run to running; false when it is no longer queued (cancelled meanwhile).
    public func markRunning(id: Int64, at time: Date = Date()) throws -> Bool {
        try database.write { db in
            try RunRecord.filter(key: id).filter(Column("state") == RunState.queued.rawValue)
                .updateAll(db, Column("state").set(to: RunState.running.rawValue), Column("started").set(to: time)) == 1
        }
    }

    public func recordProgress(id: Int64, json: String) throws {
        try database.write { db in
            _ = try RunRecord.filter(key: id).updateAll(db, Column("progress").set(to: json))
        }
    }

    public func finish(id: Int64, state: RunState, timetable: String?, summary: String, progress: String? = nil, at time: Date = Date()) throws {
        try database.write { db in
            guard var run = try RunRecord.fetchOne(db, key: id) else { return }
            run.state = state
            run.timetable = timetable
            run.summary = summary
            run.finished = time
            if let progress { run.progress = progress }
            try run.update(db)
        }
    }

    /// Cancels a queued run outright; a running one is cancelled by its worker. Returns the state after.
    public func cancelIfQueued(id: Int64) throws -> RunState? {
        try database.write { db in
            guard var run = try RunRecord.fetchOne(db, key: id) else { return nil }
            if run.state == .queued {
                run.state = .cancelled
                run.finished = Date()
                run.summary = "cancelled before it started"
                try run.update(db)
            }
            return run.state
        }
    }
}

public struct FeedRepository: Sendable {
    let database: any DatabaseWriter

    public func feeds(scenarioID: Int64) throws -> [FeedRecord] {
        try database.read { try FeedRecord.filter(Column("scenarioID") == scenarioID).order(Column("kind"), Column("name"), Column("entityID")).fetchAll($0) }
    }

    public func feed(scenarioID: Int64, kind: FeedKind, entityID: String) throws -> FeedRecord? {
        try database.read { try FeedRecord.fetchOne($0, key: ["scenarioID": scenarioID, "kind": kind.rawValue, "entityID": entityID]) }
    }

    /// The live (not revoked) link with this token.
    public func feed(token: String) throws -> FeedRecord? {
        try database.read { try FeedRecord.filter(Column("token") == token).filter(Column("revoked") == false).fetchOne($0) }
    }

    /// Gives the link a new token (and undoes a revocation); the old one stops working at once.
    public func rotate(scenarioID: Int64, kind: FeedKind, entityID: String, token: String) throws -> FeedRecord? {
        try database.write { db in
            guard var feed = try FeedRecord.fetchOne(db, key: ["scenarioID": scenarioID, "kind": kind.rawValue, "entityID": entityID]) else { return nil }
            feed.token = token
            feed.revoked = false
            try feed.update(db)
            return feed
        }
    }

    public func revoke(scenarioID: Int64, kind: FeedKind, entityID: String) throws -> FeedRecord? {
        try database.write { db in
            guard var feed = try FeedRecord.fetchOne(db, key: ["scenarioID": scenarioID, "kind": kind.rawValue, "entityID": entityID]) else { return nil }
            feed.revoked = true
            try feed.update(db)
            return feed
        }
    }

    public func publication(scenarioID: Int64) throws -> PublicationRecord? {
        try database.read { try PublicationRecord.fetchOne($0, key: scenarioID) }
    }

    public func calendars(scenarioID: Int64) throws -> [CalendarRecord] {
        try database.read { try CalendarRecord.filter(Column("scenarioID") == scenarioID).fetchAll($0) }
    }

    public func calendar(scenarioID: Int64, kind: FeedKind, entityID: String) throws -> CalendarRecord? {
        try database.read { try CalendarRecord.fetchOne($0, key: ["scenarioID": scenarioID, "kind": kind.rawValue, "entityID": entityID]) }
    }

    /// Makes `publication` the scenario's published run and its calendars the ones feeds serve, all at once.
    public func publish(_ publication: PublicationRecord, calendars: [CalendarRecord]) throws {
        try database.write { db in
            try publication.save(db)
            try CalendarRecord.filter(Column("scenarioID") == publication.scenarioID).deleteAll(db)
            for calendar in calendars { try calendar.insert(db) }
        }
    }
}
