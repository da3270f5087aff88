import Testing
import ScenarioKit
import TimetableFormat
import Rules
import TimetableChecker

// A small school week where every rule has something to bite on: a teacher with limits and a blocked slot,
// a room with a blocked day, a student who needs an accessible room, a teacherless modality, and an unmet need.
func school() throws -> Scenario {
    let t = { (h: Int) in ClockTime(hour: h, minute: 0) }
    return try Scenario(
        name: "checker", timezone: "UTC", days: [.mon, .tue],
        blocks: [Block(id: "b1", start: t(8), end: t(9)), Block(id: "b2", start: t(9), end: t(10)),
                 Block(id: "b3", start: t(10), end: t(11))],
        modalities: [Modality(id: "tutoring", min: 1, max: 2, teacher: true),
                     Modality(id: "small-group", min: 2, max: 4, teacher: true, roomFeatures: ["quiet"]),
                     Modality(id: "study", min: 1, max: 6, teacher: false)],
        teachers: [Teacher(id: "lee", name: "Lee", subjects: ["math", "reading"], unavailable: [.block(.tue, "b2")],
                           maxPerDay: 1, maxPerWeek: 3),
                   Teacher(id: "kim", name: "Kim", subjects: ["reading"])],
        rooms: [Room(id: "r1", name: "Room 1", capacity: 2, features: ["quiet", "accessible"]),
                Room(id: "r2", name: "Room 2", capacity: 4, features: ["quiet"]),
                Room(id: "hall", name: "Hall", capacity: 6, unavailable: [.day(.tue)])],
        students: [Student(id: "ana", name: "Ana", needs: [Need(subject: "math", modality: "tutoring", sessions: 2),
                                                          Need(subject: "reading", modality: "small-group", sessions: 1)],
                           requires: ["accessible"]),
                   Student(id: "ben", name: "Ben", needs: [Need(subject: "math", modality: "tutoring", sessions: 1),
                                                          Need(subject: "reading", modality: "small-group", sessions: 1)],
                           unavailable: [.block(.mon, "b1")]),
                   Student(id: "cy", name: "Cy", needs: [Need(subject: "reading", modality: "small-group", sessions: 1),
                                                        Need(subject: "study", modality: "study", sessions: 1)],
                           maxPerDay: 1),
                   Student(id: "dan", name: "Dan", needs: [Need(subject: "reading", modality: "tutoring", sessions: 1)])]
    ).validated().scenario
}

func session(_ day: String, _ block: String, _ subject: String, _ modality: String, _ teacher: String?,
                     _ room: String, _ students: [String]) -> Timetable.Session {
    .init(day: day, block: block, subject: subject, modality: modality, teacher: teacher, room: room, students: students)
}

/// Indices 0-4 are referred to by the tests below.
func validTimetable() -> Timetable {
    Timetable(scenario: "checker", status: .feasible, objective: nil, bound: nil, gap: nil, sessions: [
        session("mon", "b1", "math", "tutoring", "lee", "r1", ["ana"]),
        session("mon", "b1", "study", "study", nil, "hall", ["cy"]),
        session("mon", "b2", "reading", "small-group", "kim", "r1", ["ana", "ben"]),
        session("tue", "b1", "math", "tutoring", "lee", "r1", ["ana", "ben"]),
        session("tue", "b1", "reading", "tutoring", "kim", "r2", ["dan"]),
    ], unmet: [Timetable.Unmet(student: "cy", subject: "reading", modality: "small-group", missing: 1,
                               reason: "no partner for a group")])
}

/// Asserts that a violation of `rule` whose message contains `text` is reported.
private func expectReported(_ found: [Violation], _ rule: Rule, _ text: String,
                            sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(found.contains { $0.rule == rule && $0.message.contains(text) },
            "expected \(rule.id) containing “\(text)”, got \(found)", sourceLocation: sourceLocation)
}

@Test func validTimetablePasses() throws {
    #expect(checkTimetable(validTimetable(), against: try school()) == [])
}

@Test func everyHardRuleHasExactlyOneCheckTaggedWithItsId() {
    let checked = RuleCheck.all.map(\.rule)
    #expect(checked == RuleCatalogue.hardRules)
    #expect(Set(RuleCatalogue.all.map(\.id)).count == RuleCatalogue.all.count)
    #expect(RuleCatalogue.all.allSatisfy { !$0.name.isEmpty && !$0.intent.isEmpty })
    #expect(RuleCheck.all.allSatisfy { $0.location.fileID.hasPrefix("TimetableChecker/") })
}

// MARK: R1 unknown slots and ids

@Test func r1UnknownDayBlockAndIds() throws {
    let s = try school()
    var t = validTimetable()
    t.sessions[1].day = "sat"
    #expect(checkTimetable(t, against: s).map(\.description) == [
        "R1.known-ids unknown day: study study at sat.b1 is on `sat`, not one of mon, tue",
    ])

    for (edit, text) in [({ (x: inout Timetable.Session) in x.block = "b9" }, "in block `b9`"),
                         ({ $0.room = "attic" }, "`attic`, which is not a room"),
                         ({ $0.teacher = "zed" }, "led by `zed`, who is not a teacher"),
                         ({ $0.subject = "art" }, "no teacher or student has `art`"),
                         ({ $0.modality = "lecture" }, "`lecture` is not a modality"),
                         ({ $0.students.append("ghost") }, "lists `ghost`, who is not a student")] {
        var t = validTimetable()
        edit(&t.sessions[0])
        expectReported(checkTimetable(t, against: s), .knownIds, text)
    }
}

// MARK: R2 group size

@Test func r2GroupTooLargeForModality() throws {
    var s = try school()
    s.modalities[0].max = 1
    let found = checkTimetable(validTimetable(), against: s)
    #expect(found.map(\.rule) == [.groupTooLarge])
    expectReported(found, .groupTooLarge, "group too large: math tutoring at tue.b1 has 2 student(s) (ana, ben); tutoring allows 1-1")
}

@Test func r2GroupTooSmall() throws {
    var t = validTimetable()
    t.sessions[2].students = ["ana"]
    expectReported(checkTimetable(t, against: try school()), .groupTooSmall, "group too small: reading small-group at mon.b2 has 1")
}

@Test func r2RoomOverCapacity() throws {
    var s = try school()
    s.rooms[0].capacity = 1
    let found = checkTimetable(validTimetable(), against: s)
    #expect(found.map(\.rule) == [.groupTooLarge, .groupTooLarge])
    expectReported(found, .groupTooLarge, "room over capacity: r1 seats 1 but reading small-group at mon.b2 has 2 students")
}

// MARK: R3 teacher

@Test func r3TeacherDoubleBooked() throws {
    var t = validTimetable()
    t.sessions[4].teacher = "lee"
    var s = try school()
    s.teachers[0].maxPerDay = nil  // otherwise the daily limit is broken too
    #expect(checkTimetable(t, against: s).map(\.description) == [
        "R3.teacher-double-booked teacher double-booked: lee has 2 sessions at tue.b1 (math tutoring, reading tutoring)",
    ])
}

@Test func r3TeacherPresenceFollowsModality() throws {
    var t = validTimetable()
    t.sessions[0].teacher = nil
    t.sessions[1].teacher = "kim"
    let found = checkTimetable(t, against: try school())
    #expect(found.map(\.rule) == [.teacherPresence, .teacherPresence, .teacherSubject])
    expectReported(found, .teacherPresence, "teacher missing: math tutoring at mon.b1 has no teacher")
    expectReported(found, .teacherPresence, "unexpected teacher: study study at mon.b1 names kim")
    expectReported(found, .teacherSubject, "kim does not teach study")
}

@Test func r3TeacherMustTeachSubject() throws {
    var t = validTimetable()
    t.sessions[0].teacher = "kim"
    let found = checkTimetable(t, against: try school())
    #expect(found.map(\.rule) == [.teacherSubject])
    expectReported(found, .teacherSubject, "kim does not teach math")
}

@Test func r3TeacherUnavailable() throws {
    var s = try school()
    s.teachers[0].unavailable = [.day(.tue)]
    let found = checkTimetable(validTimetable(), against: s)
    #expect(found.map(\.description) == ["R3.teacher-unavailable teacher unavailable: lee is not available at tue.b1 (math tutoring)"])
}

@Test func r3TeacherDailyAndWeeklyLimits() throws {
    var t = validTimetable()
    t.sessions[4].teacher = "lee"
    t.sessions[4].block = "b3"
    let daily = checkTimetable(t, against: try school())
    #expect(daily.map(\.description) == ["R3.teacher-daily-limit teacher over daily limit: lee teaches 2 blocks on tue; max-per-day is 1"])

    var s = try school()
    s.teachers[0].maxPerWeek = 1
    let weekly = checkTimetable(validTimetable(), against: s)
    #expect(weekly.map(\.description) == ["R3.teacher-weekly-limit teacher over weekly limit: lee teaches 2 blocks this week; max-per-week is 1"])
}

// MARK: R4 room

@Test func r4RoomDoubleBooked() throws {
    var t = validTimetable()
    t.sessions[4].room = "r1"
    #expect(checkTimetable(t, against: try school()).map(\.description) == [
        "R4.room-double-booked room double-booked: r1 hosts 2 sessions at tue.b1 (math tutoring, reading tutoring)",
    ])
}

@Test func r4RoomUnavailable() throws {
    var t = validTimetable()
    t.sessions[1].day = "tue"
    #expect(checkTimetable(t, against: try school()).map(\.description) == [
        "R4.room-closed room closed: hall is not available at tue.b1 (study study)",
    ])
}

@Test func r4RoomFeatures() throws {
    var t = validTimetable()
    t.sessions[0].room = "r2"
    expectReported(checkTimetable(t, against: try school()), .accommodations, "r2 has no `accessible`, which ana requires")

    t = validTimetable()
    t.sessions[4].room = "hall"
    #expect(checkTimetable(t, against: try school()).map(\.description) == [
        "R4.room-closed room closed: hall is not available at tue.b1 (reading tutoring)",
    ])
    t.sessions[2].room = "hall"
    expectReported(checkTimetable(t, against: try school()), .roomFeatures, "hall has no `quiet`, which small-group needs")
}

// MARK: R5 student

@Test func r5StudentDoubleBookedAndUnavailable() throws {
    var t = validTimetable()
    t.sessions[2].block = "b1"
    let found = checkTimetable(t, against: try school())
    expectReported(found, .studentDoubleBooked, "student double-booked: ana has 2 sessions at mon.b1 (math tutoring, reading small-group)")
    expectReported(found, .studentUnavailable, "student unavailable: ben is not available at mon.b1 (reading small-group)")
    expectReported(found, .roomDoubleBooked, "room double-booked: r1 hosts 2 sessions at mon.b1")
}

@Test func r5StudentDailyLimit() throws {
    var s = try school()
    s.students[0].maxPerDay = 1
    #expect(checkTimetable(validTimetable(), against: s).map(\.description) == [
        "R5.student-daily-limit student over daily limit: ana has 2 blocks of sessions on mon; max-per-day is 1",
    ])
}

@Test func r5SameNeedTwiceInADay() throws {
    var t = validTimetable()
    t.sessions[3].day = "mon"
    t.sessions[3].block = "b3"
    t.sessions[3].students = ["ana"]
    t.sessions[0].teacher = "lee"
    var s = try school()
    s.teachers[0].maxPerDay = 2
    s.students[1].needs[0].sessions = 1
    t.unmet.append(.init(student: "ben", subject: "math", modality: "tutoring", missing: 1, reason: "moved"))
    #expect(checkTimetable(t, against: s).map(\.description) == [
        "R5.need-once-per-day same need twice in a day: ana has 2 math tutoring sessions on mon (mon.b1, mon.b3)",
    ])
}

@Test func r5StudentListedTwice() throws {
    var t = validTimetable()
    t.sessions[0].students = ["ana", "ana"]
    #expect(checkTimetable(t, against: try school()).map(\.description) == [
        "R5.student-double-booked student listed twice: ana appears 2 times in math tutoring at mon.b1",
    ])
}

@Test func r5UnmetDemandMustBeReported() throws {
    var t = validTimetable()
    t.unmet = []
    #expect(checkTimetable(t, against: try school()).map(\.description) == [
        "R5.unmet-reported unmet small-group demand misreported: cy needs 1 reading small-group session(s), has 0 scheduled and 0 reported unmet (should be 1)",
    ])
    t = validTimetable()
    t.unmet[0].missing = 2
    expectReported(checkTimetable(t, against: try school()), .unmetReported, "has 0 scheduled and 2 reported unmet (should be 1)")
}

@Test func r5NoMoreSessionsThanNeeded() throws {
    var t = validTimetable()
    t.sessions.append(session("tue", "b3", "study", "study", nil, "r2", ["cy"]))
    let found = checkTimetable(t, against: try school())
    expectReported(found, .needNotExceeded, "too many sessions: cy needs 1 study study session(s) but has 2 scheduled")
}

@Test func r5UnmetEntriesMustNameARealNeed() throws {
    var t = validTimetable()
    t.unmet.append(.init(student: "dan", subject: "math", modality: "tutoring", missing: 1, reason: "?"))
    t.unmet[0].missing = 0
    let found = checkTimetable(t, against: try school())
    expectReported(found, .unmetReported, "unmet entry for unknown need: dan has no math tutoring need")
    expectReported(found, .unmetReported, "unmet entry without missing sessions: cy reading small-group reports missing 0")
    expectReported(found, .unmetReported, "unmet small-group demand misreported: cy")
}

// MARK: R6 needs

@Test func r6StudentMustHaveTheNeed() throws {
    var t = validTimetable()
    t.sessions[1].students.append("dan")
    #expect(checkTimetable(t, against: try school()).map(\.description) == [
        "R6.student-has-need student without that need: dan has no study study need but attends study study at mon.b1",
    ])
}

// MARK: garbage

@Test func garbageIsReportedNotTrapped() throws {
    let t = Timetable(scenario: "?", status: .noSolution, objective: nil, bound: nil, gap: nil, sessions: [
        session("", "", "", "", nil, "", []),
        session("funday", "b0", "art", "lecture", "nobody", "nowhere", ["ghost", "ghost", "", "ana"]),
        session("funday", "b0", "art", "lecture", "nobody", "nowhere", ["ghost"]),
        session("mon", "b1", "math", "tutoring", "lee", "r1", []),
    ], unmet: [.init(student: "ghost", subject: "", modality: "", missing: Int.min, reason: ""),
               .init(student: "ana", subject: "math", modality: "tutoring", missing: Int.max, reason: ""),
               .init(student: "ana", subject: "math", modality: "tutoring", missing: Int.max, reason: "")])
    let found = checkTimetable(t, against: try school())
    for rule in [Rule.knownIds, .groupTooSmall, .studentDoubleBooked] { #expect(found.contains { $0.rule == rule }) }
    expectReported(found, .knownIds, "unknown student: art lecture at funday.b0 lists `ghost`")
    expectReported(found, .groupTooSmall, "group too small: math tutoring at mon.b1 has 0 student(s) (none)")
    expectReported(found, .studentDoubleBooked, "student listed twice: ghost appears 2 times")

    // A scenario built in code and never validated must not trap the checker either.
    let broken = Scenario(name: "", timezone: "", days: [], blocks: [],
                          modalities: [Modality(id: "m", min: 5, max: 1, teacher: true), Modality(id: "m", min: 1, max: 1, teacher: false)],
                          teachers: [], rooms: [Room(id: "r", name: "", capacity: 0), Room(id: "r", name: "", capacity: 9)],
                          students: [Student(id: "s", name: "", needs: [Need(subject: "x", modality: "m", sessions: -3)])])
    #expect(!checkTimetable(t, against: broken).isEmpty)
    #expect(!checkTimetable(validTimetable(), against: broken).isEmpty)
}
