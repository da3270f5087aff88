import Diagnosis
import Rules
import ScenarioKit
import Scheduler
import TimetableFormat
import WeekIndex

/// Every need the timetable leaves short, with a plain-language reason. A pre-solve finding that
/// proves the shortfall comes first (it holds for every timetable); otherwise the reason is read off
/// the resources around the need in this timetable (what was free when the student was), always with
/// the remaining capacity of the subject's teachers. The missing counts are recounted from the
/// sessions, whatever the timetable's own unmet list says.
/// `findings` is the scenario's diagnosis if the caller has it already; otherwise it is run here.
public func explainUnmet(_ timetable: Timetable, scenario: ValidatedScenario, findings known: [Finding]? = nil) -> [Timetable.Unmet] {
    let instance = Instance(scenario)
    let plan = Plan(rebuilding: timetable, instance)
    let short = instance.students.indices.contains { s in
        instance.students[s].needs.indices.contains { plan.done[s][$0] < instance.students[s].needs[$0].sessions }
    }
    let findings = short ? known ?? diagnose(scenario) : []
    var explainer = ShortfallExplainer(plan: plan)
    var result: [Timetable.Unmet] = []
    for (s, info) in instance.students.enumerated() {
        for (n, need) in info.needs.enumerated() where plan.done[s][n] < need.sessions {
            let missing = need.sessions - plan.done[s][n]
            let act = instance.activities[need.activity], id = instance.scenario.students[s].id
            var (cause, reason, rules) = explainer.explain(student: s, activity: need.activity)
            if let proof = findings.first(where: { $0.covers(student: id, subject: act.subject, modality: act.modality) }) {
                cause = proof.cause
                reason = "proven before solving: \(proof.message). In this timetable: \(reason)"
                // The proof's rules, narrowed to those that refuse here when any do.
                let proven = ShortfallCause.rules(for: cause), here = proven.filter(rules.contains)
                rules = here.isEmpty ? proven : here
            }
            if rules.isEmpty { rules = [RuleCatalogue.unmet(need.priority.rawValue)] }
            result.append(Timetable.Unmet(student: id, subject: act.subject, modality: act.modality,
                                          missing: missing, priority: need.priority, reason: reason, cause: cause,
                                          rules: rules.map(\.id)))
        }
    }
    return result
}

private extension Finding {
    /// Whether this finding's proof is about that need ("*" stands for every student or every need).
    func covers(student: String, subject: String, modality: String) -> Bool {
        shortfalls.contains {
            ($0.student == "*" || $0.student == student) && ($0.subject == "*" || $0.subject == subject)
                && ($0.modality == "*" || $0.modality == modality)
        }
    }
}

/// Reads the reasons off one timetable. What is the same for every need of an activity (the subject
/// teachers' capacity, how many of its students are free together in a block) is counted once: a
/// large week cut short by its time limit can leave thousands of needs to explain.
private struct ShortfallExplainer {
    let plan: Plan
    private var capacityText: [Int: String] = [:]
    private var seatable: [ColumnPair: Int] = [:]

    init(plan: Plan) { self.plan = plan }

    /// The cause, its reason in words, and the rules that bind: those whose filters refuse the
    /// people or rooms the reason names, else the cause's own (`ShortfallCause`).
    mutating func explain(student s: Int, activity a: Int) -> (String, String, [Rule]) {
        let (cause, reason) = firstReason(student: s, activity: a)
        let rules = binding(cause, student: s, activity: a)
        guard plan.instance.activities[a].teacherLed, cause != "no-teacher" else { return (cause, reason, rules) }
        return (cause, reason + "; " + teacherCapacity(activity: a), rules)
    }

    private func binding(_ cause: String, student s: Int, activity a: Int) -> [Rule] {
        let instance = plan.instance, act = instance.activities[a], all = Array(0..<instance.slotCount)
        let found: [Rule]
        switch cause {
        case "requested-teacher-busy":
            found = [.requestedTeacher] + plan.refusingRules(.teacher, plan.requestedTeacher(student: s, activity: a).map { [$0] } ?? [], activity: a, slots: all)
        case "no-double-block": found = [.sessionLength] + plan.refusingRules(.seat, [s], activity: a, slots: all)
        case "student-fully-booked": found = plan.refusingRules(.seat, [s], activity: a, slots: all)
        case "no-free-teacher": found = plan.refusingRules(.teacher, act.qualifiedTeachers, activity: a, slots: all)
        case "no-free-room":
            found = plan.refusingRules(.room, act.fittingRooms, activity: a, slots: all) + (act.roomFeatures.isEmpty ? [] : [.roomFeatures])
                + (instance.students[s].requires.isEmpty ? [] : [.accommodations])
        default: found = []
        }
        return found.isEmpty ? ShortfallCause.rules(for: cause) : found.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

    /// "the math teachers (Ms. Lee, Mr. Kim) have 3 free blocks left this week": the capacity an admin
    /// looks at first, added to every reason for a teacher-led need.
    private mutating func teacherCapacity(activity a: Int) -> String {
        if let known = capacityText[a] { return known }
        let instance = plan.instance, act = instance.activities[a]
        let free = act.qualifiedTeachers.reduce(0) { sum, t in
            let open = (0..<instance.slotCount).filter { plan.teacherFree(t, activity: a, slot: $0) }.count
            return sum + min(open, instance.teachers[t].maxPerWeek - plan.teacherWeekLoad[t])
        }
        let teachers = act.qualifiedTeachers.map { instance.scenario.teachers[$0] }
        let names = teachers.map(\.name).joined(separator: ", ")
        let text: String
        // One limit that every one of several teachers has reached is the whole story, said once.
        if teachers.count > 1, let limit = teachers[0].maxPerWeek, teachers.allSatisfy({ $0.maxPerWeek == limit }),
           act.qualifiedTeachers.allSatisfy({ plan.teacherWeekLoad[$0] >= limit }) {
            text = "all \(teachers.count) \(act.subject) teachers (\(names)) are at max-per-week \(limit): \(free) free block(s) left this week"
        } else {
            let limits = act.qualifiedTeachers.compactMap(limitReached)
            text = "the \(act.subject) teachers (\(names)) have \(free) free block(s) left this week"
                + (limits.isEmpty ? "" : " (\(limits.joined(separator: "; ")))")
        }
        capacityText[a] = text
        return text
    }

    /// The load limit a teacher has hit, which is what an admin would change: "Mr. Kim: max-per-week 8
    /// reached", or the days on which the daily limit is reached.
    private func limitReached(_ t: Int) -> String? {
        let teacher = plan.instance.scenario.teachers[t]
        if let limit = teacher.maxPerWeek, plan.teacherWeekLoad[t] >= limit { return "\(teacher.name): max-per-week \(limit) reached" }
        guard let limit = teacher.maxPerDay else { return nil }
        let full = (0..<plan.instance.dayCount).filter { plan.teacherDayLoad[t][$0] >= limit }
        return full.isEmpty ? nil : "\(teacher.name): max-per-day \(limit) reached on \(dayNames(full))"
    }

    /// "Mon, Tue": the days of some slots or day indices, in the scenario's order.
    private func dayNames(_ days: [Int]) -> String {
        Set(days).sorted().map { plan.instance.scenario.days[$0].rawValue.capitalized }.joined(separator: ", ")
    }

    private func daysOf(_ slots: [Int]) -> String { dayNames(slots.map { plan.instance.day(of: $0) }) }

    /// Students needing `a` who could take a seat of it at `p`.
    private mutating func seatableCount(activity a: Int, slot p: Int) -> Int {
        let key = ColumnPair(activity: a, slot: p)
        if let known = seatable[key] { return known }
        let count = plan.instance.activities[a].demand.count { plan.canSeat($0.student, activity: a, slot: p) }
        seatable[key] = count
        return count
    }

    private mutating func firstReason(student s: Int, activity a: Int) -> (String, String) {
        let instance = plan.instance, scenario = instance.scenario
        let act = instance.activities[a], student = scenario.students[s]
        let who = student.name, what = "\(act.subject) \(act.modality)"
        if let t = plan.requestedTeacher(student: s, activity: a) {
            let open = (0..<instance.slotCount).filter { p in
                act.canStart[p] && instance.covered(a, from: p).allSatisfy { instance.students[s].available[$0] && plan.studentAt[s][$0] == Plan.free }
            }
            if !open.isEmpty, !open.contains(where: { plan.teacherFree(t, activity: a, slot: $0) }) {
                let teacher = scenario.teachers[t]
                let limit = limitReached(t).map { " (\($0))" } ?? ""
                return ("requested-teacher-busy", "\(who)'s plan asks for \(teacher.name), who is not free in any of the \(open.count) blocks when \(who) is free (\(daysOf(open)))\(limit)")
            }
        }
        let daysLeft = (0..<instance.dayCount).filter { d in instance.slots(ofDay: d).contains { plan.canSeat(s, activity: a, slot: $0) } }
        if daysLeft.isEmpty, act.length > 1, let single = freeSingleBlocks(student: s, activity: a), !single.isEmpty {
            return ("no-double-block", "\(what) takes \(act.length) blocks in a row without a break, and \(who) has no such run free on a day without it (\(single.count) single free block(s) on \(daysOf(single)))")
        }
        if daysLeft.isEmpty, let fixed = fixedSessionsInTheWay(student: s, activity: a), !fixed.isEmpty {
            return ("fixed-sessions", "\(who)'s free blocks on days without \(what) are taken by fixed sessions (\(fixed.joined(separator: "; ")))")
        }
        if daysLeft.isEmpty {
            return ("student-fully-booked", "\(who) has no free block left on a day without \(what) (availability, max-per-day and other sessions)")
        }
        if act.teacherLed, act.qualifiedTeachers.isEmpty {
            return ("no-teacher", "no teacher teaches \(act.subject), so it has 0 free block(s) left this week")
        }
        let free = daysLeft.flatMap { instance.slots(ofDay: $0) }.filter { plan.canSeat(s, activity: a, slot: $0) }
        if act.teacherLed, !free.contains(where: { p in act.qualifiedTeachers.contains { plan.teacherFree($0, activity: a, slot: p) } }) {
            return ("no-free-teacher", "no \(act.subject) teacher is free in any of the \(free.count) blocks when \(who) is free (\(daysOf(free)))")
        }
        let fitting = free.filter { p in act.fittingRooms.contains { plan.roomFree($0, activity: a, slot: p) && instance.roomFits($0, activity: a, student: s) } }
        if fitting.isEmpty {
            let needs = act.roomFeatures.union(instance.students[s].requires).sorted()
            return ("no-free-room", "no room with [\(needs.joined(separator: ", "))] is free in the \(free.count) blocks when \(who) is free (\(daysOf(free)))")
        }
        if act.min > 1 {
            // She can take a seat in each of these blocks, so the count includes her.
            let best = fitting.map { seatableCount(activity: a, slot: $0) }.max() ?? 1
            if best < act.min, let band = act.band, let spread = scenario.modality(act.modality)?.levelSpread {
                return ("level-group-too-small", "at most \(best) student(s) at levels \(band)-\(band + spread) needing \(what) are free together with \(who), fewer than its minimum of \(act.min)")
            }
            // Students she is kept apart from count in `best` but can never be in her group.
            let apart = instance.students[s].apart
            let bestApart = fitting.map { p in seatableCount(activity: a, slot: p) - apart.count { plan.canSeat($0, activity: a, slot: p) } }.max() ?? 1
            if best >= act.min, bestApart < act.min {
                let names = apart.map { scenario.students[$0].name }.joined(separator: ", ")
                return ("kept-apart", "\(who) must be kept apart from \(names); without them at most \(bestApart) student(s) needing \(what) are free together with \(who), fewer than its minimum of \(act.min)")
            }
            if best < act.min {
                return ("group-too-small", "at most \(best) student(s) needing \(what) are free together with \(who), fewer than its minimum of \(act.min)")
            }
        }
        return ("capacity", "\(who)'s free blocks (\(fitting.count) with a teacher and room free) were used for other sessions; the search found no better arrangement in its time limit")
    }
}

private struct ColumnPair: Hashable { var activity: Int, slot: Int }

extension ShortfallExplainer {
    /// The fixed sessions (title, day) holding the blocks she would otherwise have free for `a` on days
    /// without it; empty when fixed sessions are not what stands in the way.
    fileprivate func fixedSessionsInTheWay(student s: Int, activity a: Int) -> [String]? {
        let instance = plan.instance, scenario = instance.scenario
        guard let n = plan.needIndex[s][a] else { return nil }
        let blocked = (0..<instance.slotCount).filter { p in
            plan.needDays[s][n] & (1 << UInt64(instance.day(of: p))) == 0 && instance.students[s].available[p]
                && plan.studentAt[s][p] == Plan.fixedSession
        }
        let id = scenario.students[s].id
        return scenario.fixed.filter { session in
            scenario.attendees(of: session).contains(id) && blocked.contains { p in
                scenario.days[instance.day(of: p)] == session.day
                    && (scenario.blockRun(from: session.block, length: session.length) ?? []).contains { $0.id == instance.blockId(of: p) }
            }
        }.map { "\($0.title) on \($0.day.rawValue.capitalized)" }
    }

    /// Blocks on days without the need where she alone is free and could sit a one-block session: what
    /// a multi-block need would have if it fitted in one block.
    fileprivate func freeSingleBlocks(student s: Int, activity a: Int) -> [Int]? {
        let instance = plan.instance
        guard let n = plan.needIndex[s][a] else { return nil }
        return (0..<instance.slotCount).filter { p in
            plan.needDays[s][n] & (1 << UInt64(instance.day(of: p))) == 0 && instance.students[s].available[p]
                && plan.studentAt[s][p] == Plan.free
                && plan.studentDayLoad[s][instance.day(of: p)] < instance.students[s].maxPerDay
        }
    }
}
