// The whole-week model's groups by teacher (`NeighbourhoodModel.seatsByTeacher`, only in the model
// written for other solvers): with them teacher continuity and preferred teachers are exact there.
// The search's pieces stay group-blind, which keeps interchangeable groups out of their programs.
import Rules
import WeekIndex

extension NeighbourhoodModel {
    /// For each teacher-led (activity, slot): `v[s,a,p,t]` seats student `s` in teacher `t`'s group,
    /// `u[t,a,p,r]` puts that group in room `r`. The rows make every integer point a set of groups the
    /// rules allow: each seat in exactly one group, each open teacher in exactly one open room and each
    /// open room with one teacher, a group between the modality's minimum and its room's seats, in a
    /// room with every feature its students require, with her requested teacher only, and never two
    /// students kept apart together.
    mutating func addTeacherSeatColumns() {
        precondition(base.activeSessions.isEmpty, "groups by teacher are for the whole week, with no fixed sessions")
        let seats = grouped(xs.map { (ColumnKey($0.a, $0.p), $0.col) })
        let seatOf = Dictionary(xs.map { ($0.col, $0.s) }, uniquingKeysWith: { a, _ in a })
        let leads = grouped(ys.map { (ColumnKey($0.a, $0.p), $0.col) })
        let teacherOf = Dictionary(ys.map { ($0.col, $0.t) }, uniquingKeysWith: { a, _ in a })
        for (key, rooms) in groupedRooms() where instance.activities[key.i].teacherLed {
            let a = key.i, p = key.j, act = instance.activities[a]
            let teachers = (leads[key] ?? []).map { (t: teacherOf[$0]!, col: $0) }
            var placed: [Int: [(r: Int, col: Int)]] = [:]
            for teacher in teachers {
                let inRooms = rooms.map { (r: $0.r, col: program.addBinary("u[\(teacher.t),\(a),\(p),\($0.r)]")) }
                placed[teacher.t] = inRooms
                teacherRooms[ColumnKey(teacher.t, a, p)] = inRooms
                program.addRow("teacher in one room \(teacher.t)@\(a)/\(p)", inRooms.map { ($0.col, 1.0) } + [(teacher.col, -1)], lower: 0, upper: 0)
            }
            for room in rooms {
                let led = teachers.compactMap { placed[$0.t]?.first { $0.r == room.r }?.col }
                program.addRow("room with one teacher \(room.r)@\(a)/\(p)", led.map { ($0, 1.0) } + [(room.col, -1)], lower: 0, upper: 0)
            }
            var groups: [Int: [(s: Int, col: Int)]] = [:]
            for x in seats[key] ?? [] {
                let s = seatOf[x]!, requested = base.requestedTeacher(student: s, activity: a)
                let mine = teachers.filter { requested == nil || requested == $0.t }.map { teacher in
                    (t: teacher.t, col: program.addBinary("v[\(s),\(a),\(p),\(teacher.t)]"))
                }
                program.addRow("seat in one group \(s)@\(a)/\(p)", mine.map { ($0.col, 1.0) } + [(x, -1)], lower: 0, upper: 0)
                for v in mine {
                    let fitting = placed[v.t]!.filter { instance.roomFits($0.r, activity: a, student: s) }.map { ($0.col, -1.0) }
                    program.addRow("group room fits \(s)@\(a)/\(p)/\(v.t)", [(v.col, 1)] + fitting, upper: 0)
                    groups[v.t, default: []].append((s, v.col))
                    teacherSeats.append((s, a, p, v.t, v.col))
                }
                seatTeachers[ColumnKey(s, a, p)] = mine
            }
            for teacher in teachers {
                let group = groups[teacher.t] ?? []
                let members = group.map { ($0.col, 1.0) }
                let capacity = placed[teacher.t]!.map { ($0.col, -Double(instance.seats($0.r, activity: a))) }
                program.addRow("teacher's group too large \(teacher.t)@\(a)/\(p)", members + capacity, upper: 0)
                program.addRow("teacher's group too small \(teacher.t)@\(a)/\(p)", members + [(teacher.col, -Double(act.min))], lower: 0)
                let column = Dictionary(group.map { ($0.s, $0.col) }, uniquingKeysWith: { a, _ in a })
                for (s, v) in group {
                    for q in instance.students[s].apart where q > s {
                        if let other = column[q] { program.addRow("kept apart in a group \(s)/\(q)@\(a)/\(p)/\(teacher.t)", [(v, 1), (other, 1)], upper: 1) }
                    }
                }
            }
        }
    }

    /// Each of a need's sessions led by a teacher she does not prefer costs the term's weight, exactly
    /// as the measure counts it.
    mutating func addPreferredTeacherCosts(_ term: Rule) {
        let weight = weights[term]
        guard weight > 0 else { return }
        for v in teacherSeats {
            guard let n = base.needIndex[v.s][v.a] else { continue }
            let preferred = instance.students[v.s].needs[n].preferred
            if !preferred.isEmpty && !preferred.contains(v.t) { program.addCost(weight, to: v.col) }
        }
    }

    /// `z[s,n,t] >= v` for every seat of need `n` in teacher `t`'s group, and `over >= sum_t z - 1`,
    /// `over >= 0` at the term's weight: the minimisation makes `z` "t leads one of her sessions" and
    /// `over` her distinct teachers less one when she has any, the measure's count.
    mutating func addContinuityTerms(_ term: Rule) {
        let weight = weights[term]
        guard weight > 0 else { return }
        let byNeedAndTeacher = grouped(teacherSeats.compactMap { v in base.needIndex[v.s][v.a].map { (ColumnKey(v.s, $0, v.t), v.col) } })
        var indicators = OrderedGroups()
        for (key, seats) in byNeedAndTeacher {
            let z = program.addContinuous("\(term.id) \(key.i)/\(key.j) by \(key.k)", upper: 1)
            for v in seats { program.addRow("\(term.id) \(key.i)/\(key.j) by \(key.k)", [(z, 1), (v, -1)], lower: 0) }
            continuityColumns.indicators.append((z, seats))
            indicators.append(z, to: ColumnKey(key.i, key.j))
        }
        for (key, zs) in indicators where zs.count > 1 {
            let over = program.addContinuous("\(term.id) \(key.i)/\(key.j)", cost: weight)
            program.addRow("\(term.id) \(key.i)/\(key.j)", [(over, 1)] + zs.map { ($0, -1.0) }, lower: -1)
            continuityColumns.overs.append((over, zs))
        }
    }

    /// The groups-by-teacher columns' values for `sessions` (a teacher-led session without its columns
    /// makes the whole start nil, as in `startValues`).
    func teacherSeatValues(_ values: inout [Double], for sessions: [PlannedSession]) -> Bool {
        guard seatsByTeacher else { return true }
        for session in sessions {
            guard let t = session.teacher else { continue }
            guard let room = teacherRooms[ColumnKey(t, session.activity, session.slot)]?.first(where: { $0.r == session.room }) else { return false }
            values[room.col] = 1
            for s in session.students {
                guard let v = seatTeachers[ColumnKey(s, session.activity, session.slot)]?.first(where: { $0.t == t }) else { return false }
                values[v.col] = 1
            }
        }
        for z in continuityColumns.indicators { values[z.z] = z.seats.contains { values[$0] > 0.5 } ? 1 : 0 }
        for over in continuityColumns.overs { values[over.over] = max(0, over.indicators.reduce(0) { $0 + values[$1] } - 1) }
        return true
    }

    /// The sessions of a teacher-led (activity, slot) as the groups-by-teacher columns say: `students`
    /// seated then, `teachers` leading then.
    func sessionsByTeacher(_ values: [Double], activity a: Int, slot p: Int, students: [Int], teachers: [Int]) -> [PlannedSession]? {
        var groups: [Int: [Int]] = [:]
        for s in students {
            guard let v = seatTeachers[ColumnKey(s, a, p)]?.first(where: { values[$0.col] > 0.5 }) else { return nil }
            groups[v.t, default: []].append(s)
        }
        var sessions: [PlannedSession] = []
        for t in teachers {
            guard let room = teacherRooms[ColumnKey(t, a, p)]?.first(where: { values[$0.col] > 0.5 }) else { return nil }
            sessions.append(PlannedSession(activity: a, slot: p, teacher: t, room: room.r, students: (groups[t] ?? []).sorted()))
        }
        return sessions
    }
}
