import ScenarioKit

/// The validated scenario turned into dense integer indices, so the builder and the search work on
/// arrays. Slot `p` is day `p / blocksPerDay`, block `p % blocksPerDay` (blocks in time order).
package struct Instance: Sendable {
    /// What sessions are planned for: one (subject, modality), or for a modality with `level-spread: k`
    /// one per level window [L, L + k] (the maximal ones among the levels present). A need belongs to
    /// every window holding its level (a need without a level to all of them), so any group the rule
    /// allows lies in some window, and a session, which holds one activity, never breaks the spread.
    package struct Activity: Sendable {
        package var subject: String
        package var modality: String
        package var min: Int
        package var max: Int
        package var teacherLed: Bool
        package var roomFeatures: Set<String>
        package var qualifiedTeachers: [Int]
        package var fittingRooms: [Int]
        /// Needs (student, need index) that ask for this activity.
        package var demand: [NeedRef]
        /// Consecutive blocks each session fills.
        package var length: Int
        /// The lowest level of its window, for modalities with `level-spread`.
        package var band: Int?
        /// Whether a session may start at slot `p`: its run stays within the day and crosses no break.
        package var canStart: [Bool]
        /// Whether some need in `demand` asks for one teacher only, so a group depends on who leads it.
        package var hasRequestedTeacher = false
        /// Whether some student in `demand` must be kept apart from someone, so a group is not just
        /// the first students who fit.
        package var hasApart = false
    }

    package struct NeedRef: Sendable, Hashable {
        package var student: Int
        package var need: Int
        package init(student: Int, need: Int) { self.student = student; self.need = need }
    }

    package struct NeedInfo: Sendable {
        /// Its first activity: the one it is reported and explained under.
        package var activity: Int
        /// Every activity whose sessions it may join (several level windows, else just `activity`).
        package var activities: [Int]
        package var sessions: Int
        package var priority: Priority
        /// `prefer-teacher`, as teacher indices.
        package var preferred: [Int]
        /// `teacher`: the only one who may lead its sessions.
        package var requested: Int?
    }

    package struct StudentInfo: Sendable {
        package var available: [Bool]
        package var maxPerDay: Int
        package var requires: Set<String>
        /// Per need, in the scenario's order.
        package var needs: [NeedInfo]
        /// Students she must never share a session with (both directions of every `apart`).
        package var apart: [Int]
    }

    package struct TeacherInfo: Sendable {
        package var subjects: Set<String>
        package var available: [Bool]
        package var maxPerDay: Int
        package var maxPerWeek: Int
        /// Her `max-days`, or every day of the week.
        package var maxDays: Int
        /// Her `max-in-a-row`, or the whole day.
        package var maxInARow: Int
        /// Slots in her `prefer-not` list.
        package var preferNot: [Bool]
        /// Her `aim-per-week`; nil without one.
        package var aimPerWeek: Int?
    }

    /// A fixed session: the slots it fills and who it occupies there.
    package struct FixedInfo: Sendable {
        package var slots: [Int]
        package var students: [Int]
        package var teachers: [Int]
        package var room: Int?
    }

    package struct RoomInfo: Sendable {
        package var available: [Bool]
        package var capacity: Int
        package var features: Set<String>
    }

    package let scenario: Scenario
    package let dayCount: Int
    package let blocksPerDay: Int
    /// Scenario block indices in time order.
    package let blockOrder: [Int]
    /// Per block position in time order: whether a break comes before it (`break-before`).
    package let breakBefore: [Bool]
    package var slotCount: Int { dayCount * blocksPerDay }
    package let activities: [Activity]
    package let students: [StudentInfo]
    package let teachers: [TeacherInfo]
    package let rooms: [RoomInfo]
    package let fixed: [FixedInfo]
    /// Class lessons (`Lessons.swift`); `rooms` and `canStart` are set from the catalogue after indexing.
    package var lessons: [LessonInfo]
    /// Whether any lesson has `ends-day`: most weeks have none, and every start asks.
    package let anyLessonEndsDay: Bool
    /// The scenario's classes without parts, which lessons occupy.
    package let leafClasses: [String]
    package let leafAvailable: [[Bool]]
    package let leafMaxPerDay: [Int?]
    /// Needed sessions per priority, for the lexicographic unmet weights.
    package let sessionsByPriority: [Priority: Int]
    /// Per room, whether it has every feature the activity's modality needs (`[activity][room]`), and
    /// whether it has every feature the students of one `requires` list need (`[class][room]`, a
    /// student's class in `requirementClass`): `roomFits` is asked millions of times while a large
    /// week is built, and comparing sets of words each time was most of that time.
    private let activityRoomFit: [[Bool]]
    private let requirementRoomFit: [[Bool]]
    private let requirementClass: [Int]
    /// Per scenario day (index), the scenario day that is the next calendar day in the same week,
    /// and the one before it: Sun then Mon in a Sunday-Thursday week, whatever order `days` lists.
    package let nextDay: [Int?]
    package let previousDay: [Int?]

    /// How many pairs of neighbouring calendar days a set of scenario days (bit d for day d) holds:
    /// a need met on both days of a pair is one consecutive-day repeat.
    package func neighbouringPairs(in days: UInt64) -> Int {
        nextDay.enumerated().count { d, next in
            next.map { days & (1 << UInt64(d)) != 0 && days & (1 << UInt64($0)) != 0 } ?? false
        }
    }

    /// Who may ever serve an activity. The rule catalogue's entries decide it (a teacher who teaches
    /// the subject, a room with the modality's features: `ModelRule` in Scheduler), so whoever builds
    /// the index hands them in; the index itself knows no rule.
    package struct Pools: Sendable {
        package var teacherQualifies: @Sendable (_ t: Int, _ teacher: TeacherInfo, _ activity: Activity) -> Bool
        package var roomQualifies: @Sendable (_ room: RoomInfo, _ activity: Activity) -> Bool
        package init(teacherQualifies: @escaping @Sendable (Int, TeacherInfo, Activity) -> Bool,
                     roomQualifies: @escaping @Sendable (RoomInfo, Activity) -> Bool) {
            self.teacherQualifies = teacherQualifies
            self.roomQualifies = roomQualifies
        }
    }

    package init(_ validated: ValidatedScenario, pools: Pools) {
        let scenario = validated.scenario
        self.scenario = scenario
        dayCount = scenario.days.count
        blocksPerDay = scenario.blocks.count
        let blockOrder = scenario.blocks.indices.sorted { scenario.blocks[$0].start < scenario.blocks[$1].start }
        self.blockOrder = blockOrder
        let slots = (0..<(scenario.days.count * scenario.blocks.count)).map { p in
            (day: scenario.days[p / scenario.blocks.count], block: scenario.blocks[blockOrder[p % scenario.blocks.count]].id)
        }
        func availability(_ unavailable: [SlotRef]) -> [Bool] {
            slots.map { isAvailable(unavailable, day: $0.day, block: $0.block) }
        }

        let rooms = scenario.rooms.map { RoomInfo(available: availability($0.unavailable), capacity: $0.capacity, features: Set($0.features)) }
        let teachers = scenario.teachers.map {
            TeacherInfo(subjects: Set($0.subjects), available: availability($0.unavailable), maxPerDay: $0.maxPerDay ?? scenario.blocks.count,
                        maxPerWeek: $0.maxPerWeek ?? slots.count, maxDays: $0.maxDays ?? scenario.days.count,
                        maxInARow: $0.maxInARow ?? scenario.blocks.count, preferNot: availability($0.preferNot).map { !$0 }, aimPerWeek: $0.aimPerWeek)
        }
        self.rooms = rooms
        self.teachers = teachers
        let teacherIndex = firstIndices(scenario.teachers.map(\.id)), studentIndex = firstIndices(scenario.students.map(\.id))
        let roomIndex = firstIndices(scenario.rooms.map(\.id)), blockPosition = firstIndices(blockOrder.map { scenario.blocks[$0].id })
        // A run of `length` blocks may start at position b when it ends by the day's end and no block
        // after its first starts after a break.
        let breakAt = blockOrder.map { scenario.blocks[$0].breakBefore }
        breakBefore = breakAt
        func startPositions(_ length: Int) -> [Bool] {
            (0..<blockOrder.count).map { b in b + length <= blockOrder.count && !breakAt[(b + 1)..<(b + length)].contains(true) }
        }
        let windows = levelWindows(scenario)

        var activityIndex: [String: Int] = [:]
        var activities: [Activity] = []
        var students: [StudentInfo] = []
        var byPriority: [Priority: Int] = [:]
        for (s, student) in scenario.students.enumerated() {
            var needs: [NeedInfo] = []
            for (n, need) in student.needs.enumerated() {
                let requested = need.teacher.flatMap { teacherIndex[$0] }
                let bands: [Int?] = windows[WindowKey(subject: need.subject, modality: need.modality)].map { starts in
                    let spread = scenario.modality(need.modality)?.levelSpread ?? 0
                    return starts.filter { start in
                        guard let start, let level = need.level else { return true }
                        return (start...(start + spread)).contains(level)
                    }
                } ?? [nil]
                var mine: [Int] = []
                for band in bands {
                let key = [need.subject, need.modality, band.map(String.init) ?? ""].joined(separator: "\u{0}")
                if activityIndex[key] == nil, let modality = scenario.modality(need.modality) {
                    activityIndex[key] = activities.count
                    let starts = startPositions(modality.length)
                    var activity = Activity(
                        subject: need.subject, modality: modality.id, min: modality.min, max: modality.max,
                        teacherLed: modality.teacher, roomFeatures: Set(modality.roomFeatures), qualifiedTeachers: [], fittingRooms: [],
                        demand: [], length: modality.length, band: band,
                        canStart: slots.indices.map { starts[$0 % blockOrder.count] })
                    activity.qualifiedTeachers = teachers.indices.filter { t in
                        pools.teacherQualifies(t, teachers[t], activity)
                    }
                    activity.fittingRooms = rooms.indices.filter { r in
                        pools.roomQualifies(rooms[r], activity)
                    }
                    activities.append(activity)
                }
                guard let a = activityIndex[key] else { continue }
                activities[a].demand.append(NeedRef(student: s, need: n))
                mine.append(a)
                }
                guard let a = mine.first else { continue }
                needs.append(NeedInfo(activity: a, activities: mine, sessions: need.sessions, priority: need.priority,
                                      preferred: need.preferTeachers.compactMap { teacherIndex[$0] },
                                      requested: scenario.modality(need.modality)?.teacher == true ? requested : nil))
                byPriority[need.priority, default: 0] += need.sessions
            }
            students.append(StudentInfo(available: availability(student.unavailable),
                                        maxPerDay: student.maxPerDay ?? scenario.blocks.count,
                                        requires: Set(student.requires), needs: needs, apart: []))
        }
        for (s, student) in scenario.students.enumerated() {
            for q in student.apart.compactMap({ studentIndex[$0] }) where q != s {
                if !students[s].apart.contains(q) { students[s].apart.append(q) }
                if !students[q].apart.contains(s) { students[q].apart.append(s) }
            }
        }
        for a in activities.indices {
            activities[a].hasRequestedTeacher = activities[a].demand.contains { students[$0.student].needs[$0.need].requested != nil }
            activities[a].hasApart = activities[a].demand.contains { !students[$0.student].apart.isEmpty }
        }
        self.activities = activities
        self.students = students
        activityRoomFit = activities.map { act in rooms.map { act.roomFeatures.isSubset(of: $0.features) } }
        var classes: [Set<String>: Int] = [:]
        requirementClass = students.map { student in
            if let known = classes[student.requires] { return known }
            classes[student.requires] = classes.count
            return classes.count - 1
        }
        var byClass = Array(repeating: [Bool](), count: classes.count)
        for (requires, c) in classes { byClass[c] = rooms.map { requires.isSubset(of: $0.features) } }
        requirementRoomFit = byClass
        sessionsByPriority = byPriority
        let dayIndex = firstIndices(scenario.days.map(\.rawValue))
        fixed = scenario.fixed.compactMap { session in
            guard let d = dayIndex[session.day.rawValue], let b = blockPosition[session.block] else { return nil }
            return FixedInfo(slots: (0..<session.length).map { d * blockOrder.count + b + $0 },
                             students: scenario.attendees(of: session).compactMap { studentIndex[$0] },
                             teachers: session.teachers.compactMap { teacherIndex[$0] }, room: session.room.flatMap { roomIndex[$0] })
        }
        (nextDay, previousDay) = calendarNeighbours(scenario.days)
        let lessonIndex = Instance.lessonIndex(scenario, slots: slots, blocksPerDay: blockOrder.count, startPositions: startPositions)
        lessons = lessonIndex.lessons
        anyLessonEndsDay = lessonIndex.lessons.contains(where: \.endsDay)
        leafClasses = lessonIndex.leafClasses
        leafAvailable = lessonIndex.leafAvailable
        leafMaxPerDay = lessonIndex.leafMaxPerDay
    }

    package func day(of slot: Int) -> Int { slot / blocksPerDay }
    /// The slots a session of activity `a` starting at `p` fills.
    package func covered(_ a: Int, from p: Int) -> Range<Int> { p..<(p + activities[a].length) }
    package func block(of slot: Int) -> Int { slot % blocksPerDay }
    package func slots(ofDay day: Int) -> Range<Int> { (day * blocksPerDay)..<((day + 1) * blocksPerDay) }

    package func dayName(of slot: Int) -> String { scenario.days[day(of: slot)].rawValue }
    package func blockId(of slot: Int) -> String { scenario.blocks[blockOrder[block(of: slot)]].id }

    /// Whether room `r` may host student `s` in activity `a`.
    package func roomFits(_ r: Int, activity a: Int, student s: Int) -> Bool {
        activityRoomFit[a][r] && requirementRoomFit[requirementClass[s]][r]
    }

    package func seats(_ r: Int, activity a: Int) -> Int { min(activities[a].max, rooms[r].capacity) }



    package var totalSessionsNeeded: Int { students.reduce(0) { $0 + $1.needs.reduce(0) { $0 + $1.sessions } } }

    /// The activity a timetable session belongs to: the first of its subject and modality that all its
    /// students' needs may join (a level window holding all their levels), else the first of them.
    package func activity(subject: String, modality: String, students ids: [Int]) -> Int? {
        let candidates = activities.indices.filter { activities[$0].subject == subject && activities[$0].modality == modality }
        return candidates.first { a in ids.allSatisfy { s in students[s].needs.contains { $0.activities.contains(a) } } } ?? candidates.first
    }

    /// Whether two activities serve the same need (subject and modality), whatever their level window.
    package func sameNeed(_ a: Int, _ b: Int) -> Bool {
        activities[a].subject == activities[b].subject && activities[a].modality == activities[b].modality
    }
}

package struct WindowKey: Hashable {
    package var subject: String, modality: String
}

/// Level windows per (subject, modality) of a modality with `level-spread: k`: the lowest level of
/// each window [L, L + k] whose set of present levels no other window's contains. Any group within
/// the spread lies inside one of them. Without any level, one window holds everyone.
package func levelWindows(_ scenario: Scenario) -> [WindowKey: [Int?]] {
    var levels: [WindowKey: Set<Int>] = [:]
    for student in scenario.students {
        for need in student.needs where scenario.modality(need.modality)?.levelSpread != nil {
            levels[WindowKey(subject: need.subject, modality: need.modality), default: []].formUnion(need.level.map { [$0] } ?? [])
        }
    }
    var windows: [WindowKey: [Int?]] = [:]
    for (key, present) in levels {
        let spread = scenario.modality(key.modality)!.levelSpread!
        let sorted = present.sorted()
        guard !sorted.isEmpty else { windows[key] = [nil]; continue }
        // Windows starting at a present level cover every maximal set; keep those not inside another.
        let sets = sorted.map { start in (start, Set(sorted.filter { $0 >= start && $0 <= start + spread })) }
        windows[key] = sets.filter { start, set in !sets.contains { $0.0 != start && set.isSubset(of: $0.1) && set != $0.1 } }
            .reduce(into: [(Int, Set<Int>)]()) { kept, window in
                if !kept.contains(where: { $0.1 == window.1 }) { kept.append(window) }
            }.map { Optional($0.0) }
    }
    return windows
}

package func firstIndices(_ keys: [String]) -> [String: Int] {
    Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
}

/// Calendar neighbours within one school week. The week starts after the longest run of days without
/// school (Sunday in a Sunday-Thursday week); in a seven-day week, at the first listed day. A pair that
/// would cross from the week's last day into the next week's first is not a neighbour.
package func calendarNeighbours(_ days: [Weekday]) -> (next: [Int?], previous: [Int?]) {
    let position = Dictionary(days.enumerated().map { ($1.ordinal, $0) }, uniquingKeysWith: { a, _ in a })
    var weekStart = days.first?.ordinal ?? 0
    var longestGap = 0
    for day in days {
        var gap = 0
        while gap < 7, position[(day.ordinal + 7 - gap - 1) % 7] == nil { gap += 1 }
        if gap > longestGap { (longestGap, weekStart) = (gap, day.ordinal) }
    }
    var next = [Int?](repeating: nil, count: days.count), previous = [Int?](repeating: nil, count: days.count)
    for (i, day) in days.enumerated() {
        let following = (day.ordinal + 1) % 7
        if following != weekStart, let j = position[following], j != i {
            next[i] = j
            previous[j] = i
        }
    }
    return (next, previous)
}
