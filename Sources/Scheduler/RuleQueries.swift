import Rules
import WeekIndex

/// Where a student would sit: a session as the search forms or changes it, with the students already
/// in it (never her). `room` is nil while construction has chosen the teacher but not yet the room:
/// rules about the room are asked again once it is chosen.
struct Seating: Sendable {
    var activity: Int
    var slot: Int
    var teacher: Int?
    var room: Int?
    var others: [Int]
}

extension PlannedSession {
    /// This session as a place to sit, for a student not in it.
    var seating: Seating { Seating(activity: activity, slot: slot, teacher: teacher, room: room, others: students) }
}

/// Every phase of the search (construction, reseating, comfort moves, roll-forward, decoding GLPK's
/// pieces) asks the hard rules through these, never through a copy of its own: each answer is the
/// catalogue entries' own search code (`ModelRule`) in `HardRuleModels.swift`.
extension Plan {
    /// Whether student `s` could join a session of activity `a` at slot `p`: every seat filter agrees.
    package func canSeat(_ s: Int, activity a: Int, slot p: Int) -> Bool {
        passes(ModelRule.seatFilters, s, a, p)
    }

    /// Whether teacher `t` could lead a session of `a` starting at slot `p`.
    package func teacherFree(_ t: Int, activity a: Int, slot p: Int) -> Bool { passes(ModelRule.teacherFilters, t, a, p) }

    package func roomFree(_ r: Int, activity a: Int, slot p: Int) -> Bool { passes(ModelRule.roomFilters, r, a, p) }

    private func passes(_ filters: [PlanFilter], _ i: Int, _ a: Int, _ p: Int) -> Bool {
        for filter in filters where !filter.allows(self, i, a, p) { return false }
        return true
    }

    /// Whether this group, its teacher and room may have student `s` (the group-level rules: kept
    /// apart, accommodations, a requested teacher, listed once). Whether she is free then is `canSeat`.
    func mayJoin(_ s: Int, _ seating: Seating) -> Bool {
        for filter in ModelRule.joinFilters where !filter.allows(self, s, seating) { return false }
        return true
    }

    /// Whether student `s` may join session `id`, all its students but `leaving` staying.
    func mayJoin(_ s: Int, session id: Int, without leaving: Int?) -> Bool {
        var seating = sessions[id]!.seating
        if let leaving { seating.others.removeAll { $0 == leaving } }
        return mayJoin(s, seating)
    }

    /// The first `limit` of `pool`, in order, that may sit in `seating` and with each other.
    func admitting(_ pool: [Int], to seating: Seating, upTo limit: Int) -> [Int] {
        var group = seating
        for s in pool where group.others.count - seating.others.count < limit && mayJoin(s, group) { group.others.append(s) }
        return Array(group.others.dropFirst(seating.others.count))
    }

    /// The first hard rule that forbids `session` in this plan (which does not hold it), with whom it
    /// concerns; nil when every rule allows it. This is the whole catalogue's test of one session: the
    /// roll-forward keeps a baseline session exactly only when it passes.
    func violation(of session: PlannedSession) -> (rule: Rule, who: String)? {
        let a = session.activity, p = session.slot, act = instance.activities[a], scenario = instance.scenario
        for entry in ModelRule.all {
            if let shapeAllowed = entry.shapeAllowed, !shapeAllowed(self, session) { return (entry.rule, "the session") }
            if let t = session.teacher {
                if let qualifies = entry.teacherQualifies, !qualifies(t, instance.teachers[t], act) { return (entry.rule, scenario.teachers[t].id) }
                if let allowed = entry.teacherAllowed, !allowed(self, t, a, p) { return (entry.rule, scenario.teachers[t].id) }
            }
            let r = session.room, room = scenario.rooms[r].id
            if let qualifies = entry.roomQualifies, !qualifies(instance.rooms[r], act) { return (entry.rule, room) }
            if let allowed = entry.roomAllowed, !allowed(self, r, a, p) { return (entry.rule, room) }
            for (i, s) in session.students.enumerated() {
                if let allowed = entry.seatAllowed, !allowed(self, s, a, p) { return (entry.rule, scenario.students[s].id) }
                var seating = session.seating
                seating.others.remove(at: i)
                if let allowed = entry.joinAllowed, !allowed(self, s, seating) { return (entry.rule, scenario.students[s].id) }
            }
        }
        return nil
    }
}

/// What a move does to the plan. Each objective entry says which of these can change it, so a move
/// is scored only on the terms it can change.
enum PlanChange: Sendable, Hashable, CaseIterable {
    /// A student takes a seat in a session or leaves it.
    case seat
    /// A student changes to another session of the same need.
    case regroup
    /// A session's teacher changes.
    case teacher
    /// A session moves to another slot with its teacher, room and students.
    case slot
}

/// What one share of an objective term belongs to.
enum ShareScope: String, Sendable, CaseIterable {
    case studentNeed = "student and need"
    case studentDay = "student and day"
    case teacherDay = "teacher and day"
    case roomDay = "room and day"
}

/// An objective term's search code: its count held by one key of `scope` (a student's need, a
/// student's day, a teacher's day, a room's day). Summed over every key it is the term's count on the
/// whole timetable, so a move changes the term by the change in the shares of the keys it touches.
struct TermShare: Sendable {
    let scope: ShareScope
    let changedBy: Set<PlanChange>
    let count: @Sendable (_ plan: Plan, _ who: Int, _ key: Int) -> Int
}

/// The keys of each scope a move touches (no key twice).
struct Touched: Sendable {
    struct Key: Hashable, Sendable { let who: Int, key: Int }
    private(set) var keys: [ShareScope: [Key]] = [:]

    mutating func add(_ scope: ShareScope, _ who: Int, _ key: Int) {
        let entry = Key(who: who, key: key)
        if keys[scope]?.contains(entry) != true { keys[scope, default: []].append(entry) }
    }

    /// Every need and every day of student `s`.
    mutating func addStudent(_ s: Int, in instance: Instance) {
        for n in instance.students[s].needs.indices { add(.studentNeed, s, n) }
        for d in 0..<instance.dayCount { add(.studentDay, s, d) }
    }

    /// The whole weeks of `students`: what a change of their seats (`.seat`, `.regroup`) or a
    /// session of theirs moving (`.slot`) can touch on their side.
    static func weeks(of students: [Int], in instance: Instance) -> Touched {
        var touched = Touched()
        for s in students { touched.addStudent(s, in: instance) }
        return touched
    }

    /// A change of teacher of `sessions` (all at one slot, on day `d`) among `teachers`: their
    /// students' needs of those sessions and their day (a baseline seat names its teacher), and
    /// the teachers' day.
    static func teacherChange(of sessions: [PlannedSession], among teachers: [Int], day d: Int, in plan: Plan) -> Touched {
        var touched = Touched()
        for session in sessions {
            for s in session.students {
                touched.add(.studentNeed, s, plan.needIndex[s][session.activity]!)
                touched.add(.studentDay, s, d)
            }
        }
        for t in teachers { touched.add(.teacherDay, t, d) }
        return touched
    }

    /// One day of a session's teacher and room: their side of moving it to or from that day.
    static func staffDay(teacher: Int?, room: Int, day d: Int) -> Touched {
        var touched = Touched()
        if let teacher { touched.add(.teacherDay, teacher, d) }
        touched.add(.roomDay, room, d)
        return touched
    }
}

extension Plan {
    /// The weighted count of the terms `change` can move, over the keys `touched`: a move's effect on
    /// the objective is this after the move less this before it.
    func cost(_ touched: Touched, _ change: PlanChange, _ weights: ObjectiveWeights) -> Double {
        var total = 0.0
        for entry in ModelRule.changedBy[change] ?? [] {
            let weight = weights[entry.rule]
            if weight != 0 { total += weight * Double(count(entry.share!, over: touched)) }
        }
        return total
    }

    /// Each term's count over the keys `touched`, by catalogue id: the terms `change` can move only.
    func counts(_ touched: Touched, _ change: PlanChange) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: (ModelRule.changedBy[change] ?? []).map { ($0.rule.id, count($0.share!, over: touched)) })
    }

    private func count(_ share: TermShare, over touched: Touched) -> Int {
        var sum = 0
        for key in touched.keys[share.scope] ?? [] { sum += share.count(self, key.who, key.key) }
        return sum
    }

    /// Each objective term on the whole timetable: its shares over every key.
    var terms: ObjectiveTerms {
        var terms = ObjectiveTerms()
        for entry in ModelRule.shared {
            let share = entry.share!
            var sum = 0
            switch share.scope {
            case .studentNeed:
                for (s, info) in instance.students.enumerated() { for n in info.needs.indices { sum += share.count(self, s, n) } }
            case .studentDay: sum = total(share, people: instance.students.count)
            case .teacherDay: sum = total(share, people: instance.teachers.count)
            case .roomDay: sum = total(share, people: instance.rooms.count)
            }
            terms[entry.rule] = sum
        }
        return terms
    }

    private func total(_ share: TermShare, people: Int) -> Int {
        var sum = 0
        for who in 0..<people { for d in 0..<instance.dayCount { sum += share.count(self, who, d) } }
        return sum
    }
}

extension ModelRule {
    /// The objective entries each kind of change can move.
    static let changedBy: [PlanChange: [ModelRule]] = Dictionary(uniqueKeysWithValues: PlanChange.allCases.map { change in
        (change, shared.filter { $0.share!.changedBy.contains(change) })
    })
}

/// Which of a rule's filters to ask.
package enum FilterSide: Sendable { case seat, teacher, room }

extension Plan {
    /// The hard rules whose filter refuses one of `who` (students, teachers or rooms) for a session of
    /// `a` at one of `slots` where it could start, in catalogue order: what binds when a need is left
    /// short there, as an unmet reason names it.
    package func refusingRules(_ side: FilterSide, _ who: [Int], activity a: Int, slots: [Int]) -> [Rule] {
        let starts = slots.filter { instance.activities[a].canStart[$0] }
        return ModelRule.all.filter { entry in
            let filter: (@Sendable (Plan, Int, Int, Int) -> Bool)?
            switch side {
            case .seat: filter = entry.seatAllowed
            case .teacher: filter = entry.teacherAllowed
            case .room: filter = entry.roomAllowed
            }
            guard let filter else { return false }
            return who.contains { w in starts.contains { !filter(self, w, a, $0) } }
        }.map(\.rule)
    }
}
