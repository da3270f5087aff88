// Verifies a timetable against the hard rules using nothing but the scenario and the timetable, so a
// bug in the model builder cannot hide itself: this module deliberately shares no code with it. Each
// hard rule of the catalogue has exactly one check function here, tagged with the rule's id.
import Rules
import ScenarioKit
import TimetableFormat

public struct Violation: Sendable, Hashable, CustomStringConvertible {
    public var rule: Rule
    /// Starts with a short problem name ("teacher double-booked: ...") followed by who, when and what.
    public var message: String

    public init(rule: Rule, message: String) { self.rule = rule; self.message = message }

    public var description: String { "\(rule.id) \(message)" }
}

/// One hard rule's independent check. `run` returns the rule's violation messages, in a stable order.
public struct RuleCheck: Sendable {
    public let rule: Rule
    public let location: CodeLocation
    let run: @Sendable (CheckInput) -> [String]

    init(_ rule: Rule, fileID: String = #fileID, line: Int = #line, _ run: @escaping @Sendable (CheckInput) -> [String]) {
        self.rule = rule
        location = CodeLocation(fileID: fileID, line: line)
        self.run = run
    }

    /// Every hard rule's check, in catalogue order.
    public static let all: [RuleCheck] = [
        knownIds, sessionLength,
        groupTooSmall, groupTooLarge, levelSpread,
        teacherPresence, teacherSubject, teacherUnavailable, teacherDoubleBooked, teacherDailyLimit, teacherWeeklyLimit,
        teacherDaysLimit, teacherInARow, requestedTeacher,
        roomClosed, roomFeatures, accommodations, roomDoubleBooked,
        studentUnavailable, studentDoubleBooked, studentDailyLimit, needOncePerDay, needNotExceeded, unmetReported,
        keptApart,
        studentHasNeed,
        fixedKept,
        lessonKept, lessonCount, lessonPinned, lessonLength, classDoubleBooked, classUnavailable, classDailyLimit, lessonRoom, lessonRoomSize,
        lessonDaysApart, lessonOnlyAt, lessonEndsDay,
    ]

    public static func check(for rule: Rule) -> RuleCheck? { all.first { $0.rule == rule } }
}

/// Every violation of the hard rules, rule by rule in catalogue order; an empty list means the
/// timetable is valid. Never traps, whatever the timetable contains: unknown ids are reported under
/// R1 and otherwise skipped by the other rules.
public func checkTimetable(_ timetable: Timetable, against scenario: Scenario) -> [Violation] {
    let input = CheckInput(timetable, scenario)
    return RuleCheck.all.flatMap { check in check.run(input).map { Violation(rule: check.rule, message: $0) } }
}

/// The scenario indexed by id and each session resolved once; what every check reads.
struct CheckInput: Sendable {
    struct Resolved: Sendable {
        let session: Timetable.Session
        /// The session's day if the scenario has it.
        let day: Weekday?
        let knownBlock: Bool
        let modality: Modality?
        let room: Room?
        let teacher: Teacher?
        /// Each listed student once: listing a student twice does not make the group bigger.
        let attendees: [String]
        /// The blocks it fills: its `length` blocks from `block` in time order, as far as the day goes
        /// (whether that run is allowed is R1.session-length's question).
        let blocks: [String]
        var at: String { blocks.count > 1 ? "\(session.day).\(blocks.first!)-\(blocks.last!)" : "\(session.day).\(session.block)" }
        var what: String {
            session.fixed ? "fixed \(title) at \(at)" : session.isLesson ? "lesson \(title) at \(at)" : "\(session.subject) \(session.modality) at \(at)"
        }
        var title: String { session.heading }
        /// `day.block` of each block it fills.
        var slots: [String] { blocks.map { "\(session.day).\($0)" } }

        /// Availability can only be judged at a real slot; an unknown one is R1's to report.
        func isFree(_ unavailable: [SlotRef]) -> Bool {
            guard let day, knownBlock else { return true }
            return blocks.allSatisfy { isAvailable(unavailable, day: day, block: $0) }
        }
    }

    let scenario: Scenario
    let timetable: Timetable
    let modalities: [String: Modality]
    let teachers: [String: Teacher]
    let rooms: [String: Room]
    let students: [String: Student]
    /// The sessions flexsched planned: every rule about subjects, modalities and needs is about these.
    let sessions: [Resolved]
    /// Fixed sessions as the timetable gives them: R7 compares them with the scenario.
    let fixed: [Resolved]
    /// Class lessons: R8 compares them with the scenario's `lessons`.
    let lessons: [Resolved]
    /// All three: what occupies people and rooms, for double-booking and load limits.
    var occupying: [Resolved] { fixed + lessons + sessions }
    /// What flexsched placed (flex sessions and lessons): availability rules judge these, not the
    /// fixed sessions the school gave.
    var placed: [Resolved] { lessons + sessions }

    init(_ timetable: Timetable, _ scenario: Scenario) {
        self.scenario = scenario
        self.timetable = timetable
        let modalities = index(scenario.modalities, \.id), teachers = index(scenario.teachers, \.id)
        let rooms = index(scenario.rooms, \.id)
        self.modalities = modalities
        self.teachers = teachers
        self.rooms = rooms
        students = index(scenario.students, \.id)
        let blockIds = Set(scenario.blocks.map(\.id))
        let ordered = scenario.blocks.sorted { $0.start < $1.start }.map(\.id)
        let resolved = timetable.sessions.map { s in
            let first = ordered.firstIndex(of: s.block)
            let blocks = first.map { Array(ordered[$0..<min(ordered.count, $0 + max(1, s.length))]) } ?? [s.block]
            return Resolved(session: s, day: Weekday(rawValue: s.day).flatMap { scenario.days.contains($0) ? $0 : nil },
                            knownBlock: blockIds.contains(s.block), modality: s.isFlex ? modalities[s.modality] : nil,
                            room: s.room.flatMap { rooms[$0] }, teacher: s.teacher.flatMap { teachers[$0] },
                            attendees: unique(s.students), blocks: blocks)
        }
        sessions = resolved.filter(\.session.isFlex)
        fixed = resolved.filter(\.session.fixed)
        lessons = resolved.filter(\.session.isLesson)
    }

    /// Occupying sessions grouped by a key such as [teacher, slot]; groups come out sorted by key.
    func tallyOccupying(_ key: (Resolved) -> [[String]]) -> [(key: [String], sessions: [Resolved])] {
        tally(occupying, key)
    }

    /// Sessions grouped by a key such as [teacher, slot]; groups come out sorted by key.
    func tally(_ key: (Resolved) -> [[String]]) -> [(key: [String], sessions: [Resolved])] { tally(sessions, key) }

    private func tally(_ list: [Resolved], _ key: (Resolved) -> [[String]]) -> [(key: [String], sessions: [Resolved])] {
        var groups: [[String]: [Resolved]] = [:]
        for s in list { for k in key(s) { groups[k, default: []].append(s) } }
        return groups.map { ($0.key, $0.value) }.sorted { $0.key.lexicographicallyPrecedes($1.key) }
    }

    /// Per known student in a session: (student, session) pairs; with `lessons`, her lessons too.
    func attendance(lessons withLessons: Bool = false, _ body: (Student, Resolved) -> [String]) -> [String] {
        (withLessons ? placed : sessions).flatMap { s in s.attendees.compactMap { students[$0] }.flatMap { body($0, s) } }
    }
}

/// The first entity with each id; duplicate ids are the scenario validator's concern, not a reason to trap.
private func index<T>(_ items: [T], _ id: (T) -> String) -> [String: T] {
    Dictionary(items.map { (id($0), $0) }, uniquingKeysWith: { first, _ in first })
}

func unique(_ ids: [String]) -> [String] {
    var seen = Set<String>()
    return ids.filter { seen.insert($0).inserted }
}

func list(_ items: [String]) -> String { items.isEmpty ? "none" : items.joined(separator: ", ") }

func titles(_ sessions: [CheckInput.Resolved]) -> String { list(sessions.map(\.title)) }

public func checkTimetable(_ timetable: Timetable, against scenario: ValidatedScenario) -> [Violation] {
    checkTimetable(timetable, against: scenario.scenario)
}
