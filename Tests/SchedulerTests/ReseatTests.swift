import ScenarioKit
@testable import Scheduler
import Testing
import TimetableChecker
import TimetableFormat
import WeekIndex

/// One day (unless `days` says otherwise) of three blocks and one modality (groups of 3-6) in two
/// subjects, reading and math.
private func week(students: String, days: String = "[mon]") throws -> ValidatedScenario {
    try ScenarioLoader.parse("""
    name: Reseat
    timezone: Europe/London
    days: \(days)
    blocks:
      - {id: b1, start: "09:00", end: "09:50"}
      - {id: b2, start: "10:00", end: "10:50"}
      - {id: b3, start: "11:00", end: "11:50"}
    modalities:
      small-group: {min: 3, max: 6, teacher: true}
    teachers:
      - {id: lee, name: Ms. Lee, subjects: [reading]}
      - {id: kim, name: Mr. Kim, subjects: [reading, math]}
      - {id: ito, name: Mr. Ito, subjects: [math]}
    rooms:
      - {id: r1, name: Room 1, capacity: 8}
      - {id: r2, name: Room 2, capacity: 8}
      - {id: r3, name: Room 3, capacity: 8}
    students:
    \(students)
    """, file: "reseat.yaml")
}

private func student(_ id: String, _ needs: [String], unavailable: [String] = []) -> String {
    let list = needs.map { "{subject: \($0), modality: small-group, sessions: 1}" }.joined(separator: ", ")
    return "  - {id: \(id), name: \(id), needs: [\(list)], unavailable: [\(unavailable.joined(separator: ", "))]}"
}

private struct Fixture {
    let scenario: ValidatedScenario
    let instance: Instance
    var plan: Plan

    init(_ students: [String], days: String = "[mon]") throws {
        scenario = try week(students: students.joined(separator: "\n"), days: days)
        instance = Instance(scenario)
        plan = Plan(instance)
    }

    func index(_ id: String, in list: [String]) -> Int { list.firstIndex(of: id)! }

    mutating func add(_ subject: String, day: Int = 0, block: Int, teacher: String, room: String, _ students: [String], pinned: Bool = false) {
        let s = scenario.students.map(\.id), t = scenario.teachers.map(\.id), r = scenario.rooms.map(\.id)
        let ids = students.map { index($0, in: s) }
        let a = instance.activity(subject: subject, modality: "small-group", students: ids)!
        plan.add(PlannedSession(activity: a, slot: day * instance.blocksPerDay + block, teacher: index(teacher, in: t), room: index(room, in: r), students: ids, pinned: pinned))
    }

    /// The plan as a timetable, judged by the independent checker.
    var violations: [Violation] {
        let timetable = Timetable(scenario: scenario.name, status: .feasible, objective: nil, bound: nil, gap: nil,
                                  sessions: timetableSessions(plan), unmet: unmetNeeds(plan))
        return checkTimetable(timetable, against: scenario)
    }

    var unmetSessions: Int { plan.terms.unmetSessions }
    func sizes() -> [Int] { plan.activeSessions.map(\.session.students.count).sorted() }
}

@Test func aStudentShortOfANeedTakesAnOpenSeatWhereSheIsFree() throws {
    var week = try Fixture(["a", "b", "c", "f"].map { student($0, ["reading"]) })
    week.add("reading", block: 1, teacher: "lee", room: "r1", ["a", "b", "c"])
    #expect(week.unmetSessions == 1)
    #expect(week.plan.reseatShortNeeds() == 1)
    #expect(week.unmetSessions == 0)
    #expect(week.sizes() == [4])
    #expect(week.violations.isEmpty)
}

/// Nobody else is short, so a new group for `f` must borrow two students from the group of five,
/// which keeps its minimum of three; with a group of four it could lend only one, and nothing moves.
@Test func aNewGroupBorrowsOnlyWhatAGroupCanSpare() throws {
    let students = ["a", "b", "c", "d", "e"].map { student($0, ["reading"]) } + [student("f", ["reading"], unavailable: ["mon.b1"])]
    var five = try Fixture(students)
    five.add("reading", block: 0, teacher: "lee", room: "r1", ["a", "b", "c", "d", "e"])
    #expect(five.plan.reseatShortNeeds() == 1)
    #expect(five.unmetSessions == 0)
    #expect(five.sizes() == [3, 3])
    #expect(five.violations.isEmpty)

    // A pinned session (what-if keeps a person's week exactly) lends no one.
    var pinned = try Fixture(students)
    pinned.add("reading", block: 0, teacher: "lee", room: "r1", ["a", "b", "c", "d", "e"], pinned: true)
    #expect(pinned.plan.reseatShortNeeds() == 0)
    #expect(pinned.unmetSessions == 1)

    var four = try Fixture(Array(students.dropFirst()))
    four.add("reading", block: 0, teacher: "lee", room: "r1", ["b", "c", "d", "e"])
    let before = four.plan.activeSessions.map(\.session)
    #expect(four.plan.reseatShortNeeds() == 0)
    #expect(four.unmetSessions == 1)
    #expect(four.plan.activeSessions.map(\.session) == before)
}

/// `f` is in the math group at b1, the only time the reading group has a seat for her; she moves to
/// the other math group at b2, which has one, and so both her needs are met.
@Test func aStudentInTheWayMovesToAnotherSessionOfHerOtherNeed() throws {
    var students = ["a", "b", "c"].map { student($0, ["reading"]) }
    students += ["m1", "m2", "m3", "m4", "m5", "m6"].map { student($0, ["math"]) }
    students.append(student("f", ["reading", "math"], unavailable: ["mon.b3"]))
    var week = try Fixture(students)
    week.add("reading", block: 0, teacher: "lee", room: "r1", ["a", "b", "c"])
    week.add("math", block: 0, teacher: "ito", room: "r2", ["m1", "m2", "m3", "f"])
    week.add("math", block: 1, teacher: "kim", room: "r3", ["m4", "m5", "m6"])
    // Lee is the only reading teacher free, and busy only at b1: a new reading group at b2 would need
    // two of a, b, c, whose group cannot spare them.
    #expect(week.unmetSessions == 1)
    #expect(week.plan.reseatShortNeeds() == 1)
    #expect(week.unmetSessions == 0)
    #expect(week.sizes() == [3, 4, 4])
    #expect(week.violations.isEmpty)
}

/// The reading group at b1 is full and `f` is free only then: one of its students moves to the group
/// at b2, which has a seat, and `f` takes hers.
@Test func aFullGroupMakesRoomByMovingAStudentToAnotherGroupOfHerNeed() throws {
    var students = ["a", "b", "c", "d", "e", "g", "h", "i", "j"].map { student($0, ["reading"]) }
    students.append(student("f", ["reading"], unavailable: ["mon.b2", "mon.b3"]))
    var week = try Fixture(students)
    week.add("reading", block: 0, teacher: "lee", room: "r1", ["a", "b", "c", "d", "e", "g"])
    week.add("reading", block: 1, teacher: "kim", room: "r2", ["h", "i", "j"])
    #expect(week.plan.reseatShortNeeds() == 1)
    #expect(week.unmetSessions == 0)
    #expect(week.sizes() == [4, 6])
    #expect(week.violations.isEmpty)
}

/// `f` has reading on Monday and Tuesday, consecutive days (2 each), in groups of four; the Thursday
/// group has a seat, so she moves there from Tuesday's, and nothing else in the objective changes.
@Test func aStudentMovesToAnotherGroupOfHerNeedWhenThatSpreadsHerWeek() throws {
    let students = ["a", "b", "c", "d", "e", "g", "h", "i", "j"].map { student($0, ["reading"]) }
        + ["  - {id: f, name: f, needs: [{subject: reading, modality: small-group, sessions: 2}]}"]
    var week = try Fixture(students, days: "[mon, tue, wed, thu]")
    week.add("reading", day: 0, block: 0, teacher: "lee", room: "r1", ["a", "b", "c", "f"])
    week.add("reading", day: 1, block: 0, teacher: "lee", room: "r1", ["d", "e", "g", "f"])
    week.add("reading", day: 3, block: 0, teacher: "lee", room: "r1", ["h", "i", "j"])
    let weights = ObjectiveWeights()
    let before = week.plan.terms
    #expect(before[.sameNeedNextDay] == 1)
    let moved = week.plan.moveStudentsForComfort(weights)
    #expect(moved)
    let after = week.plan.terms
    #expect(after[.sameNeedNextDay] == 0)
    #expect(after.total(weights) == before.total(weights) - weights[.sameNeedNextDay])
    #expect(week.sizes() == [3, 4, 4])
    #expect(week.violations.isEmpty)
    // Nothing better is left: a second pass keeps nothing.
    let movedAgain = week.plan.moveStudentsForComfort(weights)
    #expect(!movedAgain)
}

// MARK: comfort moves that GLPK's one-day pieces cannot make

private func need(_ subject: String, sessions: Int = 1, extra: String = "") -> String {
    "{subject: \(subject), modality: small-group, sessions: \(sessions)\(extra)}"
}

/// Every group is full, so no student can simply change groups: `f` (reading on Monday and Tuesday,
/// consecutive days) trades her Tuesday seat with a Thursday student who has one reading session.
@Test func twoStudentsTradeSeatsWhenEveryGroupIsFull() throws {
    let students = ["a", "b", "c", "d", "e", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q"].map { student($0, ["reading"]) }
        + ["  - {id: f, name: f, needs: [\(need("reading", sessions: 2))]}"]
    var week = try Fixture(students, days: "[mon, tue, wed, thu]")
    week.add("reading", day: 0, block: 0, teacher: "lee", room: "r1", ["a", "b", "c", "d", "e", "f"])
    week.add("reading", day: 1, block: 0, teacher: "lee", room: "r1", ["g", "h", "i", "j", "k", "f"])
    week.add("reading", day: 3, block: 0, teacher: "lee", room: "r1", ["l", "m", "n", "o", "p", "q"])
    let weights = ObjectiveWeights()
    let before = week.plan.terms
    #expect(before[.sameNeedNextDay] == 1)
    let moved = week.plan.moveStudentsForComfort(weights)
    #expect(!moved)
    let traded = week.plan.swapStudentsForComfort(weights)
    #expect(traded)
    #expect(week.plan.terms[.sameNeedNextDay] == 0)
    #expect(week.plan.terms.total(weights) == before.total(weights) - weights[.sameNeedNextDay])
    #expect(week.sizes() == [6, 6, 6])
    #expect(week.violations.isEmpty)
    let tradedAgain = week.plan.swapStudentsForComfort(weights)
    #expect(!tradedAgain)
}

/// The b1 group that would rather have Ms. Lee has Mr. Kim, and Ms. Lee leads the other b1 group,
/// whose students do not mind: the two groups swap teachers. Had one of those students asked for
/// Ms. Lee (a hard rule), nothing would change.
@Test func twoSessionsAtOneTimeSwapTeachersForAPreferredTeacher() throws {
    let prefer = ["a", "b", "c"].map { "  - {id: \($0), name: \($0), needs: [\(need("reading", extra: ", prefer-teacher: [lee]"))]}" }
    let others = ["d", "e"].map { student($0, ["reading"]) }
    for requested in [false, true] {
        let last = requested ? "  - {id: g, name: g, needs: [\(need("reading", extra: ", teacher: lee"))]}" : student("g", ["reading"])
        var week = try Fixture(prefer + others + [last])
        week.add("reading", block: 0, teacher: "kim", room: "r1", ["a", "b", "c"])
        week.add("reading", block: 0, teacher: "lee", room: "r2", ["d", "e", "g"])
        let weights = ObjectiveWeights()
        let before = week.plan.terms
        #expect(before[.preferredTeacher] == 3)
        let changed = week.plan.reassignTeachersForComfort(weights)
        #expect(changed == !requested)
        let after = week.plan.terms
        #expect(after[.preferredTeacher] == (requested ? 3 : 0))
        #expect(after.total(weights) == before.total(weights) - (requested ? 0 : 3 * weights[.preferredTeacher]))
        #expect(week.violations.isEmpty)
    }
}

/// One group meets on Monday and Tuesday (three students on consecutive days); nobody can change
/// group, so one of the two sessions moves, with its teacher and room, to a day not next to the
/// other's, and not to a last block (a late block would cost more).
@Test func aWholeSessionMovesToAnotherDayToSpreadItsStudentsWeek() throws {
    let students = ["a", "b", "c"].map { "  - {id: \($0), name: \($0), needs: [\(need("reading", sessions: 2))]}" }
    var week = try Fixture(students, days: "[mon, tue, wed, thu]")
    week.add("reading", day: 0, block: 0, teacher: "lee", room: "r1", ["a", "b", "c"])
    week.add("reading", day: 1, block: 0, teacher: "lee", room: "r1", ["a", "b", "c"])
    let weights = ObjectiveWeights()
    let before = week.plan.terms
    #expect(before[.sameNeedNextDay] == 3)
    let moved = week.plan.moveSessionsForComfort(weights)
    #expect(moved)
    let after = week.plan.terms
    #expect(after[.sameNeedNextDay] == 0)
    #expect(after.total(weights) == before.total(weights) - 3 * weights[.sameNeedNextDay])
    let slots = week.plan.activeSessions.map(\.session.slot)
    #expect(abs(week.instance.day(of: slots[0]) - week.instance.day(of: slots[1])) >= 2)
    #expect(slots.allSatisfy { week.instance.block(of: $0) != 2 })
    #expect(week.violations.isEmpty)
    let movedAgain = week.plan.moveSessionsForComfort(weights)
    #expect(!movedAgain)
}

/// A piece GLPK has just re-planned (Tuesday's two groups) is settled by moves on its own day that
/// spend no weekly slack, since other pieces may be solved on other days at the same time. `f`
/// would do best in Thursday's group; settling moves her only to Ms. Lee's Tuesday group (one
/// teacher for her need instead of two). `c` would rather have Ms. Lee, who is free at that time
/// (and `c` is not free for Ms. Lee's Tuesday group): handing Ms. Lee the group would spend her
/// weekly slack, so only the whole-week moves may.
@Test func aSettledPieceChangesOnlyItsOwnDaysAndSpendsNoSlack() throws {
    let students = ["a", "b", "d", "e", "g", "h", "i", "j", "k", "l"].map { student($0, ["reading"]) }
        + ["  - {id: c, name: c, needs: [\(need("reading", extra: ", prefer-teacher: [lee]"))], unavailable: [tue.b2]}",
           "  - {id: f, name: f, needs: [\(need("reading", sessions: 2))]}"]
    var week = try Fixture(students, days: "[mon, tue, wed, thu]")
    week.add("reading", day: 0, block: 0, teacher: "lee", room: "r1", ["a", "b", "f"])
    week.add("reading", day: 1, block: 0, teacher: "kim", room: "r1", ["c", "d", "e", "f"])
    week.add("reading", day: 1, block: 1, teacher: "lee", room: "r2", ["g", "h", "i"])
    week.add("reading", day: 3, block: 0, teacher: "lee", room: "r1", ["j", "k", "l"])
    let weights = ObjectiveWeights()
    let before = week.plan.terms
    #expect(before[.teacherContinuity] == 1 && before[.sameNeedNextDay] == 1 && before[.preferredTeacher] == 1)
    var wholeWeek = week.plan

    week.plan.settle([1, 2], days: [1], weights, until: .distantFuture)
    let settled = week.plan.terms
    #expect(settled[.teacherContinuity] == 0)
    #expect(settled[.sameNeedNextDay] == 1)
    #expect(settled[.preferredTeacher] == 1)
    #expect(settled.total(weights) == before.total(weights) - weights[.teacherContinuity])
    #expect(week.sizes() == [3, 3, 3, 4])
    #expect(week.violations.isEmpty)

    // The whole-week moves take her to Thursday and give c's group Ms. Lee.
    let moved = wholeWeek.moveStudentsForComfort(weights)
    #expect(moved && wholeWeek.terms[.sameNeedNextDay] == 0)
    let reassigned = wholeWeek.reassignTeachersForComfort(weights)
    #expect(reassigned && wholeWeek.terms[.preferredTeacher] == 0)
}
