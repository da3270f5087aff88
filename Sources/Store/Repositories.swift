import Foundation

/// What the web app asks of the store, one protocol per kind of record. Every method is `async`:
/// the GRDB implementations run on GRDB's own queues, so no request holds a cooperative thread
/// while SQLite works or waits for a lock.
public protocol SchoolRepository: Sendable {
    /// Refuses a taken name with `StoreConflict`.
    func create(_ school: SchoolRecord) async throws -> SchoolRecord
    /// By id.
    func list() async throws -> [SchoolRecord]
    func school(id: Int64) async throws -> SchoolRecord?
}

public protocol UserRepository: Sendable {
    /// Refuses a taken name with `StoreConflict`.
    func create(_ user: UserRecord) async throws -> UserRecord
    func user(id: Int64) async throws -> UserRecord?
    func user(name: String) async throws -> UserRecord?
    func user(apiTokenDigest digest: String) async throws -> UserRecord?
    /// The admin (of a school or the district) created first: the one `serve --load` uploads in the name of.
    func firstAdmin() async throws -> UserRecord?
    /// Also forgets expired sessions.
    func startSession(_ session: SessionRecord) async throws
    /// The session and its user, while it has not expired.
    func session(tokenDigest: String, now: Date) async throws -> (SessionRecord, UserRecord)?
    func endSession(tokenDigest: String) async throws
    /// Takes a place for one sign-in attempt from `address`, or nil when it has had `limit` within
    /// the last `window` seconds. Atomic across every server of the store: parallel guesses each take
    /// a place, so at most `limit` of them ever reach the password check.
    func reserveSignIn(address: String, limit: Int, window: Double, now: Date) async throws -> Int64?
    /// A sign-in that succeeded gives its place back; failures keep theirs until the window passes.
    func releaseSignIn(_ reservation: Int64) async throws
}

/// A scenario with its latest version, for lists.
public struct ScenarioListing: Sendable {
    public var scenario: ScenarioRecord
    public var latest: ScenarioVersionRecord
    public var published: PublicationRecord?

    public init(scenario: ScenarioRecord, latest: ScenarioVersionRecord, published: PublicationRecord?) {
        self.scenario = scenario
        self.latest = latest
        self.published = published
    }
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

/// Methods given an id from outside take a `SchoolScope`: a row outside it is nil (or absent from
/// a list), exactly like a row that does not exist. Methods without one follow a row already found in scope.
public protocol ScenarioRepository: Sendable {
    /// Stores an upload as the next version of the school's scenario with its name (a new scenario
    /// the first time), and gives a private link to every owner that has none yet, all in one transaction.
    func addVersion(name: String, schoolID: Int64, format: String, body: String, uploadedBy: Int64, warnings: String,
                    owners: [FeedOwner], newToken: @escaping @Sendable () -> String) async throws -> (ScenarioRecord, ScenarioVersionRecord)
    /// By name, each with its latest version.
    func list(in scope: SchoolScope) async throws -> [ScenarioListing]
    func scenario(id: Int64, in scope: SchoolScope) async throws -> ScenarioRecord?
    func version(id: Int64) async throws -> ScenarioVersionRecord?
    /// Newest first.
    func versions(scenarioID: Int64, in scope: SchoolScope) async throws -> [ScenarioVersionRecord]
    func latestVersion(scenarioID: Int64, in scope: SchoolScope) async throws -> ScenarioVersionRecord?
}

public protocol RunRepository: Sendable {
    /// Stores several runs in one transaction: all of them or none.
    func enqueue(_ runs: [RunRecord]) async throws -> [RunRecord]
    func run(id: Int64, in scope: SchoolScope) async throws -> RunRecord?
    /// Newest first; only one scenario's runs when given.
    func list(scenarioID: Int64?, in scope: SchoolScope, limit: Int) async throws -> [RunRecord]
    /// At start-up of the one server of a data folder: runs it left `running` become `interrupted`;
    /// returns the queued ones, oldest first.
    func recoverAfterRestart() async throws -> (interrupted: Int, queued: [RunRecord])
    /// The oldest queued run, now `running` for `worker` with a fresh heartbeat; nil when none is
    /// queued. Workers on several machines claim at once and never get the same run.
    func claim(worker: String, at time: Date) async throws -> RunRecord?
    /// Refreshes the heartbeat of every run `worker` holds; the runs it still holds, and those of
    /// them an admin asked to stop.
    func beat(worker: String, at time: Date) async throws -> (held: [Int64], cancelRequested: [Int64])
    /// Runs whose heartbeat is older than `before` lost their worker: each is queued again if it has
    /// been claimed fewer than `maxAttempts` times, and otherwise `interrupted`.
    func requeueStale(heartbeatBefore before: Date, maxAttempts: Int, at time: Date) async throws -> (requeued: [Int64], interrupted: [Int64])
    func recordProgress(id: Int64, json: String) async throws
    /// Records a run's end. Given a worker, only while that worker still holds the run (false
    /// otherwise: it was queued again after its heartbeat stopped, and the next claim's end counts).
    @discardableResult
    func finish(id: Int64, worker: String?, state: RunState, timetable: String?, summary: String, progress: String?, at time: Date) async throws -> Bool
    /// Cancels a queued run outright and asks a running one's worker to stop it (`beat`); the state
    /// after, nil for an unknown run.
    func requestCancel(id: Int64) async throws -> RunState?
}

extension RunRepository {
    public func enqueue(_ run: RunRecord) async throws -> RunRecord { try await enqueue([run])[0] }
    public func list(scenarioID: Int64? = nil, in scope: SchoolScope) async throws -> [RunRecord] {
        try await list(scenarioID: scenarioID, in: scope, limit: 200)
    }
}

public protocol FeedRepository: Sendable {
    func feeds(scenarioID: Int64, in scope: SchoolScope) async throws -> [FeedRecord]
    func feed(scenarioID: Int64, kind: FeedKind, entityID: String, in scope: SchoolScope) async throws -> FeedRecord?
    /// The live (not revoked) link with this token, whatever its school: a token is a capability.
    func feed(token: String) async throws -> FeedRecord?
    /// Gives the link a new token (and undoes a revocation); nil for an unknown link.
    func rotate(scenarioID: Int64, kind: FeedKind, entityID: String, token: String, in scope: SchoolScope) async throws -> FeedRecord?
    func revoke(scenarioID: Int64, kind: FeedKind, entityID: String, in scope: SchoolScope) async throws -> FeedRecord?
    /// Stores `feed` unless its owner has a link already; the owner's link either way (for links
    /// an admin makes one by one rather than every upload: class links).
    func addIfMissing(_ feed: FeedRecord) async throws -> FeedRecord
    func publication(scenarioID: Int64) async throws -> PublicationRecord?
    func calendars(scenarioID: Int64) async throws -> [CalendarRecord]
    func calendar(scenarioID: Int64, kind: FeedKind, entityID: String) async throws -> CalendarRecord?
    /// Makes `publication` the scenario's published run and its calendars the ones feeds serve, all at once.
    func publish(_ publication: PublicationRecord, calendars: [CalendarRecord]) async throws
}
