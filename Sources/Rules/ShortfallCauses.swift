/// Why a need is left short, as unmet reasons (after a solve) and diagnosis findings (before one)
/// name it: a stable cause code and the catalogue rules that bind there. Reports, `explain`, `validate`
/// and the web show the rules by the catalogue's own ids and names, so a reason leads straight to
/// the rule's row in `flexsched rules` and to the setting an admin can change.
public struct ShortfallCause: Sendable, Hashable {
    public let code: String
    /// The rules that bind, most often the one an admin would change first.
    public let rules: [Rule]

    init(_ code: String, _ rules: [Rule]) {
        self.code = code
        self.rules = rules
    }

    /// Every cause, in the order reports list them.
    public static let all: [ShortfallCause] = [
        // Found on one timetable (Advisor's unmet reasons).
        ShortfallCause("requested-teacher-busy", [.requestedTeacher, .teacherUnavailable, .teacherDoubleBooked, .teacherDailyLimit, .teacherWeeklyLimit,
                                                   .teacherDaysLimit]),
        ShortfallCause("no-double-block", [.sessionLength, .studentUnavailable, .studentDoubleBooked, .studentDailyLimit]),
        ShortfallCause("fixed-sessions", [.fixedKept, .studentDoubleBooked]),
        ShortfallCause("student-fully-booked", [.studentUnavailable, .studentDoubleBooked, .studentDailyLimit, .needOncePerDay]),
        ShortfallCause("no-teacher", [.teacherSubject]),
        ShortfallCause("no-free-teacher", [.teacherUnavailable, .teacherDoubleBooked, .teacherDailyLimit, .teacherWeeklyLimit, .teacherDaysLimit]),
        ShortfallCause("no-free-room", [.roomClosed, .roomDoubleBooked, .roomFeatures, .accommodations]),
        ShortfallCause("level-group-too-small", [.levelSpread, .groupTooSmall]),
        ShortfallCause("kept-apart", [.keptApart, .groupTooSmall]),
        ShortfallCause("group-too-small", [.groupTooSmall]),
        // No single rule: the hard rules allowed a session, the search gave the time to others.
        ShortfallCause("capacity", []),
        // Proven before solving (Diagnosis).
        ShortfallCause("no-suitable-room", [.roomFeatures, .accommodations, .groupTooLarge]),
        ShortfallCause("no-common-free-block", [.needOncePerDay, .studentUnavailable, .teacherUnavailable, .roomClosed]),
        ShortfallCause("group-cannot-form", [.groupTooSmall, .levelSpread]),
        ShortfallCause("teacher-capacity", [.teacherWeeklyLimit, .teacherDailyLimit, .teacherUnavailable, .teacherDoubleBooked]),
        ShortfallCause("room-capacity", [.roomDoubleBooked, .roomClosed, .roomFeatures]),
        ShortfallCause("student-free-blocks", [.studentUnavailable, .studentDoubleBooked]),
        ShortfallCause("student-daily-limit", [.studentDailyLimit]),
        // Lessons proven unplaced before solving (Diagnosis, v1.2).
        ShortfallCause("class-lesson-blocks", [.classDoubleBooked, .classUnavailable, .studentUnavailable, .studentDoubleBooked]),
        ShortfallCause("teacher-lesson-blocks", [.teacherWeeklyLimit, .teacherDailyLimit, .teacherUnavailable, .teacherDoubleBooked]),
        ShortfallCause("lesson-no-room", [.lessonRoom, .lessonRoomSize, .accommodations, .roomClosed]),
        ShortfallCause("lesson-start-slots", [.lessonDaysApart, .lessonLength, .teacherUnavailable, .classUnavailable, .studentUnavailable, .roomClosed]),
    ]

    /// The rules of cause `code`; none for a code the catalogue does not know.
    public static func rules(for code: String?) -> [Rule] {
        guard let code else { return [] }
        return all.first { $0.code == code }?.rules ?? []
    }
}

extension Rule {
    /// `R3.teacher-weekly-limit (teacher over weekly limit)`: how reports name a rule to an admin.
    public var labelled: String { "\(id) (\(name))" }
}
