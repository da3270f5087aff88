/// Every hard rule and objective term of a timetable, in one list. The model builder (Scheduler),
/// the independent checker (TimetableChecker), unmet reasons and explanations all refer to rules by
/// these ids, so a rule's name reads the same everywhere and a rule can be found from its id alone.
public struct Rule: Sendable, Hashable, Identifiable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Every valid timetable satisfies it; the checker rejects a timetable that breaks it.
        case hard
        /// A weighted term of the objective (lower is better).
        case objective
    }

    /// Stable id, e.g. `R3.teacher-double-booked` or `O.student-idle`. Its prefix before the dot is
    /// the rule family (R1-R8 for hard rules, O for objective terms).
    public let id: String
    /// What a school admin calls it.
    public let name: String
    /// One line on what the rule protects or what the term rewards.
    public let intent: String
    public let kind: Kind
    /// The term's default weight per unit; nil for hard rules.
    public let weight: Double?

    public var family: String { String(id.prefix { $0 != "." }) }
    public var description: String { "\(id) \(name)" }
}

extension Rule {
    // MARK: R1 references

    public static let knownIds = Rule(
        id: "R1.known-ids", name: "session names only what exists",
        intent: "every session is at a scenario day and block and names an existing subject, modality, room, teacher and students",
        kind: .hard, weight: nil)

    public static let sessionLength = Rule(
        id: "R1.session-length", name: "session fills its blocks",
        intent: "a session fills its modality's `length` consecutive blocks of one day, never across a `break-before`",
        kind: .hard, weight: nil)

    // MARK: R2 group size

    public static let groupTooSmall = Rule(
        id: "R2.group-too-small", name: "group too small",
        intent: "a session has at least its modality's `min` students", kind: .hard, weight: nil)
    public static let groupTooLarge = Rule(
        id: "R2.group-too-large", name: "group too large",
        intent: "a session has at most its modality's `max` students and no more than its room seats", kind: .hard, weight: nil)

    public static let levelSpread = Rule(
        id: "R2.level-spread", name: "levels too far apart",
        intent: "levels of the students in one session differ by at most the modality's `level-spread`", kind: .hard, weight: nil)

    // MARK: R3 teachers

    public static let teacherPresence = Rule(
        id: "R3.teacher-presence", name: "teacher exactly where the modality has one",
        intent: "a session has a teacher if and only if its modality says `teacher: true`", kind: .hard, weight: nil)
    public static let teacherSubject = Rule(
        id: "R3.teacher-subject", name: "teacher teaches the subject",
        intent: "a session's teacher lists its subject in `subjects`", kind: .hard, weight: nil)
    public static let teacherUnavailable = Rule(
        id: "R3.teacher-unavailable", name: "teacher unavailable",
        intent: "no session at a time the teacher is marked `unavailable`", kind: .hard, weight: nil)
    public static let teacherDoubleBooked = Rule(
        id: "R3.teacher-double-booked", name: "teacher double-booked",
        intent: "a teacher leads at most one session per block", kind: .hard, weight: nil)
    public static let teacherDailyLimit = Rule(
        id: "R3.teacher-daily-limit", name: "teacher over daily limit",
        intent: "a teacher has at most `max-per-day` sessions a day", kind: .hard, weight: nil)
    public static let teacherWeeklyLimit = Rule(
        id: "R3.teacher-weekly-limit", name: "teacher over weekly limit",
        intent: "a teacher has at most `max-per-week` sessions a week", kind: .hard, weight: nil)
    public static let teacherDaysLimit = Rule(
        id: "R3.teacher-days-limit", name: "teacher on too many days",
        intent: "a teacher teaches on at most `max-days` days a week (a part-time teacher; fixed sessions count)", kind: .hard, weight: nil)
    public static let teacherInARow = Rule(
        id: "R3.teacher-in-a-row", name: "teacher too long without a break",
        intent: "a teacher teaches at most `max-in-a-row` blocks in a row; a free block or a `break-before` ends a run", kind: .hard, weight: nil)

    public static let requestedTeacher = Rule(
        id: "R3.requested-teacher", name: "requested teacher",
        intent: "a need with `teacher` has its sessions led by that teacher and nobody else", kind: .hard, weight: nil)

    // MARK: R4 rooms

    public static let roomClosed = Rule(
        id: "R4.room-closed", name: "room closed",
        intent: "no session in a room at a time the room is marked `unavailable`", kind: .hard, weight: nil)
    public static let roomFeatures = Rule(
        id: "R4.room-features", name: "room lacks a feature the modality needs",
        intent: "the room has every `room-features` entry of the session's modality", kind: .hard, weight: nil)
    public static let accommodations = Rule(
        id: "R4.accommodations", name: "room lacks a feature a student requires",
        intent: "the room has every feature each attending student `requires` (an accessible room, say)", kind: .hard, weight: nil)
    public static let roomDoubleBooked = Rule(
        id: "R4.room-double-booked", name: "room double-booked",
        intent: "a room hosts at most one session per block", kind: .hard, weight: nil)

    // MARK: R5 students

    public static let studentUnavailable = Rule(
        id: "R5.student-unavailable", name: "student unavailable",
        intent: "no session at a time the student is marked `unavailable`", kind: .hard, weight: nil)
    public static let studentDoubleBooked = Rule(
        id: "R5.student-double-booked", name: "student double-booked",
        intent: "a student attends at most one session per block, and is listed once in it", kind: .hard, weight: nil)
    public static let studentDailyLimit = Rule(
        id: "R5.student-daily-limit", name: "student over daily limit",
        intent: "a student has at most `max-per-day` sessions a day", kind: .hard, weight: nil)
    public static let needOncePerDay = Rule(
        id: "R5.need-once-per-day", name: "same need twice in a day",
        intent: "a student has at most one session of each need (subject and modality) a day", kind: .hard, weight: nil)
    public static let needNotExceeded = Rule(
        id: "R5.need-not-exceeded", name: "more sessions than the plan asks",
        intent: "a student never has more sessions of a need than her learning plan asks for", kind: .hard, weight: nil)
    public static let unmetReported = Rule(
        id: "R5.unmet-reported", name: "unmet sessions reported exactly",
        intent: "for every need, sessions scheduled + sessions reported unmet = sessions needed", kind: .hard, weight: nil)

    public static let keptApart = Rule(
        id: "R5.kept-apart", name: "students kept apart",
        intent: "two students listed as `apart` are never in the same session", kind: .hard, weight: nil)

    // MARK: R6 needs

    public static let studentHasNeed = Rule(
        id: "R6.student-has-need", name: "student without that need",
        intent: "every student in a session has that (subject, modality) need", kind: .hard, weight: nil)

    // MARK: R7 fixed sessions

    public static let fixedKept = Rule(
        id: "R7.fixed-kept", name: "fixed session kept as given",
        intent: "every `fixed` session appears exactly once, at its day and blocks, with its teachers, room and students",
        kind: .hard, weight: nil)

    // MARK: objective terms

    /// Unmet sessions by priority. Their weights are lexicographic for each scenario (see
    /// `ObjectiveWeights`): 1000 for the lowest priority, and each higher one outweighs every session of
    /// all lower priorities together. For a scenario whose needs are all `normal`, 1000 per session.
    public static let unmetMandated = Rule(
        id: "O.unmet-mandated", name: "unmet mandated session",
        intent: "per `mandated` session not scheduled (IEP or 504 minutes, therapy); outweighs every other unmet session together",
        kind: .objective, weight: 1000)
    public static let unmetHigh = Rule(
        id: "O.unmet-high", name: "unmet high-priority session",
        intent: "per `high` session not scheduled; outweighs every normal and low session together", kind: .objective, weight: 1000)
    public static let unmetSession = Rule(
        id: "O.unmet", name: "unmet session",
        intent: "per `normal` session not scheduled (the default priority); outweighs every low session and comfort term together",
        kind: .objective, weight: 1000)
    public static let unmetLow = Rule(
        id: "O.unmet-low", name: "unmet low-priority session",
        intent: "per `low` session not scheduled; dominates every comfort term", kind: .objective, weight: 1000)
    public static let studentIdle = Rule(
        id: "O.student-idle", name: "student idle block",
        intent: "per free block between a student's first and last session of a day", kind: .objective, weight: 3)
    public static let teacherIdle = Rule(
        id: "O.teacher-idle", name: "teacher idle block",
        intent: "per free block between a teacher's first and last session of a day", kind: .objective, weight: 2)
    public static let lateBlock = Rule(
        id: "O.late-block", name: "late block",
        intent: "per student attending a session in the day's last block", kind: .objective, weight: 1)
    public static let sameNeedNextDay = Rule(
        id: "O.same-need-next-day", name: "same need on consecutive days",
        intent: "per pair of calendar-consecutive school days on which a student has sessions of the same need",
        kind: .objective, weight: 2)
    public static let preferredTeacher = Rule(
        id: "O.prefer-teacher", name: "preferred teacher not leading",
        intent: "per session of a need with `prefer-teacher` led by a teacher not in that list", kind: .objective, weight: 5)
    public static let teacherContinuity = Rule(
        id: "O.teacher-continuity", name: "extra teacher for one need",
        intent: "per extra distinct teacher a student's teacher-led need has in the week (tutoring works best with one adult)",
        kind: .objective, weight: 4)
    public static let preferNot = Rule(
        id: "O.prefer-not", name: "teacher's prefer-not time",
        intent: "per session a teacher leads in a block she listed in `prefer-not`", kind: .objective, weight: 3)
    public static let teacherOverAim = Rule(
        id: "O.teacher-over-aim", name: "teacher block over her aim",
        intent: "per block a teacher is busy in the week beyond her `aim-per-week` (evens the load: aim near the average)",
        kind: .objective, weight: 2)
    public static let changedSeat = Rule(
        id: "O.changed-seat", name: "changed student assignment",
        intent: "re-solves against a baseline: per student no longer at a session she had (same need, day, block, teacher, room)",
        kind: .objective, weight: 50)
    public static let changedTeacher = Rule(
        id: "O.changed-teacher", name: "changed teacher",
        intent: "re-solves against a baseline: per baseline session whose teacher changed", kind: .objective, weight: 10)
    public static let changedRoom = Rule(
        id: "O.changed-room", name: "changed room",
        intent: "re-solves against a baseline: per baseline session whose room changed", kind: .objective, weight: 4)
}

/// The catalogue, in the order reports list it.
public enum RuleCatalogue {
    public static let all: [Rule] = [
        .knownIds, .sessionLength,
        .groupTooSmall, .groupTooLarge, .levelSpread,
        .teacherPresence, .teacherSubject, .teacherUnavailable, .teacherDoubleBooked, .teacherDailyLimit, .teacherWeeklyLimit,
        .teacherDaysLimit, .teacherInARow, .requestedTeacher,
        .roomClosed, .roomFeatures, .accommodations, .roomDoubleBooked,
        .studentUnavailable, .studentDoubleBooked, .studentDailyLimit, .needOncePerDay, .needNotExceeded, .unmetReported,
        .keptApart,
        .studentHasNeed,
        .fixedKept,
        .lessonKept, .lessonCount, .lessonPinned, .lessonLength, .classDoubleBooked, .classUnavailable, .classDailyLimit, .lessonRoom,
        .lessonRoomSize, .lessonDaysApart, .lessonOnlyAt, .lessonEndsDay,
        .unplacedLesson, .unmetMandated, .unmetHigh, .unmetSession, .unmetLow,
        .studentIdle, .teacherIdle, .lateBlock, .sameNeedNextDay, .preferredTeacher, .teacherContinuity, .preferNot,
        .teacherOverAim, .classIdle, .lessonOffPreferred, .lessonAvoidedTime, .lessonDaysApartPreferred,
        .changedSeat, .changedTeacher, .changedRoom, .changedLesson,
    ]

    /// The unmet-session term of each priority.
    public static func unmet(_ priority: String) -> Rule {
        switch priority {
        case "mandated": .unmetMandated
        case "high": .unmetHigh
        case "low": .unmetLow
        default: .unmetSession
        }
    }

    public static var hardRules: [Rule] { all.filter { $0.kind == .hard } }
    public static var objectiveTerms: [Rule] { all.filter { $0.kind == .objective } }

    public static func rule(id: String) -> Rule? { all.first { $0.id == id } }
}

/// Where a rule's code lives, as `#fileID` and line: the catalogue's readers (`flexsched rules`, the
/// README table) point newcomers straight at it.
public struct CodeLocation: Sendable, Hashable, CustomStringConvertible {
    public let fileID: String
    public let line: Int
    public init(fileID: String, line: Int) { self.fileID = fileID; self.line = line }
    /// `Sources/<module>/<file>:<line>`, the path from the package root.
    public var description: String { "Sources/\(fileID):\(line)" }
}
