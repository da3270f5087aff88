import CalendarExport
import Crypto
import Foundation
import Reports
import ScenarioKit
import Store
import Synchronization
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
}

/// A private link as admins list it.
public struct FeedLink: Sendable {
    public var feed: FeedRecord
    public var calendarURL: String
    public var webcalURL: String
    public var pageURL: String
}

/// Rendered feeds by token, so a calendar client's poll costs a dictionary lookup. Emptied whenever
/// what a token opens changes (publication, rotation, revocation).
final class FeedCache: Sendable {
    struct Entry: Sendable {
        var body: Data
        var etag: String
    }

    private let entries = Mutex([String: Entry?]())

    func entry(_ token: String, load: () -> Entry?) -> Entry? {
        if let cached = entries.withLock({ $0[token] }) { return cached }
        let loaded = load()
        // Unknown tokens are not remembered: a scan of random tokens must not grow the cache.
        if loaded != nil { entries.withLock { $0[token] = loaded } }
        return loaded
    }

    func clear() { entries.withLock { $0.removeAll() } }
}

extension Services {
    /// Makes a finished run the timetable the scenario's feeds serve. Calendars are rendered now,
    /// from the checked timetable, with SEQUENCE raised on every event that changed since the last
    /// publication, exactly as `export ics --previous` does.
    public func publish(runID: Int64, by user: UserRecord) throws(ServiceError) -> PublishOutcome {
        let (scenario, checked, view) = try checkedTimetable(runID: runID)
        guard view.run.state == .done else { throw .conflict("only a finished solve can be published; run \(runID) is \(view.run.state.rawValue)") }
        guard view.run.baselineRunID == nil else {
            throw .conflict("run \(runID) is a what-if variant: upload the changed scenario as a new version and solve it to publish it")
        }
        let scenarioID = view.scenario.id!
        let earlier = try? store.feeds.publication(scenarioID: scenarioID)
        let previousCalendars = (try? store.feeds.calendars(scenarioID: scenarioID)) ?? []
        let previous: PreviousExport
        do {
            previous = try PreviousExport(calendars: previousCalendars.map { ("\(Self.folder($0.kind))/\($0.entityID).ics", String(decoding: $0.body, as: UTF8.self)) })
        } catch { throw .conflict("the published calendars do not read: \(error)") }
        var options = CalendarExport.Options()
        options.kinds = [.teachers, .students, .rooms]
        options.keepEmptyCalendars = true
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let result: CalendarExport.Result
        do {
            result = try CalendarExport.export(scenario: scenario, timetable: checked.timetable, options: options, stamp: now,
                                               previous: previousCalendars.isEmpty ? nil : previous)
        } catch { throw .invalid(error.problems) }
        let calendars = result.files.compactMap { file -> CalendarRecord? in
            guard let id = file.ownerID, let kind = Self.feedKind(file.kind) else { return nil }
            return CalendarRecord(scenarioID: scenarioID, kind: kind, entityID: id, body: file.data, etag: Self.etag(file.data))
        }
        let before: Timetable
        if let earlier, earlier.runID != runID, let (_, old, _) = try? checkedTimetable(runID: earlier.runID) {
            before = old.timetable
        } else {
            before = Timetable(scenario: scenario.name, status: .feasible, objective: nil, bound: nil, gap: nil, sessions: [], unmet: [])
        }
        let diff = TimetableDiff(from: before, to: checked.timetable, scenario: scenario.scenario)
        do {
            try store.feeds.publish(PublicationRecord(scenarioID: scenarioID, runID: runID, published: now, publishedBy: user.id!), calendars: calendars)
        } catch { throw .conflict("the publication could not be stored: \(error)") }
        feedCache.clear()
        return PublishOutcome(scenarioID: scenarioID, runID: runID, previousRunID: earlier?.runID, addedEvents: result.added,
                              changedEvents: result.changed, unchangedEvents: result.unchanged, removedEvents: result.removed.count,
                              affected: diff.peopleToNotify)
    }

    static func folder(_ kind: FeedKind) -> String { "\(kind.rawValue)s" }

    static func feedKind(_ kind: CalendarKind) -> FeedKind? {
        switch kind {
        case .teachers: .teacher
        case .students: .student
        case .rooms: .room
        case .school: nil
        }
    }

    static func etag(_ body: Data) -> String {
        "\"" + SHA256.hash(data: body).prefix(16).map { String(format: "%02x", $0) }.joined() + "\""
    }

    // MARK: Feeds

    public func feedLinks(scenarioID: Int64) throws(ServiceError) -> [FeedLink] {
        _ = try scenario(scenarioID)
        let feeds = (try? store.feeds.feeds(scenarioID: scenarioID)) ?? []
        return feeds.map(link)
    }

    func link(_ feed: FeedRecord) -> FeedLink {
        let base = configuration.publicBaseURL
        let calendar = "\(base)/cal/\(feed.token).ics"
        let webcal = "webcal://" + calendar.drop { $0 != ":" }.dropFirst(3)
        return FeedLink(feed: feed, calendarURL: calendar, webcalURL: webcal, pageURL: "\(base)/me/\(feed.token)")
    }

    /// A new token for one link; the old link answers 404 from now on.
    public func rotateFeed(scenarioID: Int64, kind: FeedKind, entityID: String) throws(ServiceError) -> FeedLink {
        guard let feed = try? store.feeds.rotate(scenarioID: scenarioID, kind: kind, entityID: entityID, token: Secrets.token(bytes: 24)) else {
            throw .notFound("scenario \(scenarioID) has no \(kind.rawValue) \(entityID)")
        }
        feedCache.clear()
        return link(feed)
    }

    public func revokeFeed(scenarioID: Int64, kind: FeedKind, entityID: String) throws(ServiceError) -> FeedLink {
        guard let feed = try? store.feeds.revoke(scenarioID: scenarioID, kind: kind, entityID: entityID) else {
            throw .notFound("scenario \(scenarioID) has no \(kind.rawValue) \(entityID)")
        }
        feedCache.clear()
        return link(feed)
    }

    /// The published calendar a live token opens; nil for an unknown or revoked token, or before
    /// anything is published (the same answer, so a token's past cannot be probed).
    func calendar(token: String) -> FeedCache.Entry? {
        feedCache.entry(token) {
            guard Self.isWellFormedToken(token), let feed = try? store.feeds.feed(token: token),
                  let calendar = try? store.feeds.calendar(scenarioID: feed.scenarioID, kind: feed.kind, entityID: feed.entityID) else { return nil }
            return FeedCache.Entry(body: calendar.body, etag: calendar.etag)
        }
    }

    /// Whose link a token is, with the published timetable it shows (nil before publication).
    public func personalWeek(token: String) -> (FeedLink, ValidatedScenario, CheckedTimetable?)? {
        guard Self.isWellFormedToken(token), let feed = try? store.feeds.feed(token: token),
              let version = try? store.scenarios.latestVersion(scenarioID: feed.scenarioID) else { return nil }
        if let publication = try? store.feeds.publication(scenarioID: feed.scenarioID),
           let (scenario, timetable, _) = try? checkedTimetable(runID: publication.runID) {
            return (link(feed), scenario, timetable)
        }
        guard let scenario = try? validated(version) else { return nil }
        return (link(feed), scenario, nil)
    }

    /// Tokens are URL-safe base64; anything else is refused before the database is asked.
    static func isWellFormedToken(_ token: String) -> Bool {
        (16...64).contains(token.utf8.count) && token.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F
        }
    }
}

extension Services {
    /// The one scenario with a link for this teacher, student or room (API calls that name no scenario).
    func onlyScenario(withFeed kind: FeedKind, entityID: String) throws(ServiceError) -> Int64 {
        let holders = ((try? scenarios()) ?? []).compactMap(\.scenario.id).filter {
            (try? store.feeds.feed(scenarioID: $0, kind: kind, entityID: entityID)) != nil
        }
        guard let only = holders.first else { throw .notFound("no scenario has a \(kind.rawValue) \(entityID)") }
        guard holders.count == 1 else {
            throw .conflict("\(kind.rawValue) \(entityID) is in scenarios \(holders.map(String.init).joined(separator: ", ")); add ?scenario=ID")
        }
        return only
    }
}
