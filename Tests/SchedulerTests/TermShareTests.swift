import Foundation
import Rules
import ScenarioGenerator
import ScenarioKit
@testable import Scheduler
import SeededRandom
import TimetableChecker
import TimetableFormat
import Testing
import WeekIndex

// The search scores a move by the shares of the keys it touches (`TermShare`, `Touched`), term by
// term, for the terms that kind of change can move. Here random moves walk planted weeks with every
// v1.1 feature and planted hybrid weeks with class lessons (v1.2), against their planted timetable
// as a baseline (so the changed-* terms count too), and after each move the search's change of every
// term must equal the change the independent checker's `measureObjective` sees on the whole timetable.

/// A week the walk runs on: a planted v1.1 week, or a planted hybrid week (`GeneratorSpec.hybridSmall`
/// with another seed), whose lessons the walk also moves, removes and places.
enum ShareWeek: Sendable, CustomStringConvertible {
    case planted(UInt64)
    case hybrid(UInt64)

    var seed: UInt64 {
        switch self {
        case .planted(let seed), .hybrid(let seed): seed
        }
    }

    var spec: GeneratorSpec {
        switch self {
        case .planted(let seed): return plantedWeekSpec(seed: seed, allFeatures: true)
        case .hybrid(let seed):
            var spec = GeneratorSpec.hybridSmall
            spec.seed = seed
            return spec
        }
    }

    var description: String {
        switch self {
        case .planted(let seed): "planted week, seed \(seed)"
        case .hybrid(let seed): "hybrid week, seed \(seed)"
        }
    }
}

private struct Walk {
    var plan: Plan
    let scenario: ValidatedScenario
    let baseline: Timetable
    var random: SplitMix64
    /// The lesson moves made, by kind of `lessonMove` (5 moved, 6 taken out, 7 placed).
    var lessonMoves: [UInt64: Int] = [:]

    var timetable: Timetable {
        Timetable(scenario: scenario.scenario.name, status: .feasible, objective: nil, bound: nil, gap: nil,
                  sessions: timetableSessions(plan), unmet: unmetNeeds(plan), unplaced: unplacedLessons(plan))
    }

    var measured: [String: Int] { measureObjective(timetable, against: scenario.scenario, baseline: baseline) }

    mutating func pick<T>(_ list: [T]) -> T? { list.isEmpty ? nil : list[Int(random.next() % UInt64(list.count))] }

    /// One random move of a random kind that every hard rule allows, applied: its kind, every kind
    /// of change it makes (a lesson moved onto flex sessions shifts them: `.lesson` and `.slot`), and
    /// the keys it touches; nil when the kind drawn found nothing to do.
    mutating func move() -> (kind: PlanChange, changes: [PlanChange], touched: Touched)? {
        let kind = random.next() % 8
        if kind >= 5 { return lessonMove(kind) }
        guard let (change, touched) = flexMove(kind) else { return nil }
        return (change, [change], touched)
    }

    /// A lesson moved as the comfort moves move it (`moved(_:to:)`, flex sessions in its way shifting
    /// into the blocks it left), removed, or placed at a start every rule allows, as `placeLessons`
    /// places it; the keys are those the search scores these with.
    mutating func lessonMove(_ kind: UInt64) -> (kind: PlanChange, changes: [PlanChange], touched: Touched)? {
        let instance = plan.instance
        let movable = plan.lessonPlacements.indices.filter { plan.lessonPlacements[$0].map { !$0.pinned } ?? false }
        switch kind {
        case 5:  // a lesson moves to another start
            guard let x = pick(movable) else { return nil }
            let old = plan.lessonPlacements[x]!
            let starts = (0..<instance.slotCount).filter { $0 != old.slot && instance.lessons[old.lesson].canStart[$0] }
            for _ in 0..<8 {
                guard let q = pick(starts), let (moved, touched) = plan.moved(x, to: q) else { continue }
                plan = moved
                lessonMoves[kind, default: 0] += 1
                return (.lesson, [.lesson, .slot], touched)
            }
            return nil
        case 6:  // a lesson is taken out
            guard let x = pick(movable) else { return nil }
            let old = plan.lessonPlacements[x]!
            let touched = plan.lessonTouched(old.lesson, days: [instance.day(of: old.slot)])
            plan.removeLesson(x)
            lessonMoves[kind, default: 0] += 1
            return (.lesson, [.lesson], touched)
        default:  // a lesson short of its sessions is placed
            let short = instance.lessons.indices.filter { plan.placementsOf[$0].count < instance.lessons[$0].sessions }
            guard let l = pick(short) else { return nil }
            let starts = (0..<instance.slotCount).filter { plan.lessonMayStart(l, at: $0) && plan.roomForLesson(l, at: $0) != nil }
            guard let p = pick(starts), let room = plan.roomForLesson(l, at: p) else { return nil }
            let touched = plan.lessonTouched(l, days: [instance.day(of: p)])
            plan.placeLesson(PlacedLesson(lesson: l, slot: p, room: room))
            lessonMoves[kind, default: 0] += 1
            return (.lesson, [.lesson], touched)
        }
    }

    /// A move of flex sessions only.
    mutating func flexMove(_ kind: UInt64) -> (PlanChange, Touched)? {
        let instance = plan.instance
        let ids = plan.activeSessions.filter { !$0.session.pinned }.map(\.id)
        guard let x = pick(ids) else { return nil }
        let session = plan.sessions[x]!, d = instance.day(of: session.slot), act = instance.activities[session.activity]
        switch kind {
        case 0:  // a student changes to another group of her need
            guard session.students.count > act.min, let s = pick(session.students), let n = plan.needIndex[s][session.activity] else { return nil }
            plan.unseat(s, from: x)
            let open = plan.sessionsOfNeed(n, student: s).filter { y in
                let other = plan.sessions[y]!
                return other.students.count < instance.seats(other.room, activity: other.activity)
                    && plan.canSeat(s, activity: other.activity, slot: other.slot) && plan.mayJoin(s, session: y, without: nil)
            }
            guard let y = pick(open) else {
                plan.seat(s, in: x)
                return nil
            }
            plan.seat(s, in: x)
            plan.unseat(s, from: x)
            plan.seat(s, in: y)
            return (.regroup, Touched.weeks(of: [s], in: instance))
        case 1:  // a student leaves a group that keeps its minimum
            guard session.students.count > act.min, let s = pick(session.students) else { return nil }
            plan.unseat(s, from: x)
            return (.seat, Touched.weeks(of: [s], in: instance))
        case 2:  // a student who still needs it takes an open seat
            guard session.students.count < instance.seats(session.room, activity: session.activity) else { return nil }
            let joining = act.demand.map(\.student).filter { s in
                plan.remaining(student: s, activity: session.activity) > 0 && plan.canSeat(s, activity: session.activity, slot: session.slot)
                    && plan.mayJoin(s, session: x, without: nil)
            }
            guard let s = pick(joining) else { return nil }
            plan.seat(s, in: x)
            return (.seat, Touched.weeks(of: [s], in: instance))
        case 3:  // another qualified teacher, free then, takes the session
            guard let t = session.teacher else { return nil }
            var vacated = session
            vacated.teacher = nil
            plan.replace(x, with: vacated)
            let free = act.qualifiedTeachers.filter { u in
                var led = session
                led.teacher = u
                return u != t && plan.teacherFree(u, activity: session.activity, slot: session.slot)
                    && led.students.indices.allSatisfy { i in
                        var seating = led.seating
                        seating.others.remove(at: i)
                        return plan.mayJoin(led.students[i], seating)
                    }
            }
            plan.replace(x, with: session)
            guard let u = pick(free) else { return nil }
            let touched = Touched.teacherChange(of: [session], among: [t, u], day: d, in: plan)
            var led = session
            led.teacher = u
            plan.replace(x, with: led)
            return (.teacher, touched)
        default:  // the whole session moves to another slot where everyone is free
            var vacated = session
            vacated.students = []
            vacated.teacher = nil
            plan.replace(x, with: vacated)
            let slots = (0..<instance.slotCount).filter { q in
                q != session.slot && act.canStart[q] && plan.roomFree(session.room, activity: session.activity, slot: q)
                    && session.teacher.map { plan.teacherFree($0, activity: session.activity, slot: q) } ?? true
                    && session.students.allSatisfy { plan.canSeat($0, activity: session.activity, slot: q) }
            }
            plan.replace(x, with: session)
            guard let q = pick(slots) else { return nil }
            var touched = Touched.weeks(of: session.students, in: instance)
            for day in Set([d, instance.day(of: q)]) { touched.add(.staffDay(teacher: session.teacher, room: session.room, day: day)) }
            var moved = session
            moved.slot = q
            plan.replace(x, with: moved)
            return (.slot, touched)
        }
    }
}

@Test(arguments: [.planted(3), .planted(5), .planted(8), .hybrid(7), .hybrid(2)] as [ShareWeek])
func everyMoveChangesEachTermAsTheCheckerMeasuresIt(week: ShareWeek) throws {
    let generated = generateScenario(week.spec)
    // Every other teacher aims at 2 blocks, so her load shows in `O.teacher-over-aim` and the others' does not.
    var source = generated.scenario
    for t in source.teachers.indices where t % 2 == 0 { source.teachers[t].aimPerWeek = 2 }
    let scenario = try source.validated(), planted = try #require(generated.planted)
    let instance = Instance(scenario)
    var plan = Plan(instance, baseline: try Baseline(planted, instance: instance, pins: []))
    try plan.adoptBaseline(plan.baseline)
    var walk = Walk(plan: plan, scenario: scenario, baseline: planted, random: SplitMix64(seed: week.seed))
    #expect(walk.plan.terms.byId.mapValues(Int.init) == walk.measured, "\(week): the shares do not add up to the measure")
    #expect(checkTimetable(walk.timetable, against: scenario).isEmpty, "\(week): the adopted baseline breaks a hard rule")
    var moves: [PlanChange: Int] = [:]
    var tries = 0
    while moves.values.reduce(0, +) < 150, tries < 5_000 {
        tries += 1
        let before = walk.measured
        let snapshot = walk.plan
        guard let (kind, changes, touched) = walk.move() else { continue }
        // Count the keys the move names on the plan before and after it, for every term one of its
        // changes can move (a term that none can move must stay as it was).
        func counts(_ plan: Plan) -> [String: Int] {
            changes.reduce(into: [:]) { all, change in all.merge(plan.counts(touched, change)) { a, _ in a } }
        }
        let searchBefore = counts(snapshot), searchAfter = counts(walk.plan)
        let after = walk.measured
        #expect(checkTimetable(walk.timetable, against: scenario).isEmpty, "\(week): a \(kind) move broke a hard rule")
        for term in RuleCatalogue.objectiveTerms {
            let measuredChange = after[term.id]! - before[term.id]!
            let searchChange = (searchAfter[term.id] ?? 0) - (searchBefore[term.id] ?? 0)
            #expect(searchChange == measuredChange,
                    "\(week), move \(tries) (\(kind)): \(term.id) changed by \(measuredChange), the search says \(searchChange)")
            if searchChange != measuredChange { return }
        }
        moves[kind, default: 0] += 1
    }
    // Every kind of move was tried, so no kind of change goes untested: lessons on the hybrid weeks,
    // where there are some.
    let kinds = instance.lessons.isEmpty ? Set(PlanChange.allCases).subtracting([.lesson]) : Set(PlanChange.allCases)
    #expect(Set(moves.keys) == kinds, "\(week): moves made \(moves)")
    if case .hybrid = week {
        #expect(Set(walk.lessonMoves.keys) == [5, 6, 7], "\(week): lessons moved, taken out and placed: \(walk.lessonMoves)")
    }
    #expect(walk.plan.terms.byId.mapValues(Int.init) == walk.measured, "\(week): after the walk the shares do not add up")
}
