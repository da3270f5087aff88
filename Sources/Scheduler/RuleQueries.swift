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

    /// The parts a join rule may read that a seating can lack.
    struct Parts: OptionSet, Sendable {
        let rawValue: Int
        static let room = Parts(rawValue: 1)
        static let others = Parts(rawValue: 2)
    }

    /// The same group and teacher in room `r`, once construction or the roll-forward chooses one.
    func inRoom(_ r: Int) -> Seating {
        var seating = self
        seating.room = r
        return seating
    }

    var parts: Parts {
        var parts: Parts = []
        if room != nil { parts.insert(.room) }
        if !others.isEmpty { parts.insert(.others) }
        return parts
    }
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
    func mayJoin(_ s: Int, _ seating: Seating) -> Bool { GroupTest(seating).allows(self, s) }

    /// Of `pool`, those who may each join `seating` on their own, in order.
    func joining(_ pool: [Int], _ seating: Seating) -> [Int] {
        let test = GroupTest(seating)
        return pool.filter { test.allows(self, $0) }
    }

    /// Whether student `s` may join session `id`, all its students but `leaving` staying.
    func mayJoin(_ s: Int, session id: Int, without leaving: Int?) -> Bool {
        var seating = sessions[id]!.seating
        if let leaving { seating.others.removeAll { $0 == leaving } }
        return mayJoin(s, seating)
    }

    /// The first `limit` of `pool`, in order, that may sit in `seating` and with each other.
    func admitting(_ pool: [Int], to seating: Seating, upTo limit: Int) -> [Int] {
        var test = GroupTest(seating)
        for s in pool where test.seating.others.count - seating.others.count < limit && test.allows(self, s) { test.admit(s) }
        return Array(test.seating.others.dropFirst(seating.others.count))
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

/// The join filters of one seating, fetched once: construction asks them for every student of every
/// group it tries, and fetching them per student (an array retained and released each time) cost
/// about as much as the rules themselves.
struct GroupTest {
    private(set) var seating: Seating
    private var filters: [JoinFilter]

    init(_ seating: Seating) {
        self.seating = seating
        filters = ModelRule.joinFiltersByParts[seating.parts.rawValue]
    }

    func allows(_ plan: Plan, _ s: Int) -> Bool {
        for filter in filters where !filter.allows(plan, s, seating) { return false }
        return true
    }

    /// Seats `s` in the group; the filters that read the group now apply.
    mutating func admit(_ s: Int) {
        seating.others.append(s)
        if seating.others.count == 1 { filters = ModelRule.joinFiltersByParts[seating.parts.rawValue] }
    }
}

/// What a move does to the plan. Each objective entry says which of these can change it, so a move
/// is scored only on the terms it can change.
enum PlanChange: Int, Sendable, Hashable, CaseIterable {
    /// A student takes a seat in a session or leaves it.
    case seat
    /// A student changes to another session of the same need.
    case regroup
    /// A session's teacher changes.
    case teacher
    /// A session moves to another slot with its teacher, room and students.
    case slot
    /// A class lesson is placed, removed or moved (its room with it).
    case lesson
}

/// What one share of an objective term belongs to.
enum ShareScope: Int, Sendable, CaseIterable {
    case studentNeed, studentDay, teacherDay, roomDay, lesson, classDay
    /// A teacher's whole week (key 0). Touched with every day of hers a move touches: whatever
    /// changes her day can change her week.
    case teacherWeek

    var description: String {
        ["student and need", "student and day", "teacher and day", "room and day", "lesson", "class and day", "teacher's week"][rawValue]
    }
}

/// An objective term's search code: its count held by one key of `scope` (a student's need, a
/// student's day, a teacher's day, a room's day). Summed over every key it is the term's count on the
/// whole timetable, so a move changes the term by the change in the shares of the keys it touches.
struct TermShare: Sendable {
    let scope: ShareScope
    let changedBy: Set<PlanChange>
    let count: @Sendable (_ plan: Plan, _ who: Int, _ key: Int) -> Int
}

/// The keys of each scope a move touches (no key twice). Arrays by scope, not a dictionary: the
/// comfort moves score thousands of candidate moves a round, and hashing the scope cost a tenth of it.
struct Touched: Sendable {
    struct Key: Hashable, Sendable { let who: Int, key: Int }
    private(set) var keys: [[Key]] = Array(repeating: [], count: ShareScope.allCases.count)

    subscript(scope: ShareScope) -> [Key] { keys[scope.rawValue] }

    mutating func add(_ scope: ShareScope, _ who: Int, _ key: Int) {
        let entry = Key(who: who, key: key)
        if !keys[scope.rawValue].contains(entry) { keys[scope.rawValue].append(entry) }
        if scope == .teacherDay { add(.teacherWeek, who, 0) }
    }

    /// Every key of `other` too.
    mutating func add(_ other: Touched) {
        for scope in ShareScope.allCases { for key in other[scope] { add(scope, key.who, key.key) } }
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

/// The terms one kind of change can move, each with its weight, resolved once: a pass of moves
/// scores thousands of candidates with the same weights.
struct MoveScore: Sendable {
    private let terms: [(share: TermShare, weight: Double)]

    init(_ change: PlanChange, _ weights: ObjectiveWeights) { self.init([change], weights) }

    /// The terms any of `changes` can move, each once: a lesson swapping places with flex sessions
    /// both moves a lesson and moves sessions.
    init(_ changes: [PlanChange], _ weights: ObjectiveWeights) {
        terms = ModelRule.shared.compactMap { entry in
            let weight = weights[entry.rule]
            return weight == 0 || entry.share!.changedBy.isDisjoint(with: changes) ? nil : (entry.share!, weight)
        }
    }

    /// The weighted count of these terms over the keys `touched`: a move's effect on the objective
    /// is this after the move less this before it.
    func cost(_ plan: Plan, _ touched: Touched) -> Double {
        var total = 0.0
        for term in terms {
            var count = 0
            for key in touched[term.share.scope] { count += term.share.count(plan, key.who, key.key) }
            total += term.weight * Double(count)
        }
        return total
    }
}

extension Plan {
    /// Each term's count over the keys `touched`, by catalogue id: the terms `change` can move only.
    func counts(_ touched: Touched, _ change: PlanChange) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: ModelRule.changedBy[change.rawValue].map { entry in
            let share = entry.share!
            return (entry.rule.id, touched[share.scope].reduce(0) { $0 + share.count(self, $1.who, $1.key) })
        })
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
            case .lesson: for l in instance.lessons.indices { sum += share.count(self, l, 0) }
            case .classDay: sum = total(share, people: instance.leafClasses.count)
            case .teacherWeek: for t in instance.teachers.indices { sum += share.count(self, t, 0) }
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
    /// The objective entries each kind of change can move, by `PlanChange.rawValue`.
    static let changedBy: [[ModelRule]] = PlanChange.allCases.map { change in
        shared.filter { $0.share!.changedBy.contains(change) }
    }
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
