import Foundation
import Reports
import ScenarioKit
import Store
import TimetableFormat

// The JSON API's bodies. Keys that may have no value are written as `null` rather than left out,
// so a client sees every field of a kind of answer every time.

/// An optional written as `null` when it has no value, where synthesized coding would leave the key
/// out: the bodies that need nothing else keep their synthesized coding.
@propertyWrapper
struct NullWhenAbsent<Value: Encodable>: Encodable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

/// Every refusal of the API has this one shape, `{"error": {"message": "...", "problems": [...]}}`,
/// the shape Hummingbird gives its own `HTTPError`s (401, 403, 413) too. `problems` comes only with a
/// file that does not read (422): each problem with its file, line and entity.
struct ErrorBody: Encodable {
    struct Detail: Encodable {
        var message: String
        var problems: [Problem]?
    }

    struct Problem: Encodable {
        var file: String
        var entity: String
        var message: String
        @NullWhenAbsent var line: Int?
        /// Left out when unknown, as most problems name a line only.
        var column: Int?
    }

    var error: Detail

    init(_ message: String) { error = Detail(message: message) }

    init(_ problems: [InputProblem]) {
        error = Detail(message: problems.count == 1 ? problems[0].description : "\(problems.count) problems; each is listed in problems",
                       problems: problems.map { Problem(file: $0.file, entity: $0.entity, message: $0.message, line: $0.line, column: $0.column) })
    }
}

struct UploadedBody: Encodable {
    var id: Int64
    var name: String
    var version: Int
    var warnings: [String]
}

struct ScenarioBody: Encodable {
    var id: Int64
    /// Its school's id: names are unique per school, so a district admin's list may hold one twice.
    var school: Int64
    var name: String
    var version: Int
    @NullWhenAbsent var publishedRun: Int64?
}

/// A run's state after a request changed it (queued, cancelling...).
struct RunStateBody: Encodable {
    var run: Int64
    var state: String
}

struct RunBody: Encodable {
    var view: RunView
    /// Only `GET /runs/{run}` carries the timetable (null until there is one); lists leave it out.
    var timetable: Timetable??

    enum CodingKeys: String, CodingKey {
        case id, state, scenario, scenarioName, version, timeLimit, requestedBy, created, started, finished, summary, progress
        case baselineRun, change, timetable, stableFrom, live
    }

    func encode(to encoder: any Encoder) throws {
        let run = view.run
        let iso = ISO8601DateFormatter()
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(run.id, forKey: .id)
        try c.encode(run.state.rawValue, forKey: .state)
        try c.encode(view.scenario.id, forKey: .scenario)
        try c.encode(view.scenario.name, forKey: .scenarioName)
        try c.encode(view.version.version, forKey: .version)
        try c.encode(run.timeLimit, forKey: .timeLimit)
        try c.encode(view.requestedBy, forKey: .requestedBy)
        try c.encode(iso.string(from: run.created), forKey: .created)
        try c.encode(run.started.map { iso.string(from: $0) }, forKey: .started)
        try c.encode(run.finished.map { iso.string(from: $0) }, forKey: .finished)
        try c.encode(run.summary, forKey: .summary)
        try c.encode(view.progress, forKey: .progress)
        if let baseline = run.baselineRunID {
            try c.encode(baseline, forKey: .baselineRun)
            try c.encode(run.changeName, forKey: .change)
        }
        if let stable = run.stableFromRunID { try c.encode(stable, forKey: .stableFrom) }
        try c.encode(view.isLive, forKey: .live)
        if let timetable { try c.encode(timetable, forKey: .timetable) }
    }
}

/// One person to tell: `changes` in names and clock times, as the pages and `diff.md` word them;
/// `before` and `after` in ids, as `diff.json` keeps them.
struct PersonBody: Encodable {
    var role: String
    var id: String
    var name: String
    var changes: [String]
    var before: [String]
    var after: [String]

    init(_ person: TimetableDiff.PersonChange, notices: [TimetableDiff.Notice]) {
        role = person.role
        id = person.id
        name = person.name
        changes = notices.first { $0.role == person.role && $0.id == person.id }?.lines ?? []
        before = person.before
        after = person.after
    }
}

struct PublishedBody: Encodable {
    struct Events: Encodable {
        var added: Int
        var changed: Int
        var unchanged: Int
        var removed: Int
    }

    var scenario: Int64
    var run: Int64
    @NullWhenAbsent var previousRun: Int64?
    var events: Events
    var affected: [PersonBody]
    /// False: nothing was published yet, the change waits for `{"confirm": true}`.
    var published: Bool

    init(_ outcome: PublishOutcome) {
        scenario = outcome.scenarioID
        run = outcome.runID
        previousRun = outcome.previousRunID
        events = Events(added: outcome.addedEvents, changed: outcome.changedEvents, unchanged: outcome.unchangedEvents, removed: outcome.removedEvents)
        affected = outcome.affected.map { PersonBody($0, notices: outcome.notices) }
        published = outcome.published
    }
}

struct FeedBody: Encodable {
    var kind: String
    var id: String
    var name: String
    var url: String
    var webcal: String
    var page: String
    var revoked: Bool
    var scenario: Int64

    init(_ link: FeedLink) {
        kind = link.feed.kind.rawValue
        id = link.feed.entityID
        name = link.feed.name
        url = link.calendarURL
        webcal = link.webcalURL
        page = link.pageURL
        revoked = link.feed.revoked
        scenario = link.feed.scenarioID
    }
}

struct WhatIfStartedBody: Encodable {
    struct Variant: Encodable {
        var run: Int64
        var change: String
    }

    var baselineRun: Int64
    var runs: [Variant]
}

struct ComparisonBody: Encodable {
    struct Variant: Encodable {
        var variant: WhatIfVariant

        enum CodingKeys: String, CodingKey {
            case run, change, state, unmetSessions, objective, headline, sessions, peopleAffected
        }

        func encode(to encoder: any Encoder) throws {
            let run = variant.view.run
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(run.id, forKey: .run)
            try c.encode(run.changeName ?? "", forKey: .change)
            try c.encode(run.state.rawValue, forKey: .state)
            try c.encode(variant.unmetSessions, forKey: .unmetSessions)
            try c.encode(variant.objective, forKey: .objective)
            try c.encode(variant.headline ?? run.summary, forKey: .headline)
            let diff = variant.diff
            try c.encode(diff.map { diff in Dictionary(uniqueKeysWithValues: TimetableDiff.Kind.allCases.map { ($0.rawValue, diff.count($0)) }) },
                         forKey: .sessions)
            try c.encode(diff.map { $0.peopleToNotify.map { PersonBody($0, notices: variant.notices) } }, forKey: .peopleAffected)
        }
    }

    var baselineRun: Int64
    var baselineUnmetSessions: Int
    var variants: [Variant]
}

struct ExplanationBody: Encodable {
    struct Suggestion: Encodable {
        var change: String
        var lessonsPlaced: Int
        var unplacedAfter: Int
        var sessionsRecovered: Int
        var mandatedRecovered: Int
        var unmetAfter: Int
        /// The change file that queues it as a what-if variant (`POST /api/v1/runs/{run}/whatif`), when one can say it.
        var changeFile: String?
    }

    var explanation: Explanation

    enum CodingKeys: String, CodingKey {
        case id, run, state, unmet, unplaced, problem, tried, suggestions
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(explanation.id, forKey: .id)
        try c.encode(explanation.runID, forKey: .run)
        try c.encode(explanation.state.rawValue, forKey: .state)
        try c.encode(explanation.unmet, forKey: .unmet)
        try c.encode(explanation.unplaced, forKey: .unplaced)
        try c.encode(explanation.problem, forKey: .problem)
        try c.encode(explanation.advice?.tried, forKey: .tried)
        try c.encode(explanation.advice.map {
            $0.suggestions.enumerated().map { i, s in
                Suggestion(change: s.change, lessonsPlaced: s.lessonsPlaced, unplacedAfter: s.unplacedAfter,
                           sessionsRecovered: s.sessionsRecovered, mandatedRecovered: s.mandatedRecovered, unmetAfter: s.unmetAfter,
                           changeFile: explanation.changeFile(i))
            }
        }, forKey: .suggestions)
    }
}

// MARK: Requests

/// Request bodies name every key they read; any other key is refused, so a misspelt option is an
/// error rather than silently ignored.
struct StartRunRequest: Decodable {
    static let example = #"{"timeLimit": 30, "fromScratch": false}"#
    var timeLimit: Double?
    /// True ignores the published timetable; a solve keeps it wherever it can otherwise.
    var fromScratch = false

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: RequestKey.self)
        try RequestKey.refuseOthers(c, known: ["timeLimit", "fromScratch"])
        timeLimit = try c.decodeIfPresent(Double.self, forKey: RequestKey("timeLimit"))
        fromScratch = try c.decodeIfPresent(Bool.self, forKey: RequestKey("fromScratch")) ?? false
    }
}

struct PublishRequest: Decodable {
    static let example = #"{"confirm": true}"#
    var confirm: Bool

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: RequestKey.self)
        try RequestKey.refuseOthers(c, known: ["confirm"])
        confirm = try c.decodeIfPresent(Bool.self, forKey: RequestKey("confirm")) ?? false
    }
}

struct StartWhatIfRequest: Decodable {
    static let example = #"{"changes": [{"name": "kim-away", "yaml": "teachers-unavailable: {kim: [tue]}"}], "timeLimit": 8}"#
    struct Change: Decodable {
        var name: String
        var yaml: String
    }

    var changes: [Change]
    var timeLimit: Double?

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: RequestKey.self)
        try RequestKey.refuseOthers(c, known: ["changes", "timeLimit"])
        changes = try c.decode([Change].self, forKey: RequestKey("changes"))
        timeLimit = try c.decodeIfPresent(Double.self, forKey: RequestKey("timeLimit"))
    }
}

struct RequestKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }

    struct Unknown: Error {
        var key: String
        var known: [String]
    }

    static func refuseOthers(_ container: KeyedDecodingContainer<RequestKey>, known: [String]) throws {
        if let unknown = container.allKeys.first(where: { !known.contains($0.stringValue) }) {
            throw Unknown(key: unknown.stringValue, known: known)
        }
    }
}

/// A request body decoded, or the client's mistake as a 400 that says what to send.
func decodeRequest<T: Decodable>(_ type: T.Type, from data: Data, example: String) throws(ServiceError) -> T {
    do { return try JSONDecoder().decode(type, from: data) } catch let unknown as RequestKey.Unknown {
        throw .badRequest("unknown key \(unknown.key); only \(unknown.known.joined(separator: " and ")) are read")
    } catch DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty {
        throw .badRequest("send a JSON object such as \(example)")
    } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
        throw .badRequest("send a JSON object such as \(example)")
    } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context), DecodingError.keyNotFound(_, let context) {
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        throw .badRequest("\(path.isEmpty ? "the body" : path) is missing or of the wrong type; send for example \(example)")
    } catch {
        throw .badRequest("send a JSON object such as \(example)")
    }
}
