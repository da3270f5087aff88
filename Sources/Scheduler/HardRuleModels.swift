// The hard rules as the model builder sees them: one entry per catalogue rule, each with the column
// filters and rows that enforce it. `Sources/TimetableChecker` checks the same ids independently.
import Rules

extension ModelRule {
    static let knownIds = with(ModelRule(.knownIds)) {
        $0.byConstruction = "by construction: columns are indices of the scenario's days, blocks, people and rooms, and timetableSessions() writes their ids back"
    }

    static let groupTooSmall = with(ModelRule(.groupTooSmall)) {
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
        $0.rows = { model in
            let students = model.grouped(model.xs.map { (ColumnKey($0.a, $0.p), $0.col) })
            for (key, rooms) in model.groupedRooms() {
                let seated = (students[key] ?? []).map { ($0, 1.0) }
                let seats = rooms.map { ($0.col, -Double(model.instance.seats($0.r, activity: key.i))) }
                model.program.addRow("group too large \(key.i)@\(key.j)", seated + seats, upper: 0)
            }
        }
    }

    /// Teachers only for teacher-led activities, and as many teachers as rooms at each slot.
    static let teacherPresence = with(ModelRule(.teacherPresence)) {
        $0.teacherQualifies = { _, activity in activity.teacherLed }
        $0.rows = { model in
            let teachers = model.grouped(model.ys.map { (ColumnKey($0.a, $0.p), $0.col) })
            for (key, rooms) in model.groupedRooms() where model.instance.activities[key.i].teacherLed {
                model.program.addRow("session without teacher \(key.i)@\(key.j)",
                                     (teachers[key] ?? []).map { ($0, 1.0) } + rooms.map { ($0.col, -1.0) }, lower: 0, upper: 0)
            }
        }
    }

    static let teacherSubject = with(ModelRule(.teacherSubject)) {
        $0.teacherQualifies = { teacher, activity in teacher.subjects.contains(activity.subject) }
    }

    static let teacherUnavailable = with(ModelRule(.teacherUnavailable)) {
        $0.teacherAllowed = { plan, t, p in plan.instance.teachers[t].available[p] }
    }

    static let teacherDoubleBooked = with(ModelRule(.teacherDoubleBooked)) {
        $0.teacherAllowed = { plan, t, p in plan.teacherAt[t][p] < 0 }
        $0.rows = { model in
            for (key, cols) in model.grouped(model.ys.map { (ColumnKey($0.t, $0.p), $0.col) }) where cols.count > 1 {
                model.program.addRow("teacher double-booked \(key.i)@\(key.j)", cols.map { ($0, 1) }, upper: 1)
            }
        }
    }

    static let teacherDailyLimit = with(ModelRule(.teacherDailyLimit)) {
        $0.teacherAllowed = { plan, t, p in plan.teacherDayLoad[t][plan.instance.day(of: p)] < plan.instance.teachers[t].maxPerDay }
        $0.rows = { model in
            for (key, cols) in model.grouped(model.ys.map { (ColumnKey($0.t, model.instance.day(of: $0.p)), $0.col) }) {
                let room = model.instance.teachers[key.i].maxPerDay - model.base.teacherDayLoad[key.i][key.j]
                if cols.count > room { model.program.addRow("teacher over daily load \(key.i)", cols.map { ($0, 1) }, upper: Double(room)) }
            }
        }
    }

    static let teacherWeeklyLimit = with(ModelRule(.teacherWeeklyLimit)) {
        $0.teacherAllowed = { plan, t, _ in plan.teacherWeekLoad[t] < plan.instance.teachers[t].maxPerWeek }
        $0.rows = { model in
            for (key, cols) in model.grouped(model.ys.map { (ColumnKey($0.t, 0), $0.col) }) {
                let room = model.instance.teachers[key.i].maxPerWeek - model.base.teacherWeekLoad[key.i]
                if cols.count > room { model.program.addRow("teacher over weekly load \(key.i)", cols.map { ($0, 1) }, upper: Double(room)) }
            }
        }
    }

    static let roomClosed = with(ModelRule(.roomClosed)) {
        $0.roomAllowed = { plan, r, p in plan.instance.rooms[r].available[p] }
    }

    static let roomFeatures = with(ModelRule(.roomFeatures)) {
        $0.roomQualifies = { room, activity in activity.roomFeatures.isSubset(of: room.features) }
    }

    /// Hall's condition for each requirement profile present: students who require features fit in
    /// the seats of the open rooms that have them, so decoding can always place them.
    static let accommodations = with(ModelRule(.accommodations)) {
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
        $0.roomAllowed = { plan, r, p in plan.roomAt[r][p] < 0 }
        $0.rows = { model in
            for (key, cols) in model.grouped(model.ws.map { (ColumnKey($0.r, $0.p), $0.col) }) where cols.count > 1 {
                model.program.addRow("room double-booked \(key.i)@\(key.j)", cols.map { ($0, 1) }, upper: 1)
            }
        }
    }

    static let studentUnavailable = with(ModelRule(.studentUnavailable)) {
        $0.seatAllowed = { plan, s, _, p in plan.instance.students[s].available[p] }
    }

    static let studentDoubleBooked = with(ModelRule(.studentDoubleBooked)) {
        $0.seatAllowed = { plan, s, _, p in plan.studentAt[s][p] < 0 }
        $0.rows = { model in
            for (key, cols) in model.grouped(model.xs.map { (ColumnKey($0.s, $0.p), $0.col) }) where cols.count > 1 {
                model.program.addRow("student double-booked \(key.i)@\(key.j)", cols.map { ($0, 1) }, upper: 1)
            }
        }
    }

    static let studentDailyLimit = with(ModelRule(.studentDailyLimit)) {
        $0.seatAllowed = { plan, s, _, p in plan.studentDayLoad[s][plan.instance.day(of: p)] < plan.instance.students[s].maxPerDay }
        $0.rows = { model in
            for (key, cols) in model.grouped(model.xs.map { (ColumnKey($0.s, model.instance.day(of: $0.p)), $0.col) }) {
                let room = model.instance.students[key.i].maxPerDay - model.base.studentDayLoad[key.i][key.j]
                if cols.count > room { model.program.addRow("student over daily limit \(key.i)", cols.map { ($0, 1) }, upper: Double(room)) }
            }
        }
    }

    static let needOncePerDay = with(ModelRule(.needOncePerDay)) {
        $0.seatAllowed = { plan, s, a, p in
            guard let n = plan.needIndex[s][a] else { return false }
            return plan.needDays[s][n] & (1 << UInt64(plan.instance.day(of: p))) == 0
        }
        $0.rows = { model in
            let byNeedDay = model.xs.map { (ColumnKey($0.s, $0.a, model.instance.day(of: $0.p)), $0.col) }
            for (key, cols) in model.grouped(byNeedDay) where cols.count > 1 {
                model.program.addRow("need twice in a day \(key.i)/\(key.j)", cols.map { ($0, 1) }, upper: 1)
            }
        }
    }

    static let needNotExceeded = with(ModelRule(.needNotExceeded)) {
        $0.seatAllowed = { plan, s, a, _ in plan.remaining(student: s, activity: a) > 0 }
        $0.rows = { model in
            for (key, cols) in model.grouped(model.xs.map { (ColumnKey($0.s, $0.a), $0.col) }) {
                let remaining = model.base.remaining(student: key.i, activity: key.j)
                if cols.count > remaining {
                    model.program.addRow("need over-served \(key.i)/\(key.j)", cols.map { ($0, 1) }, upper: Double(remaining))
                }
            }
        }
    }

    static let unmetReported = with(ModelRule(.unmetReported)) {
        $0.byConstruction = "by construction: unmetNeeds() derives the unmet list from the plan's per-need counts"
    }

    /// Seat columns exist only for students whose plan holds the activity's need.
    static let studentHasNeed = with(ModelRule(.studentHasNeed)) {
        $0.seatAllowed = { plan, s, a, _ in plan.needIndex[s][a] != nil }
    }
}

/// Configures a copy of `value`, so each catalogue entry reads as one declaration.
func with<T>(_ value: T, _ configure: (inout T) -> Void) -> T {
    var copy = value
    configure(&copy)
    return copy
}
