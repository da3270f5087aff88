import Rules
import ScenarioKit
import Testing
import TimetableChecker
import TimetableFormat

// A small hybrid week where every lesson rule has something to bite on: a year of two forms (one with
// members, one only a size), a lesson with allowed rooms, a double lesson, a co-taught year lesson
// pinned to the hall, a lesson with no teacher and no room, and flex sessions around them.
func hybridSchool() throws -> Scenario {
    try ScenarioLoader.parse("""
        name: Hybrid school
        days: [mon, tue, wed]
        blocks:
          - {id: b1, start: "08:30", end: "09:15"}
          - {id: b2, start: "09:20", end: "10:05"}
          - {id: b3, start: "10:15", end: "11:00", break-before: true}
          - {id: b4, start: "11:05", end: "11:50"}
        modalities:
          tutoring: {min: 1, max: 3, teacher: true}
        teachers:
          - {id: kim, name: Ms Kim, subjects: [math]}
          - {id: lee, name: Mr Lee, subjects: [english, math]}
        rooms:
          - {id: r1, name: Room 1, capacity: 30}
          - {id: r2, name: Room 2, capacity: 4}
          - {id: hall, name: Hall, capacity: 60, features: [hall]}
          - {id: lab, name: Lab, capacity: 26, features: [lab]}
        students:
          - {id: ana, name: Ana, needs: [{subject: math, modality: tutoring, sessions: 1}]}
          - {id: ben, name: Ben, needs: []}
          - {id: cy, name: Cy, needs: [{subject: english, modality: tutoring, sessions: 1}]}
        classes:
          - {id: y7, name: Year 7, parts: [7a, 7b]}
          - {id: 7a, name: 7A, size: 20, students: [ana, ben]}
          - {id: 7b, name: 7B, size: 22}
        lessons:
          - {id: math-7a, subject: math, teachers: [kim], classes: [7a], sessions: 2, rooms: [r1]}
          - {id: eng-7b, subject: english, teachers: [lee], classes: [7b], sessions: 1, length: 2}
          - {id: assembly, subject: pastoral, teachers: [kim, lee], classes: [y7], room-features: [hall], at: wed.b1}
          - {id: pe-7b, subject: pe, classes: [7b], needs-room: false}
        """, file: "hybrid.yaml").scenario
}

func lesson(_ id: String, _ day: String, _ block: String, length: Int = 1, _ teachers: [String], _ classes: [String], _ room: String?,
            _ students: [String], subject: String) -> Timetable.Session {
    .init(lesson: id, title: id, subject: subject, day: day, block: block, length: length, teachers: teachers, classes: classes,
          room: room, students: students)
}

/// Indices 0-6 are referred to by the mutations.
func validHybridTimetable() -> Timetable {
    Timetable(scenario: "Hybrid school", status: .feasible, objective: nil, bound: nil, gap: nil, sessions: [
        lesson("math-7a", "mon", "b1", ["kim"], ["7a"], "r1", ["ana", "ben"], subject: "math"),
        lesson("math-7a", "tue", "b1", ["kim"], ["7a"], "r1", ["ana", "ben"], subject: "math"),
        lesson("eng-7b", "mon", "b3", length: 2, ["lee"], ["7b"], "r1", [], subject: "english"),
        lesson("assembly", "wed", "b1", ["kim", "lee"], ["y7"], "hall", ["ana", "ben"], subject: "pastoral"),
        lesson("pe-7b", "tue", "b4", [], ["7b"], nil, [], subject: "pe"),
        session("tue", "b2", "math", "tutoring", "kim", "r2", ["ana"]),
        session("tue", "b3", "english", "tutoring", "lee", "r2", ["cy"]),
    ], unmet: [])
}

/// For each R8 rule, a way to break the valid hybrid timetable (or its scenario) in exactly that way.
let lessonMutations: [String: @Sendable (inout Scenario, inout Timetable) -> Void] = [
    Rule.lessonKept.id: { _, t in t.sessions[0].teachers = ["lee"] },
    Rule.lessonCount.id: { _, t in t.sessions.append(lesson("math-7a", "wed", "b3", ["kim"], ["7a"], "r1", ["ana", "ben"], subject: "math")) },
    Rule.lessonPinned.id: { _, t in t.sessions[3].block = "b2" },
    Rule.lessonLength.id: { _, t in t.sessions[2].block = "b2" },
    Rule.classDoubleBooked.id: { _, t in t.sessions[4].day = "wed"; t.sessions[4].block = "b1" },
    Rule.classUnavailable.id: { s, _ in s.classes[2].unavailable = [.day(.mon)] },
    // 7B's English double on Monday is two blocks; Year 7's limit binds its parts.
    Rule.classDailyLimit.id: { s, _ in s.classes[0].maxPerDay = 1 },
    Rule.lessonRoom.id: { _, t in t.sessions[0].room = "lab" },
    Rule.lessonRoomSize.id: { _, t in t.sessions[2].room = "r2"; t.sessions[6].room = "r1" },
    Rule.lessonDaysApart.id: { _, t in t.sessions[1].day = "mon"; t.sessions[1].block = "b2" },
    Rule.lessonOnlyAt.id: { s, _ in s.lessons[0].onlyAt = [.day(.tue), .block(.mon, "b2")] },
    // The Wednesday assembly now ends Year 7's day, and 7A's Tuesday math moves after it.
    Rule.lessonEndsDay.id: { s, t in
        s.lessons[2].endsDay = true
        t.sessions[1].day = "wed"
        t.sessions[1].block = "b3"
    },
]

@Test func validHybridTimetablePasses() throws {
    #expect(checkTimetable(validHybridTimetable(), against: try hybridSchool()).isEmpty)
}

/// The rules every session keeps hold for lessons too: a lesson occupies its people and room and
/// counts towards their limits. Each breaks the valid hybrid week through a lesson only.
let lessonSideMutations: [String: @Sendable (inout Scenario, inout Timetable) -> Void] = [
    Rule.teacherUnavailable.id: { s, _ in s.teachers[0].unavailable = [.block(.mon, "b1")] },
    // Lee's tutoring moves to Monday b3, where her English double is.
    Rule.teacherDoubleBooked.id: { _, t in t.sessions[6].day = "mon" },
    Rule.teacherDailyLimit.id: { s, _ in s.teachers[1].maxPerDay = 1 },
    Rule.teacherWeeklyLimit.id: { s, _ in s.teachers[1].maxPerWeek = 3 },
    Rule.roomClosed.id: { s, _ in s.rooms[0].unavailable = [.block(.mon, "b4")] },
    // Cy's tutoring moves into Room 1 during 7A's Monday math.
    Rule.roomDoubleBooked.id: { _, t in t.sessions[6].day = "mon"; t.sessions[6].block = "b1"; t.sessions[6].room = "r1" },
    Rule.accommodations.id: { s, _ in s.students[1].requires = ["hall"] },
    Rule.studentUnavailable.id: { s, _ in s.students[1].unavailable = [.day(.mon)] },
    Rule.studentDailyLimit.id: { s, _ in s.students[0].maxPerDay = 1 },
]

@Test(arguments: lessonSideMutations.keys.sorted())
func lessonsCountForTheRulesOfPeopleAndRooms(_ id: String) throws {
    var scenario = try hybridSchool(), timetable = validHybridTimetable()
    let mutate = try #require(lessonSideMutations[id])
    mutate(&scenario, &timetable)
    let found = checkTimetable(timetable, against: scenario)
    #expect(Set(found.map(\.rule.id)) == [id], "\(found)")
}

@Test func aStudentInALessonAndAFlexSessionAtOnceIsDoubleBooked() throws {
    var timetable = validHybridTimetable()
    timetable.sessions[5].block = "b1"
    timetable.sessions[5].room = "r2"
    let found = checkTimetable(timetable, against: try hybridSchool())
    #expect(found.contains { $0.rule == .studentDoubleBooked && $0.message.contains("ana") })
}

@Test func lessonTermsAreCountedFromTheTimetableAlone() throws {
    var scenario = try hybridSchool()
    let valid = validHybridTimetable()
    let terms = measureObjective(valid, against: scenario)
    for id in ["O.unplaced-lesson", "O.class-idle", "O.lesson-preferred-time", "O.lesson-avoided-time", "O.changed-lesson",
               "O.teacher-idle", "O.student-idle"] {
        #expect(terms[id] == 0, "\(id)")
    }
    // PE moves to Monday b1: 7B then waits through b2 before English; against the valid timetable
    // as baseline, PE moved and one Math lesson is gone (unplaced).
    var moved = valid
    moved.sessions[4].day = "mon"
    moved.sessions[4].block = "b1"
    moved.sessions.remove(at: 1)
    let after = measureObjective(moved, against: scenario, baseline: valid)
    #expect(after["O.class-idle"] == 1)
    // PE (no teacher, no listed student: counts once) and Math (Kim, Ana and Ben: three).
    #expect(after["O.changed-lesson"] == 4)
    #expect(after["O.unplaced-lesson"] == 1)
    // Kim's Tuesday: her lesson at b1 is gone, so her tutoring at b2 stands alone (no idle either way).
    #expect(after["O.teacher-idle"] == 0)
    scenario.lessons[1].prefer = [.day(.tue)]
    scenario.lessons[0].avoid = [.block(.mon, "b1")]
    let wishes = measureObjective(valid, against: scenario)
    #expect(wishes["O.lesson-preferred-time"] == 1)
    #expect(wishes["O.lesson-avoided-time"] == 1)
    #expect(wishes["O.lesson-days-apart"] == 0)
    // Math on Monday and Tuesday, PE on Tuesday: one pair closer than 2 days, three once PE joins
    // Math's series (PE's own 0 yields to Math's 2).
    scenario.lessons[0].preferDaysApart = 2
    #expect(measureObjective(valid, against: scenario)["O.lesson-days-apart"] == 1)
    scenario.lessons[0].series = "s"
    scenario.lessons[3].series = "s"
    #expect(measureObjective(valid, against: scenario)["O.lesson-days-apart"] == 3)
}

/// A series binds `min-days-apart` across its lessons: PE on Tuesday beside Math on Tuesday.
@Test func aSeriesKeepsItsLessonsDaysApartAcrossLessons() throws {
    var scenario = try hybridSchool()
    #expect(checkTimetable(validHybridTimetable(), against: scenario).isEmpty)
    scenario.lessons[0].series = "m"
    scenario.lessons[3].series = "m"
    let found = checkTimetable(validHybridTimetable(), against: scenario)
    #expect(found.map(\.rule) == [.lessonDaysApart], "\(found)")
    #expect(found.first?.message.contains("series m") == true, "\(found)")
}
