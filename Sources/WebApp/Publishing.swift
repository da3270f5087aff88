import CalendarExport
import Crypto
import Foundation
import Reports
import ScenarioKit
import Store
import TimetableChecker
import TimetableFormat

/// What publishing a run changed, for the admin to tell the people affected.
public struct PublishOutcome: Sendable {
    public var scenarioID: Int64
    public var runID: Int64
    public var previousRunID: Int64?
    public var addedEvents: Int
    public var changedEvents: Int
    public var unchangedEvents: Int
    public var removedEvents: Int
    /// Teachers and students whose week differs from the previously published one (everyone with a
    /// session at the first publication).
    public var affected: [TimetableDiff.PersonChange]
    /// What each of them is told, in names and clock times (as `diff.md` says it).
    public var notices: [TimetableDiff.Notice]
    /// False: nothing was published; the change touches more people than publishing goes ahead for
    /// without the admin's confirmation.
    public var published: Bool
}

/// A private link as admins list it.
public struct FeedLink: Sendable {
    public var feed: FeedRecord
    public var calendarURL: String
    public var webcalURL: String
    public var pageURL: String
}

/// Publishing a run, and the private links that serve what is published.
public struct PublishingService: Sendable {
    let store: Store
    let scenarios: ScenarioService
    let runs: RunService
    /// Where people reach the server: the start of every link.
    let publicBaseURL: String
    let feedCache = TokenCache<CalendarEntry>()
    /// Personal pages (`/me/TOKEN`) as rendered, with `Pages.noncePlaceholder` for each response's nonce.
    let pageCache: TokenCache<String>

    /// This server's cached feeds and personal pages go at once; every other server's when it hears
    /// the store's event (`forgetLinks`).
    func linksChanged() {
        forgetLinks()
        runs.queue.publish(.linksChanged)
    }

    func forgetLinks() {
        feedCache.clear()
        pageCache.clear()
    }

    /// More people than this whose published week would change: publishing waits for a confirmation.
    public static let confirmAbove = 5

    /// Makes a finished run the timetable the scenario's feeds serve. Calendars are rendered now,
    /// from the checked timetable, with SEQUENCE raised on every event that changed since the last
    /// publication, exactly as `export ics --previous` does. A replacement that changes more than
    /// `confirmAbove` people's weeks is only previewed unless `confirmed`: they will all have to be told.
    /// Teachers and students with a session in a block whose clock times a new version changed, with
    /// a line per such session: the timetables' diff goes by block id and sees no change, but their
    /// calendars move. `told` are left out (their notice already lists the session).
    static func retimedSessions(from old: Scenario, to new: Scenario, timetable: Timetable,
                                told: [TimetableDiff.PersonChange]) -> [TimetableDiff.Notice] {
        let was = Dictionary(old.blocks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let order = new.blocks.map(\.id)
        let known = Set(told.map { "\($0.role)/\($0.id)" })
        var lines: [String: [String]] = [:]
        for session in timetable.sessions {
            guard let first = order.firstIndex(of: session.block) else { continue }
            let covered = new.blocks[first..<min(order.count, first + max(1, session.length))]
            guard let start = covered.first, let end = covered.last, let oldStart = was[start.id], let oldEnd = was[end.id],
                  oldStart.start != start.start || oldEnd.end != end.end else { continue }
            let day = Weekday(rawValue: session.day)?.longName ?? session.day
            let what = session.title ?? activityWords(subject: session.subject, modality: session.modality)
            let line = "\(what), \(day) \(start.start)-\(end.end) (was \(oldStart.start)-\(oldEnd.end))"
            for id in session.staff { lines["teacher/\(id)", default: []].append(line) }
            for id in session.students { lines["student/\(id)", default: []].append(line) }
        }
        let people = new.teachers.map { ("teacher", $0.id, $0.name) } + new.students.map { ("student", $0.id, $0.name) }
        return people.compactMap { role, id, name in
            guard let changed = lines["\(role)/\(id)"], !known.contains("\(role)/\(id)") else { return nil }
            return TimetableDiff.Notice(role: role, id: id, name: name, lines: changed)
        }
    }

    public func publish(runID: Int64, confirmed: Bool = false, by user: UserRecord) async throws(ServiceError) -> PublishOutcome {
        let (scenario, checked, view) = try await runs.checkedTimetable(runID: runID, in: user.scope)
        guard view.run.state == .done else { throw .conflict("only a finished solve can be published; run \(runID) is \(view.run.state.rawValue)") }
        guard view.run.baselineRunID == nil else {
            throw .conflict("run \(runID) is a what-if variant: upload the changed scenario as a new version and solve it to publish it")
        }
        let scenarioID = view.scenario.id!
        let earlier = try await stored("reading scenario \(scenarioID)'s publication") { try await store.feeds.publication(scenarioID: scenarioID) }
        let previousCalendars = try await stored("reading scenario \(scenarioID)'s calendars") { try await store.feeds.calendars(scenarioID: scenarioID) }
        let previous: PreviousExport
        do {
            previous = try PreviousExport(calendars: previousCalendars.map { ("\(Self.folder($0.kind))/\($0.entityID).ics", String(decoding: $0.body, as: UTF8.self)) })
        } catch { throw .conflict("the published calendars do not read: \(error)") }
        var options = CalendarExport.Options()
        // Every class's calendar too, links or not: a link made later serves it at once, and the
        // next publication raises SEQUENCE on its changed events.
        options.kinds = [.teachers, .students, .rooms, .classes]
        options.keepEmptyCalendars = true
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let result: CalendarExport.Result
        do {
            result = try CalendarExport.export(scenario: scenario, timetable: checked, options: options, stamp: now,
                                               previous: previousCalendars.isEmpty ? nil : previous)
        } catch { throw .invalid(error.problems) }
        let calendars = result.files.compactMap { file -> CalendarRecord? in
            guard let id = file.ownerID, let kind = Self.feedKind(file.kind) else { return nil }
            return CalendarRecord(scenarioID: scenarioID, kind: kind, entityID: id, body: file.data, etag: Self.etag(file.data))
        }
        let before: Timetable
        var beforeScenario = scenario.scenario
        if let earlier, earlier.runID != runID {
            let (published, publishedTimetable, _) = try await runs.checkedTimetable(runID: earlier.runID, in: user.scope)
            before = publishedTimetable.timetable
            beforeScenario = published.scenario
        } else {
            before = Timetable(scenario: scenario.name, status: .feasible, objective: nil, bound: nil, gap: nil, sessions: [], unmet: [])
        }
        let diff = TimetableDiff(from: before, to: checked.timetable, scenario: scenario.scenario)
        var affected = diff.peopleToNotify, notices = diff.notices(scenario: scenario.scenario).filter { $0.role != "room" }
        for notice in Self.retimedSessions(from: beforeScenario, to: scenario.scenario, timetable: checked.timetable, told: affected) {
            affected.append(TimetableDiff.PersonChange(role: notice.role, id: notice.id, name: notice.name, before: [], after: []))
            notices.append(notice)
        }
        var outcome = PublishOutcome(scenarioID: scenarioID, runID: runID, previousRunID: earlier?.runID, addedEvents: result.added,
                                     changedEvents: result.changed, unchangedEvents: result.unchanged, removedEvents: result.removed.count,
                                     affected: affected, notices: notices, published: false)
        // Nobody has planned around a first publication: only a replacement needs a second look.
        if earlier != nil, earlier?.runID != runID, outcome.affected.count > Self.confirmAbove, !confirmed { return outcome }
        try await stored("publishing run \(runID)") {
            try await store.feeds.publish(PublicationRecord(scenarioID: scenarioID, runID: runID, published: now, publishedBy: user.id!), calendars: calendars)
        }
        linksChanged()
        outcome.published = true
        return outcome
    }

    static func folder(_ kind: FeedKind) -> String { kind == .schoolClass ? "classes" : "\(kind.rawValue)s" }

    static func feedKind(_ kind: CalendarKind) -> FeedKind? {
        switch kind {
        case .teachers: .teacher
        case .students: .student
        case .rooms: .room
        case .classes: .schoolClass
        case .school: nil
        }
    }

    static func etag(_ body: Data) -> String {
        "\"" + SHA256.hash(data: body).prefix(16).map { String(format: "%02x", $0) }.joined() + "\""
    }

    // MARK: Feeds

    public func links(scenarioID: Int64, in scope: SchoolScope) async throws(ServiceError) -> [FeedLink] {
        _ = try await scenarios.scenario(scenarioID, in: scope)
        return try await stored("reading scenario \(scenarioID)'s links") { try await store.feeds.feeds(scenarioID: scenarioID, in: scope) }.map(link)
    }

    func link(_ feed: FeedRecord) -> FeedLink {
        let calendar = "\(publicBaseURL)/cal/\(feed.token).ics"
        let webcal = "webcal://" + calendar.drop { $0 != ":" }.dropFirst(3)
        return FeedLink(feed: feed, calendarURL: calendar, webcalURL: webcal, pageURL: "\(publicBaseURL)/me/\(feed.token)")
    }

    /// The classes of the scenario's latest version that have no link yet.
    public func classesWithoutLinks(scenarioID: Int64, in scope: SchoolScope) async throws(ServiceError) -> [SchoolClass] {
        let scenario = try await latestScenario(scenarioID, in: scope)
        let linked = Set(try await stored("reading scenario \(scenarioID)'s links") { try await store.feeds.feeds(scenarioID: scenarioID, in: scope) }
            .filter { $0.kind == .schoolClass }.map(\.entityID))
        return scenario.classes.filter { !linked.contains($0.id) }
    }

    /// Links for classes of the latest version (`nil`: every class), made only when an admin asks:
    /// a class's calendar may go to the whole class and its families, which a school decides class
    /// by class. Tokens are as random as every other link's; existing links are kept as they are.
    public func addClassLinks(scenarioID: Int64, classIDs: [String]?, in scope: SchoolScope) async throws(ServiceError) -> [FeedLink] {
        let scenario = try await latestScenario(scenarioID, in: scope)
        var wanted = scenario.classes
        if let classIDs {
            wanted = []
            for id in classIDs {
                guard let found = scenario.schoolClass(id) else { throw .notFound("scenario \(scenarioID) has no class \(id)") }
                wanted.append(found)
            }
        }
        var links: [FeedLink] = []
        for k in wanted {
            let feed = FeedRecord(scenarioID: scenarioID, kind: .schoolClass, entityID: k.id, name: k.name, token: Secrets.token(bytes: 24))
            links.append(link(try await stored("adding a class link") { try await store.feeds.addIfMissing(feed) }))
        }
        return links
    }

    private func latestScenario(_ scenarioID: Int64, in scope: SchoolScope) async throws(ServiceError) -> Scenario {
        try ScenarioService.validated(try await scenarios.latestVersion(scenarioID: scenarioID, in: scope)).scenario
    }

    /// A new token for one link; the old link answers 404 from now on.
    public func rotate(scenarioID: Int64, kind: FeedKind, entityID: String, in scope: SchoolScope) async throws(ServiceError) -> FeedLink {
        guard let feed = try await stored("rotating a link", {
            try await store.feeds.rotate(scenarioID: scenarioID, kind: kind, entityID: entityID, token: Secrets.token(bytes: 24), in: scope)
        }) else {
            throw .notFound("scenario \(scenarioID) has no \(kind.rawValue) \(entityID)")
        }
        linksChanged()
        return link(feed)
    }

    public func revoke(scenarioID: Int64, kind: FeedKind, entityID: String, in scope: SchoolScope) async throws(ServiceError) -> FeedLink {
        guard let feed = try await stored("revoking a link", {
            try await store.feeds.revoke(scenarioID: scenarioID, kind: kind, entityID: entityID, in: scope)
        }) else {
            throw .notFound("scenario \(scenarioID) has no \(kind.rawValue) \(entityID)")
        }
        linksChanged()
        return link(feed)
    }

    /// The published calendar a live token opens; nil for an unknown or revoked token, or before
    /// anything is published (the same answer, so a token's past cannot be probed).
    func calendar(token: String) async throws(ServiceError) -> CalendarEntry? {
        if let cached = feedCache.entry(token) { return cached }
        guard Self.isWellFormedToken(token) else { return nil }
        let store = self.store
        let calendar = try await stored("reading a feed") { () async throws -> CalendarRecord? in
            guard let feed = try await store.feeds.feed(token: token) else { return nil }
            return try await store.feeds.calendar(scenarioID: feed.scenarioID, kind: feed.kind, entityID: feed.entityID)
        }
        guard let calendar else { return nil }
        let entry = CalendarEntry(body: calendar.body, etag: calendar.etag)
        feedCache.remember(token, entry)
        return entry
    }

    /// Whose link a token is, with the published timetable it shows (nil before publication).
    public func personalWeek(token: String) async throws(ServiceError) -> (FeedLink, ValidatedScenario, CheckedTimetable?)? {
        guard Self.isWellFormedToken(token),
              let feed = try await stored("reading a feed", { try await store.feeds.feed(token: token) }) else { return nil }
        if let publication = try await stored("reading a publication", { try await store.feeds.publication(scenarioID: feed.scenarioID) }) {
            // The token opens its own school's week, whoever holds it.
            let (scenario, timetable, _) = try await runs.checkedTimetable(runID: publication.runID, in: .all)
            return (link(feed), scenario, timetable)
        }
        guard let version = try await stored("reading a scenario", { try await store.scenarios.latestVersion(scenarioID: feed.scenarioID, in: .all) }) else {
            throw .failure(cause: "scenario \(feed.scenarioID) has a link but no version")
        }
        return (link(feed), try ScenarioService.validated(version), nil)
    }

    /// Tokens are URL-safe base64; anything else is refused before the database is asked.
    static func isWellFormedToken(_ token: String) -> Bool {
        (16...64).contains(token.utf8.count) && token.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F
        }
    }

    /// The one scenario with a link for this teacher, student or room (API calls that name no scenario).
    func onlyScenario(withFeed kind: FeedKind, entityID: String, in scope: SchoolScope) async throws(ServiceError) -> Int64 {
        var holders: [Int64] = []
        for id in try await scenarios.list(in: scope).compactMap(\.scenario.id)
        where try await stored("reading links", { try await store.feeds.feed(scenarioID: id, kind: kind, entityID: entityID, in: scope) }) != nil {
            holders.append(id)
        }
        guard let only = holders.first else { throw .notFound("no scenario has a \(kind.rawValue) \(entityID)") }
        guard holders.count == 1 else {
            throw .conflict("\(kind.rawValue) \(entityID) is in scenarios \(holders.map(String.init).joined(separator: ", ")); add ?scenario=ID")
        }
        return only
    }
}
