// The objective's terms: one entry per catalogue term, each with its column costs or rows in the
// model and its measure on a whole timetable. The measure is what decides whether a re-planned piece
// is kept, so the model's costs only have to point the way.
import Rules
import ScenarioKit
import WeekIndex

extension ModelRule {
    static let unmetMandated = unmet(.mandated, .unmetMandated)
    static let unmetHigh = unmet(.high, .unmetHigh)
    static let unmetSession = unmet(.normal, .unmetSession)
    static let unmetLow = unmet(.low, .unmetLow)

    /// Every seat taken removes one unmet session of its need's priority; the model's constant starts
    /// from the base's count.
    private static func unmet(_ priority: Priority, _ rule: Rule, line: Int = #line) -> ModelRule {
        with(ModelRule(rule, line: line)) {
            $0.seatCost = { model, s, a, _ in
                guard let n = model.base.needIndex[s][a], model.instance.students[s].needs[n].priority == priority else { return 0 }
                return -model.weights[rule]
            }
            $0.share = TermShare(scope: .studentNeed, changedBy: [.seat]) { plan, s, n in
                let need = plan.instance.students[s].needs[n]
                return need.priority == priority ? need.sessions - plan.done[s][n] : 0
            }
        }
    }

    static let studentIdle = with(ModelRule(.studentIdle)) {
        $0.rows = { model in
            let base = model.base
            let seats = model.xs.map { (person: $0.s, covered: model.instance.covered($0.a, from: $0.p), col: $0.col) }
            model.addIdleTerms(.studentIdle, who: "student", columns: seats + model.lessonCells(\.students).map { ($0.who, $0.covered, $0.col) },
                               busy: { base.studentAt[$0] }, idle: { base.studentIdle($0, day: $1) })
        }
        $0.share = TermShare(scope: .studentDay, changedBy: [.seat, .regroup, .slot, .lesson]) { plan, s, d in plan.studentIdle(s, day: d) }
    }

    static let teacherIdle = with(ModelRule(.teacherIdle)) {
        $0.rows = { model in
            let base = model.base
            let leads = model.ys.map { (person: $0.t, covered: model.instance.covered($0.a, from: $0.p), col: $0.col) }
            model.addIdleTerms(.teacherIdle, who: "teacher", columns: leads + model.lessonCells(\.teachers).map { ($0.who, $0.covered, $0.col) },
                               busy: { base.teacherAt[$0] }, idle: { base.teacherIdle($0, day: $1) })
        }
        $0.share = TermShare(scope: .teacherDay, changedBy: [.teacher, .slot, .lesson]) { plan, t, d in plan.teacherIdle(t, day: d) }
    }

    /// A session that runs into the day's last block counts, whichever block it starts in: a student
    /// has at most one such session a day, the one in her row at that block (fixed sessions aside).
    static let lateBlock = with(ModelRule(.lateBlock)) {
        $0.seatCost = { model, _, a, p in
            model.instance.block(of: model.instance.covered(a, from: p).last!) == model.instance.blocksPerDay - 1 ? model.weights[.lateBlock] : 0
        }
        $0.share = TermShare(scope: .studentDay, changedBy: [.seat, .regroup, .slot]) { plan, s, d in
            plan.studentAt[s][plan.instance.slots(ofDay: d).last!] >= 0 ? 1 : 0
        }
    }

    /// Seats pay for neighbours outside the model (fixed days); pairs of days both inside it get rows.
    static let sameNeedNextDay = with(ModelRule(.sameNeedNextDay)) {
        $0.rows = { model in model.addConsecutiveDayTerms(.sameNeedNextDay) }
        $0.seatCost = { model, s, a, p in
            guard let n = model.base.needIndex[s][a] else { return 0 }
            let days = model.base.needDays[s][n], d = model.instance.day(of: p)
            let neighbours = [model.instance.previousDay[d], model.instance.nextDay[d]].compactMap { $0 }
            return model.weights[.sameNeedNextDay] * Double(neighbours.count { days & (1 << UInt64($0)) != 0 })
        }
        $0.share = TermShare(scope: .studentNeed, changedBy: [.seat, .regroup, .slot]) { plan, s, n in
            plan.instance.neighbouringPairs(in: plan.needDays[s][n])
        }
    }

    /// A group-blind model cannot see which parallel group a student lands in, so a preference is
    /// priced as "one of her preferred teachers leads a session of this activity then" (see
    /// `addAffinityTerms`); decoding then seats her in that teacher's group where it can.
    static let preferredTeacher = with(ModelRule(.preferredTeacher)) {
        $0.rows = { model in
            guard !model.seatsByTeacher else { return model.addPreferredTeacherCosts(.preferredTeacher) }
            let instance = model.instance
            model.addAffinityTerms(.preferredTeacher) { s, n in
                let preferred = instance.students[s].needs[n].preferred
                return preferred.isEmpty ? nil : preferred
            }
        }
        $0.share = TermShare(scope: .studentNeed, changedBy: [.seat, .regroup, .teacher]) { plan, s, n in
            let preferred = plan.instance.students[s].needs[n].preferred
            guard !preferred.isEmpty else { return 0 }
            let activities = plan.instance.students[s].needs[n].activities
            // A session fills consecutive blocks of her row, so a change of id starts the next one.
            var count = 0, last = Plan.free
            for id in plan.studentAt[s] where id >= 0 && id != last {
                last = id
                let session = plan.sessions[id]!
                if activities.contains(session.activity), let t = session.teacher, !preferred.contains(t) { count += 1 }
            }
            return count
        }
    }

    /// Priced like a preference for the teachers she already has for this need outside the model;
    /// exact where the model seats students by teacher.
    static let teacherContinuity = with(ModelRule(.teacherContinuity)) {
        $0.rows = { model in
            guard !model.seatsByTeacher else { return model.addContinuityTerms(.teacherContinuity) }
            let base = model.base
            model.addAffinityTerms(.teacherContinuity) { s, n in
                let teachers = base.teachers(of: s, need: n)
                return teachers.isEmpty ? nil : teachers
            }
        }
        $0.share = TermShare(scope: .studentNeed, changedBy: [.seat, .regroup, .teacher]) { plan, s, n in
            max(0, plan.teachers(of: s, need: n).count - 1)
        }
    }

    static let preferNot = with(ModelRule(.preferNot)) {
        $0.teacherCost = { model, t, a, p in
            model.instance.covered(a, from: p).contains { model.instance.teachers[t].preferNot[$0] } ? model.weights[.preferNot] : 0
        }
        $0.share = TermShare(scope: .teacherDay, changedBy: [.teacher, .slot]) { plan, t, d in
            let preferNot = plan.instance.teachers[t].preferNot
            var count = 0, last = Plan.free
            for p in plan.instance.slots(ofDay: d) where plan.teacherAt[t][p] >= 0 && plan.teacherAt[t][p] != last {
                last = plan.teacherAt[t][p]
                let session = plan.sessions[last]!
                if plan.instance.covered(session.activity, from: session.slot).contains(where: { preferNot[$0] }) { count += 1 }
            }
            return count
        }
    }

    /// `over >= (her blocks in the piece) - (her aim less her blocks outside it)`, `over >= 0`, at the
    /// term's weight: the minimisation makes `over` exactly her blocks beyond the aim.
    static let teacherOverAim = with(ModelRule(.teacherOverAim)) {
        $0.rows = { model in
            let base = model.base, weight = model.weights[.teacherOverAim]
            guard weight > 0 else { return }
            let week = model.ys.map { (key: ColumnKey($0.t, 0), length: base.instance.activities[$0.a].length, col: $0.col) }
                + model.lessonCells(\.teachers).map { (key: ColumnKey($0.who, 0), length: $0.length, col: $0.col) }
            model.addOverTargetTerms("O.teacher-over-aim", week, weight: weight) { key in
                base.instance.teachers[key.i].aimPerWeek.map { $0 - base.teacherWeekLoad[key.i] }
            }
        }
        // A seat may open or close a session, and with it a block of its teacher's.
        $0.share = TermShare(scope: .teacherWeek, changedBy: [.seat, .teacher, .lesson]) { plan, t, _ in
            plan.instance.teachers[t].aimPerWeek.map { max(0, plan.teacherWeekLoad[t] - $0) } ?? 0
        }
    }

    /// The model cannot see which parallel group a student lands in, so it rewards keeping the seat;
    /// the measure, which decides acceptance, also asks for the same teacher and room.
    static let changedSeat = with(ModelRule(.changedSeat)) {
        $0.seatCost = { model, s, a, p in
            model.base.baseline.assignments[.init(student: s, activity: a, slot: p)] != nil ? -model.weights[.changedSeat] : 0
        }
        $0.share = TermShare(scope: .studentDay, changedBy: [.seat, .regroup, .teacher, .slot]) { plan, s, d in
            plan.baseline.seats(student: s, day: d).count { seat, staff in
                let id = plan.studentAt[seat.student][seat.slot]
                guard id >= 0, let session = plan.sessions[id] else { return true }
                return session.slot != seat.slot || !plan.instance.sameNeed(session.activity, seat.activity)
                    || session.teacher != staff.teacher || session.room != staff.room
            }
        }
    }

    static let changedTeacher = with(ModelRule(.changedTeacher)) {
        $0.teacherCost = { model, t, a, p in
            model.base.baseline.teachers.contains(.init(activity: a, slot: p, resource: t)) ? -model.weights[.changedTeacher] : 0
        }
        $0.share = TermShare(scope: .teacherDay, changedBy: [.teacher, .slot]) { plan, t, d in
            plan.baseline.staffing(teacher: t, day: d).count { !plan.hosts(plan.teacherAt[t][$0.slot], activity: $0.activity, startingAt: $0.slot) }
        }
    }

    static let changedRoom = with(ModelRule(.changedRoom)) {
        $0.roomCost = { model, r, a, p in
            model.base.baseline.rooms.contains(.init(activity: a, slot: p, resource: r)) ? -model.weights[.changedRoom] : 0
        }
        $0.share = TermShare(scope: .roomDay, changedBy: [.slot]) { plan, r, d in
            plan.baseline.staffing(room: r, day: d).count { !plan.hosts(plan.roomAt[r][$0.slot], activity: $0.activity, startingAt: $0.slot) }
        }
    }
}

/// Weights of the objective (lower is better), one per catalogue term; the catalogue's weight unless
/// set. Unmet sessions dominate every other term, so no amount of comfort ever costs a session.
public struct ObjectiveWeights: Sendable, Hashable {
    private var overrides: [String: Double] = [:]
    public init() {}

    public subscript(term: Rule) -> Double {
        get { overrides[term.id] ?? term.weight ?? 0 }
        set { overrides[term.id] = newValue }
    }

    static let unmetByPriority: [(Priority, Rule)] = [(.low, .unmetLow), (.normal, .unmetSession), (.high, .unmetHigh), (.mandated, .unmetMandated)]

    /// Unmet weights made lexicographic for one week: W(k) = w(k) x product over lower priorities j of
    /// (1 + N_j), N_j the sessions needed at priority j. All lower sessions together then weigh
    /// w x (product - 1) < W(k), so no number of them is worth one session of priority k. A week whose
    /// needs are all `normal` keeps 1000 per session.
    ///
    /// `cappedAt` caps each factor: GLPK's sub-problems get weights no larger than the true ones (so
    /// a bound found on them is a bound on the true objective) but of a size its simplex handles well
    /// (a factor of thousands per priority level left a 120-student week short where a factor of
    /// 13 met every need). A sub-problem may then prefer some lower-priority sessions to one higher;
    /// the whole timetable's exact comparison rejects any such result.
    func lexicographic(_ instance: Instance, cappedAt cap: Double = .infinity) -> ObjectiveWeights {
        var weights = self
        var scale = 1.0
        for (priority, rule) in ObjectiveWeights.unmetByPriority {
            weights[rule] = self[rule] * scale
            scale *= min(cap, Double(1 + (instance.sessionsByPriority[priority] ?? 0)))
        }
        // A class lesson comes before any flex session: a week whose lessons do not stand is no week.
        weights[.unplacedLesson] = self[.unplacedLesson] * scale
        return weights
    }

    /// The least any unmet session costs (for bounds built from a count of unmet sessions).
    var cheapestUnmet: Double { ObjectiveWeights.unmetByPriority.map { self[$0.1] }.min() ?? 0 }

    /// Only unmet sessions count (with their priorities): the repair phase's pure-binary models.
    /// Changes to a baseline keep their prices there (costs on seat, staffing and lesson columns keep
    /// the models binary): a re-solve's repair moved six lessons of one class for one session when
    /// lesson moves were free, and, with seats free, Mr. Garcia away on Monday in the example changed
    /// 13 sessions where 5 were his, until a polish with time to spare put the others back.
    var unmetOnly: ObjectiveWeights {
        var weights = self
        let unmet = Set(ObjectiveWeights.unmetByPriority.map(\.1)
                        + [.unplacedLesson, .changedLesson, .changedSeat, .changedTeacher, .changedRoom])
        for term in RuleCatalogue.objectiveTerms where !unmet.contains(term) { weights[term] = 0 }
        return weights
    }
}

/// A timetable's count of each objective term, keyed by catalogue id.
struct ObjectiveTerms: Sendable {
    private(set) var counts: [String: Int] = [:]

    subscript(term: Rule) -> Int {
        get { counts[term.id] ?? 0 }
        set { counts[term.id] = newValue }
    }

    var unmetSessions: Int { ObjectiveWeights.unmetByPriority.reduce(0) { $0 + self[$1.1] } }

    func total(_ weights: ObjectiveWeights) -> Double {
        RuleCatalogue.objectiveTerms.reduce(0) { $0 + weights[$1] * Double(self[$1]) }
    }

    /// As reported in the timetable's `stats.terms`: catalogue id -> count.
    var byId: [String: Double] { counts.mapValues(Double.init) }
}

func orderedUnique<T: Hashable>(_ values: [T]) -> [T] {
    var seen = Set<T>()
    return values.filter { seen.insert($0).inserted }
}
