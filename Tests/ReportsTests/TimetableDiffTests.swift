import Reports
import ScenarioKit
import TimetableFormat
import Testing

@Test func diffClassifiesEverySessionAndNamesThePeopleToTell() throws {
    let scenario = try Scenario(
        name: "D", timezone: "UTC", days: [.mon, .tue],
        blocks: [Block(id: "b1", start: ClockTime(hour: 9, minute: 0), end: ClockTime(hour: 10, minute: 0))],
        modalities: [Modality(id: "tutoring", min: 1, max: 3, teacher: true)],
        teachers: [Teacher(id: "lee", name: "Ms. Lee", subjects: ["math"]), Teacher(id: "kim", name: "Mr. Kim", subjects: ["math"])],
        rooms: [Room(id: "r1", name: "Room 1", capacity: 3), Room(id: "r2", name: "Room 2", capacity: 3)],
        students: ["ana", "ben", "cy", "dee", "eve"].map { Student(id: $0, name: $0.capitalized, needs: [Need(subject: "math", modality: "tutoring", sessions: 2)]) }
    ).validated()
    func session(_ day: String, _ teacher: String, _ room: String, _ students: [String]) -> Timetable.Session {
        Timetable.Session(day: day, block: "b1", subject: "math", modality: "tutoring", teacher: teacher, room: room, students: students)
    }
    let old = Timetable(scenario: "D", status: .feasible, objective: nil, bound: nil, gap: nil, sessions: [
        session("mon", "lee", "r1", ["ana"]),
        session("mon", "kim", "r2", ["ben"]),
        session("tue", "lee", "r1", ["cy", "dee"]),
        session("tue", "kim", "r2", ["eve"]),
    ], unmet: [])
    let new = Timetable(scenario: "D", status: .feasible, objective: nil, bound: nil, gap: nil, sessions: [
        session("mon", "kim", "r1", ["ana"]),          // teachers swapped on Monday
        session("mon", "lee", "r2", ["ben"]),
        session("tue", "lee", "r1", ["cy", "dee"]),    // untouched
        session("tue", "kim", "r2", ["ben"]),          // Eve's session gone, Ben's new one
    ], unmet: [])
    let diff = TimetableDiff(from: old, to: new, scenario: scenario.scenario)
    #expect(diff.count(.kept) == 1)
    #expect(diff.count(.restaffed) == 2)
    // Same slot and teacher but no student in common: Eve's session ends, Ben's is new.
    #expect(diff.count(.cancelled) == 1)
    #expect(diff.count(.new) == 1)
    #expect(diff.sessions.count == 5)
    let told = Set(diff.people.map(\.id))
    #expect(told == ["ana", "ben", "eve", "lee", "kim", "r1", "r2"])
    let eve = diff.people.first { $0.id == "eve" }!
    #expect(eve.before == ["tue.b1 math tutoring, teacher kim, room r2"])
    #expect(eve.after.isEmpty)
    #expect(diff.markdown(title: "T", scenario: scenario.scenario).contains("#### Eve"))
}

@Test func unmetNeedsArePriorityFirstThenByName() throws {
    let scenario = try Scenario(
        name: "U", timezone: "UTC", days: [.mon],
        blocks: [Block(id: "b1", start: ClockTime(hour: 9, minute: 0), end: ClockTime(hour: 10, minute: 0))],
        modalities: [Modality(id: "tutoring", min: 1, max: 3, teacher: true)],
        teachers: [Teacher(id: "lee", name: "Ms. Lee", subjects: ["math"])],
        rooms: [Room(id: "r1", name: "Room 1", capacity: 3)],
        students: [("s1", "Zed"), ("s2", "émile"), ("s3", "Bo"), ("s4", "Al")].map { Student(id: $0.0, name: $0.1, needs: []) }
    ).validated()
    func unmet(_ student: String, _ priority: Priority) -> Timetable.Unmet {
        Timetable.Unmet(student: student, subject: "math", modality: "tutoring", missing: 1, priority: priority, reason: "r")
    }
    let ordered = Timetable.Unmet.priorityOrdered([unmet("s4", .low), unmet("s1", .mandated), unmet("s2", .normal), unmet("s3", .normal),
                                                   unmet("s4", .high), unmet("s3", .mandated)], scenario: scenario.scenario)
    // Bo before Zed among the mandated; Bo before émile (accents and case aside) among the normal ones.
    #expect(ordered.map { "\($0.priority.rawValue) \($0.student)" } == ["mandated s3", "mandated s1", "high s4", "normal s3", "normal s2", "low s4"])
}
