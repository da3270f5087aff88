import Diagnosis
import Foundation
import IntegerProgram
import ScenarioKit
import TimetableFormat
import WeekIndex

/// Scenario -> timetable, not yet checked and with unmet needs counted but not explained: Advisor's
/// `scheduleWeek` adds the reasons and the independent check, and is what commands call. Greedy start,
/// then GLPK re-optimises one day and a few activities at a time with the rest fixed, keeping every
/// improvement (large-neighbourhood search).
package func solveTimetable(_ scenario: ValidatedScenario, options: SolveOptions = SolveOptions(),
                           progress: (@Sendable (SolveProgress) -> Void)? = nil) throws(SolveFailure) -> Timetable {
    let started = Date()
    let deadline = started.addingTimeInterval(options.timeLimit)
    let instance = Instance(scenario)
    if options.baseline == nil, !options.pins.isEmpty {
        throw SolveFailure(description: "pins keep sessions of a baseline timetable; give one with --baseline", isInputProblem: true)
    }
    let baseline = try options.baseline.map { timetable throws(SolveFailure) in
        try Baseline(timetable, instance: instance, pins: options.pins)
    } ?? Baseline()
    var search = Search(instance: instance, options: options, deadline: deadline, started: started, progress: progress,
                        baseline: baseline)
    let boundsStarted = Date()
    // The proofs take 25 s on a 10,000-student week: the admin hears every second that nothing is
    // placed yet, as every later phase reports what it has.
    let pulse = progress.map { progress in
        BoundsPulse(started: started, nothingPlaced: search.plan, weights: search.weights, progress: progress)
    }
    defer { pulse?.stop() }
    // A fifth of the time at most, so the time limit stays a ceiling even on weeks whose LP is slow;
    // quick probes (explain's trials, many per question) skip GLPK's LPs and keep the cheap counts.
    var lower = LowerBounds(instance, weights: search.weights, timeLimit: options.polish ? min(20, options.timeLimit / 5) : 0,
                            findings: options.findings ?? diagnose(instance), isCancelled: options.isCancelled)
    lower.countForcedChanges(baseline)
    if ProcessInfo.processInfo.environment["FLEXSCHED_TRACE"] != nil {
        FileHandle.standardError.write(Data("bounds: unmet sessions >= \(lower.unmetSessions), objective >= \(lower.objective), \(String(format: "%.2f", Date().timeIntervalSince(boundsStarted)))s\n".utf8))
    }
    pulse?.stop()
    search.bound = max(search.bound, lower.objective)
    search.lower = lower
    try search.run()
    let plan = search.plan
    let terms = plan.terms
    let objective = search.objective
    let bound = search.provenBound
    let gap = relativeGap(objective: objective, bound: bound)
    let stopReason = search.finalStopReason
    let status: Timetable.Status = stopReason == .optimal ? .optimal : (stopReason == .timeLimit ? .timeLimit : .feasible)
    return Timetable(
        scenario: scenario.name, status: status, objective: objective, bound: bound, gap: gap,
        sessions: timetableSessions(plan), unmet: unmetNeeds(plan), unplaced: unplacedLessons(plan),
        created: ISO8601DateFormatter().string(from: started),
        stats: .init(seconds: Date().timeIntervalSince(started), unmetSessions: terms.unmetSessions,
                     neededSessions: instance.totalSessionsNeeded, variables: search.largestModel.columns,
                     rows: search.largestModel.rows, subproblems: search.subproblems, terms: terms.byId,
                     stopReason: stopReason),
        bounds: boundParts(lower, plan: plan, weights: search.weights, bound: bound, modelBound: search.modelBound))
}

func roundedDown(_ value: Double) -> Double { max(0, (value * 1e6).rounded(.down) / 1e6) }

/// The two parts of the bound as the timetable records them. With nothing unmet, the timetable's
/// comfort score is its objective and every timetable meeting every need has a comfort score of at
/// least the whole objective's bound, so that bound counts for comfort too; and at least GLPK's
/// bound on the whole-week model (`modelBound`, which leaves consecutive days out) plus what
/// consecutive days alone force.
func boundParts(_ lower: LowerBounds, plan: Plan, weights: ObjectiveWeights, bound: Double, modelBound: Double = 0) -> Timetable.ProvenBounds {
    let terms = plan.terms
    let unmetCost = ObjectiveWeights.unmetByPriority.reduce(0.0) { $0 + weights[$1.1] * Double(terms[$1.1]) }
        + weights[.unplacedLesson] * Double(terms[.unplacedLesson])
    let comfortScore = terms.total(weights) - unmetCost
    let parts = lower.comfortParts(done: plan.done)
    let counted = roundedDown(parts.reduce(0) { $0 + $1.cost })
    var comfort = counted
    if terms.unmetSessions == 0 {
        comfort = max(comfort, bound, roundedDown(modelBound + lower.consecutiveDays(done: plan.done)))
    }
    return Timetable.ProvenBounds(
        unmetSessions: min(lower.unmetSessions, terms.unmetSessions),
        unmetObjective: min(unmetCost, roundedDown(lower.unmetObjective + lower.unplacedObjective)),
        unmetSource: lower.unmetSessions > 0 ? lower.unmetSource : nil, comfortScore: comfortScore, comfort: min(comfort, comfortScore),
        comfortTerms: LowerBounds.comfortTerms.map(\.id), comfortParts: parts, comfortFromModel: comfort > counted)
}

/// The plan's shortfall per need; Advisor gives each its reason.
func unmetNeeds(_ plan: Plan) -> [Timetable.Unmet] {
    let instance = plan.instance, scenario = instance.scenario
    return instance.students.indices.flatMap { s in
        instance.students[s].needs.enumerated().compactMap { n, need in
            guard plan.done[s][n] < need.sessions else { return nil }
            let act = instance.activities[need.activity]
            return Timetable.Unmet(student: scenario.students[s].id, subject: act.subject, modality: act.modality,
                                   missing: need.sessions - plan.done[s][n], priority: need.priority, reason: "")
        }
    }
}

/// Lessons short of their `sessions`; Advisor gives each its reason.
func unplacedLessons(_ plan: Plan) -> [Timetable.Unplaced] {
    plan.instance.lessons.indices.compactMap { l in
        let missing = plan.instance.lessons[l].sessions - plan.placementsOf[l].count
        return missing > 0 ? Timetable.Unplaced(lesson: plan.instance.scenario.lessons[l].id, missing: missing, reason: "") : nil
    }
}

/// The scenario's fixed sessions as given, then the lessons and the planned ones in time order.
func timetableSessions(_ plan: Plan) -> [Timetable.Session] {
    let instance = plan.instance, scenario = instance.scenario
    let fixed = scenario.fixed.map { session in
        Timetable.Session(fixed: session.id, title: session.title, day: session.day.rawValue, block: session.block,
                          length: session.length, teachers: session.teachers, room: session.room, students: scenario.attendees(of: session))
    }
    let lessons = plan.lessonPlacements.compactMap { $0 }.sorted { ($0.slot, $0.lesson) < ($1.slot, $1.lesson) }.map { placed in
        let lesson = scenario.lessons[placed.lesson]
        return Timetable.Session(lesson: lesson.id, title: lesson.title, subject: lesson.subject, day: instance.dayName(of: placed.slot),
                                 block: instance.blockId(of: placed.slot), length: lesson.length, teachers: lesson.teachers,
                                 classes: lesson.classes, room: placed.room.map { scenario.rooms[$0].id }, students: scenario.attendees(of: lesson))
    }
    return fixed + lessons + plan.activeSessions.map(\.session).sorted { x, y in
        (x.slot, x.activity, x.room) < (y.slot, y.activity, y.room)
    }.map { session in
        let act = instance.activities[session.activity]
        return Timetable.Session(
            day: instance.dayName(of: session.slot), block: instance.blockId(of: session.slot), length: act.length, subject: act.subject,
            modality: act.modality, teacher: session.teacher.map { scenario.teachers[$0].id },
            room: scenario.rooms[session.room].id, students: session.students.sorted().map { scenario.students[$0].id })
    }
}
