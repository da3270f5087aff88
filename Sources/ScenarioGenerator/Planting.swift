import ScenarioKit
import SeededRandom
import TimetableFormat

/// The planted timetable: sessions placed first, slot by slot, and the needs read off them, so the
/// scenario is known to be fully solvable.
extension Builder {
    /// Fills rooms slot by slot from what students still want. Early passes leave rooms empty at
    /// random so sessions spread over the week instead of piling into the first slots visited.
    mutating func plant() {
        let teacherTarget = Int(Double(teacherCapacity) * (0.60 + 0.15 * rng.unit()))
        // Double blocks go first, as timetablers place their largest pieces first: later they would
        // seldom find two free blocks in a row.
        if modalities.count > projectModality { fill(passes: [0.5, 1.0], teacherTarget: teacherTarget, only: projectModality) }
        fill(passes: [0.35, 0.6, 1.0], teacherTarget: teacherTarget)
        // Plans of 3-6 sessions seldom keep teachers busy enough on their own; while they are under
        // target, students with room in their week ask for more teacher-led sessions.
        if teacherSessions < teacherTarget {
            for st in students.indices { extendPlan(st) }
            fill(passes: [0.5, 1.0], teacherTarget: teacherTarget)
        }
        for st in students.indices { topUp(st) }
    }

    /// Blocks teachers lead, fixed sessions and lessons included: the measure of `teacherCapacity` and its target.
    var teacherSessions: Int {
        sessions.reduce(0) { $0 + ($1.teacher == nil ? 0 : $1.length) } + fixed.reduce(0) { $0 + $1.teachers.count * $1.length }
            + lessons.reduce(0) { $0 + $1.teachers.count * $1.course.length * $1.placed.count }
    }

    /// `only` restricts the sessions to one modality.
    mutating func fill(passes: [Double], teacherTarget: Int, only: Int? = nil) {
        var led = teacherSessions
        for chance in passes {
            for slot in rng.shuffled(Array(0..<slotCount)) {
                let roomOrder = rng.shuffled(Array(rooms.indices)).sorted { rooms[$0].capacity < rooms[$1].capacity }
                for r in roomOrder where !roomBusy[r][slot] && free(rooms[r].unavailable, slot) && rng.chance(chance) {
                    guard let s = proposeSession(slot, r, teachersAllowed: led < teacherTarget, only: only) else { continue }
                    place(s)
                    if s.teacher != nil { led += s.length }
                }
            }
        }
    }

    /// Raises a student's plan towards 6 sessions with teacher-led lines, keeping at most 4 lines and
    /// at most one session of a line per day.
    mutating func extendPlan(_ st: Int) {
        let planned = got[st].reduce(0) { $0 + $1.count } + wishes[st].reduce(0) { $0 + $1.count }
        let room = max(0, 6 - planned)
        var extra = rng.int((room + 1) / 2...room)
        for _ in 0..<12 where extra > 0 {
            let subject = rng.pick(taught)
            let key = modalities.count > projectModality && rng.chance(0.25)
                ? NeedKey(subject: projectSubject(subject), modality: projectModality)
                : NeedKey(subject: subject, modality: rng.int(0...1))
            let had = got[st].first { $0.key == key }?.count ?? 0
            if let i = wishes[st].firstIndex(where: { $0.key == key }) {
                if had + wishes[st][i].count < spec.days.count { wishes[st][i].count += 1; extra -= 1 }
            } else if wishes[st].count < 4 {
                wishes[st].append(Line(key: key, count: 1)); extra -= 1
            }
        }
    }

    mutating func proposeSession(_ slot: Int, _ r: Int, teachersAllowed: Bool, only: Int? = nil) -> PlantedSession? {
        // A multi-block modality also needs the room, and each student, in the blocks that follow.
        let runs = modalities.map { m in run(slot, m.length).flatMap { roomCanTake(r, $0) ? $0 : nil } }
        var demand: [(key: NeedKey, students: [Int])] = []
        for st in rng.shuffled(Array(students.indices)) where canAttend(st, slot) {
            for line in wishes[st] where line.count > 0 && only.map({ $0 == line.key.modality }) ?? true && roomFits(r, line.key, st)
                && !usedNeedDays[st].contains(DayNeed(key: line.key, day: day(slot))) {
                guard let slots = runs[line.key.modality], canAttend(st, slots) else { continue }
                if let i = demand.firstIndex(where: { $0.key == line.key }) { demand[i].students.append(st) } else {
                    demand.append((line.key, [st]))
                }
            }
        }
        let teacherOrder = rng.shuffled(Array(teachers.indices))
        var options: [(key: NeedKey, teacher: Int?, students: [Int])] = []
        for (key, all) in demand {
            let m = modalities[key.modality]
            let list = levelBand(all, key)
            guard list.count >= m.min, rooms[r].capacity >= m.min, let slots = runs[key.modality] else { continue }
            if !m.teacher { options.append((key, nil, list)); continue }
            if teachersAllowed, let t = teacherFor(key.subject, slots, order: teacherOrder) { options.append((key, t, list)) }
        }
        guard !options.isEmpty else { return nil }
        let chosen = options[rng.weightedIndex(options.map { Double($0.students.count) })]
        let m = modalities[chosen.key.modality]
        let upper = min(m.max, rooms[r].capacity, chosen.students.count)
        let size = m.teacher && m.max <= 3 ? rng.int(m.min...upper) : rng.int(max(m.min, (upper * 2 + 2) / 3)...upper)
        // Students with most still wanted go first so nobody is left with a thin week.
        let wanted = chosen.students.map { st in wishes[st].reduce(0) { $0 + $1.count } }
        let order = chosen.students.indices.sorted { wanted[$0] != wanted[$1] ? wanted[$0] > wanted[$1] : $0 < $1 }
        return PlantedSession(slot: slot, key: chosen.key, teacher: chosen.teacher, room: r,
                              students: order.prefix(size).map { chosen.students[$0] }, length: m.length)
    }

    /// For a levelled modality, the students of the fullest band of levels the spread allows (with
    /// everyone who has no level); otherwise all of them, in the same order.
    func levelBand(_ candidates: [Int], _ key: NeedKey) -> [Int] {
        guard let spread = modalities[key.modality].levelSpread else { return candidates }
        let subject = subjectPool.firstIndex(of: key.subject)!
        let known = candidates.compactMap { levels[$0][subject] }
        guard let lo = known.min(), let hi = known.max(), hi - lo > spread else { return candidates }
        func inBand(_ low: Int) -> Int { known.filter { (low...(low + spread)).contains($0) }.count }
        let best = (lo...(hi - spread)).max { inBand($0) < inBand($1) }!
        return candidates.filter { levels[$0][subject].map { (best...(best + spread)).contains($0) } ?? true }
    }

    /// Whether a student may join a session without stretching its levels beyond the modality's spread.
    func levelFits(_ st: Int, _ s: PlantedSession) -> Bool {
        guard let spread = modalities[s.key.modality].levelSpread else { return true }
        let subject = subjectPool.firstIndex(of: s.key.subject)!
        guard let mine = levels[st][subject] else { return true }
        return s.students.allSatisfy { other in levels[other][subject].map { abs($0 - mine) <= spread } ?? true }
    }

    /// Brings a student the greedy pass left short up to 3 sessions over 2 lines: first by joining
    /// sessions with a free seat, then with a one-to-one tutoring session of her own.
    mutating func topUp(_ st: Int) {
        func total() -> Int { got[st].reduce(0) { $0 + $1.count } }
        func short() -> Bool { total() < 3 || got[st].count < 2 }
        func acceptable(_ key: NeedKey) -> Bool {
            let known = got[st].contains { $0.key == key }
            return got[st].count < 2 ? !known : (known || got[st].count < 4)
        }
        for i in rng.shuffled(Array(sessions.indices)) where short() {
            let s = sessions[i], m = modalities[s.key.modality]
            if s.students.count < min(m.max, rooms[s.room].capacity), canAttend(st, s.slots), roomFits(s.room, s.key, st),
               acceptable(s.key), !usedNeedDays[st].contains(DayNeed(key: s.key, day: day(s.slot))), levelFits(st, s) {
                addAttendance(st, i)
            }
        }
        let teacherOrder = rng.shuffled(Array(teachers.indices))
        for slot in rng.shuffled(Array(0..<slotCount)) where short() && canAttend(st, slot) {
            for r in rooms.indices where short() && canAttend(st, slot) && roomCanTake(r, slot..<(slot + 1)) {
                for subject in rng.shuffled(taught) {
                    let key = NeedKey(subject: subject, modality: 0)
                    guard roomFits(r, key, st), acceptable(key), !usedNeedDays[st].contains(DayNeed(key: key, day: day(slot))),
                          let t = teacherFor(subject, slot..<(slot + 1), order: teacherOrder) else { continue }
                    place(PlantedSession(slot: slot, key: key, teacher: t, room: r, students: [st], length: 1))
                    break
                }
            }
        }
    }

    /// Needs become exactly what was planted; limits and closures are added only where the planted
    /// timetable leaves room for them. Daily limits count blocks, fixed sessions' included.
    mutating func finishPlanted() {
        for st in students.indices {
            students[st].needs = needs(from: got[st])
            var perDay = Array(repeating: 0, count: spec.days.count)
            for s in sessions where s.students.contains(st) { perDay[day(s.slot)] += s.length }
            for f in fixed where f.attendees.contains(st) { perDay[day(f.slot)] += f.length }
            for l in lessons where l.attendees.contains(st) { for p in l.placed { perDay[day(p.slot)] += l.course.length } }
            if rng.chance(0.2), let most = perDay.max(), most > 0 { students[st].maxPerDay = most + rng.int(0...1) }
        }
        let busy = roomBusy
        closeSomeRooms { r, slot in !busy[r][slot] }
    }

    /// The planted week in timetable form: in each slot the fixed sessions first, then the lessons,
    /// then the flexible sessions by room.
    func plantedTimetable(_ scenario: Scenario) -> Timetable {
        func at(_ slot: Int) -> (day: String, block: String) { (spec.days[day(slot)].rawValue, blocks[slot % spec.blocksPerDay].id) }
        let fixedHeld = fixed.enumerated().sorted { ($0.element.slot, $0.offset) < ($1.element.slot, $1.offset) }.map { _, f in
            (f.slot, Timetable.Session(fixed: f.id, title: f.title, day: at(f.slot).day, block: at(f.slot).block, length: f.length,
                                       teachers: f.teachers.map { teachers[$0].id }, room: f.room.map { rooms[$0].id },
                                       students: scenario.attendees(of: fixedSession(f))))
        }
        let held = (fixedHeld.map { ($0.0, 0, $0.1) } + lessonSessions(scenario).map { ($0.slot, 1, $0.session) })
            .enumerated().sorted { ($0.element.0, $0.element.1, $0.offset) < ($1.element.0, $1.element.1, $1.offset) }
            .map { ($0.element.0, $0.element.2) }
        let planned = sessions.sorted { ($0.slot, $0.room) < ($1.slot, $1.room) }.map { s in
            (s.slot, Timetable.Session(day: at(s.slot).day, block: at(s.slot).block, length: s.length, subject: s.key.subject,
                                       modality: modalities[s.key.modality].id, teacher: s.teacher.map { teachers[$0].id },
                                       room: rooms[s.room].id, students: s.students.sorted().map { students[$0].id }))
        }
        var merged: [Timetable.Session] = []
        var i = 0
        for (slot, session) in planned {
            while i < held.count, held[i].0 <= slot { merged.append(held[i].1); i += 1 }
            merged.append(session)
        }
        merged += held[i...].map(\.1)
        return Timetable(scenario: spec.name, status: .feasible, objective: nil, bound: nil, gap: nil,
                         sessions: merged, unmet: [])
    }
}
