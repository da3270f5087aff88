import Foundation
import ScenarioKit
@testable import Scheduler
import WeekIndex
import Testing

/// One student with math tutoring over a five-day week: the polish's two-day pieces may only be
/// built around a need that meets on consecutive days, on one of those days and a day the session
/// could move to without meeting beside another of its days, when there is one.
private let repeatWeek = """
name: repeats
timezone: Europe/London
days: [mon, tue, wed, thu, fri]
blocks: [{id: b1, start: "08:00", end: "08:45"}, {id: b2, start: "09:00", end: "09:45"}]
modalities: {tutoring: {min: 1, max: 1}}
teachers: [{id: t1, subjects: [math]}]
rooms: [{id: r1, capacity: 1}]
students: [{id: s1, needs: [{subject: math, modality: tutoring, sessions: 3}]}]
"""

private func search(mathOn days: [Int]) throws -> (Search, math: Int) {
    let instance = Instance(try ScenarioLoader.parse(repeatWeek, file: "repeats.yaml"))
    var search = Search(instance: instance, options: SolveOptions(), deadline: .distantFuture, started: Date(), progress: nil,
                        baseline: Baseline())
    let math = instance.activities.firstIndex { $0.subject == "math" }!
    for d in days {
        search.plan.add(PlannedSession(activity: math, slot: d * instance.blocksPerDay, teacher: 0, room: 0, students: [0]))
    }
    return (search, math)
}

@Test func twoDayPiecesSitOnARepeatAndADayApartFromTheNeedsOtherDays() throws {
    // Math on Monday, Tuesday and Friday: Monday-Tuesday is the one repeat (Friday and Monday are not
    // consecutive in a Monday-Friday week). Moving Monday's session apart from Tuesday and Friday
    // leaves nowhere (Wednesday and Thursday touch one of them), so any open day is taken; moving
    // Tuesday's leaves only Wednesday apart from Monday and Friday.
    for seed in UInt64(1)...20 {
        var (search, math) = try search(mathOn: [0, 1, 4])
        search.rng = .init(seed: seed)
        let hoods = search.repeatNeighbourhoods(budget: 600)
        #expect(hoods.count == 1)
        let hood = try #require(hoods.first)
        #expect(hood.activities.contains(math))
        #expect(hood.days.count == 2)
        if hood.days.contains(1) {
            #expect(hood.days == [1, 2], "Tuesday's session may only go to Wednesday, got \(hood.days)")
        } else {
            #expect(hood.days.contains(0) && (hood.days.contains(2) || hood.days.contains(3)), "got \(hood.days)")
        }
    }
}

@Test func noTwoDayPiecesWithoutRepeatsOrWhenTheActivityOverflowsThePiece() throws {
    var (apart, _) = try search(mathOn: [0, 2, 4])
    #expect(apart.repeatNeighbourhoods(budget: 600).isEmpty)
    // Math over two days of two blocks is 4 columns for its one student: a budget of 3 cannot hold it.
    var (tight, _) = try search(mathOn: [0, 1])
    #expect(tight.repeatNeighbourhoods(budget: 3).isEmpty)
    #expect(tight.repeatNeighbourhoods(budget: 4).count == 1)
}
