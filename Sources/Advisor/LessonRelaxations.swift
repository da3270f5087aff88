import Diagnosis
import Rules
import ScenarioKit
import Scheduler
import TimetableFormat
import WeekIndex

// Explain's candidate changes for class lessons the timetable leaves unplaced, chosen from what binds
// each one, so that no trial is spent on a change that cannot help:
// - a change of when or with whom the lesson may be (a day of its teachers, classes or students, a
//   co-teacher, one-block lessons) only if it opens a start the lesson lacks now, in the week with
//   only the fixed sessions placed;
// - a change of its rooms (a room's day, another room, a room's features or seats) only if it opens
//   a start, or, when rooms refused it (`R8.lesson-room`), a room at a start it has;
// - a change of what the rest of the week leaves it (its spacing, a teacher's load limit, a pin of
//   another lesson, a co-teacher) only if the rule it relaxes refused the lesson somewhere in this
//   timetable (the unplaced entry's `rules`) or belongs to a pre-solve proof that covers it, and a
//   limit only for a teacher who has reached it.
// Whether a candidate places anything is then for the checked re-solve to show.

/// The candidates of every unplaced lesson, the most sessions missing first, each lesson's smallest
/// changes first.
func lessonRelaxations(_ validated: ValidatedScenario, _ timetable: Timetable) -> [Relaxation] {
    let week = LessonWeek(validated, timetable)
    let order = Dictionary(validated.lessons.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    return timetable.unplacedLessons.sorted { ($1.missing, order[$0.lesson] ?? 0) < ($0.missing, order[$1.lesson] ?? 0) }
        .flatMap(week.candidates)
}

/// Where a lesson could be with only the fixed sessions placed: the starts where some room it may use
/// is free for the whole run (a room-less lesson: where nothing else refuses it), each such start
/// with each such room (a start times rooms + 1, plus the room's index, or rooms for none), and the
/// slots those runs cover.
private struct Reach {
    var starts: Set<Int> = [], withRooms: Set<Int> = [], slots: Set<Int> = []

    init(_ instance: Instance, lesson l: Int) {
        let plan = Plan(instance), info = instance.lessons[l], none = instance.rooms.count
        let rooms: [Int?] = info.needsRoom ? Array(instance.rooms.indices) : [nil]
        for p in 0..<instance.slotCount where info.runFits[p] {
            for r in rooms where plan.lessonViolation(l, at: p, room: r) == nil {
                starts.insert(p)
                withRooms.insert(p * (none + 1) + (r ?? none))
                slots.formUnion(instance.covered(lesson: l, from: p))
            }
        }
    }
}

private struct LessonWeek {
    let validated: ValidatedScenario
    let instance: Instance
    /// The timetable read back, for the loads its teachers have reached.
    let plan: Plan
    let findings: [Finding]

    init(_ validated: ValidatedScenario, _ timetable: Timetable) {
        self.validated = validated
        instance = Instance(validated)
        plan = Plan(rebuilding: timetable, instance)
        findings = diagnose(validated)
    }

    func candidates(for entry: Timetable.Unplaced) -> [Relaxation] {
        let scenario = validated.scenario
        guard let l = scenario.lessons.firstIndex(where: { $0.id == entry.lesson }) else { return [] }
        let lesson = scenario.lessons[l], info = instance.lessons[l]
        let binds = Set(entry.rules ?? []).union(findings.filter { $0.unplaced.contains { $0.lessons.contains(lesson.id) } }.flatMap(\.rules))
        let now = Reach(instance, lesson: l)
        var found: [Relaxation] = []
        let roomsBind = binds.contains(Rule.lessonRoom.id) || binds.contains(Rule.lessonRoomSize.id)
        /// Keeps a change of where the lesson may be if, at its most generous, it opens what it lacks
        /// now: a start, or (`rooms`, when rooms bind) a room at a start, or (`slots`) a block none of
        /// its runs covers.
        func ifItOpens(_ relaxation: Relaxation, _ opening: Opening) {
            guard let relaxed = try? relaxation.apply(relaxation.values.upperBound).validated(requireServiceable: false) else { return }
            let after = Reach(Instance(relaxed), lesson: l)
            let opens = switch opening {
            case .starts: !after.starts.isSubset(of: now.starts)
            case .rooms: !after.starts.isSubset(of: now.starts) || (roomsBind && !after.withRooms.isSubset(of: now.withRooms))
            case .slots: !after.slots.isSubset(of: now.slots)
            }
            if opens { found.append(relaxation) }
        }
        func change(_ words: String, _ edit: (inout Scenario) -> Void) -> Relaxation {
            var s = scenario
            edit(&s)
            return Relaxation(words, s)
        }
        let days = { (unavailable: [SlotRef]) in Set(unavailable.map(\.weekday)).sorted() }

        if lesson.minDaysApart > 0, binds.contains(Rule.lessonDaysApart.id) {
            let apart = lesson.minDaysApart
            found.append(Relaxation(key: "min-days-apart \(lesson.id)", values: 1...apart,
                                    describe: { "lower \(lesson.title)'s min-days-apart from \(apart) to \(apart - $0)" },
                                    apply: { var s = scenario; s.lessons[l].minDaysApart = apart - $0; return s }))
        }
        for t in info.teachers {
            for day in days(scenario.teachers[t].unavailable) {
                ifItOpens(change("make \(scenario.teachers[t].name) available on \(day.longName)") { $0.teachers[t].unavailable.removeAll { $0.weekday == day } }, .starts)
            }
        }
        let classes = orderedUnique(lesson.classes.flatMap { scenario.classAndParts($0) + scenario.classesContaining($0) })
        for k in scenario.classes.indices where classes.contains(scenario.classes[k].id) {
            for day in days(scenario.classes[k].unavailable) {
                ifItOpens(change("let \(scenario.classes[k].name) have lessons on \(day.longName)") { $0.classes[k].unavailable.removeAll { $0.weekday == day } }, .starts)
            }
        }
        for s in info.students {
            for day in days(scenario.students[s].unavailable) {
                ifItOpens(change("make \(scenario.students[s].name) available on \(day.longName)") { $0.students[s].unavailable.removeAll { $0.weekday == day } }, .starts)
            }
        }
        if lesson.needsRoom { roomCandidates(l, ifItOpens, change) }
        found += limitCandidates(l, binds, missing: entry.missing)
        found += pinCandidates(l, binds, near: now.slots)
        // A colleague of the subject in a teacher's place, or a co-taught lesson with one teacher fewer.
        let teacherRulesBind = !binds.isDisjoint(with: [Rule.teacherDoubleBooked, .teacherDailyLimit, .teacherWeeklyLimit].map(\.id))
        let keep = { (relaxation: Relaxation) in if teacherRulesBind { found.append(relaxation) } else { ifItOpens(relaxation, .starts) } }
        for t in info.teachers {
            let name = scenario.teachers[t].name, id = scenario.teachers[t].id
            for colleague in scenario.teachers where colleague.subjects.contains(lesson.subject) && !lesson.teachers.contains(colleague.id) {
                keep(change("let \(colleague.name) teach \(lesson.title) instead of \(name)") { s in
                    s.lessons[l].teachers = s.lessons[l].teachers.map { $0 == id ? colleague.id : $0 }
                })
            }
            if lesson.teachers.count > 1 {
                keep(change("let \(lesson.title) be taught without \(name)") { $0.lessons[l].teachers.removeAll { $0 == id } })
            }
        }
        if lesson.length > 1 {
            let singles = lesson.sessions * lesson.length
            ifItOpens(change("split \(lesson.title) into \(singles) one-block lessons a week that may share a day (now \(lesson.sessions) of \(lesson.length) blocks)") {
                $0.lessons[l].sessions = singles
                $0.lessons[l].length = 1
                $0.lessons[l].minDaysApart = 0
            }, .slots)
        }
        return found
    }

    /// Rooms: a closed day of a room it may use, another room for its list, a feature it needs
    /// added to a room it may use, or seats for its classes.
    private func roomCandidates(_ l: Int, _ ifItOpens: (Relaxation, Opening) -> Void, _ change: (String, (inout Scenario) -> Void) -> Relaxation) {
        let scenario = validated.scenario, lesson = scenario.lessons[l], info = instance.lessons[l]
        for r in info.rooms {
            for day in Set(scenario.rooms[r].unavailable.map(\.weekday)).sorted() {
                ifItOpens(change("open \(scenario.rooms[r].name) on \(day.longName)") { $0.rooms[r].unavailable.removeAll { $0.weekday == day } }, .rooms)
            }
        }
        for r in scenario.rooms.indices where !lesson.rooms.isEmpty && !lesson.rooms.contains(scenario.rooms[r].id) {
            ifItOpens(change("let \(lesson.title) use \(scenario.rooms[r].name)") { $0.lessons[l].rooms.append(scenario.rooms[r].id) }, .rooms)
        }
        let listed = scenario.rooms.indices.filter { lesson.rooms.isEmpty || lesson.rooms.contains(scenario.rooms[$0].id) }
        for feature in info.roomFeatures.union(info.requires).sorted() {
            for r in listed where !scenario.rooms[r].features.contains(feature) {
                ifItOpens(change("add \(feature) to \(scenario.rooms[r].name)") { $0.rooms[r].features.append(feature) }, .rooms)
            }
        }
        for r in listed where scenario.rooms[r].capacity < info.seats {
            let room = scenario.rooms[r]
            ifItOpens(Relaxation(key: "capacity \(room.id)", values: (room.capacity + 1)...info.seats,
                                 describe: { "seat \($0) in \(room.name) (now \(room.capacity))" },
                                 apply: { var s = scenario; s.rooms[r].capacity = $0; return s }), .rooms)
        }
    }

    /// A teacher's daily or weekly limit, for a teacher of the lesson who has reached it.
    private func limitCandidates(_ l: Int, _ binds: Set<String>, missing: Int) -> [Relaxation] {
        let scenario = validated.scenario, length = instance.lessons[l].length
        var found: [Relaxation] = []
        for t in instance.lessons[l].teachers {
            let teacher = scenario.teachers[t]
            if binds.contains(Rule.teacherDailyLimit.id), let limit = teacher.maxPerDay, limit < scenario.blocks.count,
               plan.teacherDayLoad[t].contains(where: { $0 + length > limit }) {
                found.append(Relaxation(key: "max-per-day \(teacher.id)", values: (limit + 1)...scenario.blocks.count,
                                        describe: { "raise \(teacher.name)'s max-per-day from \(limit) to \($0)" },
                                        apply: { var s = scenario; s.teachers[t].maxPerDay = $0; return s }))
            }
            // No higher than the blocks she can be at school in the week.
            if binds.contains(Rule.teacherWeeklyLimit.id), let limit = teacher.maxPerWeek, plan.teacherWeekLoad[t] + length > limit,
               case let most = min(limit + missing * length, instance.teachers[t].available.count(where: { $0 })), most > limit {
                found.append(Relaxation(key: "max-per-week \(teacher.id)", values: (limit + 1)...most,
                                        describe: { "raise \(teacher.name)'s max-per-week from \(limit) to \($0)" },
                                        apply: { var s = scenario; s.teachers[t].maxPerWeek = $0; return s }))
            }
        }
        return found
    }

    /// Pins (`at`) in the way: its own, when its spacing binds; another lesson's that holds one of its
    /// teachers, classes, students or rooms in a block it could otherwise use (`near`), when that
    /// clash binds. Removing the pin lets the solver place that lesson wherever it fits best.
    private func pinCandidates(_ l: Int, _ binds: Set<String>, near: Set<Int>) -> [Relaxation] {
        let scenario = validated.scenario, mine = instance.lessons[l]
        var found: [Relaxation] = []
        func unpin(_ m: Int, _ pin: SlotRef) {
            var s = scenario
            s.lessons[m].at.removeAll { $0 == pin }
            found.append(Relaxation("unpin \(scenario.lessons[m].title) from \(words(pin)) (the solver places that lesson)", s))
        }
        if binds.contains(Rule.lessonDaysApart.id) {
            for pin in scenario.lessons[l].at { unpin(l, pin) }
        }
        for (m, other) in instance.lessons.enumerated() where m != l && !other.pinned.isEmpty {
            let clashes = (binds.contains(Rule.teacherDoubleBooked.id) && !Set(other.teachers).isDisjoint(with: mine.teachers))
                || (binds.contains(Rule.classDoubleBooked.id) && !Set(other.leaves).isDisjoint(with: mine.leaves))
                || (binds.contains(Rule.studentDoubleBooked.id) && !Set(other.students).isDisjoint(with: mine.students))
                || (binds.contains(Rule.lessonRoom.id) && mine.needsRoom && !Set(other.rooms).isDisjoint(with: mine.rooms))
            guard clashes else { continue }
            for (pin, p) in zip(scenario.lessons[m].at, other.pinned) where !near.isDisjoint(with: instance.covered(lesson: m, from: p)) {
                unpin(m, pin)
            }
        }
        return found
    }

    /// "Monday 09:00" for a pin's block.
    private func words(_ pin: SlotRef) -> String {
        guard case .block(let day, let block) = pin else { return pin.weekday.longName }
        return "\(day.longName) \(validated.blocks.first { $0.id == block }.map { "\($0.start)" } ?? block)"
    }
}

/// What a change of where a lesson may be must open to be worth a trial (`LessonWeek.candidates`).
private enum Opening { case starts, rooms, slots }

private func orderedUnique(_ ids: [String]) -> [String] {
    var seen = Set<String>()
    return ids.filter { seen.insert($0).inserted }
}
