import Testing
import ScenarioKit
import ScenarioGenerator
import TimetableFormat
@testable import Diagnosis

// Lesson findings (v1.2) before any solve: each scenario below is impossible in one way, and a planted
// hybrid week, which has a timetable with nothing unplaced, never draws a claim beyond what it allows.

let doubles = (1...4).map { Block(id: "b\($0)", start: ClockTime(hour: 7 + $0, minute: 0), end: ClockTime(hour: 7 + $0, minute: 50)) }

func lessonSchool(teachers: [Teacher], rooms: [Room] = [Room(id: "r1", name: "Room 1", capacity: 40)], lessons: [Lesson]) -> Scenario {
    Scenario(name: "Lesson school", timezone: "UTC", days: weekdays, blocks: doubles, modalities: [tutoring], teachers: teachers,
             rooms: rooms, students: [], classes: [SchoolClass(id: "y7", name: "Year 7", parts: ["7a", "7b"]),
                                                  SchoolClass(id: "7a", name: "7A", size: 20), SchoolClass(id: "7b", name: "7B", size: 20)],
             lessons: lessons)
}

func teacher(_ id: String, maxPerWeek: Int? = nil, unavailable: [SlotRef] = []) -> Teacher {
    Teacher(id: id, name: "T. \(id)", subjects: ["math"], unavailable: unavailable, maxPerWeek: maxPerWeek)
}

func lessonFinding(_ s: Scenario, sourceLocation: SourceLocation = #_sourceLocation) throws -> Finding {
    let found = try diagnosed(s).filter { !$0.unplaced.isEmpty }
    #expect(found.count == 1, "\(found.map(\.message))", sourceLocation: sourceLocation)
    return try #require(found.first, sourceLocation: sourceLocation)
}

@Test func aClassWithMoreLessonBlocksThanItsWeekHolds() throws {
    let rooms = (1...3).map { Room(id: "r\($0)", name: "Room \($0)", capacity: 40) }
    let f = try lessonFinding(lessonSchool(teachers: [teacher("lee"), teacher("kim"), teacher("ng")], rooms: rooms, lessons: [
        Lesson(id: "a", subject: "math", teachers: ["lee"], classes: ["7a"], sessions: 5, length: 2),
        Lesson(id: "b", subject: "math", teachers: ["kim"], classes: ["7a"], sessions: 5, length: 2),
        Lesson(id: "c", subject: "math", teachers: ["ng"], classes: ["y7"], sessions: 5),
    ]))
    // 7A: 10 + 10 + 5 blocks in 20; dropping doubles first, at least 3 lessons go.
    #expect(f.cause == "class-lesson-blocks" && f.shortfalls.isEmpty)
    #expect(f.unplaced == [LessonShortfall(lessons: ["a", "b", "c"], sessions: 3)])
    #expect(f.message.contains("7A (`7a`) has 25 lesson blocks a week") && f.message.contains("only 20 blocks"), "\(f.message)")
    #expect(f.rules.contains("R8.class-double-booked"))
}

@Test func aTeacherWithMoreLessonsThanHerWeeklyLimit() throws {
    let f = try lessonFinding(lessonSchool(teachers: [teacher("lee", maxPerWeek: 6)], lessons: [
        Lesson(id: "math-7a", subject: "math", teachers: ["lee"], classes: ["7a"], sessions: 5),
        Lesson(id: "math-7b", subject: "math", teachers: ["lee"], classes: ["7b"], sessions: 5),
    ]))
    #expect(f.cause == "teacher-lesson-blocks" && f.unplaced == [LessonShortfall(lessons: ["math-7a", "math-7b"], sessions: 4)])
    #expect(f.message.contains("T. lee leads 10 lesson blocks a week") && f.message.contains("(max-per-week 6)"), "\(f.message)")
}

@Test func aLessonWhoseOnlyRoomIsNeverOpen() throws {
    let lab = Room(id: "lab", name: "Lab", capacity: 40, features: ["lab"], unavailable: weekdays.map { .day($0) })
    let f = try lessonFinding(lessonSchool(teachers: [teacher("lee")], rooms: [lab, Room(id: "r1", name: "Room 1", capacity: 40)], lessons: [
        Lesson(id: "sci-7a", subject: "science", teachers: ["lee"], classes: ["7a"], sessions: 2, roomFeatures: ["lab"]),
    ]))
    #expect(f.cause == "lesson-no-room" && f.unplaced == [LessonShortfall(lessons: ["sci-7a"], sessions: 2)])
    #expect(f.message.contains("the rooms it may use (lab) are never free"), "\(f.message)")
}

@Test func aLessonWithFewerStartsThanSessions() throws {
    // Lee teaches Monday to Wednesday; four lessons a day apart need four days, two days apart fit twice.
    let partTime = teacher("lee", unavailable: [.day(.thu), .day(.fri)])
    let daily = try lessonFinding(lessonSchool(teachers: [partTime], lessons: [
        Lesson(id: "math-7a", subject: "math", teachers: ["lee"], classes: ["7a"], sessions: 4),
    ]))
    #expect(daily.cause == "lesson-start-slots" && daily.unplaced == [LessonShortfall(lessons: ["math-7a"], sessions: 1)])
    #expect(daily.message.contains("on mon, tue, wed") && daily.message.contains("at most 3 fit"), "\(daily.message)")
    let spaced = try lessonFinding(lessonSchool(teachers: [partTime], lessons: [
        Lesson(id: "sci-7a", subject: "science", teachers: ["lee"], classes: ["7a"], sessions: 3, minDaysApart: 2),
    ]))
    #expect(spaced.unplaced == [LessonShortfall(lessons: ["sci-7a"], sessions: 1)])
    // With no spacing, runs that do not overlap count: a class away all but mon.b1-b2 holds one double.
    var away = lessonSchool(teachers: [teacher("lee")], lessons: [
        Lesson(id: "art-7a", subject: "art", teachers: ["lee"], classes: ["7a"], sessions: 2, length: 2, minDaysApart: 0),
    ])
    away.classes[1].unavailable = [.block(.mon, "b3"), .block(.mon, "b4")] + [Weekday.tue, .wed, .thu, .fri].map { .day($0) }
    #expect(try lessonFinding(away).unplaced == [LessonShortfall(lessons: ["art-7a"], sessions: 1)])
}

@Test func aWeekThatFitsHasNoLessonFinding() throws {
    let fits = lessonSchool(teachers: [teacher("lee", maxPerWeek: 10)], lessons: [
        Lesson(id: "math-7a", subject: "math", teachers: ["lee"], classes: ["7a"], sessions: 5),
        Lesson(id: "math-7b", subject: "math", teachers: ["lee"], classes: ["7b"], sessions: 5),
    ])
    #expect(try diagnosed(fits).allSatisfy(\.unplaced.isEmpty))
}

/// No lesson claim beyond what `kept` (lessons of a valid timetable of `scenario`, pins aside) leaves unplaced.
func expectNoFalseLessonClaim(_ scenario: Scenario, _ kept: [Timetable.Session], _ label: String) throws {
    var placed: [String: Int] = [:]
    for s in kept { if let id = s.lesson { placed[id, default: 0] += 1 } }
    for finding in try diagnosed(scenario) {
        for claim in finding.unplaced {
            let possible = claim.lessons.reduce(0) { sum, id in
                sum + (scenario.lessons.first { $0.id == id }.map { $0.sessions - (placed[id] ?? 0) } ?? 0)
            }
            #expect(claim.sessions >= 1 && claim.sessions <= possible, "\(label): \(finding.cause) claims \(claim): \(finding.message)")
        }
    }
}

@Test func lessonFindingsNeverExceedWhatAPlantedHybridWeekMisses() throws {
    let g = generateScenario(.hybridSmall)
    let planted = try #require(g.planted).sessions
    try expectNoFalseLessonClaim(g.scenario, planted, "as planted")
    #expect(try diagnosed(g.scenario).allSatisfy(\.unplaced.isEmpty))
    for t in g.scenario.teachers where planted.contains(where: { $0.isLesson && $0.staff.contains(t.id) }) {
        // Away on Monday: the planted week without her Monday sessions still holds the rest.
        var s = g.scenario
        let i = s.teachers.firstIndex { $0.id == t.id }!
        s.teachers[i].unavailable.append(.day(.mon))
        for l in s.lessons.indices where s.lessons[l].teachers.contains(t.id) { s.lessons[l].at = [] }
        try expectNoFalseLessonClaim(s, planted.filter { !($0.staff.contains(t.id) && $0.day == "mon") }, "\(t.id) away on Monday")
        // A weekly limit below what she teaches: dropping her last lessons keeps the week valid.
        s = g.scenario
        let taught = planted.filter { $0.staff.contains(t.id) }
        s.teachers[i].maxPerWeek = max(1, taught.reduce(0) { $0 + $1.length } - 4)
        var load = 0
        let kept = planted.filter { session in
            guard session.staff.contains(t.id) else { return true }
            load += session.length
            return load <= s.teachers[i].maxPerWeek!
        }
        try expectNoFalseLessonClaim(s, kept, "\(t.id) with max-per-week \(s.teachers[i].maxPerWeek!)")
    }
}
