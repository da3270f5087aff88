import Advisor
import Foundation
import ScenarioKit
@testable import Scheduler
import TimetableChecker
import TimetableFormat
import Rules
import Testing
import WeekIndex

/// Two days, four students; by hand: one reading group can form (Cy needs only one), so Ana and Ben
/// each miss a reading session, and Ben's second independent session has no partner: 3 unmet at best.
let handExample = """
name: Hand example
timezone: America/New_York
days: [mon, tue]
blocks:
  - {id: b1, start: "08:30", end: "09:20"}
  - {id: b2, start: 9:30, end: "10:20"}
  - {id: b3, start: "10:30", end: "11:20"}
modalities:
  tutoring:    {min: 1, max: 3,  teacher: true}
  small-group: {min: 3, max: 6,  teacher: true,  room-features: [collaboration]}
  independent: {min: 2, max: 12, teacher: false, room-features: [quiet]}
teachers:
  - {id: lee, name: Ms. Lee, subjects: [math, reading], unavailable: [mon.b1], max-per-day: 5, max-per-week: 20}
  - {id: kim, name: Mr. Kim, subjects: [reading, science]}
rooms:
  - {id: r101, name: Room 101, capacity: 8, features: [collaboration, accessible], unavailable: [tue.b3]}
  - {id: lib, name: Library, capacity: 12, features: [quiet, accessible]}
students:
  - id: ana
    name: Ana P.
    needs:
      - {subject: math, modality: tutoring, sessions: 2}
      - {subject: reading, modality: small-group, sessions: 2}
      - {subject: math, modality: independent, sessions: 1}
    unavailable: [tue.b1]
    requires: [accessible]
    max-per-day: 3
  - {id: ben, name: Ben, needs: [{subject: reading, modality: small-group, sessions: 2}, {subject: math, modality: independent, sessions: 2}]}
  - {id: cy, name: Cy, needs: [{subject: reading, modality: small-group, sessions: 1}, {subject: science, modality: tutoring, sessions: 2}]}
  - {id: dee, name: Dee, needs: [{subject: math, modality: tutoring, sessions: 1}]}
"""

@Test func handExampleReachesTheKnownMinimumOfUnmetSessions() throws {
    let scenario = try ScenarioLoader.parse(handExample, file: "hand.yaml")
    var options = SolveOptions()
    options.timeLimit = 600
    // Enough for the repair rounds on the three unmeetable sessions and then the whole-week bound.
    options.maxSubproblems = 100
    let timetable = try scheduleWeek(scenario, options: options).timetable
    #expect(timetable.unmet.reduce(0) { $0 + $1.missing } == 3)
    #expect(Set(timetable.unmet.map(\.student)) == ["ana", "ben"])
    #expect(timetable.unmet.allSatisfy { !$0.reason.isEmpty && $0.cause != nil })
    // The bound is proven (whole-week model): 3 unmet sessions cannot be avoided.
    #expect((timetable.bound ?? 0) >= 3000)
    #expect((timetable.objective ?? 0) >= (timetable.bound ?? .infinity))
}

@Test func aOneDayScenarioIsSolvedToProvenOptimality() throws {
    let yaml = """
    name: One day
    days: [wed]
    blocks: [{id: a, start: "09:00", end: "09:45"}, {id: b, start: "10:00", end: "10:45"}, {id: c, start: "11:00", end: "11:45"}]
    modalities: {tutoring: {min: 1, max: 2}, small-group: {min: 2, max: 4, room-features: [collaboration]}}
    teachers: [{id: t1, subjects: [math]}, {id: t2, subjects: [math, art]}]
    rooms: [{id: r1, capacity: 4, features: [collaboration]}, {id: r2, capacity: 2}]
    students:
      - {id: s1, needs: [{subject: math, modality: tutoring, sessions: 1}, {subject: art, modality: small-group, sessions: 1}]}
      - {id: s2, needs: [{subject: math, modality: tutoring, sessions: 1}, {subject: art, modality: small-group, sessions: 1}]}
      - {id: s3, needs: [{subject: math, modality: small-group, sessions: 1}], unavailable: [wed.a]}
      - {id: s4, needs: [{subject: math, modality: small-group, sessions: 1}]}
    """
    let scenario = try ScenarioLoader.parse(yaml, file: "day.yaml")
    var options = SolveOptions()
    options.timeLimit = 600
    options.maxSubproblems = 20
    let timetable = try solveTimetable(scenario, options: options)
    #expect(checkTimetable(timetable, against: scenario).isEmpty)
    #expect(timetable.status == .optimal)
    #expect(timetable.gap == 0)
    #expect(timetable.unmet.isEmpty)
}

@Test func objectiveTermsCountIdleLateAndConsecutiveDays() throws {
    let scenario = try ScenarioLoader.parse(handExample, file: "hand.yaml")
    let instance = Instance(scenario)
    var plan = Plan(instance)
    let math = instance.activities.firstIndex { $0.subject == "math" && $0.modality == "tutoring" }!
    // Ana: math tutoring mon.b1 is impossible for Lee, so use mon.b2? Build by hand: Dee at mon.b1 and mon.b3 is
    // not allowed (one per need per day); Ana mon.b1 + tue.b3 keeps it simple.
    plan.add(PlannedSession(activity: math, slot: 0, teacher: 1, room: 0, students: [0]))  // mon.b1 (Kim can't teach math; terms only)
    plan.add(PlannedSession(activity: math, slot: 5, teacher: 0, room: 0, students: [0]))  // tue.b3
    let terms = plan.terms
    #expect(terms.unmetSessions == instance.totalSessionsNeeded - 2)
    #expect(terms[.lateBlock] == 1)       // tue.b3 is the last block
    #expect(terms[.sameNeedNextDay] == 1)      // mon and tue are consecutive
    #expect(terms[.studentIdle] == 0)
    plan.add(PlannedSession(activity: instance.activities.firstIndex { $0.modality == "small-group" }!, slot: 2,
                            teacher: 1, room: 0, students: [0, 1, 2]))  // mon.b3: Ana idles at mon.b2
    #expect(plan.terms[.studentIdle] == 1)
}

/// A Sunday-Thursday school lists its days in any order; Sun and Mon are still consecutive, Thu and the
/// next Sun are not.
@Test func consecutiveDaysFollowTheCalendarNotTheList() {
    func pairs(_ days: [Weekday]) -> Set<[Weekday]> {
        let (next, _) = calendarNeighbours(days)
        return Set(next.enumerated().compactMap { i, j in j.map { [days[i], days[$0]] } })
    }
    #expect(pairs([.sun, .mon, .tue, .wed, .thu]) == [[.sun, .mon], [.mon, .tue], [.tue, .wed], [.wed, .thu]])
    #expect(pairs([.mon, .tue, .wed, .thu, .sun]) == [[.sun, .mon], [.mon, .tue], [.tue, .wed], [.wed, .thu]])
    #expect(pairs([.mon, .wed, .fri]) == [])
    #expect(pairs([.fri, .sat, .sun, .mon]) == [[.fri, .sat], [.sat, .sun], [.sun, .mon]])
    // A seven-day week starts at its first listed day: Sunday to the next Monday crosses into next week.
    #expect(pairs([.mon, .tue, .wed, .thu, .fri, .sat, .sun]).count == 6)
    #expect(!pairs([.mon, .tue, .wed, .thu, .fri, .sat, .sun]).contains([.sun, .mon]))
}

@Test func sundayThenMondayCountsAsConsecutiveInASundayWeek() throws {
    let yaml = """
    name: sun-thu
    timezone: Asia/Jerusalem
    days: [sun, mon, tue, wed, thu]
    blocks: [{id: b1, start: "08:00", end: "08:45"}]
    modalities: {tutoring: {min: 1, max: 1}}
    teachers: [{id: t1, subjects: [math]}]
    rooms: [{id: r1, capacity: 1}]
    students: [{id: s1, needs: [{subject: math, modality: tutoring, sessions: 2}]}]
    """
    let instance = Instance(try ScenarioLoader.parse(yaml, file: "sun.yaml"))
    var plan = Plan(instance)
    plan.add(PlannedSession(activity: 0, slot: 0, teacher: 0, room: 0, students: [0]))  // sun
    plan.add(PlannedSession(activity: 0, slot: 1, teacher: 0, room: 0, students: [0]))  // mon
    #expect(plan.terms[.sameNeedNextDay] == 1)
    var spread = Plan(instance)
    spread.add(PlannedSession(activity: 0, slot: 0, teacher: 0, room: 0, students: [0]))  // sun
    spread.add(PlannedSession(activity: 0, slot: 4, teacher: 0, room: 0, students: [0]))  // thu
    #expect(spread.terms[.sameNeedNextDay] == 0)
}
