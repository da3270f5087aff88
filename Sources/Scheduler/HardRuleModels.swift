// The hard rules as the model builder sees them: one entry per catalogue rule, each with the column
// filters and rows that enforce it. `Sources/TimetableChecker` checks the same ids independently.
import Rules
import WeekIndex

extension ModelRule {
    static let knownIds = with(ModelRule(.knownIds)) {
        $0.byConstruction = "by construction: columns are indices of the scenario's days, blocks, people and rooms, and timetableSessions() writes their ids back"
    }

    /// First among the filters, so the others only ever look at runs that fit in the day.
    static let sessionLength = with(ModelRule(.sessionLength)) {
        $0.seatAllowed = { plan, _, a, p in plan.instance.activities[a].canStart[p] }
        $0.teacherAllowed = { plan, _, a, p in plan.instance.activities[a].canStart[p] }
        $0.roomAllowed = { plan, _, a, p in plan.instance.activities[a].canStart[p] }
        $0.byConstruction = "a session's slot is its first block; Plan and every row occupy the modality's `length` blocks from it"
    }

    static let groupTooSmall = with(ModelRule(.groupTooSmall)) {
        $0.shapeAllowed = { plan, session in session.students.count >= plan.instance.activities[session.activity].min }
        $0.rows = { model in
            let students = model.grouped(model.xs.map { (ColumnKey($0.a, $0.p), $0.col) })
            for (key, rooms) in model.groupedRooms() {
                let seated = (students[key] ?? []).map { ($0, 1.0) }
                let least = Double(model.instance.activities[key.i].min)
                model.program.addRow("group too small \(key.i)@\(key.j)", seated + rooms.map { ($0.col, -least) }, lower: 0)
            }
        }
    }

    /// Bounded by the seats of the rooms used, each the lesser of the modality's max and its capacity.
    static let groupTooLarge = with(ModelRule(.groupTooLarge)) {
        $0.shapeAllowed = { plan, session in session.students.count <= plan.instance.seats(session.room, activity: session.activity) }
        $0.rows = { model in
            let students = model.grouped(model.xs.map { (ColumnKey($0.a, $0.p), $0.col) })
            for (key, rooms) in model.groupedRooms() {
                let seated = (students[key] ?? []).map { ($0, 1.0) }
                let seats = rooms.map { ($0.col, -Double(model.instance.seats($0.r, activity: key.i))) }
                model.program.addRow("group too large \(key.i)@\(key.j)", seated + seats, upper: 0)
            }
        }
    }

    static let levelSpread = with(ModelRule(.levelSpread)) {
        $0.byConstruction = "by construction: Instance gives a `level-spread: k` modality one activity per level window [L, L+k], a need joins every window holding its level, and a session holds one activity"
    }

    /// Teachers only for teacher-led activities, and as many teachers as rooms at each slot.
    static let teacherPresence = with(ModelRule(.teacherPresence)) {
        $0.teacherQualifies = { _, _, activity in activity.teacherLed }
        $0.shapeAllowed = { plan, session in (session.teacher != nil) == plan.instance.activities[session.activity].teacherLed }
        $0.rows = { model in
            let teachers = model.grouped(model.ys.map { (ColumnKey($0.a, $0.p), $0.col) })
            for (key, rooms) in model.groupedRooms() where model.instance.activities[key.i].teacherLed {
                model.program.addRow("session without teacher \(key.i)@\(key.j)",
                                     (teachers[key] ?? []).map { ($0, 1.0) } + rooms.map { ($0.col, -1.0) }, lower: 0, upper: 0)
            }
        }
    }

    static let teacherSubject = with(ModelRule(.teacherSubject)) {
        $0.teacherQualifies = { _, teacher, activity in teacher.subjects.contains(activity.subject) }
    }

    static let teacherUnavailable = with(ModelRule(.teacherUnavailable)) {
        $0.teacherAllowed = { plan, t, a, p in plan.instance.covered(a, from: p).allSatisfy { plan.instance.teachers[t].available[$0] } }
        $0.lessonStartQualifies = { instance, l, p in
            instance.lessons[l].teachers.allSatisfy { t in instance.covered(lesson: l, from: p).allSatisfy { instance.teachers[t].available[$0] } }
        }
    }

    static let teacherDoubleBooked = with(ModelRule(.teacherDoubleBooked)) {
        $0.teacherAllowed = { plan, t, a, p in plan.isFree(plan.teacherAt[t], activity: a, from: p) }
        $0.lessonAllowed = { plan, l, p in plan.instance.lessons[l].teachers.allSatisfy { plan.isFree(plan.teacherAt[$0], lesson: l, from: p) } }
        $0.rows = { model in
            let bySlot = model.ys.flatMap { y in model.instance.covered(y.a, from: y.p).map { (ColumnKey(y.t, $0), y.col) } }
                + model.lessonSlots(\.teachers)
            for (key, cols) in model.grouped(bySlot) where cols.count > 1 {
                model.program.addRow("teacher double-booked \(key.i)@\(key.j)", cols.map { ($0, 1) }, upper: 1)
            }
        }
    }

    /// Limits count blocks: a column weighs its activity's length.
    static let teacherDailyLimit = with(ModelRule(.teacherDailyLimit)) {
        $0.teacherAllowed = { plan, t, a, p in
            plan.teacherDayLoad[t][plan.instance.day(of: p)] + plan.instance.activities[a].length <= plan.instance.teachers[t].maxPerDay
        }
        $0.lessonAllowed = { plan, l, p in
            let d = plan.instance.day(of: p), length = plan.instance.lessons[l].length
            return plan.instance.lessons[l].teachers.allSatisfy { plan.teacherDayLoad[$0][d] + length <= plan.instance.teachers[$0].maxPerDay }
        }
        $0.rows = { model in
            let base = model.base
            let byDay = model.ys.map { (key: ColumnKey($0.t, base.instance.day(of: $0.p)), length: base.instance.activities[$0.a].length, col: $0.col) }
                + model.lessonCells(\.teachers).map { (key: ColumnKey($0.who, base.instance.day(of: $0.q)), length: $0.length, col: $0.col) }
            model.addLoadRows("teacher over daily load", byDay) { key in
                base.instance.teachers[key.i].maxPerDay - base.teacherDayLoad[key.i][key.j]
            }
        }
    }

    static let teacherWeeklyLimit = with(ModelRule(.teacherWeeklyLimit)) {
        $0.teacherAllowed = { plan, t, a, _ in plan.instance.activities[a].length <= plan.openWeeklyBlocks(teacher: t) }
        $0.lessonAllowed = { plan, l, _ in plan.instance.lessons[l].teachers.allSatisfy { plan.instance.lessons[l].length <= plan.openWeeklyBlocks(teacher: $0) } }
        $0.rows = { model in
            let base = model.base
            let week = model.ys.map { (key: ColumnKey($0.t, 0), length: base.instance.activities[$0.a].length, col: $0.col) }
                + model.lessonCells(\.teachers).map { (key: ColumnKey($0.who, 0), length: $0.length, col: $0.col) }
            model.addLoadRows("teacher over weekly load", week) { key in
                base.openWeeklyBlocks(teacher: key.i)
            }
        }
    }

    /// A day she does not teach on yet takes one of her `max-days`: in a piece, a binary per such day
    /// that each of her columns on it implies.
    static let teacherDaysLimit = with(ModelRule(.teacherDaysLimit)) {
        $0.teacherAllowed = { plan, t, _, p in plan.teacherMayTeach(t, onDay: plan.instance.day(of: p)) }
        $0.lessonAllowed = { plan, l, p in
            let d = plan.instance.day(of: p)
            return plan.instance.lessons[l].teachers.allSatisfy { plan.teacherMayTeach($0, onDay: d) }
        }
        $0.rows = { model in
            let base = model.base, instance = base.instance
            let cells = model.ys.map { (key: ColumnKey($0.t, instance.day(of: $0.p)), col: $0.col) }
                + model.lessonCells(\.teachers).map { (key: ColumnKey($0.who, instance.day(of: $0.q)), col: $0.col) }
            let newDays = Dictionary(grouping: cells.filter { instance.teachers[$0.key.i].maxDays < instance.dayCount && base.teacherDayLoad[$0.key.i][$0.key.j] == 0 },
                                     by: \.key.i)
            for (t, cells) in newDays.sorted(by: { $0.key < $1.key }) {
                let byDay = Dictionary(grouping: cells, by: \.key.j)
                let open = max(0, base.openTeachingDays(teacher: t))
                guard byDay.count > open else { continue }
                let days = byDay.keys.sorted().map { d -> Int in
                    let teaches = model.program.addBinary("teaches \(t) on \(d)")
                    for cell in byDay[d]! { model.program.addRow("teacher days \(t)@\(d)/\(cell.col)", [(cell.col, 1), (teaches, -1)], upper: 0) }
                    return teaches
                }
                model.program.addRow("teacher days \(t)", days.map { ($0, 1.0) }, upper: Double(open))
            }
        }
    }

    /// In a piece, every window of `max-in-a-row` + 1 blocks of a day without a break inside holds
    /// at most `max-in-a-row` of her busy blocks.
    static let teacherInARow = with(ModelRule(.teacherInARow)) {
        $0.teacherAllowed = { plan, t, a, p in plan.teacherRunFits(t, plan.instance.covered(a, from: p)) }
        $0.lessonAllowed = { plan, l, p in
            let covered = plan.instance.covered(lesson: l, from: p)
            return plan.instance.lessons[l].teachers.allSatisfy { plan.teacherRunFits($0, covered) }
        }
        $0.rows = { model in
            let base = model.base, instance = base.instance
            let cells = model.ys.map { (t: $0.t, covered: instance.covered($0.a, from: $0.p), col: $0.col) }
                + model.lessonCells(\.teachers).map { (t: $0.who, covered: $0.covered, col: $0.col) }
            let limited = cells.filter { instance.teachers[$0.t].maxInARow < instance.blocksPerDay }
            for (t, mine) in Dictionary(grouping: limited, by: \.t).sorted(by: { $0.key < $1.key }) {
                let limit = instance.teachers[t].maxInARow
                for (d, today) in Dictionary(grouping: mine, by: { instance.day(of: $0.covered.lowerBound) }) {
                    for start in 0..<max(0, instance.blocksPerDay - limit) where !instance.breakBefore[(start + 1)...(start + limit)].contains(true) {
                        let window = (d * instance.blocksPerDay + start)...(d * instance.blocksPerDay + start + limit)
                        let terms = today.compactMap { cell -> (Int, Double)? in
                            let inside = cell.covered.clamped(to: window.lowerBound..<(window.upperBound + 1)).count
                            return inside > 0 ? (cell.col, Double(inside)) : nil
                        }
                        let busy = window.count { base.teacherAt[t][$0] != Plan.free }
                        guard terms.reduce(0, { $0 + $1.1 }) + Double(busy) > Double(limit) else { continue }
                        model.program.addRow("teacher in a row \(t)@\(window.lowerBound)", terms, upper: Double(limit - busy))
                    }
                }
            }
        }
    }

    /// A seat needs her teacher to be able to lead a session of it then, and in the model her seat
    /// implies that teacher's column (`x <= y`); decoding seats her in that teacher's group.
    static let requestedTeacher = with(ModelRule(.requestedTeacher)) {
        $0.joinAllowed = { plan, s, seating in
            // Asked for every student of every group formed; most activities have no requests at all.
            guard plan.instance.activities[seating.activity].hasRequestedTeacher,
                  let wanted = plan.requestedTeacher(student: s, activity: seating.activity) else { return true }
            return wanted == seating.teacher
        }
        $0.seatAllowed = { plan, s, a, p in
            // Asked for every seat considered; most activities have no requests at all.
            guard plan.instance.activities[a].hasRequestedTeacher,
                  let n = plan.needIndex[s][a], let t = plan.instance.students[s].needs[n].requested else { return true }
            guard plan.instance.activities[a].qualifiedTeachers.contains(t) else { return false }
            let id = plan.teacherAt[t][p]
            return plan.teacherFree(t, activity: a, slot: p) || plan.hosts(id, activity: a, startingAt: p)
        }
        $0.rows = { model in
            let leads = Dictionary(model.ys.map { (ColumnKey($0.t, $0.a, $0.p), $0.col) }, uniquingKeysWith: { a, _ in a })
            for x in model.xs {
                guard let t = model.base.requestedTeacher(student: x.s, activity: x.a) else { continue }
                let teacher = leads[ColumnKey(t, x.a, x.p)].map { [($0, -1.0)] } ?? []
                model.program.addRow("requested teacher \(x.s)@\(x.a)/\(x.p)", [(x.col, 1)] + teacher, upper: 0)
            }
        }
    }

    static let roomClosed = with(ModelRule(.roomClosed)) {
        $0.roomAllowed = { plan, r, a, p in plan.instance.covered(a, from: p).allSatisfy { plan.instance.rooms[r].available[$0] } }
        $0.lessonRoomAllowed = { plan, r, l, p in plan.instance.covered(lesson: l, from: p).allSatisfy { plan.instance.rooms[r].available[$0] } }
    }

    static let roomFeatures = with(ModelRule(.roomFeatures)) {
        $0.roomQualifies = { room, activity in activity.roomFeatures.isSubset(of: room.features) }
    }

    /// Hall's condition for each requirement profile present: students who require features fit in
    /// the seats of the open rooms that have them, so decoding can always place them.
    static let accommodations = with(ModelRule(.accommodations)) {
        $0.joinAllowed = { plan, s, seating in seating.room.map { plan.instance.roomFits($0, activity: seating.activity, student: s) } ?? true }
        $0.joinReads = .room
        $0.lessonRoomQualifies = { instance, l, r in instance.lessons[l].requires.isSubset(of: instance.rooms[r].features) }
        $0.rows = { model in
            let instance = model.instance
            for (key, rooms) in model.groupedRooms() {
                let here = model.xs.filter { $0.a == key.i && $0.p == key.j }
                let profiles = Set(here.map { instance.students[$0.s].requires }).filter { !$0.isEmpty }
                for profile in profiles.sorted(by: { $0.sorted().lexicographicallyPrecedes($1.sorted()) }) {
                    let needing = here.filter { profile.isSubset(of: instance.students[$0.s].requires) }.map { ($0.col, 1.0) }
                    let fitting = rooms.filter { profile.isSubset(of: instance.rooms[$0.r].features) }
                        .map { ($0.col, -Double(instance.seats($0.r, activity: key.i))) }
                    model.program.addRow("room lacks required feature \(key.i)@\(key.j)", needing + fitting, upper: 0)
                }
            }
        }
    }

    static let roomDoubleBooked = with(ModelRule(.roomDoubleBooked)) {
        $0.roomAllowed = { plan, r, a, p in plan.isFree(plan.roomAt[r], activity: a, from: p) }
        $0.lessonRoomAllowed = { plan, r, l, p in plan.isFree(plan.roomAt[r], lesson: l, from: p) }
        $0.rows = { model in
            let bySlot = model.ws.flatMap { w in model.instance.covered(w.a, from: w.p).map { (ColumnKey(w.r, $0), w.col) } }
                + model.zs.flatMap { z in z.r.map { r in model.instance.covered(lesson: z.l, from: z.q).map { (ColumnKey(r, $0), z.col) } } ?? [] }
            for (key, cols) in model.grouped(bySlot) where cols.count > 1 {
                model.program.addRow("room double-booked \(key.i)@\(key.j)", cols.map { ($0, 1) }, upper: 1)
            }
        }
    }

    static let studentUnavailable = with(ModelRule(.studentUnavailable)) {
        $0.seatAllowed = { plan, s, a, p in plan.instance.covered(a, from: p).allSatisfy { plan.instance.students[s].available[$0] } }
        $0.lessonStartQualifies = { instance, l, p in
            instance.lessons[l].students.allSatisfy { s in instance.covered(lesson: l, from: p).allSatisfy { instance.students[s].available[$0] } }
        }
    }

    static let studentDoubleBooked = with(ModelRule(.studentDoubleBooked)) {
        $0.seatAllowed = { plan, s, a, p in plan.isFree(plan.studentAt[s], activity: a, from: p) }
        $0.lessonAllowed = { plan, l, p in plan.instance.lessons[l].students.allSatisfy { plan.isFree(plan.studentAt[$0], lesson: l, from: p) } }
        $0.joinAllowed = { _, s, seating in !seating.others.contains(s) }
        $0.joinReads = .others
        $0.rows = { model in
            let bySlot = model.xs.flatMap { x in model.instance.covered(x.a, from: x.p).map { (ColumnKey(x.s, $0), x.col) } }
                + model.lessonSlots(\.students)
            for (key, cols) in model.grouped(bySlot) where cols.count > 1 {
                model.program.addRow("student double-booked \(key.i)@\(key.j)", cols.map { ($0, 1) }, upper: 1)
            }
        }
    }

    static let studentDailyLimit = with(ModelRule(.studentDailyLimit)) {
        $0.seatAllowed = { plan, s, a, p in
            plan.studentDayLoad[s][plan.instance.day(of: p)] + plan.instance.activities[a].length <= plan.instance.students[s].maxPerDay
        }
        $0.lessonAllowed = { plan, l, p in
            let d = plan.instance.day(of: p), length = plan.instance.lessons[l].length
            return plan.instance.lessons[l].students.allSatisfy { plan.studentDayLoad[$0][d] + length <= plan.instance.students[$0].maxPerDay }
        }
        $0.rows = { model in
            let base = model.base
            let byDay = model.xs.map { (key: ColumnKey($0.s, base.instance.day(of: $0.p)), length: base.instance.activities[$0.a].length, col: $0.col) }
                + model.lessonCells(\.students).map { (key: ColumnKey($0.who, base.instance.day(of: $0.q)), length: $0.length, col: $0.col) }
            model.addLoadRows("student over daily limit", byDay) { key in
                base.instance.students[key.i].maxPerDay - base.studentDayLoad[key.i][key.j]
            }
        }
    }

    static let needOncePerDay = with(ModelRule(.needOncePerDay)) {
        $0.seatAllowed = { plan, s, a, p in
            guard let n = plan.needIndex[s][a] else { return false }
            return plan.needDays[s][n] & (1 << UInt64(plan.instance.day(of: p))) == 0
        }
        $0.rows = { model in
            // By need, not activity: one need may join several level windows.
            let needOf = model.base.needIndex
            let byNeedDay = model.xs.map { (ColumnKey($0.s, needOf[$0.s][$0.a]!, model.instance.day(of: $0.p)), $0.col) }
            for (key, cols) in model.grouped(byNeedDay) where cols.count > 1 {
                model.program.addRow("need twice in a day \(key.i)/\(key.j)", cols.map { ($0, 1) }, upper: 1)
            }
        }
    }

    static let needNotExceeded = with(ModelRule(.needNotExceeded)) {
        $0.seatAllowed = { plan, s, a, _ in plan.openSessions(student: s, activity: a) > 0 }
        $0.rows = { model in
            let needOf = model.base.needIndex
            for (key, cols) in model.grouped(model.xs.map { (ColumnKey($0.s, needOf[$0.s][$0.a]!), $0.col) }) {
                let need = model.instance.students[key.i].needs[key.j]
                let remaining = model.base.openSessions(student: key.i, activity: need.activity)
                if cols.count > remaining {
                    model.program.addRow("need over-served \(key.i)/\(key.j)", cols.map { ($0, 1) }, upper: Double(remaining))
                }
            }
        }
    }

    static let unmetReported = with(ModelRule(.unmetReported)) {
        $0.byConstruction = "by construction: unmetNeeds() derives the unmet list from the plan's per-need counts"
    }

    /// Two students kept apart may both take an (activity, start) only where at least two of its
    /// sessions run then (`x_i + x_j <= rooms open`); decoding puts them in different groups.
    static let keptApart = with(ModelRule(.keptApart)) {
        $0.joinAllowed = { plan, s, seating in !seating.others.contains(where: plan.instance.students[s].apart.contains) }
        $0.joinReads = .others
        $0.rows = { model in
            let seats = Dictionary(model.xs.map { (ColumnKey($0.s, $0.a, $0.p), $0.col) }, uniquingKeysWith: { a, _ in a })
            let rooms = Dictionary(model.groupedRooms().map { ($0.key, $0.value.map { ($0.col, -1.0) }) }, uniquingKeysWith: { a, _ in a })
            for x in model.xs {
                for q in model.instance.students[x.s].apart where q > x.s {
                    if let other = seats[ColumnKey(q, x.a, x.p)] {
                        model.program.addRow("kept apart \(x.s)/\(q)@\(x.a)/\(x.p)",
                                             [(x.col, 1), (other, 1)] + (rooms[ColumnKey(x.a, x.p)] ?? []), upper: 0)
                    }
                }
            }
        }
    }

    /// Seat columns exist only for students whose plan holds the activity's need.
    static let studentHasNeed = with(ModelRule(.studentHasNeed)) {
        $0.seatAllowed = { plan, s, a, _ in plan.needIndex[s][a] != nil }
    }

    static let fixedKept = with(ModelRule(.fixedKept)) {
        $0.byConstruction = "by construction: Plan occupies every fixed session's people and room from the start, and timetableSessions() writes the scenario's fixed sessions out as given"
    }
}

/// Configures a copy of `value`, so each catalogue entry reads as one declaration.
func with<T>(_ value: T, _ configure: (inout T) -> Void) -> T {
    var copy = value
    configure(&copy)
    return copy
}
