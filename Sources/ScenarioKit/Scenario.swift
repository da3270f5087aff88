// The week an admin describes: who needs what, who can teach it, where, and when.
// A `Scenario` value is only ever produced by `ScenarioLoader` (or built in code and passed through
// `Scenario.validated()`), so every other layer may rely on its invariants: unique ids, known
// modalities, non-overlapping blocks, positive counts.

public enum Weekday: String, CaseIterable, Sendable, Hashable, Codable, Comparable {
    case mon, tue, wed, thu, fri, sat, sun

    public var ordinal: Int { Weekday.allCases.firstIndex(of: self)! }
    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.ordinal < rhs.ordinal }

    public var longName: String {
        switch self {
        case .mon: "Monday"
        case .tue: "Tuesday"
        case .wed: "Wednesday"
        case .thu: "Thursday"
        case .fri: "Friday"
        case .sat: "Saturday"
        case .sun: "Sunday"
        }
    }
}

/// Minutes after midnight, written `HH:MM`.
public struct ClockTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var minutes: Int
    public init(minutes: Int) { self.minutes = minutes }
    public init(hour: Int, minute: Int) { self.minutes = hour * 60 + minute }

    /// Accepts `8:30` and `08:30`.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              let h = Int(parts[0]), let m = Int(parts[1]), (0...23).contains(h), (0...59).contains(m)
        else { return nil }
        self.minutes = h * 60 + m
    }

    public var hour: Int { minutes / 60 }
    public var minute: Int { minutes % 60 }
    public var description: String {
        let h = hour < 10 ? "0\(hour)" : "\(hour)"
        let m = minute < 10 ? "0\(minute)" : "\(minute)"
        return "\(h):\(m)"
    }
    public static func < (lhs: ClockTime, rhs: ClockTime) -> Bool { lhs.minutes < rhs.minutes }
}

/// A calendar date without time zone, written `YYYY-MM-DD`.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int, month: Int, day: Int
    public init(year: Int, month: Int, day: Int) { self.year = year; self.month = month; self.day = day }

    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), d >= 1, d <= LocalDate.daysIn(month: m, year: y)
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public var description: String {
        func pad(_ v: Int, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(v).count)) + String(v) }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

public struct Term: Sendable, Hashable {
    public var start: LocalDate
    public var end: LocalDate
    public var skip: [LocalDate]
    public init(start: LocalDate, end: LocalDate, skip: [LocalDate] = []) {
        self.start = start; self.end = end; self.skip = skip
    }
}

public struct Block: Sendable, Hashable {
    public var id: String
    public var start: ClockTime
    public var end: ClockTime
    /// A break (lunch, say) comes before this block: no multi-block session runs across it.
    public var breakBefore: Bool
    public init(id: String, start: ClockTime, end: ClockTime, breakBefore: Bool = false) {
        self.id = id; self.start = start; self.end = end; self.breakBefore = breakBefore
    }
}

public struct Modality: Sendable, Hashable {
    public var id: String
    public var min: Int
    public var max: Int
    /// Whether every session of this modality is led by a teacher who teaches its subject.
    public var teacher: Bool
    public var roomFeatures: [String]
    /// Consecutive blocks of one day each session fills (2 for a double block).
    public var length: Int
    /// Levels within one session differ by at most this much; nil when levels do not matter.
    public var levelSpread: Int?
    public init(id: String, min: Int, max: Int, teacher: Bool, roomFeatures: [String] = [], length: Int = 1,
                levelSpread: Int? = nil) {
        self.id = id; self.min = min; self.max = max; self.teacher = teacher; self.roomFeatures = roomFeatures
        self.length = length; self.levelSpread = levelSpread
    }
}

/// `mon` (the whole day) or `mon.b1` (one block), as written in `unavailable` lists.
public enum SlotRef: Sendable, Hashable, CustomStringConvertible {
    case day(Weekday)
    case block(Weekday, String)

    public var description: String {
        switch self {
        case .day(let d): d.rawValue
        case .block(let d, let b): "\(d.rawValue).\(b)"
        }
    }

    public init?(parsing text: String) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let day = Weekday(rawValue: String(parts[0]).lowercased()) else { return nil }
        if parts.count == 1 { self = .day(day) } else if parts[1].isEmpty { return nil } else {
            self = .block(day, String(parts[1]))
        }
    }

    public var weekday: Weekday {
        switch self {
        case .day(let d), .block(let d, _): d
        }
    }
}

public struct Teacher: Sendable, Hashable {
    public var id: String
    public var name: String
    public var subjects: [String]
    public var unavailable: [SlotRef]
    public var maxPerDay: Int?
    public var maxPerWeek: Int?
    /// Days a week she may teach at most (a part-time teacher); any days, fixed sessions counting.
    public var maxDays: Int?
    /// Blocks she may teach in a row at most before a free block (or a `break-before`).
    public var maxInARow: Int?
    /// Times she would rather not teach (soft): each session in them costs `O.prefer-not`.
    public var preferNot: [SlotRef]
    /// Blocks a week she should be busy at most (soft, to even the load): each block beyond costs
    /// `O.teacher-over-aim`; counted as `max-per-week` counts.
    public var aimPerWeek: Int?
    public init(id: String, name: String, subjects: [String], unavailable: [SlotRef] = [],
                maxPerDay: Int? = nil, maxPerWeek: Int? = nil, maxDays: Int? = nil, maxInARow: Int? = nil, preferNot: [SlotRef] = [],
                aimPerWeek: Int? = nil) {
        self.id = id; self.name = name; self.subjects = subjects; self.unavailable = unavailable
        self.maxPerDay = maxPerDay; self.maxPerWeek = maxPerWeek; self.maxDays = maxDays; self.maxInARow = maxInARow; self.preferNot = preferNot; self.aimPerWeek = aimPerWeek
    }
}

public struct Room: Sendable, Hashable {
    public var id: String
    public var name: String
    public var capacity: Int
    public var features: [String]
    public var unavailable: [SlotRef]
    public init(id: String, name: String, capacity: Int, features: [String] = [], unavailable: [SlotRef] = []) {
        self.id = id; self.name = name; self.capacity = capacity; self.features = features; self.unavailable = unavailable
    }
}

/// How much an unmet session of a need weighs against others: no number of lower-priority sessions
/// is worth one of a higher priority. `mandated` is for services the law requires (IEP or 504
/// minutes, speech therapy, English-language support).
public enum Priority: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case low, normal, high, mandated

    public var rank: Int { Priority.allCases.firstIndex(of: self)! }
    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rank < rhs.rank }
}

/// A learning-plan line: this many sessions of this subject in this modality this week.
public struct Need: Sendable, Hashable {
    public var subject: String
    public var modality: String
    public var sessions: Int
    public var priority: Priority
    /// Only this teacher may lead its sessions (a family's or an intervention plan's request).
    public var teacher: String?
    /// Teachers she would rather have (soft): a session led by anyone else costs `O.prefer-teacher`.
    public var preferTeachers: [String]
    /// Her level in this subject, for modalities with `level-spread`.
    public var level: Int?
    public init(subject: String, modality: String, sessions: Int, priority: Priority = .normal, teacher: String? = nil,
                preferTeachers: [String] = [], level: Int? = nil) {
        self.subject = subject; self.modality = modality; self.sessions = sessions; self.priority = priority
        self.teacher = teacher; self.preferTeachers = preferTeachers; self.level = level
    }
}

public struct Student: Sendable, Hashable {
    public var id: String
    public var name: String
    public var needs: [Need]
    public var unavailable: [SlotRef]
    /// Room features every session she attends must have (for example `accessible`).
    public var requires: [String]
    public var maxPerDay: Int?
    /// Students she never shares a session with (symmetric: listing it on one side is enough).
    public var apart: [String]
    public init(id: String, name: String, needs: [Need], unavailable: [SlotRef] = [], requires: [String] = [],
                maxPerDay: Int? = nil, apart: [String] = []) {
        self.id = id; self.name = name; self.needs = needs; self.unavailable = unavailable
        self.requires = requires; self.maxPerDay = maxPerDay; self.apart = apart
    }
}

/// A named set of students (a grade, an advisory), used by fixed sessions.
public struct StudentGroup: Sendable, Hashable {
    public var id: String
    public var students: [String]
    public init(id: String, students: [String]) { self.id = id; self.students = students }
}

/// A session decided outside flexsched (a whole-class lesson, advisory, lunch duty). It follows no
/// modality rule but occupies its people and room, and counts towards their limits.
public struct FixedSession: Sendable, Hashable {
    public var id: String
    public var title: String
    public var day: Weekday
    /// The first block; the session fills `length` consecutive blocks from it.
    public var block: String
    public var length: Int
    public var teachers: [String]
    public var room: String?
    public var students: [String]
    public var groups: [String]
    public init(id: String, title: String, day: Weekday, block: String, length: Int = 1, teachers: [String] = [],
                room: String? = nil, students: [String] = [], groups: [String] = []) {
        self.id = id; self.title = title; self.day = day; self.block = block; self.length = length
        self.teachers = teachers; self.room = room; self.students = students; self.groups = groups
    }
}

public struct Scenario: Sendable, Hashable {
    public var name: String
    public var timezone: String
    public var term: Term?
    public var days: [Weekday]
    public var blocks: [Block]
    public var modalities: [Modality]
    public var teachers: [Teacher]
    public var rooms: [Room]
    public var students: [Student]
    public var groups: [StudentGroup]
    public var fixed: [FixedSession]
    /// v1.2: cohorts and the lessons the solver places for them (`Lessons.swift`).
    public var classes: [SchoolClass] { didSet { classIndex = ClassIndex(classes) } }
    public var lessons: [Lesson]
    /// The class tree, kept in step with `classes`.
    public private(set) var classIndex: ClassIndex

    public init(name: String, timezone: String, term: Term? = nil, days: [Weekday], blocks: [Block],
                modalities: [Modality], teachers: [Teacher], rooms: [Room], students: [Student],
                groups: [StudentGroup] = [], fixed: [FixedSession] = [], classes: [SchoolClass] = [], lessons: [Lesson] = []) {
        self.name = name; self.timezone = timezone; self.term = term; self.days = days; self.blocks = blocks
        self.modalities = modalities; self.teachers = teachers; self.rooms = rooms; self.students = students
        self.groups = groups; self.fixed = fixed; self.classes = classes; self.lessons = lessons
        classIndex = ClassIndex(classes)
    }

    public func modality(_ id: String) -> Modality? { modalities.first { $0.id == id } }

    /// Blocks in time order (the order the file lists them need not be).
    public var blocksInTimeOrder: [Block] { blocks.sorted { $0.start < $1.start } }

    /// The blocks a session starting at `block` with `length` blocks fills, in time order; nil when
    /// the day ends first or a `break-before` block would fall inside it.
    public func blockRun(from block: String, length: Int) -> [Block]? {
        let ordered = blocksInTimeOrder
        guard let first = ordered.firstIndex(where: { $0.id == block }), length >= 1, first + length <= ordered.count
        else { return nil }
        let run = Array(ordered[first..<(first + length)])
        return run.dropFirst().contains(where: \.breakBefore) ? nil : run
    }

    /// A fixed session's students: those listed and the members of its groups, each once, in order.
    public func attendees(of session: FixedSession) -> [String] {
        var seen = Set<String>()
        let members = session.groups.flatMap { id in groups.first { $0.id == id }?.students ?? [] }
        return (session.students + members).filter { seen.insert($0).inserted }
    }
}

/// Whether an entity is free at a day and block, given its `unavailable` list.
public func isAvailable(_ unavailable: [SlotRef], day: Weekday, block: String) -> Bool {
    !unavailable.contains { ref in
        switch ref {
        case .day(let d): d == day
        case .block(let d, let b): d == day && b == block
        }
    }
}
