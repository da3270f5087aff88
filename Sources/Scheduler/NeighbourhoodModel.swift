import IntegerProgram

/// The part of the week handed to GLPK at once: some days and some activities. Everything outside
/// it stays as it is in the current timetable.
struct Neighbourhood: Sendable, Hashable {
    var days: [Int]
    var activities: [Int]
}

/// The integer program for re-planning one neighbourhood of a timetable. With one day it is exact:
/// its objective equals the whole timetable's objective once its solution is put back. With several
/// days the same-need-on-consecutive-days term only counts fixed neighbours, so it never overstates.
///
/// Sessions are not indexed by group: `x[s,a,p]` says student `s` attends activity `a` at slot `p`,
/// `y[t,a,p]` that teacher `t` leads one of its sessions, `w[a,p,r]` that room `r` hosts one. Parallel
/// sessions of one activity are told apart only when decoding, which removes the symmetry between
/// interchangeable groups; Hall-type accommodation rows keep the decoding feasible.
struct NeighbourhoodModel {
    fileprivate struct Key: Hashable { var i: Int, j: Int, k: Int }

    let base: Plan
    let hood: Neighbourhood
    let weights: ObjectiveWeights
    private(set) var program = IntegerProgram()
    private var instance: Instance { base.instance }
    private var x: [Key: Int] = [:]
    private var xs: [(s: Int, a: Int, p: Int, col: Int)] = []
    private var y: [Key: Int] = [:]
    private var ys: [(t: Int, a: Int, p: Int, col: Int)] = []
    private var ws: [(a: Int, p: Int, r: Int, col: Int)] = []
    private var w: [Key: Int] = [:]
    private var idleColumns: [(columns: [Int], slots: [Int], busy: (Int) -> [Int], fixed: [Bool], idle: Int)] = []

    /// `base` is the timetable with the neighbourhood's sessions already taken out.
    init(base: Plan, hood: Neighbourhood, weights: ObjectiveWeights) {
        self.base = base
        self.hood = hood
        self.weights = weights
        addDecisionColumns()
        studentOneSessionPerBlock()
        studentDailyLimit()
        needAtMostOncePerDay()
        needNeverOverServed()
        teacherOneSessionPerBlock()
        teacherLoadLimits()
        roomOneSessionPerBlock()
        everyTeacherLedSessionHasATeacher()
        groupSizeWithinModalityAndRoom()
        accommodationsHonoured()
        program.objectiveConstant = base.terms.total(weights)
        studentIdleBlocks()
        teacherIdleBlocks()
    }

    var isEmpty: Bool { xs.isEmpty }

    // MARK: decisions

    /// Columns only where the rule checks of the fixed part already allow them.
    private mutating func addDecisionColumns() {
        let lastBlock = instance.blocksPerDay - 1
        for a in hood.activities {
            let act = instance.activities[a]
            for p in hood.days.flatMap({ instance.slots(ofDay: $0) }) {
                let seated = act.demand.map(\.student).filter { base.canSeat($0, activity: a, slot: p) }
                let teachers = act.qualifiedTeachers.filter { base.teacherFree($0, slot: p) }
                let rooms = act.fittingRooms.filter { base.roomFree($0, slot: p) }
                guard seated.count >= act.min, !rooms.isEmpty, !act.teacherLed || !teachers.isEmpty else { continue }
                for s in seated {
                    // unmet demand: every seat taken removes one unmet session
                    var cost = -weights.unmetSession
                    if instance.block(of: p) == lastBlock { cost += weights.lateBlock }
                    cost += weights.sameNeedNextDay * Double(neighbouringDaysWithNeed(s, activity: a, slot: p))
                    // changed assignment: keeping a baseline seat saves its change cost
                    // (the model cannot see which parallel group she lands in; the true objective,
                    // which decides acceptance, also asks for the same teacher and room)
                    if base.baseline.assignments[.init(student: s, activity: a, slot: p)] != nil { cost -= weights.changedAssignment }
                    let col = program.addBinary("x[\(s),\(a),\(p)]", cost: cost)
                    x[Key(i: s, j: a, k: p)] = col
                    xs.append((s, a, p, col))
                }
                for t in teachers {
                    let kept = base.baseline.teachers.contains(.init(activity: a, slot: p, resource: t))
                    let col = program.addBinary("y[\(t),\(a),\(p)]", cost: kept ? -weights.changedTeacher : 0)
                    y[Key(i: t, j: a, k: p)] = col
                    ys.append((t, a, p, col))
                }
                for r in rooms {
                    let kept = base.baseline.rooms.contains(.init(activity: a, slot: p, resource: r))
                    let col = program.addBinary("w[\(a),\(p),\(r)]", cost: kept ? -weights.changedRoom : 0)
                    w[Key(i: a, j: p, k: r)] = col
                    ws.append((a, p, r, col))
                }
            }
        }
    }

    private func neighbouringDaysWithNeed(_ s: Int, activity a: Int, slot p: Int) -> Int {
        guard let n = base.needIndex[s][a] else { return 0 }
        let days = base.needDays[s][n], d = instance.day(of: p), mask = instance.nextDayMask
        var count = 0
        if d > 0, mask & (1 << UInt64(d - 1)) != 0, days & (1 << UInt64(d - 1)) != 0 { count += 1 }
        if mask & (1 << UInt64(d)) != 0, days & (1 << UInt64(d + 1)) != 0 { count += 1 }
        return count
    }

    // MARK: rules

    /// student double-booked: at most one session per block.
    private mutating func studentOneSessionPerBlock() {
        for (key, cols) in grouped(xs.map { (Key(i: $0.s, j: $0.p, k: 0), $0.col) }) where cols.count > 1 {
            program.addRow("student double-booked \(key.i)@\(key.j)", cols.map { ($0, 1) }, upper: 1)
        }
    }

    /// student over daily limit: `max-per-day` counts fixed sessions too.
    private mutating func studentDailyLimit() {
        for (key, cols) in grouped(xs.map { (Key(i: $0.s, j: instance.day(of: $0.p), k: 0), $0.col) }) {
            let room = instance.students[key.i].maxPerDay - base.studentDayLoad[key.i][key.j]
            if cols.count > room { program.addRow("student over daily limit \(key.i)", cols.map { ($0, 1) }, upper: Double(room)) }
        }
    }

    /// need twice in a day: one session of a (subject, modality) need per day.
    private mutating func needAtMostOncePerDay() {
        for (key, cols) in grouped(xs.map { (Key(i: $0.s, j: $0.a, k: instance.day(of: $0.p)), $0.col) }) where cols.count > 1 {
            program.addRow("need twice in a day \(key.i)/\(key.j)", cols.map { ($0, 1) }, upper: 1)
        }
    }

    /// need over-served: never more sessions than the plan asks for.
    private mutating func needNeverOverServed() {
        for (key, cols) in grouped(xs.map { (Key(i: $0.s, j: $0.a, k: 0), $0.col) }) {
            let remaining = base.remaining(student: key.i, activity: key.j)
            if cols.count > remaining { program.addRow("need over-served \(key.i)/\(key.j)", cols.map { ($0, 1) }, upper: Double(remaining)) }
        }
    }

    /// teacher double-booked: at most one session per block.
    private mutating func teacherOneSessionPerBlock() {
        for (key, cols) in grouped(ys.map { (Key(i: $0.t, j: $0.p, k: 0), $0.col) }) where cols.count > 1 {
            program.addRow("teacher double-booked \(key.i)@\(key.j)", cols.map { ($0, 1) }, upper: 1)
        }
    }

    /// teacher over load: `max-per-day` and `max-per-week`, fixed sessions included.
    private mutating func teacherLoadLimits() {
        for (key, cols) in grouped(ys.map { (Key(i: $0.t, j: instance.day(of: $0.p), k: 0), $0.col) }) {
            let room = instance.teachers[key.i].maxPerDay - base.teacherDayLoad[key.i][key.j]
            if cols.count > room { program.addRow("teacher over daily load \(key.i)", cols.map { ($0, 1) }, upper: Double(room)) }
        }
        for (key, cols) in grouped(ys.map { (Key(i: $0.t, j: 0, k: 0), $0.col) }) {
            let room = instance.teachers[key.i].maxPerWeek - base.teacherWeekLoad[key.i]
            if cols.count > room { program.addRow("teacher over weekly load \(key.i)", cols.map { ($0, 1) }, upper: Double(room)) }
        }
    }

    /// room double-booked: one session per room and block.
    private mutating func roomOneSessionPerBlock() {
        for (key, cols) in grouped(ws.map { (Key(i: $0.r, j: $0.p, k: 0), $0.col) }) where cols.count > 1 {
            program.addRow("room double-booked \(key.i)@\(key.j)", cols.map { ($0, 1) }, upper: 1)
        }
    }

    /// session without teacher: a teacher-led activity has as many teachers as rooms at a slot.
    private mutating func everyTeacherLedSessionHasATeacher() {
        for (key, rooms) in grouped(ws.map { (Key(i: $0.a, j: $0.p, k: 0), $0.col) }) where instance.activities[key.i].teacherLed {
            let teachers = ys.filter { $0.a == key.i && $0.p == key.j }.map { ($0.col, 1.0) }
            program.addRow("session without teacher \(key.i)@\(key.j)", teachers + rooms.map { ($0, -1.0) }, lower: 0, upper: 0)
        }
    }

    /// group too small / too large: min..max of the modality and the seats of the rooms used.
    private mutating func groupSizeWithinModalityAndRoom() {
        let students = grouped(xs.map { (Key(i: $0.a, j: $0.p, k: 0), $0.col) })
        for (key, rooms) in groupedRooms() {
            let act = instance.activities[key.i]
            let seated = (students[key] ?? []).map { ($0, 1.0) }
            program.addRow("group too small \(key.i)@\(key.j)", seated + rooms.map { ($0.col, -Double(act.min)) }, lower: 0)
            program.addRow("group too large \(key.i)@\(key.j)",
                           seated + rooms.map { ($0.col, -Double(instance.seats($0.r, activity: key.i))) }, upper: 0)
        }
    }

    /// room lacks required feature: students who require features fit in the rooms that have them
    /// (Hall's condition for each requirement profile present).
    private mutating func accommodationsHonoured() {
        for (key, rooms) in groupedRooms() {
            let here = xs.filter { $0.a == key.i && $0.p == key.j }
            let profiles = Set(here.map { instance.students[$0.s].requires }).filter { !$0.isEmpty }
            for profile in profiles.sorted(by: { $0.sorted().lexicographicallyPrecedes($1.sorted()) }) {
                let needing = here.filter { profile.isSubset(of: instance.students[$0.s].requires) }.map { ($0.col, 1.0) }
                let fitting = rooms.filter { profile.isSubset(of: instance.rooms[$0.r].features) }
                    .map { ($0.col, -Double(instance.seats($0.r, activity: key.i))) }
                program.addRow("room lacks required feature \(key.i)@\(key.j)", needing + fitting, upper: 0)
            }
        }
    }

    // MARK: quality terms

    /// student idle blocks between sessions on this day.
    private mutating func studentIdleBlocks() {
        let bySlot = grouped(xs.map { (Key(i: $0.s, j: $0.p, k: 0), $0.col) })
        for (s, d) in orderedUnique(xs.map { Pair(a: $0.s, b: instance.day(of: $0.p)) }).map({ ($0.a, $0.b) }) {
            addIdleTerm(name: "student idle \(s)", weight: weights.studentIdleBlock, day: d, row: base.studentAt[s],
                        current: base.studentIdle(s, day: d)) { p in bySlot[Key(i: s, j: p, k: 0)] ?? [] }
        }
    }

    /// teacher idle blocks between sessions on this day.
    private mutating func teacherIdleBlocks() {
        let bySlot = grouped(ys.map { (Key(i: $0.t, j: $0.p, k: 0), $0.col) })
        for (t, d) in orderedUnique(ys.map { Pair(a: $0.t, b: instance.day(of: $0.p)) }).map({ ($0.a, $0.b) }) {
            addIdleTerm(name: "teacher idle \(t)", weight: weights.teacherIdleBlock, day: d, row: base.teacherAt[t],
                        current: base.teacherIdle(t, day: d)) { p in bySlot[Key(i: t, j: p, k: 0)] ?? [] }
        }
    }

    /// idle = span - busy, with `first[p]` (a session at or before p) and `last[p]` (at or after p)
    /// pushed to their least values by the minimisation: span = sum(first + last) - blocks.
    private mutating func addIdleTerm(name: String, weight: Double, day: Int, row: [Int], current: Int,
                                      busy: @escaping (Int) -> [Int]) {
        guard weight > 0 else { return }
        let slots = Array(instance.slots(ofDay: day))
        let fixed = slots.map { row[$0] >= 0 }
        let first = slots.map { program.addContinuous("\(name) first@\($0)", upper: 1) }
        let last = slots.map { program.addContinuous("\(name) last@\($0)", upper: 1) }
        for (i, p) in slots.enumerated() {
            let seat = busy(p).map { ($0, -1.0) }, floor = fixed[i] ? 1.0 : 0.0
            program.addRow("\(name) first", [(first[i], 1)] + seat, lower: floor)
            program.addRow("\(name) last", [(last[i], 1)] + seat, lower: floor)
            if i > 0 { program.addRow("\(name) first grows", [(first[i], 1), (first[i - 1], -1)], lower: 0) }
            if i > 0 { program.addRow("\(name) last shrinks", [(last[i - 1], 1), (last[i], -1)], lower: 0) }
        }
        let idle = program.addContinuous("\(name)", cost: weight)
        let allBusy = slots.flatMap(busy).map { ($0, 1.0) }
        program.addRow("\(name) span", [(idle, 1)] + first.map { ($0, -1) } + last.map { ($0, -1) } + allBusy,
                       lower: -Double(slots.count) - Double(fixed.filter { $0 }.count))
        program.objectiveConstant -= weight * Double(current)
        idleColumns.append((first + last, slots, busy, fixed, idle))
    }

    // MARK: start and decoding

    /// Column values that reproduce `sessions` (the neighbourhood's current sessions), or nil when
    /// they do not fit this model, which would be a bug worth knowing about in tests.
    func startValues(for sessions: [PlannedSession]) -> [Double]? {
        var values = Array(repeating: 0.0, count: program.columns.count)
        for session in sessions {
            for s in session.students {
                guard let col = x[Key(i: s, j: session.activity, k: session.slot)] else { return nil }
                values[col] = 1
            }
            if let t = session.teacher {
                guard let col = y[Key(i: t, j: session.activity, k: session.slot)] else { return nil }
                values[col] = 1
            }
            guard let col = w[Key(i: session.activity, j: session.slot, k: session.room)] else { return nil }
            values[col] = 1
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
            guard let groups = splitIntoGroups(students.filter { !seeded.contains($0) }, rooms: pairedRooms, activity: a, seeds: seeds)
            else { return nil }
            for (i, r) in pairedRooms.enumerated() {
                result.append(PlannedSession(activity: a, slot: p, teacher: pairedTeachers[i], room: r, students: groups[i].sorted()))
            }
        }
        return result
    }

    private func splitIntoGroups(_ students: [Int], rooms: [Int], activity a: Int, seeds: [[Int]]) -> [[Int]]? {
        let minimum = instance.activities[a].min
        let seats = rooms.map { instance.seats($0, activity: a) }
        func fits(_ s: Int, _ i: Int) -> Bool { instance.roomFits(rooms[i], activity: a, student: s) }
        var groups = seeds
        let ordered = students.sorted { x, y in
            rooms.indices.filter { fits(x, $0) }.count < rooms.indices.filter { fits(y, $0) }.count
        }
        for s in ordered {
            guard let i = rooms.indices.filter({ fits(s, $0) && groups[$0].count < seats[$0] })
                .min(by: { groups[$0].count < groups[$1].count }) else { return nil }
            groups[i].append(s)
        }
        // Top up groups below the modality's minimum from groups that can spare a student.
        for i in groups.indices where groups[i].count < minimum {
            for j in groups.indices where j != i {
                while groups[i].count < minimum, groups[j].count > minimum,
                      let k = groups[j].firstIndex(where: { fits($0, i) }) {
                    groups[i].append(groups[j].remove(at: k))
                }
            }
            if groups[i].count < minimum { return nil }
        }
        return groups
    }

    // MARK: helpers

    private func groupedRooms() -> [(key: Key, value: [(a: Int, p: Int, r: Int, col: Int)])] {
        var order: [Key] = []
        var map: [Key: [(a: Int, p: Int, r: Int, col: Int)]] = [:]
        for entry in ws {
            let key = Key(i: entry.a, j: entry.p, k: 0)
            if map[key] == nil { order.append(key) }
            map[key, default: []].append(entry)
        }
        return order.map { ($0, map[$0]!) }
    }

    /// Columns grouped by key, in first-seen order so the model is the same on every run.
    private func grouped(_ pairs: [(Key, Int)]) -> OrderedGroups {
        var groups = OrderedGroups()
        for (key, col) in pairs { groups.append(col, to: key) }
        return groups
    }

    fileprivate struct OrderedGroups: Sequence {
        private var order: [Key] = []
        private var map: [Key: [Int]] = [:]
        mutating func append(_ col: Int, to key: Key) {
            if map[key] == nil { order.append(key) }
            map[key, default: []].append(col)
        }
        subscript(key: Key) -> [Int]? { map[key] }
        func makeIterator() -> AnyIterator<(key: Key, cols: [Int])> {
            var i = 0
            return AnyIterator {
                guard i < order.count else { return nil }
                defer { i += 1 }
                return (order[i], map[order[i]]!)
            }
        }
    }
}

private struct Pair: Hashable { var a: Int, b: Int }

private func orderedUnique<T: Hashable>(_ values: [T]) -> [T] {
    var seen = Set<T>()
    return values.filter { seen.insert($0).inserted }
}
