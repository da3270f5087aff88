import GLPKBackend
import IntegerProgram
import ScenarioKit
@testable import Scheduler
import Testing
import TimetableChecker
import TimetableFormat
import WeekIndex

/// Two days of two blocks, class c1 busy in all four. Mr One can teach math only at h1 (and math
/// meets twice, on two days); the grid holds math on Monday, English (Mr Two, not free on Tuesday
/// at h2) on Tuesday at h1 and art (Ms Three) on Monday at h2. Math's second lesson fits only if
/// English changes day and art changes day too: no move within a day places it.
private let crowdedWeek = """
    name: crowded
    days: [mon, tue]
    blocks:
      - {id: h1, start: "08:00", end: "08:45"}
      - {id: h2, start: "08:45", end: "09:30"}
    modalities: {}
    teachers:
      - {id: one, name: Mr One, subjects: [math], unavailable: [mon.h2, tue.h2]}
      - {id: two, name: Mr Two, subjects: [eng], unavailable: [tue.h2]}
      - {id: three, name: Ms Three, subjects: [art]}
    rooms: []
    classes:
      - {id: c1, name: C1, size: 20}
    lessons:
      - {id: math, subject: math, teachers: [one], classes: [c1], sessions: 2, min-days-apart: 1, needs-room: false}
      - {id: eng, subject: eng, teachers: [two], classes: [c1], sessions: 1, needs-room: false}
      - {id: art, subject: art, teachers: [three], classes: [c1], sessions: 1, needs-room: false}
    """

private func crowdedPlan() throws -> (ValidatedScenario, Plan) {
    let scenario = try ScenarioLoader.parse(crowdedWeek, file: "crowded.yaml")
    let instance = Instance(scenario)
    var plan = Plan(instance)
    let slot = { (day: Int, block: Int) in instance.slots(ofDay: day).lowerBound + block }
    plan.placeLesson(PlacedLesson(lesson: 0, slot: slot(0, 0), room: nil))
    plan.placeLesson(PlacedLesson(lesson: 1, slot: slot(1, 0), room: nil))
    plan.placeLesson(PlacedLesson(lesson: 2, slot: slot(0, 1), room: nil))
    return (scenario, plan)
}

@Test func aRepairPieceMovesLessonsAcrossDaysToPlaceAShortOne() throws {
    let (scenario, plan) = try crowdedPlan()
    let instance = plan.instance
    #expect(plan.placementsOf[0].count == 1)
    // With the others moving within their days nothing helps: math's second lesson stays out.
    let withinDays = Neighbourhood(days: [0, 1], activities: [], lessons: [0, 1, 2], placing: [0])
    let stuck = try solveNeighbourhood(withinDays, of: plan, held: HeldCapacity(), weights: ObjectiveWeights(), limits: MIPOptions()).get()
    #expect(stuck?.lessons?.count == 3, "the within-day piece keeps the three lessons it moves and adds none")

    let repair = Neighbourhood(days: [0, 1], activities: [], lessonsAcrossDays: [0, 1, 2], placing: [0])
    let solved = try #require(try solveNeighbourhood(repair, of: plan, held: HeldCapacity(), weights: ObjectiveWeights(),
                                                     limits: MIPOptions()).get())
    var repaired = plan
    for id in solved.removedLessons { repaired.removeLesson(id) }
    for placed in try #require(solved.lessons) { repaired.placeLesson(placed) }
    #expect(repaired.placementsOf.map(\.count) == [2, 1, 1])
    let days = repaired.placementsOf[0].map { instance.day(of: repaired.lessonPlacements[$0]!.slot) }
    #expect(Set(days) == [0, 1], "math twice, on two days: \(days)")
    let timetable = Timetable(scenario: "crowded", status: .feasible, objective: nil, bound: nil, gap: nil,
                              sessions: timetableSessions(repaired), unmet: [])
    #expect(checkTimetable(timetable, against: scenario).isEmpty, "\(checkTimetable(timetable, against: scenario))")
}

/// Two lessons of a series a repair adds keep their days apart between themselves (the rows of
/// R8.lesson-days-apart), not only from the lessons outside the piece (its filter).
@Test func aRepairPieceKeepsTheLessonsItAddsDaysApart() throws {
    let scenario = try ScenarioLoader.parse(crowdedWeek, file: "crowded.yaml")
    let plan = Plan(Instance(scenario))
    let repair = Neighbourhood(days: [0, 1], activities: [], placing: [0, 0])
    let solved = try #require(try solveNeighbourhood(repair, of: plan, held: HeldCapacity(), weights: ObjectiveWeights(),
                                                     limits: MIPOptions()).get())
    let placed = try #require(solved.lessons)
    #expect(placed.count == 2)
    #expect(Set(placed.map { plan.instance.day(of: $0.slot) }).count == 2, "\(placed)")
}

/// Within a day piece, a series with `prefer-days-apart` is priced exactly: the model's objective
/// at the current grid equals the timetable's, pairs with lessons outside the piece included.
@Test func preferredDaysApartArePricedExactlyInAPiece() throws {
    let scenario = try ScenarioLoader.parse(crowdedWeek.replacingOccurrences(
        of: "sessions: 2, min-days-apart: 1", with: "sessions: 2, prefer-days-apart: 2")
        .replacingOccurrences(of: "days: [mon, tue]", with: "days: [mon, tue, wed]"), file: "crowded.yaml")
    let instance = Instance(scenario)
    var plan = Plan(instance)
    let slot = { (day: Int, block: Int) in instance.slots(ofDay: day).lowerBound + block }
    plan.placeLesson(PlacedLesson(lesson: 0, slot: slot(0, 0), room: nil))
    plan.placeLesson(PlacedLesson(lesson: 0, slot: slot(1, 0), room: nil))
    #expect(plan.terms[.lessonDaysApartPreferred] == 1)
    let weights = ObjectiveWeights(), objective = plan.terms.total(weights)
    for hood in [Neighbourhood(days: [1], activities: [], lessons: [0]),
                 Neighbourhood(days: [0, 1, 2], activities: [], lessonsAcrossDays: [0])] {
        let moving = plan.lessonPlacements.enumerated().compactMap { id, placed in
            placed.flatMap { hood.days.contains(instance.day(of: $0.slot)) ? (id, $0) : nil }
        }
        var base = plan
        for (id, _) in moving { base.removeLesson(id) }
        let model = NeighbourhoodModel(base: base, hood: hood, weights: weights, movingLessons: moving)
        let start = try #require(model.startValues(for: []))
        #expect(model.program.maxViolation(of: start) <= 1e-9, "\(hood)")
        #expect(abs(model.program.objective(of: start) - objective) <= 1e-6, "\(hood): start \(model.program.objective(of: start)) against \(objective)")
        if hood.days.count == 3 {
            let solved = try GLPKSolver.solve(model.program, options: MIPOptions(start: start))
            // Across days the pair can part: Monday and Wednesday.
            let best = try #require(solved.objective)
            #expect(best <= objective - weights[.lessonDaysApartPreferred] + 1e-6, "\(best) against \(objective)")
        }
    }
}
