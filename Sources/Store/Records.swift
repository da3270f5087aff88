import Foundation
import GRDB

/// A school of the district. Its scenarios (with their runs, publications and links) and its staff's
/// accounts are its own; only district admins see more than one school.
public struct SchoolRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "school"
    public var id: Int64?
    public var name: String
    public var created: Date

    public init(name: String, created: Date = Date()) {
        self.name = name
        self.created = created
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public enum UserRole: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    /// District staff: every school, read and change; belongs to no school.
    case districtAdmin = "district-admin"
    /// Changes its own school's scenarios.
    case schoolAdmin = "school-admin"
    /// Reads its own school's scenarios.
    case viewer
}

/// Which schools' rows a question may see. Every repository method that takes an id from a request
/// takes one, so a row of another school answers exactly as a row that does not exist.
public enum SchoolScope: Sendable, Hashable {
    case all
    case school(Int64)

    /// The one school, nil for all (bound to `:school` in the repositories' SQL).
    public var schoolID: Int64? {
        if case .school(let id) = self { return id }
        return nil
    }
}

/// A person with an account. Only hashes of the password and the API token are kept: bcrypt for
/// the password a person chooses or is given, SHA-256 for the 256-bit random token, whose entropy
/// already defeats guessing and which is checked on every API call.
public struct UserRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "user"
    public var id: Int64?
    public var name: String
    public var role: UserRole
    /// Nil exactly for a district admin (the table's CHECK holds it).
    public var schoolID: Int64?
    public var passwordHash: String
    public var apiTokenDigest: String
    public var created: Date

    public init(name: String, role: UserRole, schoolID: Int64?, passwordHash: String, apiTokenDigest: String, created: Date = Date()) {
        self.name = name
        self.role = role
        self.schoolID = schoolID
        self.passwordHash = passwordHash
        self.apiTokenDigest = apiTokenDigest
        self.created = created
    }

    /// May change things: in its school, or in every school for a district admin.
    public var isAdmin: Bool { role != .viewer }

    /// What this user's questions see. School 0 never exists: a school account without a school
    /// (which the table refuses) would see nothing rather than everything.
    public var scope: SchoolScope { role == .districtAdmin ? .all : .school(schoolID ?? 0) }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A signed-in browser. The cookie carries the token; the table only its digest.
public struct SessionRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "session"
    public var tokenDigest: String
    public var userID: Int64
    /// Sent back in every form; a form without it is refused (cross-site request forgery).
    public var csrfToken: String
    public var expires: Date

    public init(tokenDigest: String, userID: Int64, csrfToken: String, expires: Date) {
        self.tokenDigest = tokenDigest
        self.userID = userID
        self.csrfToken = csrfToken
        self.expires = expires
    }
}

/// A school's week, identified within its school by the `name` its scenario files give; each upload is a version.
public struct ScenarioRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "scenario"
    public var id: Int64?
    public var schoolID: Int64
    public var name: String
    public var created: Date

    public init(schoolID: Int64, name: String, created: Date = Date()) {
        self.schoolID = schoolID
        self.name = name
        self.created = created
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public struct ScenarioVersionRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "scenarioVersion"
    public var id: Int64?
    public var scenarioID: Int64
    public var version: Int
    /// `yaml` or `json`: what the body is.
    public var format: String
    public var body: String
    public var uploadedBy: Int64
    public var created: Date
    /// The loader's warnings and the diagnosis findings as shown at upload (JSON array of strings).
    public var warnings: String

    public init(scenarioID: Int64, version: Int, format: String, body: String, uploadedBy: Int64, created: Date = Date(), warnings: String) {
        self.scenarioID = scenarioID
        self.version = version
        self.format = format
        self.body = body
        self.uploadedBy = uploadedBy
        self.created = created
        self.warnings = warnings
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public enum RunState: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case queued, running, done, failed, cancelled, interrupted

    public var isFinished: Bool { self != .queued && self != .running }
}

/// One solve (or one what-if variant) of one scenario version.
public struct RunRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "run"
    public var id: Int64?
    public var scenarioVersionID: Int64
    public var requestedBy: Int64
    public var timeLimit: Double
    public var state: RunState
    public var created: Date
    public var started: Date?
    public var finished: Date?
    /// The last progress report (JSON), so a page opened later shows where the run got to.
    public var progress: String?
    /// The checked timetable JSON when done.
    public var timetable: String?
    /// One line for the history: "all 92 sessions met", or what went wrong.
    public var summary: String?
    /// A what-if variant: the run whose timetable it keeps where it can, and the change applied.
    public var baselineRunID: Int64?
    public var changeName: String?
    public var changeText: String?
    /// A solve of the scenario that keeps this published run's timetable wherever it can (nil: from scratch).
    public var stableFromRunID: Int64?
    /// The process solving it (`claim`), which beats the heartbeat while it does: a run whose
    /// heartbeat stops is its worker's death, and is queued again once, then `interrupted`.
    public var workerID: String?
    public var heartbeat: Date?
    /// How many times a worker has claimed it.
    public var attempts = 0
    /// An admin asked a running run to stop; its worker reads this with its heartbeat.
    public var cancelRequested = false

    public init(scenarioVersionID: Int64, requestedBy: Int64, timeLimit: Double, state: RunState = .queued, created: Date = Date(),
                baselineRunID: Int64? = nil, changeName: String? = nil, changeText: String? = nil, stableFromRunID: Int64? = nil) {
        self.scenarioVersionID = scenarioVersionID
        self.requestedBy = requestedBy
        self.timeLimit = timeLimit
        self.state = state
        self.created = created
        self.baselineRunID = baselineRunID
        self.changeName = changeName
        self.changeText = changeText
        self.stableFromRunID = stableFromRunID
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// The run whose timetable a scenario's feeds serve.
public struct PublicationRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "publication"
    public var scenarioID: Int64
    public var runID: Int64
    public var published: Date
    public var publishedBy: Int64

    public init(scenarioID: Int64, runID: Int64, published: Date = Date(), publishedBy: Int64) {
        self.scenarioID = scenarioID
        self.runID = runID
        self.published = published
        self.publishedBy = publishedBy
    }
}

public enum FeedKind: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    case teacher, student, room
    case schoolClass = "class"
}

/// A published calendar, rendered once at publication: feeds serve these bytes, and the next
/// publication reads them to raise SEQUENCE on the events that change.
public struct CalendarRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "calendar"
    public var scenarioID: Int64
    public var kind: FeedKind
    public var entityID: String
    public var body: Data
    /// Quoted, as sent in the ETag header.
    public var etag: String

    public init(scenarioID: Int64, kind: FeedKind, entityID: String, body: Data, etag: String) {
        self.scenarioID = scenarioID
        self.kind = kind
        self.entityID = entityID
        self.body = body
        self.etag = etag
    }
}

/// A person's or room's private link. The token is kept as it is (not hashed) because admins list
/// the links to send them out; it opens one read-only calendar and nothing else, and rotating it
/// ends the old link.
public struct FeedRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "feed"
    public var scenarioID: Int64
    public var kind: FeedKind
    public var entityID: String
    public var name: String
    public var token: String
    public var revoked: Bool
    public var created: Date

    public init(scenarioID: Int64, kind: FeedKind, entityID: String, name: String, token: String, revoked: Bool = false, created: Date = Date()) {
        self.scenarioID = scenarioID
        self.kind = kind
        self.entityID = entityID
        self.name = name
        self.token = token
        self.revoked = revoked
        self.created = created
    }
}
