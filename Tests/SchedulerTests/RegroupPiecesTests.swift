import Foundation
import Rules
import ScenarioKit
@testable import Scheduler
import TimetableChecker
import TimetableFormat
import WeekIndex
import Testing

/// Four students in pairs of math groups (exactly two a group) over Monday-Thursday, one session a
/// day at 08:00 by two teachers: A and B meet Monday and Tuesday, C and D Wednesday and Thursday,
/// so each of the four meets on consecutive days. Every group is at its minimum, so no student can
/// leave hers alone, and a day's piece cannot move a session to another day; regrouping over the
/// week (A and B on Monday and Wednesday, C and D on Tuesday and Thursday) removes all four repeats.
private let pairsWeek = """
name: pairs
timezone: Europe/London
days: [mon, tue, wed, thu]
blocks: [{id: b1, start: "08:00", end: "08:45"}, {id: b2, start: "09:00", end: "09:45"}]
modalities: {group: {min: 2, max: 2}}
teachers: [{id: t1, subjects: [math]}, {id: t2, subjects: [math]}]
rooms: [{id: r1, capacity: 2}, {id: r2, capacity: 2}]
students:
  - {id: a, needs: [{subject: math, modality: group, sessions: 2}]}
  - {id: b, needs: [{subject: math, modality: group, sessions: 2}]}
  - {id: c, needs: [{subject: math, modality: group, sessions: 2}]}
  - {id: d, needs: [{subject: math, modality: group, sessions: 2}]}
"""

private func pairsSearch(apart: Bool = false) throws -> (Search, ValidatedScenario, math: Int) {
    let scenario = try ScenarioLoader.parse(pairsWeek, file: "pairs.yaml")
    let instance = Instance(scenario)
    var search = Search(instance: instance, options: SolveOptions(), deadline: .distantFuture, started: Date(), progress: nil,
                        baseline: Baseline())
    let math = instance.activities.firstIndex { $0.subject == "math" }!
    let days = apart ? [[0, 2], [0, 2], [1, 3], [1, 3]] : [[0, 1], [0, 1], [2, 3], [2, 3]]
    for d in 0..<4 {
        let students = (0..<4).filter { days[$0].contains(d) }
        search.plan.add(PlannedSession(activity: math, slot: d * instance.blocksPerDay, teacher: d < 2 ? 0 : 1, room: d < 2 ? 0 : 1,
                                       students: students))
    }
    return (search, scenario, math)
}

@Test func regroupPiecesHoldTheWholeWeekAtTheStartsTheActivityHas() throws {
    var (search, _, math) = try pairsSearch()
    let hoods = search.regroupNeighbourhoods(budget: 600)
    let hood = try #require(hoods.first)
    #expect(hoods.count == 1)
    #expect(hood.days == [0, 1, 2, 3])
    #expect(hood.activities == [math])
    #expect(hood.starts?[math]?.sorted() == [0, 2, 4, 6], "each day's 08:00, where math meets now")
    // Four students x four sessions: a budget of 15 cannot hold them.
    #expect(search.regroupNeighbourhoods(budget: 15).isEmpty)
    var (apart, _, _) = try pairsSearch(apart: true)
    #expect(apart.regroupNeighbourhoods(budget: 600).isEmpty, "nobody meets on consecutive days")
}

@Test func aRegroupPieceRemovesRepeatsThatNoOneDayPieceCanAndKeepsEverySessionAtItsStart() throws {
    var (search, scenario, math) = try pairsSearch()
    let before = search.objective
    #expect(search.plan.terms[.sameNeedNextDay] == 4)
    try search.improve(search.regroupNeighbourhoods(budget: 600))
    #expect(search.plan.terms[.sameNeedNextDay] == 0)
    #expect(search.objective < before)
    let slots = search.plan.activeSessions.map(\.session).filter { $0.activity == math }.map(\.slot).sorted()
    #expect(slots == [0, 2, 4, 6], "sessions stay at their starts; only who joins, leads and hosts them changes")
    let timetable = Timetable(scenario: scenario.scenario.name, status: .feasible, objective: search.objective, bound: nil, gap: nil,
                              sessions: timetableSessions(search.plan), unmet: [])
    #expect(checkTimetable(timetable, against: scenario).isEmpty)
    #expect(measureObjective(timetable, against: scenario.scenario)[Rule.sameNeedNextDay.id] == 0)

    // The same week on single days: every piece keeps the repeats, since no session may change day.
    var (daily, _, _) = try pairsSearch()
    for d in 0..<4 { try daily.improve([Neighbourhood(days: [d], activities: [math])]) }
    #expect(daily.plan.terms[.sameNeedNextDay] == 4)
}
