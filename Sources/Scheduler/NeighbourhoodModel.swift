import IntegerProgram
import Rules
import WeekIndex

/// The part of the week handed to GLPK at once: some days and some activities. Everything outside
/// it stays as it is in the current timetable.
struct Neighbourhood: Sendable, Hashable {
    var days: [Int]
    var activities: [Int]
    /// Class lessons whose placements on these days move with it, each within its own day (so
    /// pieces solved together on other days never change a lesson's days between them).
    var lessons: [Int] = []
    /// A lesson repair's (`LessonRepair.swift`), solved alone: lessons whose placements move to any
    /// start of `days`, not only within their own day, and lessons the search left short, one entry
    /// per session the piece may add.
    var lessonsAcrossDays: [Int] = []
    var placing: [Int] = []
    /// Per activity, the only starts its sessions may take (none given: every start of `days`).
    var starts: [Int: [Int]]? = nil

    func allows(activity a: Int, toStart p: Int) -> Bool {
        starts.map { $0[a]?.contains(p) ?? false } ?? true
    }
}

/// The integer program for re-planning one neighbourhood of a timetable. With one day it is exact:
/// its objective equals the whole timetable's objective once its solution is put back. With several
/// days the same-need-on-consecutive-days term also counts pairs of days both inside the model.
///
/// Sessions are not indexed by group: `x[s,a,p]` says student `s` attends activity `a` at slot `p`,
/// `y[t,a,p]` that teacher `t` leads one of its sessions, `w[a,p,r]` that room `r` hosts one. Parallel
/// sessions of one activity are told apart only when decoding, which removes the symmetry between
/// interchangeable groups; Hall-type accommodation rows keep the decoding feasible. The whole-week
/// model written for other solvers is the exception (`seatsByTeacher`).
struct NeighbourhoodModel {
    let base: Plan
    let hood: Neighbourhood
    let weights: ObjectiveWeights
    var program = IntegerProgram()
    var instance: Instance { base.instance }
    private(set) var xs: [(s: Int, a: Int, p: Int, col: Int)] = []
    private(set) var ys: [(t: Int, a: Int, p: Int, col: Int)] = []
    private(set) var ws: [(a: Int, p: Int, r: Int, col: Int)] = []
    /// `z[k,q,r]`: placement `k` (of lesson `l`, taken out of `base`) starts at `q` in room `r`.
    private(set) var zs: [(k: Int, l: Int, q: Int, r: Int?, col: Int)] = []
    /// The lesson placements the model re-plans, by id in the plan it was cut from.
    let movingLessons: [(id: Int, placed: PlacedLesson)]
    /// Whether the model says which teacher leads which student (`TeacherSeats.swift`): only the
    /// whole-week model written for other solvers, which makes two terms exact there.
    let seatsByTeacher: Bool
    var teacherSeats: [(s: Int, a: Int, p: Int, t: Int, col: Int)] = []
    /// (student, activity, slot) -> her `v` columns by teacher; (teacher, activity, slot) -> `u` by room.
    var seatTeachers: [ColumnKey: [(t: Int, col: Int)]] = [:]
    var teacherRooms: [ColumnKey: [(r: Int, col: Int)]] = [:]
    var continuityColumns: (indicators: [(z: Int, seats: [Int])], overs: [(over: Int, indicators: [Int])]) = ([], [])
    private var x: [ColumnKey: Int] = [:]
    private var y: [ColumnKey: Int] = [:]
    private var w: [ColumnKey: Int] = [:]
    /// Teachers each seat (student, activity, slot) would rather have, for decoding.
    private var affinity: [ColumnKey: [Int]] = [:]
    private var affinityColumns: [(z: Int, seat: Int, leading: [Int])] = []
    private var idleColumns: [(columns: [Int], slots: [Int], busy: (Int) -> [Int], fixed: [Bool], idle: Int)] = []
    private var consecutiveDayColumns: [(z: Int, seats: [Int])] = []
    private var pairPenalties: [(u: Int, columns: [Int])] = []
    private var overTargets: [(over: Int, columns: [(Int, Double)], room: Int)] = []

    /// `base` is the timetable with the neighbourhood's sessions already taken out. Every catalogue
    /// entry adds its own rows (`HardRuleModels.swift`, `ObjectiveModels.swift`).
    init(base: Plan, hood: Neighbourhood, weights: ObjectiveWeights, movingLessons: [(id: Int, placed: PlacedLesson)] = [],
         seatsByTeacher: Bool = false) {
        self.base = base
        self.hood = hood
        self.weights = weights
        self.movingLessons = movingLessons
        self.seatsByTeacher = seatsByTeacher
        addDecisionColumns()
        addLessonColumns()
        if seatsByTeacher { addTeacherSeatColumns() }
        program.objectiveConstant = base.terms.total(weights)
        for entry in ModelRule.all { entry.rows?(&self) }
    }

    var isEmpty: Bool { xs.isEmpty && zs.isEmpty }

    // MARK: decisions

    /// Columns only where every entry's filters allow them given the fixed part, priced by every
    /// entry's costs. An (activity, slot) with too few possible students, no room, or no teacher for a
    /// teacher-led activity could host no session, so it gets no columns at all.
    private mutating func addDecisionColumns() {
        for a in hood.activities {
            let act = instance.activities[a]
            for p in hood.days.flatMap({ instance.slots(ofDay: $0) }) where hood.allows(activity: a, toStart: p) {
                let seated = act.demand.map(\.student).filter { base.canSeat($0, activity: a, slot: p) }
                let teachers = act.qualifiedTeachers.filter { base.teacherFree($0, activity: a, slot: p) }
                let rooms = act.fittingRooms.filter { base.roomFree($0, activity: a, slot: p) }
                guard seated.count >= act.min, !rooms.isEmpty, !act.teacherLed || !teachers.isEmpty else { continue }
                for s in seated {
                    let cost = ModelRule.all.reduce(0.0) { $0 + ($1.seatCost?(self, s, a, p) ?? 0) }
                    let col = program.addBinary("x[\(s),\(a),\(p)]", cost: cost)
                    x[ColumnKey(s, a, p)] = col
                    xs.append((s, a, p, col))
                }
                for t in teachers {
                    let cost = ModelRule.all.reduce(0.0) { $0 + ($1.teacherCost?(self, t, a, p) ?? 0) }
                    let col = program.addBinary("y[\(t),\(a),\(p)]", cost: cost)
                    y[ColumnKey(t, a, p)] = col
                    ys.append((t, a, p, col))
                }
                for r in rooms {
                    let cost = ModelRule.all.reduce(0.0) { $0 + ($1.roomCost?(self, r, a, p) ?? 0) }
                    let col = program.addBinary("w[\(a),\(p),\(r)]", cost: cost)
                    w[ColumnKey(a, p, r)] = col
                    ws.append((a, p, r, col))
                }
            }
        }
    }

    /// Each lesson placement the model decides: the moving ones, then those it may add (`hood.placing`).
    var decidedLessons: [Int] { movingLessons.map(\.placed.lesson) + hood.placing }

    /// Columns for each lesson placement decided: every start of its own day (of the whole
    /// neighbourhood in a repair across days) that the catalogue's lesson entries allow given the
    /// base, in each room free then (one column without a room for a lesson that needs none),
    /// priced by every entry's lesson costs.
    private mutating func addLessonColumns() {
        let acrossDays = Set(hood.lessonsAcrossDays)
        for (k, l) in decidedLessons.enumerated() {
            let days = k >= movingLessons.count || acrossDays.contains(l) ? hood.days : [instance.day(of: movingLessons[k].placed.slot)]
            for q in days.flatMap({ instance.slots(ofDay: $0) }) where base.lessonMayStart(l, at: q) {
                let rooms: [Int?] = instance.lessons[l].needsRoom ? base.freeRooms(lesson: l, at: q) : [nil]
                for r in rooms {
                    let cost = ModelRule.all.reduce(0.0) { $0 + ($1.lessonCost?(self, l, q, r) ?? 0) }
                    zs.append((k, l, q, r, program.addBinary("z[\(k),\(q),\(r ?? -1)]", cost: cost)))
                }
            }
        }
    }

    /// Load limits in blocks: each column weighs the blocks it fills; `room` is what the base leaves.
    mutating func addLoadRows(_ name: String, _ columns: [(key: ColumnKey, length: Int, col: Int)], room: (ColumnKey) -> Int) {
        let length = Dictionary(columns.map { ($0.col, $0.length) }, uniquingKeysWith: { a, _ in a })
        for (key, cols) in grouped(columns.map { ($0.key, $0.col) }) {
            let weighted = cols.map { ($0, Double(length[$0]!)) }
            let limit = room(key)
            if weighted.reduce(0, { $0 + $1.1 }) > Double(limit) {
                program.addRow("\(name) \(key.i)", weighted, upper: Double(limit))
            }
        }
    }

    /// A soft cap per key: `over >= sum(length x column) - room`, `over >= 0`, costing `weight` a
    /// unit. `room(key)` is what is left under the cap outside the model (nil: no cap); it may be
    /// negative, when the load outside is already over, and then every unit inside costs.
    mutating func addOverTargetTerms(_ name: String, _ columns: [(key: ColumnKey, length: Int, col: Int)], weight: Double,
                                     room: (ColumnKey) -> Int?) {
        let length = Dictionary(columns.map { ($0.col, $0.length) }, uniquingKeysWith: { a, _ in a })
        for (key, cols) in grouped(columns.map { ($0.key, $0.col) }) {
            guard let left = room(key) else { continue }
            let weighted = cols.map { ($0, Double(length[$0]!)) }
            guard weighted.reduce(0, { $0 + $1.1 }) > Double(max(0, left)) else { continue }
            let over = program.addContinuous("\(name) \(key.i)", cost: weight)
            program.addRow("\(name) \(key.i)", weighted + [(over, -1)], upper: Double(left))
            overTargets.append((over, weighted, left))
        }
    }

    // MARK: idle terms

    /// One idle term per (person, day) the model's columns touch: `columns` are (person, blocks it
    /// fills, column), `busy` a person's fixed sessions by slot, `idle` her idle blocks on a day as things stand.
    mutating func addIdleTerms(_ term: Rule, who: String, columns: [(person: Int, covered: Range<Int>, col: Int)],
                               busy: (Int) -> [Int], idle: (Int, Int) -> Int) {
        let bySlot = grouped(columns.flatMap { c in c.covered.map { (ColumnKey(c.person, $0), c.col) } })
        for pair in orderedUnique(columns.map { ColumnKey($0.person, instance.day(of: $0.covered.lowerBound)) }) {
            let person = pair.i, day = pair.j
            addIdleTerm(name: "\(who) idle \(person)", weight: weights[term], day: day, row: busy(person),
                        current: idle(person, day)) { p in bySlot[ColumnKey(person, p)] ?? [] }
        }
    }

    /// idle = span - busy, with `first[p]` (a session at or before p) and `last[p]` (at or after p)
    /// pushed to their least values by the minimisation: span = sum(first + last) - blocks.
    private mutating func addIdleTerm(name: String, weight: Double, day: Int, row: [Int], current: Int,
                                      busy: @escaping (Int) -> [Int]) {
        guard weight > 0 else { return }
        let slots = Array(instance.slots(ofDay: day))
        let fixed = slots.map { row[$0] != Plan.free }
        let first = slots.map { program.addContinuous("\(name) first@\($0)", upper: 1) }
        let last = slots.map { program.addContinuous("\(name) last@\($0)", upper: 1) }
        for (i, p) in slots.enumerated() {
            let seat = busy(p).map { ($0, -1.0) }, floor = fixed[i] ? 1.0 : 0.0
            program.addRow("\(name) first", [(first[i], 1)] + seat, lower: floor)
            program.addRow("\(name) last", [(last[i], 1)] + seat, lower: floor)
            if i > 0 { program.addRow("\(name) first grows", [(first[i], 1), (first[i - 1], -1)], lower: 0) }
            if i > 0 { program.addRow("\(name) last shrinks", [(last[i - 1], 1), (last[i], -1)], lower: 0) }
        }
        // The day in the name: a solver that reads the written model by name (OR-Tools) merges columns that share one.
        let idle = program.addContinuous("\(name) on \(day)", cost: weight)
        let allBusy = slots.flatMap(busy).map { ($0, 1.0) }
        program.addRow("\(name) span", [(idle, 1)] + first.map { ($0, -1) } + last.map { ($0, -1) } + allBusy,
                       lower: -Double(slots.count) - Double(fixed.filter { $0 }.count))
        program.objectiveConstant -= weight * Double(current)
        idleColumns.append((first + last, slots, busy, fixed, idle))
    }

    // MARK: affinity terms

    /// A soft wish that student `s` be led by one of `wanted(s, need)`'s teachers: each of her seats
    /// costs the term's weight, and `z <= x`, `z <= sum of y` over those teachers at that activity and
    /// slot earns it back. The model cannot see the groups, so this is a guide: decoding seats her
    /// with such a teacher where it can, and the measure on the decoded timetable decides.
    mutating func addAffinityTerms(_ term: Rule, wanted: (_ s: Int, _ need: Int) -> [Int]?) {
        let weight = weights[term]
        guard weight > 0 else { return }
        for x in xs {
            guard let n = base.needIndex[x.s][x.a], instance.activities[x.a].teacherLed, let teachers = wanted(x.s, n) else { continue }
            let leading = teachers.compactMap { y[ColumnKey($0, x.a, x.p)] }
            program.addCost(weight, to: x.col)
            guard !leading.isEmpty else { continue }
            let z = program.addContinuous("\(term.id) \(x.s)@\(x.a)/\(x.p)", upper: 1, cost: -weight)
            program.addRow("\(term.id) seat", [(z, 1), (x.col, -1)], upper: 0)
            program.addRow("\(term.id) teacher", [(z, 1)] + leading.map { ($0, -1.0) }, upper: 0)
            affinity[ColumnKey(x.s, x.a, x.p), default: []] += teachers
            affinityColumns.append((z, x.col, leading))
        }
    }

    // MARK: consecutive days

    /// Pairs of calendar-consecutive days that are both inside the model: `z >= (seats of the need on
    /// day d) + (seats on the next day) - 1`, each side at most 1 by the once-a-day rule, so the
    /// minimisation makes `z` exactly "the need meets on both days". Neighbours outside the model are
    /// priced on the seats themselves (`ModelRule.sameNeedNextDay`).
    mutating func addConsecutiveDayTerms(_ term: Rule) {
        let weight = weights[term]
        guard weight > 0 else { return }
        let inModel = Set(hood.days)
        let byNeedAndDay = grouped(xs.compactMap { x in
            base.needIndex[x.s][x.a].map { (ColumnKey(x.s, $0, instance.day(of: x.p)), x.col) }
        })
        for (key, seats) in byNeedAndDay {
            guard let next = instance.nextDay[key.k], inModel.contains(next),
                  let following = byNeedAndDay[ColumnKey(key.i, key.j, next)] else { continue }
            let z = program.addContinuous("\(term.id) \(key.i)/\(key.j)@\(key.k)", upper: 1, cost: weight)
            program.addRow("\(term.id)", [(z, 1)] + (seats + following).map { ($0, -1.0) }, lower: -1)
            consecutiveDayColumns.append((z, seats + following))
        }
    }

    /// `u >= sum(columns) - 1` at `weight`: with at most one column of each of two lessons set,
    /// the minimisation makes `u` exactly "both are set".
    mutating func addPairPenalty(_ name: String, _ columns: [Int], weight: Double) {
        let u = program.addContinuous(name, upper: 1, cost: weight)
        program.addRow(name, [(u, -1)] + columns.map { ($0, 1) }, upper: 1)
        pairPenalties.append((u, columns))
    }

    // MARK: start and decoding

    /// Column values that reproduce `sessions` (the neighbourhood's current sessions), or nil when
    /// they do not fit this model, which would be a bug worth knowing about in tests.
    func startValues(for sessions: [PlannedSession]) -> [Double]? {
        var values = Array(repeating: 0.0, count: program.columns.count)
        for session in sessions {
            for s in session.students {
                guard let col = x[ColumnKey(s, session.activity, session.slot)] else { return nil }
                values[col] = 1
            }
            if let t = session.teacher {
                guard let col = y[ColumnKey(t, session.activity, session.slot)] else { return nil }
                values[col] = 1
            }
            guard let col = w[ColumnKey(session.activity, session.slot, session.room)] else { return nil }
            values[col] = 1
        }
        for (k, moving) in movingLessons.enumerated() {
            guard let col = zs.first(where: { $0.k == k && $0.q == moving.placed.slot && $0.r == moving.placed.room })?.col else { return nil }
            values[col] = 1
        }
        guard teacherSeatValues(&values, for: sessions) else { return nil }
        for term in affinityColumns {
            values[term.z] = min(values[term.seat], term.leading.reduce(0) { $0 + values[$1] })
        }
        for term in consecutiveDayColumns {
            values[term.z] = max(0, term.seats.reduce(0) { $0 + values[$1] } - 1)
        }
        for term in pairPenalties {
            values[term.u] = max(0, term.columns.reduce(0) { $0 + values[$1] } - 1)
        }
        for term in overTargets {
            values[term.over] = max(0, term.columns.reduce(0) { $0 + values[$1.0] * $1.1 } - Double(term.room))
        }
        for term in idleColumns {
            let slots = term.slots
            let busy = slots.enumerated().map { i, p in term.fixed[i] || term.busy(p).contains { values[$0] > 0.5 } }
            let n = slots.count
            var span = 0.0
            for i in 0..<n {
                let first = busy[...i].contains(true), last = busy[i...].contains(true)
                values[term.columns[i]] = first ? 1 : 0
                values[term.columns[n + i]] = last ? 1 : 0
                span += (first ? 1 : 0) + (last ? 1 : 0)
            }
            values[term.idle] = max(0, span - Double(n) - Double(busy.filter { $0 }.count))
        }
        return values
    }

    /// Turns a solution into concrete sessions: the students of each (activity, slot) are split over
    /// its rooms so every group respects min, seats and accommodations; teachers pair with rooms.
    /// The model does not see pairings, so the `previous` sessions decide them wherever they still
    /// can: same teacher with the same room and the same students as before (nothing moves for
    /// nothing).
    func decode(_ values: [Double], previous: [PlannedSession] = []) -> [PlannedSession]? {
        var result: [PlannedSession] = []
        for (key, rooms) in groupedRooms() {
            let a = key.i, p = key.j, teacherLed = instance.activities[a].teacherLed
            var open = rooms.filter { values[$0.col] > 0.5 }.map(\.r)
            guard !open.isEmpty else { continue }
            let students = xs.filter { $0.a == a && $0.p == p && values[$0.col] > 0.5 }.map(\.s)
            var teachers = ys.filter { $0.a == a && $0.p == p && values[$0.col] > 0.5 }.map(\.t)
            if teacherLed && teachers.count != open.count { return nil }
            if seatsByTeacher && teacherLed {
                guard let sessions = sessionsByTeacher(values, activity: a, slot: p, students: students, teachers: teachers) else { return nil }
                result += sessions
                continue
            }
            // Previous pairings first, in the order of the open rooms.
            var seeds: [[Int]] = []
            var pairedTeachers: [Int?] = []
            var pairedRooms: [Int] = []
            for old in previous where old.activity == a && old.slot == p && open.contains(old.room)
                && (!teacherLed || old.teacher.map(teachers.contains) == true) {
                open.removeAll { $0 == old.room }
                if let t = old.teacher { teachers.removeAll { $0 == t } }
                pairedRooms.append(old.room)
                pairedTeachers.append(teacherLed ? old.teacher : nil)
                seeds.append(old.students.filter(students.contains))
            }
            pairedRooms += open
            pairedTeachers += teacherLed ? teachers.map { Optional($0) } : open.map { _ in nil }
            seeds += open.map { _ in [] }
            let seeded = Set(seeds.joined())
            guard let groups = splitIntoGroups(students.filter { !seeded.contains($0) }, rooms: pairedRooms, teachers: pairedTeachers,
                                               activity: a, slot: p, seeds: seeds)
            else { return nil }
            for (i, r) in pairedRooms.enumerated() {
                result.append(PlannedSession(activity: a, slot: p, teacher: pairedTeachers[i], room: r, students: groups[i].sorted()))
            }
        }
        return result
    }

    private func splitIntoGroups(_ students: [Int], rooms: [Int], teachers: [Int?], activity a: Int, slot p: Int,
                                 seeds: [[Int]]) -> [[Int]]? {
        let minimum = instance.activities[a].min
        let seats = rooms.map { instance.seats($0, activity: a) }
        /// Whether student `s` may sit in group `i`, beside `others`.
        func fits(_ s: Int, _ i: Int, beside others: [Int] = []) -> Bool {
            base.mayJoin(s, Seating(activity: a, slot: p, teacher: teachers[i], room: rooms[i], others: others))
        }
        var groups = seeds
        let ordered = students.sorted { x, y in
            rooms.indices.filter { fits(x, $0) }.count < rooms.indices.filter { fits(y, $0) }.count
        }
        for s in ordered {
            let wanted = affinity[ColumnKey(s, a, p)] ?? []
            func liked(_ i: Int) -> Bool { teachers[i].map(wanted.contains) ?? false }
            guard let i = rooms.indices.filter({ groups[$0].count < seats[$0] && fits(s, $0, beside: groups[$0]) })
                .min(by: { (liked($0) ? 0 : 1, groups[$0].count) < (liked($1) ? 0 : 1, groups[$1].count) }) else { return nil }
            groups[i].append(s)
        }
        // Top up groups below the modality's minimum from groups that can spare a student.
        for i in groups.indices where groups[i].count < minimum {
            for j in groups.indices where j != i {
                while groups[i].count < minimum, groups[j].count > minimum,
                      let k = groups[j].firstIndex(where: { s in fits(s, i, beside: groups[i]) }) {
                    groups[i].append(groups[j].remove(at: k))
                }
            }
            if groups[i].count < minimum { return nil }
        }
        return groups
    }

    // MARK: helpers

    func groupedRooms() -> [(key: ColumnKey, value: [(a: Int, p: Int, r: Int, col: Int)])] {
        var order: [ColumnKey] = []
        var map: [ColumnKey: [(a: Int, p: Int, r: Int, col: Int)]] = [:]
        for entry in ws {
            let key = ColumnKey(entry.a, entry.p)
            if map[key] == nil { order.append(key) }
            map[key, default: []].append(entry)
        }
        return order.map { ($0, map[$0]!) }
    }

    /// Columns grouped by key, in first-seen order so the model is the same on every run.
    func grouped(_ pairs: [(ColumnKey, Int)]) -> OrderedGroups {
        var groups = OrderedGroups()
        for (key, col) in pairs { groups.append(col, to: key) }
        return groups
    }

    struct OrderedGroups: Sequence {
        private var order: [ColumnKey] = []
        private var map: [ColumnKey: [Int]] = [:]
        mutating func append(_ col: Int, to key: ColumnKey) {
            if map[key] == nil { order.append(key) }
            map[key, default: []].append(col)
        }
        subscript(key: ColumnKey) -> [Int]? { map[key] }
        func makeIterator() -> AnyIterator<(key: ColumnKey, cols: [Int])> {
            var i = 0
            return AnyIterator {
                guard i < order.count else { return nil }
                defer { i += 1 }
                return (order[i], map[order[i]]!)
            }
        }
    }
}

/// Up to three indices naming a column or a group of columns, e.g. (student, slot).
struct ColumnKey: Hashable {
    var i: Int, j: Int, k: Int
    init(_ i: Int, _ j: Int, _ k: Int = 0) { self.i = i; self.j = j; self.k = k }
}
