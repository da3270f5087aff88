import ScenarioKit

/// The validated scenario turned into dense integer indices, so the builder and the search work on
/// arrays. Slot `p` is day `p / blocksPerDay`, block `p % blocksPerDay` (blocks in time order).
package struct Instance: Sendable {
    /// What sessions are planned for: one (subject, modality), split into level bands no wider than
    /// the spread for a modality with `level-spread`. A session never mixes activities, so the spread
    /// holds by construction; the price is that neighbouring bands never share a session.
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
        /// Its level band (lowest level of the band), for modalities with `level-spread`.
        package var band: Int?
        /// Whether a session may start at slot `p`: its run stays within the day and crosses no break.
        package var canStart: [Bool]
    }

    package struct NeedRef: Sendable, Hashable {
        package var student: Int
        package var need: Int
    }

    package struct NeedInfo: Sendable {
        package var activity: Int
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
        /// Slots in her `prefer-not` list.
        package var preferNot: [Bool]
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
    package var slotCount: Int { dayCount * blocksPerDay }
    package let activities: [Activity]
    package let students: [StudentInfo]
    package let teachers: [TeacherInfo]
    package let rooms: [RoomInfo]
    package let fixed: [FixedInfo]
    /// Needed sessions per priority, for the lexicographic unmet weights.
    package let sessionsByPriority: [Priority: Int]
    /// Per scenario day (index), the scenario day that is the next calendar day in the same week,
    /// and the one before it: Sun then Mon in a Sunday-Thursday week, whatever order `days` lists.
    package let nextDay: [Int?]
    package let previousDay: [Int?]

    package init(_ validated: ValidatedScenario) {
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
                        maxPerWeek: $0.maxPerWeek ?? slots.count, preferNot: availability($0.preferNot).map { !$0 })
        }
        self.rooms = rooms
        self.teachers = teachers
        let teacherIndex = firstIndices(scenario.teachers.map(\.id)), studentIndex = firstIndices(scenario.students.map(\.id))
        let roomIndex = firstIndices(scenario.rooms.map(\.id)), blockPosition = firstIndices(blockOrder.map { scenario.blocks[$0].id })
        // A run of `length` blocks may start at position b when it ends by the day's end and no block
        // after its first starts after a break.
        let breakAt = blockOrder.map { scenario.blocks[$0].breakBefore }
        func startPositions(_ length: Int) -> [Bool] {
            (0..<blockOrder.count).map { b in b + length <= blockOrder.count && !breakAt[(b + 1)..<(b + length)].contains(true) }
        }
        let bands = levelBands(scenario)

        var activityIndex: [String: Int] = [:]
        var activities: [Activity] = []
        var students: [StudentInfo] = []
        var byPriority: [Priority: Int] = [:]
        for (s, student) in scenario.students.enumerated() {
            var needs: [NeedInfo] = []
            for (n, need) in student.needs.enumerated() {
                let requested = need.teacher.flatMap { teacherIndex[$0] }
                let band = bands[BandKey(subject: need.subject, modality: need.modality, level: need.level)] ?? nil
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
                        ModelRule.all.allSatisfy { $0.teacherQualifies?(t, teachers[t], activity) ?? true }
                    }
                    activity.fittingRooms = rooms.indices.filter { r in
                        ModelRule.all.allSatisfy { $0.roomQualifies?(rooms[r], activity) ?? true }
                    }
                    activities.append(activity)
                }
                let a = activityIndex[key]!
                activities[a].demand.append(NeedRef(student: s, need: n))
                needs.append(NeedInfo(activity: a, sessions: need.sessions, priority: need.priority,
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
        self.activities = activities
        self.students = students
        sessionsByPriority = byPriority
        let dayIndex = firstIndices(scenario.days.map(\.rawValue))
        fixed = scenario.fixed.compactMap { session in
            guard let d = dayIndex[session.day.rawValue], let b = blockPosition[session.block] else { return nil }
            return FixedInfo(slots: (0..<session.length).map { d * blockOrder.count + b + $0 },
                             students: scenario.attendees(of: session).compactMap { studentIndex[$0] },
                             teachers: session.teachers.compactMap { teacherIndex[$0] }, room: session.room.flatMap { roomIndex[$0] })
        }
        (nextDay, previousDay) = calendarNeighbours(scenario.days)
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
        activities[a].roomFeatures.isSubset(of: rooms[r].features) && students[s].requires.isSubset(of: rooms[r].features)
    }

    package func seats(_ r: Int, activity a: Int) -> Int { min(activities[a].max, rooms[r].capacity) }

    /// Whether the model forbids some groupings the rules allow (level bands split activities): then
    /// the optimum of a whole-week model is not a lower bound for every valid timetable, and is not
    /// reported as one.
    package var restrictsGrouping: Bool { activities.contains { $0.band != nil } }

    /// The teacher student `s`'s need of activity `a` asks for, if any.
    package func requestedTeacher(student s: Int, activity a: Int) -> Int? {
        students[s].needs.first { $0.activity == a }?.requested
    }

    package var totalSessionsNeeded: Int { students.reduce(0) { $0 + $1.needs.reduce(0) { $0 + $1.sessions } } }

    /// The activity a timetable session belongs to: that of its first student who has the need, else
    /// the first activity of its subject and modality.
    package func activity(subject: String, modality: String, students ids: [Int]) -> Int? {
        for s in ids {
            if let need = students[s].needs.first(where: { activities[$0.activity].subject == subject && activities[$0.activity].modality == modality }) {
                return need.activity
            }
        }
        return activities.firstIndex { $0.subject == subject && $0.modality == modality }
    }
}

struct BandKey: Hashable {
    var subject: String, modality: String, level: Int?
}

/// Level bands per (subject, modality) of a modality with `level-spread: k`: consecutive windows of
/// k + 1 levels, shifted so the levels present fall into as few bands as possible. Needs without a
/// level may join any group; they join the band with the most demand, where a group is likeliest.
func levelBands(_ scenario: Scenario) -> [BandKey: Int?] {
    var levels: [BandKey: [Int?]] = [:]
    for student in scenario.students {
        for need in student.needs where scenario.modality(need.modality)?.levelSpread != nil {
            levels[BandKey(subject: need.subject, modality: need.modality, level: nil), default: []].append(need.level)
        }
    }
    var bands: [BandKey: Int?] = [:]
    for (key, all) in levels {
        let width = scenario.modality(key.modality)!.levelSpread! + 1
        let known = all.compactMap { $0 }
        guard let lowest = known.min() else { continue }
        func band(_ level: Int, shift: Int) -> Int { lowest - shift + ((level - lowest + shift) / width) * width }
        let shift = (0..<width).min { a, b in
            Set(known.map { band($0, shift: a) }).count < Set(known.map { band($0, shift: b) }).count
        } ?? 0
        var demand: [Int: Int] = [:]
        for level in known {
            let b = band(level, shift: shift)
            bands[BandKey(subject: key.subject, modality: key.modality, level: level)] = b
            demand[b, default: 0] += 1
        }
        bands[key] = demand.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key
    }
    return bands
}

func firstIndices(_ keys: [String]) -> [String: Int] {
    Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
}

/// Calendar neighbours within one school week. The week starts after the longest run of days without
/// school (Sunday in a Sunday-Thursday week); in a seven-day week, at the first listed day. A pair that
/// would cross from the week's last day into the next week's first is not a neighbour.
func calendarNeighbours(_ days: [Weekday]) -> (next: [Int?], previous: [Int?]) {
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
