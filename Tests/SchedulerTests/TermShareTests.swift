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
// v1.1 feature, against their planted timetable as a baseline (so the changed-* terms count too),
// and after each move the search's change of every term must equal the change the independent
// checker's `measureObjective` sees on the whole timetable.

private struct Walk {
    var plan: Plan
    let scenario: ValidatedScenario
    let baseline: Timetable
    var random: SplitMix64

    var timetable: Timetable {
        Timetable(scenario: scenario.scenario.name, status: .feasible, objective: nil, bound: nil, gap: nil,
                  sessions: timetableSessions(plan), unmet: unmetNeeds(plan))
    }

    var measured: [String: Int] { measureObjective(timetable, against: scenario.scenario, baseline: baseline) }

    mutating func pick<T>(_ list: [T]) -> T? { list.isEmpty ? nil : list[Int(random.next() % UInt64(list.count))] }

    /// One random move of a random kind that every hard rule allows, applied, with the keys it
    /// touches; nil when the kind drawn found nothing to do.
    mutating func move() -> (PlanChange, Touched)? {
        let instance = plan.instance
        let ids = plan.activeSessions.filter { !$0.session.pinned }.map(\.id)
        guard let x = pick(ids) else { return nil }
        let session = plan.sessions[x]!, d = instance.day(of: session.slot), act = instance.activities[session.activity]
        switch random.next() % 5 {
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

@Test(arguments: [3, 5, 8] as [UInt64])
func everyMoveChangesEachTermAsTheCheckerMeasuresIt(seed: UInt64) throws {
    let generated = generateScenario(plantedWeekSpec(seed: seed, allFeatures: true))
    let scenario = try generated.scenario.validated(), planted = try #require(generated.planted)
    let instance = Instance(scenario)
    var plan = Plan(instance, baseline: try Baseline(planted, instance: instance, pins: []))
    try plan.adoptBaseline(plan.baseline)
    var walk = Walk(plan: plan, scenario: scenario, baseline: planted, random: SplitMix64(seed: seed))
    #expect(walk.plan.terms.byId.mapValues(Int.init) == walk.measured, "seed \(seed): the shares do not add up to the measure")
    var moves: [PlanChange: Int] = [:]
    var tries = 0
    while moves.values.reduce(0, +) < 150, tries < 5_000 {
        tries += 1
        let before = walk.measured
        let snapshot = walk.plan
        guard let (change, touched) = walk.move() else { continue }
        // Count the keys the move names on the plan before and after it.
        let searchBefore = snapshot.counts(touched, change), searchAfter = walk.plan.counts(touched, change)
        let after = walk.measured
        #expect(checkTimetable(walk.timetable, against: scenario).isEmpty, "seed \(seed): a \(change) move broke a hard rule")
        for term in RuleCatalogue.objectiveTerms {
            let measuredChange = after[term.id]! - before[term.id]!
            let searchChange = (searchAfter[term.id] ?? 0) - (searchBefore[term.id] ?? 0)
            #expect(searchChange == measuredChange,
                    "seed \(seed), move \(tries) (\(change)): \(term.id) changed by \(measuredChange), the search says \(searchChange)")
            if searchChange != measuredChange { return }
        }
        moves[change, default: 0] += 1
    }
    // Every kind of move was tried, so no kind of change goes untested.
    #expect(Set(moves.keys) == Set(PlanChange.allCases), "seed \(seed): moves made \(moves)")
    #expect(walk.plan.terms.byId.mapValues(Int.init) == walk.measured, "seed \(seed): after the walk the shares do not add up")
}
