import ScenarioKit

/// Teacher-led needs whose subject nobody teaches: every session is short.
func noTeacher(_ w: Week) -> [Found] {
    w.activities.filter { $0.led && $0.teachers.isEmpty }.map { act in
        Found("no-teacher", "\(act.label): no teacher teaches \(act.subject); " + w.cannotBeHeld(act.needs, subjects: false),
              act.needs.map { w.shortfall($0, w.needs[$0].need.sessions) })
    }
}

/// Needs for which no room has the modality's and the student's features and `min` seats.
func noSuitableRoom(_ w: Week) -> [Found] {
    let stuck = w.needs.indices.filter { w.needs[$0].rooms.isEmpty && !w.untaught($0) }
    let groups = Dictionary(grouping: stuck) { i in
        let m = w.activities[w.needs[i].activity].modality
        return [m.id] + Set(m.roomFeatures).union(w.scenario.students[w.needs[i].student].requires).sorted()
    }
    return groups.map { key, members in
        let m = w.scenario.modality(key[0])!, features = Array(key.dropFirst())
        let having = w.scenario.rooms.filter { Set(features).isSubset(of: $0.features) }
        let rooms = having.isEmpty ? "no room has all of these features"
            : "rooms with these features: " + having.map { "\($0.name) (\(plural($0.capacity, "seat")))" }.joined(separator: ", ")
        return Found("no-suitable-room", "\(m.id): no room has [\(features.joined(separator: ", "))] and at least "
                     + "\(plural(max(1, m.min), "seat")) (\(rooms)); " + w.cannotBeHeld(members, subjects: true),
                     members.map { w.shortfall($0, w.needs[$0].need.sessions) })
    }
}

/// R5 allows one session of a need per day: a need gets at most as many sessions as there are days on
/// which the student, a qualified teacher and a room that fits her are free in the same block.
func noCommonFreeBlock(_ w: Week) -> [Found] {
    w.activities.compactMap { act in
        let short = act.needs.filter { !w.unservable($0) && w.days(w.needs[$0].open) < w.needs[$0].need.sessions }
        guard !short.isEmpty else { return nil }
        let detail = short.map { i in
            let info = w.needs[i], open = w.usedDays(info.open).map { w.scenario.days[$0].rawValue }
            let teacher = act.led ? ", \(w.days(info.withTeacher)) with a \(act.subject) teacher free too" : ""
            return "\(w.studentName(i)) needs \(info.need.sessions): free on \(plural(w.days(w.studentFree[info.student]), "day"))\(teacher), "
                + "\(open.count) with a fitting room free too (\(open.isEmpty ? "none" : open.joined(separator: ", ")))"
        }
        return Found("no-common-free-block", "\(act.label): at most one session of a need per day, and "
                     + "\(plural(short.count, "student")) \(short.count == 1 ? "has" : "have") fewer days than sessions with a block when they, "
                     + (act.led ? "a \(act.subject) teacher " : "") + "and a fitting room are free: \(listed(detail))",
                     short.map { w.shortfall($0, w.needs[$0].need.sessions - w.days(w.needs[$0].open)) })
    }
}

/// A group needs `min` students: only blocks where that many students with the need are free (each
/// with a teacher and a fitting room) can hold a session of it.
func groupCannotForm(_ w: Week) -> [Found] {
    w.activities.compactMap { act in
        guard act.modality.min > 1 else { return nil }
        let reachable = { (i: Int) in min(w.needs[i].need.sessions, w.days(w.needs[i].open)) }
        let short = act.needs.filter { !w.unservable($0) && w.needs[$0].bound < reachable($0) }
        if short.isEmpty { return nil }
        let detail = short.map { i in
            "\(w.studentName(i)) needs \(w.needs[i].need.sessions): at most "
                + "\((0..<w.slotCount).filter { w.needs[i].open[$0] }.map { act.together[$0] }.max() ?? 0) together in their blocks, "
                + "a group can form on \(plural(w.days(w.needs[i].groupable), "day"))"
        }
        return Found("group-cannot-form", "\(act.label) needs at least \(act.modality.min) students per group, but only "
                     + "\(act.peers.count) students share this need, and fewer are free together"
                     + (act.led ? " with a \(act.subject) teacher" : "") + " and a fitting room: \(listed(detail))",
                     short.map { w.shortfall($0, reachable($0) - w.needs[$0].bound) })
    }
}

/// Hall bound by flow: the seats the subject's teachers can offer (free blocks, max-per-day, max-per-week,
/// each session at most the largest group) in the blocks the students with the need can use.
func teacherCapacity(_ w: Week) -> [Found] {
    w.activities.indices.compactMap { a in
        let act = w.activities[a], need = w.demand(act)
        guard act.led, need.possible > 0 else { return nil }
        let seated = seatFlow(w, a, teachers: true, rooms: false)
        guard seated < need.possible else { return nil }
        let loads = act.teachers.map { w.teacherLoad($0) }
        let sessions = loads.reduce(0) { $0 + $1.load }, group = w.groupSeats(act)
        return Found("teacher-capacity", "\(need.text), but the \(act.subject) teachers can lead at most "
            + "\(plural(sessions, "session")) this week (\(loads.map(\.text).joined(separator: ", "))), at most \(group) students "
            + "each: at most \(sessions * group) seats; in the blocks these students can use, at most \(seated): short by "
            + "\(need.possible - seated)", act.shortfall(need.possible - seated), affected: need.students)
    }
}

/// Hall bound by flow: the seats the fitting rooms offer, in parallel sessions no more than the free
/// teachers, beyond what `teacherCapacity` already proves short.
func roomCapacity(_ w: Week) -> [Found] {
    w.activities.indices.compactMap { a in
        let act = w.activities[a], need = w.demand(act)
        guard need.possible > 0 else { return nil }
        let bound = act.led ? min(need.possible, seatFlow(w, a, teachers: true, rooms: false)) : need.possible
        let roomed = seatFlow(w, a, teachers: act.led, rooms: true)
        guard roomed < bound else { return nil }
        let seats = (0..<w.slotCount).reduce(0) { $0 + roomSeats(w, act, $1, limit: Int.max) }
        return Found("room-capacity", "\(need.text), but the rooms with [\(act.modality.roomFeatures.joined(separator: ", "))] "
            + "and at least \(plural(max(1, act.modality.min), "seat")) (\(act.rooms.map { w.scenario.rooms[$0].name }.joined(separator: ", "))) "
            + "offer \(seats) seats this week in groups of at most \(act.modality.max); in the blocks these students"
            + (act.led ? " and a \(act.subject) teacher" : "") + " can use, at most \(roomed): short by \(bound - roomed)",
            act.shortfall(bound - roomed), affected: need.students)
    }
}

/// Exact count per student: one session per block and one of each need per day, in her usable blocks.
func studentFreeBlocks(_ w: Week) -> [Found] {
    w.scenario.students.indices.compactMap { s in
        let load = w.studentLoad(s), fit = studentFlow(w, load.needs, perDay: nil)
        guard fit < load.possible else { return nil }
        return Found("student-free-blocks", "\(load.text), but is free (with a teacher and a fitting room) in only "
            + "\(plural(load.blocks, "block")) on \(plural(load.days, "day")); one session a block and one of each need a day: "
            + "at most \(fit) fit, short by \(load.possible - fit)", load.shortfall(load.possible - fit))
    }
}

/// The same count with her `max-per-day`: what the limit costs on top of `studentFreeBlocks`.
func studentDailyLimit(_ w: Week) -> [Found] {
    w.scenario.students.indices.compactMap { s in
        guard let perDay = w.scenario.students[s].maxPerDay else { return nil }
        let load = w.studentLoad(s), fit = studentFlow(w, load.needs, perDay: nil), limited = studentFlow(w, load.needs, perDay: perDay)
        guard limited < fit else { return nil }
        return Found("student-daily-limit", "\(load.text), but max-per-day \(perDay) x \(plural(load.days, "day")) = "
            + "\(perDay * load.days); with their free blocks and one session of each need a day at most \(limited) fit, "
            + "short by \(fit - limited)", load.shortfall(fit - limited))
    }
}

extension Week {
    /// An activity's sessions still in question (its servable needs, after the per-need bounds).
    func demand(_ act: Activity) -> (possible: Int, students: Int, text: String) {
        let servable = act.needs.filter { !unservable($0) }
        let needed = servable.reduce(0) { $0 + needs[$1].need.sessions }, possible = act.needs.reduce(0) { $0 + needs[$1].bound }
        let students = Set(servable.map { needs[$0].student }).count
        return (possible, students, "\(act.label): \(plural(needed, "session")) needed by \(plural(students, "student"))"
                + (possible < needed ? " (\(possible) after the limits of single students)" : ""))
    }

    /// "N sessions needed by K students (Ana P.: 3; ...) cannot be held", for needs that are short entirely.
    func cannotBeHeld(_ members: [Int], subjects: Bool) -> String {
        let total = members.reduce(0) { $0 + needs[$1].need.sessions }
        let who = members.map { "\(studentName($0)): \(subjects ? needs[$0].need.subject + " " : "")\(needs[$0].need.sessions)" }
        return "\(plural(total, "session")) needed by \(plural(Set(members.map { needs[$0].student }).count, "student")) (\(listed(who))) cannot be held"
    }

    /// A student's sessions still in question and the blocks and days she could attend any of them.
    func studentLoad(_ s: Int) -> (needs: [Int], possible: Int, blocks: Int, days: Int, text: String, shortfall: (Int) -> [Shortfall]) {
        let mine = needs.indices.filter { needs[$0].student == s && needs[$0].bound > 0 }
        let possible = mine.reduce(0) { $0 + needs[$1].bound }, student = scenario.students[s]
        let needed = needs.filter { $0.student == s }.reduce(0) { $0 + $1.need.sessions }
        let usable = (0..<slotCount).map { p in mine.contains { needs[$0].groupable[p] } }
        return (mine, possible, usable.filter { $0 }.count, days(usable),
                "\(student.name) has \(plural(needed, "session")) to attend" + (possible < needed ? " (\(possible) after the limits of single needs)" : ""),
                { [Shortfall(student: student.id, subject: "*", modality: "*", sessions: $0)] })
    }
}

/// Seats the activity's free rooms offer in slot `p`, in at most `limit` parallel sessions.
func roomSeats(_ w: Week, _ act: Activity, _ p: Int, limit: Int) -> Int {
    act.rooms.filter { w.roomFree[$0][p] }.map { min(act.modality.max, w.scenario.rooms[$0].capacity) }
        .sorted(by: >).prefix(limit).reduce(0, +)
}

/// Student -> one node per (need, day) (R5) -> usable slots; every real timetable is a flow here.
private func needDays(_ w: Week, _ net: FlowNetwork, _ source: Int, _ needs: [Int], _ slot: [Int]) {
    for i in needs where w.needs[i].bound > 0 {
        let n = net.node()
        net.edge(source, n, w.needs[i].bound)
        for d in w.usedDays(w.needs[i].groupable) {
            let nd = net.node(); net.edge(n, nd, 1)
            for p in w.slots(ofDay: d) where w.needs[i].groupable[p] { net.edge(nd, slot[p], 1) }
        }
    }
}

/// Student-sessions of one activity that fit, through its teachers (each session seats at most the
/// largest group) and/or its rooms (at most one session per free teacher in each block).
func seatFlow(_ w: Week, _ a: Int, teachers: Bool, rooms: Bool) -> Int {
    let act = w.activities[a], group = w.groupSeats(act), net = FlowNetwork(), source = net.node(), sink = net.node()
    let slot = (0..<w.slotCount).map { _ in net.node() }
    needDays(w, net, source, act.needs, slot)
    let teacherDay = act.teachers.map { t in
        let week = net.node(), limits = w.scenario.teachers[t]
        net.edge(week, sink, limits.maxPerWeek.map { $0 * group } ?? FlowNetwork.unlimited)
        return (0..<w.dayCount).map { _ in net.node(to: week, limits.maxPerDay.map { $0 * group } ?? FlowNetwork.unlimited) }
    }
    for p in 0..<w.slotCount {
        let free = act.teachers.indices.filter { w.teacherFree[act.teachers[$0]][p] }
        let out = rooms ? net.node() : slot[p]
        if rooms { net.edge(slot[p], out, roomSeats(w, act, p, limit: act.led ? free.count : Int.max)) }
        guard teachers && act.led else { net.edge(out, sink, FlowNetwork.unlimited); continue }
        for k in free { net.edge(out, teacherDay[k][w.day(p)], group) }
    }
    return net.maxFlow(from: source, to: sink)
}

/// Sessions one student can attend: her needs' usable slots, one per block, `perDay` per day.
func studentFlow(_ w: Week, _ needs: [Int], perDay: Int?) -> Int {
    let net = FlowNetwork(), source = net.node(), sink = net.node()
    let day = (0..<w.dayCount).map { _ in net.node(to: sink, perDay ?? FlowNetwork.unlimited) }
    let slot = (0..<w.slotCount).map { net.node(to: day[w.day($0)], 1) }
    needDays(w, net, source, needs, slot)
    return net.maxFlow(from: source, to: sink)
}
