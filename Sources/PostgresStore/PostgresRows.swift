import Foundation
import PostgresNIO
import Store

/// Rows into the store's records, by column name (PostgreSQL gives them folded to lower case).
/// Each `columns` list is what the queries select, so a record is never read from a partial row.
extension UserRecord {
    static let columns = #"id, name, role, schoolID, passwordHash, apiTokenDigest, created"#

    init(_ row: PostgresRow) throws {
        let cells = row.makeRandomAccess()
        let roleText = try cells["role"].decode(String.self)
        guard let role = UserRole(rawValue: roleText) else { throw StoreConflict("an account with unknown role \(roleText)") }
        self.init(name: try cells["name"].decode(String.self), role: role, schoolID: try cells["schoolid"].decode(Int64?.self),
                  passwordHash: try cells["passwordhash"].decode(String.self), apiTokenDigest: try cells["apitokendigest"].decode(String.self),
                  created: try cells["created"].decode(Date.self))
        id = try cells["id"].decode(Int64.self)
    }
}

extension SchoolRecord {
    init(_ row: PostgresRow) throws {
        let cells = row.makeRandomAccess()
        self.init(name: try cells["name"].decode(String.self), created: try cells["created"].decode(Date.self))
        id = try cells["id"].decode(Int64.self)
    }
}

extension SessionRecord {
    init(_ row: PostgresRow) throws {
        let cells = row.makeRandomAccess()
        self.init(tokenDigest: try cells["tokendigest"].decode(String.self), userID: try cells["userid"].decode(Int64.self),
                  csrfToken: try cells["csrftoken"].decode(String.self), expires: try cells["expires"].decode(Date.self))
    }
}

extension ScenarioRecord {
    static let columns = "scenario.id, scenario.schoolID, scenario.name, scenario.created"

    init(_ row: PostgresRow) throws {
        let cells = row.makeRandomAccess()
        self.init(schoolID: try cells["schoolid"].decode(Int64.self), name: try cells["name"].decode(String.self),
                  created: try cells["created"].decode(Date.self))
        id = try cells["id"].decode(Int64.self)
    }
}

extension ScenarioVersionRecord {
    static let columns = "v.id, v.scenarioID, v.version, v.format, v.body, v.uploadedBy, v.created, v.warnings"

    init(_ row: PostgresRow) throws {
        let cells = row.makeRandomAccess()
        self.init(scenarioID: try cells["scenarioid"].decode(Int64.self), version: try cells["version"].decode(Int.self),
                  format: try cells["format"].decode(String.self), body: try cells["body"].decode(String.self),
                  uploadedBy: try cells["uploadedby"].decode(Int64.self), created: try cells["created"].decode(Date.self),
                  warnings: try cells["warnings"].decode(String.self))
        id = try cells["id"].decode(Int64.self)
    }
}

extension RunRecord {
    static let columns = """
        run.id, run.scenarioVersionID, run.requestedBy, run.timeLimit, run.state, run.created, run.started, run.finished, run.progress,
        run.timetable, run.summary, run.baselineRunID, run.changeName, run.changeText, run.stableFromRunID, run.workerID, run.heartbeat,
        run.attempts, run.cancelRequested
        """

    init(_ row: PostgresRow) throws {
        let cells = row.makeRandomAccess()
        let stateText = try cells["state"].decode(String.self)
        guard let state = RunState(rawValue: stateText) else { throw StoreConflict("run with unknown state \(stateText)") }
        self.init(scenarioVersionID: try cells["scenarioversionid"].decode(Int64.self), requestedBy: try cells["requestedby"].decode(Int64.self),
                  timeLimit: try cells["timelimit"].decode(Double.self), state: state, created: try cells["created"].decode(Date.self),
                  baselineRunID: try cells["baselinerunid"].decode(Int64?.self), changeName: try cells["changename"].decode(String?.self),
                  changeText: try cells["changetext"].decode(String?.self), stableFromRunID: try cells["stablefromrunid"].decode(Int64?.self))
        id = try cells["id"].decode(Int64.self)
        started = try cells["started"].decode(Date?.self)
        finished = try cells["finished"].decode(Date?.self)
        progress = try cells["progress"].decode(String?.self)
        timetable = try cells["timetable"].decode(String?.self)
        summary = try cells["summary"].decode(String?.self)
        workerID = try cells["workerid"].decode(String?.self)
        heartbeat = try cells["heartbeat"].decode(Date?.self)
        attempts = try cells["attempts"].decode(Int.self)
        cancelRequested = try cells["cancelrequested"].decode(Bool.self)
    }
}

extension PublicationRecord {
    static let columns = "scenarioID, runID, published, publishedBy"

    init(_ row: PostgresRow) throws {
        let cells = row.makeRandomAccess()
        self.init(scenarioID: try cells["scenarioid"].decode(Int64.self), runID: try cells["runid"].decode(Int64.self),
                  published: try cells["published"].decode(Date.self), publishedBy: try cells["publishedby"].decode(Int64.self))
    }
}

private func feedKind(_ cells: PostgresRandomAccessRow) throws -> FeedKind {
    let text = try cells["kind"].decode(String.self)
    guard let kind = FeedKind(rawValue: text) else { throw StoreConflict("link of unknown kind \(text)") }
    return kind
}

extension CalendarRecord {
    static let columns = "scenarioID, kind, entityID, body, etag"

    init(_ row: PostgresRow) throws {
        let cells = row.makeRandomAccess()
        self.init(scenarioID: try cells["scenarioid"].decode(Int64.self), kind: try feedKind(cells), entityID: try cells["entityid"].decode(String.self),
                  body: try cells["body"].decode(Data.self), etag: try cells["etag"].decode(String.self))
    }
}

extension FeedRecord {
    static let columns = "feed.scenarioID, feed.kind, feed.entityID, feed.name, feed.token, feed.revoked, feed.created"

    init(_ row: PostgresRow) throws {
        let cells = row.makeRandomAccess()
        self.init(scenarioID: try cells["scenarioid"].decode(Int64.self), kind: try feedKind(cells), entityID: try cells["entityid"].decode(String.self),
                  name: try cells["name"].decode(String.self), token: try cells["token"].decode(String.self),
                  revoked: try cells["revoked"].decode(Bool.self), created: try cells["created"].decode(Date.self))
    }
}
