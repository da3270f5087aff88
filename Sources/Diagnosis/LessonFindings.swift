import ScenarioKit

// v1.2's class lessons, judged before any solve from the scenario alone. A lesson must go where its
// teachers, its classes (with their parts and the classes above them), its students and a room it
// may use are all free, and fixed sessions hold their people and rooms; these proofs count what
// that leaves. Flex sessions are not counted: a need may go unmet, a lesson takes precedence.

func lessonFindings(_ scenario: Scenario) -> [Found] {
    guard !scenario.lessons.isEmpty else { return [] }
    let week = LessonWeek(scenario)
    return lessonNoRoom(week) + lessonStartSlots(week) + classLessonBlocks(week) + teacherLessonBlocks(week)
}

/// Each lesson's possible starts and what they allow, computed once.
struct LessonWeek {
    let scenario: Scenario
    let blocks: [Block]
    var slotCount: Int { scenario.days.count * blocks.count }
    /// Per lesson: starts where teachers, classes and students are free and the run fits...
    var usable: [[Int]] = []
    /// ... and a room it may use is free too (every start, for a lesson that needs no room).
    var startable: [[Int]] = []
    /// Sessions that fit at most: one per day (`min-days-apart`), or runs that do not overlap.
    var placeable: [Int] = []
    /// Blocks each teacher spends in fixed sessions, per day.
    var fixedBlocks: [String: [Int]] = [:]

    init(_ scenario: Scenario) {
        self.scenario = scenario
        blocks = scenario.blocksInTimeOrder
        let slots = (0..<(scenario.days.count * blocks.count)).map { (day: scenario.days[$0 / blocks.count], block: blocks[$0 % blocks.count].id) }
        func free(_ unavailable: [SlotRef]) -> [Bool] { slots.map { isAvailable(unavailable, day: $0.day, block: $0.block) } }
        var held: [String: Set<Int>] = [:]
        for f in scenario.fixed {
            guard let d = scenario.days.firstIndex(of: f.day), let b = blocks.firstIndex(where: { $0.id == f.block }) else { continue }
            let run = (b..<min(blocks.count, b + f.length)).map { d * blocks.count + $0 }
            for id in f.teachers.map({ "t:\($0)" }) + scenario.attendees(of: f).map({ "s:\($0)" }) + (f.room.map { ["r:\($0)"] } ?? []) {
                held[id, default: []].formUnion(run)
            }
            for t in Set(f.teachers) { fixedBlocks[t, default: Array(repeating: 0, count: scenario.days.count)][d] += run.count }
        }
        func open(_ key: String, _ unavailable: [SlotRef]) -> [Bool] {
            let busy = held[key] ?? []
            return zip(free(unavailable), slots.indices).map { $0 && !busy.contains($1) }
        }
        let teacherOpen = Dictionary(scenario.teachers.map { ("t:\($0.id)", open("t:\($0.id)", $0.unavailable)) }, uniquingKeysWith: { a, _ in a })
        let studentOpen = Dictionary(scenario.students.map { ("s:\($0.id)", open("s:\($0.id)", $0.unavailable)) }, uniquingKeysWith: { a, _ in a })
        let classOpen = Dictionary(scenario.classes.map { ($0.id, free($0.unavailable)) }, uniquingKeysWith: { a, _ in a })
        let roomOpen = scenario.rooms.map { open("r:\($0.id)", $0.unavailable) }
        for lesson in scenario.lessons {
            let related = lesson.classes.flatMap { scenario.classAndParts($0) + scenario.classesContaining($0) }
            let needed = lesson.teachers.compactMap { teacherOpen["t:\($0)"] } + related.compactMap { classOpen[$0] }
                + scenario.attendees(of: lesson).compactMap { studentOpen["s:\($0)"] }
            let rooms = fittingRooms(lesson).map { roomOpen[$0] }
            var usableHere: [Int] = [], startableHere: [Int] = []
            for p in slots.indices {
                guard let run = run(p, lesson.length), run.allSatisfy({ q in needed.allSatisfy { $0[q] } }) else { continue }
                usableHere.append(p)
                if !lesson.needsRoom || rooms.contains(where: { room in run.allSatisfy { room[$0] } }) { startableHere.append(p) }
            }
            usable.append(usableHere)
            startable.append(startableHere)
            placeable.append(min(lesson.sessions, mostSessions(startableHere, lesson)))
        }
    }

    /// The slots a run of `length` blocks from slot `p` fills, if the day holds it without a break inside.
    func run(_ p: Int, _ length: Int) -> Range<Int>? {
        let b = p % blocks.count
        guard b + length <= blocks.count, !blocks[(b + 1)..<(b + length)].contains(where: \.breakBefore) else { return nil }
        return p..<(p + length)
    }

    func day(_ p: Int) -> Int { p / blocks.count }

    /// Rooms it may use (its list, its features and its students' `requires`) that seat its classes.
    func fittingRooms(_ lesson: Lesson) -> [Int] {
        let wanted = Set(lesson.roomFeatures + scenario.attendees(of: lesson).flatMap { id in scenario.students.first { $0.id == id }?.requires ?? [] })
        let seats = scenario.seats(of: lesson)
        return scenario.rooms.indices.filter { r in
            let room = scenario.rooms[r]
            return (lesson.rooms.isEmpty || lesson.rooms.contains(room.id)) && wanted.isSubset(of: room.features) && room.capacity >= seats
        }
    }

    /// With `min-days-apart` d >= 1, the most days at least d apart (earliest first is optimal); with
    /// 0, the most runs that do not overlap, day by day (earliest end first is optimal).
    func mostSessions(_ starts: [Int], _ lesson: Lesson) -> Int {
        if lesson.minDaysApart >= 1 {
            var count = 0, last: Int?
            for d in Set(starts.map(day)).sorted() where last.map({ d - $0 >= lesson.minDaysApart }) ?? true { count += 1; last = d }
            return count
        }
        var count = 0
        for d in Set(starts.map(day)) {
            var freeFrom = Int.min
            for p in starts.filter({ day($0) == d }).sorted() where p >= freeFrom { count += 1; freeFrom = p + lesson.length }
        }
        return count
    }

    /// Blocks a lesson's possible runs cover.
    func covered(_ l: Int) -> Set<Int> {
        Set(startable[l].flatMap { run($0, scenario.lessons[l].length) ?? $0..<$0 })
    }

    func name(_ l: Int) -> String { "\(scenario.lessons[l].title) (`\(scenario.lessons[l].id)`)" }
    func dayNames(_ slots: [Int]) -> String {
        let days = Set(slots.map(day)).sorted().map { scenario.days[$0].rawValue }
        return days.isEmpty ? "none" : days.joined(separator: ", ")
    }
    func students(_ l: Int) -> Int { scenario.attendees(of: scenario.lessons[l]).count }
}

/// A lesson that needs a room while no room it may use is ever free when it could be held.
func lessonNoRoom(_ w: LessonWeek) -> [Found] {
    w.scenario.lessons.indices.compactMap { l in
        let lesson = w.scenario.lessons[l]
        guard lesson.needsRoom, !w.usable[l].isEmpty, w.startable[l].isEmpty else { return nil }
        let rooms = w.fittingRooms(lesson).map { w.scenario.rooms[$0].id }
        let why = rooms.isEmpty ? "no room it may use has its features and \(plural(w.scenario.seats(of: lesson), "seat"))"
            : "the rooms it may use (\(rooms.joined(separator: ", "))) are never free when its teachers, classes and students are"
        return Found("lesson-no-room", "\(w.name(l)): \(why); all \(plural(lesson.sessions, "lesson")) stay unplaced",
                     [], unplaced: [LessonShortfall(lessons: [lesson.id], sessions: lesson.sessions)], affected: w.students(l))
    }
}

/// A lesson with fewer possible starts than sessions (counting `min-days-apart`).
func lessonStartSlots(_ w: LessonWeek) -> [Found] {
    w.scenario.lessons.indices.compactMap { l in
        let lesson = w.scenario.lessons[l]
        guard w.placeable[l] < lesson.sessions, !(lesson.needsRoom && !w.usable[l].isEmpty && w.startable[l].isEmpty) else { return nil }
        let spacing = lesson.minDaysApart >= 1 ? ", at least \(plural(lesson.minDaysApart, "day")) apart" : ""
        return Found("lesson-start-slots", "\(w.name(l)) has \(plural(lesson.sessions, "lesson")) of \(plural(lesson.length, "block"))\(spacing), "
                     + "but can start at only \(plural(w.startable[l].count, "time")) (on \(w.dayNames(w.startable[l]))) when its teachers, classes, "
                     + "students and a room it may use are all free: at most \(w.placeable[l]) fit, at least \(lesson.sessions - w.placeable[l]) stay unplaced",
                     [], unplaced: [LessonShortfall(lessons: [lesson.id], sessions: lesson.sessions - w.placeable[l])], affected: w.students(l))
    }
}

/// A class without parts has every lesson of it, of its parents and of itself one at a time: their
/// blocks must fit in the blocks any of them could use.
func classLessonBlocks(_ w: LessonWeek) -> [Found] {
    // Leaves per lesson once: FET's schools have up to 1,900 classes, and a leaf's lessons asked
    // class by class took minutes.
    let leaves = w.scenario.lessons.map { Set($0.classes.flatMap(w.scenario.leafClasses)) }
    return w.scenario.classes.filter(\.parts.isEmpty).compactMap { k in
        let mine = w.scenario.lessons.indices.filter { leaves[$0].contains(k.id) }
        return excess(w, mine) { need, room, short in
            Found("class-lesson-blocks", "\(k.name) (`\(k.id)`) has \(plural(need, "lesson block")) a week (\(listed(mine.map(w.name))))"
                  + " but only \(plural(room, "block")) in which any of them could be held: at least \(short) stay unplaced",
                  [], unplaced: [LessonShortfall(lessons: mine.map { w.scenario.lessons[$0].id }, sessions: short)],
                  affected: w.scenario.members(ofClass: k.id).count)
        }
    }
}

/// A teacher leads her lessons one at a time, within her free blocks and limits (fixed sessions count).
func teacherLessonBlocks(_ w: LessonWeek) -> [Found] {
    w.scenario.teachers.compactMap { t in
        let mine = w.scenario.lessons.indices.filter { w.scenario.lessons[$0].teachers.contains(t.id) }
        let fixed = w.fixedBlocks[t.id] ?? Array(repeating: 0, count: w.scenario.days.count)
        return excess(w, mine, perDay: t.maxPerDay.map { max in fixed.map { Swift.max(0, max - $0) } },
                      perWeek: t.maxPerWeek.map { Swift.max(0, $0 - fixed.reduce(0, +)) }) { need, room, short in
            let limits = [t.maxPerDay.map { "max-per-day \($0)" }, t.maxPerWeek.map { "max-per-week \($0)" }].compactMap { $0 }
            return Found("teacher-lesson-blocks", "\(t.name) leads \(plural(need, "lesson block")) a week (\(listed(mine.map(w.name))))"
                         + " but can teach at most \(plural(room, "block")) of them\(limits.isEmpty ? "" : " (\(limits.joined(separator: ", ")))"):"
                         + " at least \(short) stay unplaced",
                         [], unplaced: [LessonShortfall(lessons: mine.map { w.scenario.lessons[$0].id }, sessions: short)],
                         affected: Set(mine.flatMap { w.scenario.attendees(of: w.scenario.lessons[$0]) }).count)
        }
    }
}

/// Lessons sharing one resource: their placeable blocks beyond the blocks the resource has (capped
/// per day and week), in sessions of the longest length. Nil when they fit.
private func excess(_ w: LessonWeek, _ lessons: [Int], perDay: [Int]? = nil, perWeek: Int? = nil,
                    _ found: (_ need: Int, _ room: Int, _ short: Int) -> Found) -> Found? {
    guard let longest = lessons.map({ w.scenario.lessons[$0].length }).max() else { return nil }
    let need = lessons.reduce(0) { $0 + w.placeable[$1] * w.scenario.lessons[$1].length }
    let blocks = lessons.reduce(into: Set<Int>()) { $0.formUnion(w.covered($1)) }
    var room = w.scenario.days.indices.reduce(0) { sum, d in
        let today = blocks.filter { w.day($0) == d }.count
        return sum + min(today, perDay?[d] ?? today)
    }
    room = min(room, perWeek ?? room)
    guard need > room else { return nil }
    return found(need, room, (need - room + longest - 1) / longest)
}
