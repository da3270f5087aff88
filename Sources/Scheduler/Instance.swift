import ScenarioKit

/// The validated scenario turned into dense integer indices, so the builder and the search work on
/// arrays. Slot `p` is day `p / blocksPerDay`, block `p % blocksPerDay` (blocks in time order).
package struct Instance: Sendable {
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
    }

    package struct NeedRef: Sendable, Hashable {
        package var student: Int
        package var need: Int
    }

    package struct StudentInfo: Sendable {
        package var available: [Bool]
        package var maxPerDay: Int
        package var requires: Set<String>
        /// (activity, sessions) per need, in the scenario's order.
        package var needs: [(activity: Int, sessions: Int)]
    }

    package struct TeacherInfo: Sendable {
        package var subjects: Set<String>
        package var available: [Bool]
        package var maxPerDay: Int
        package var maxPerWeek: Int
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
                        maxPerWeek: $0.maxPerWeek ?? slots.count)
        }

        self.rooms = rooms
        self.teachers = teachers
        var activityIndex: [String: Int] = [:]
        var activities: [Activity] = []
        var students: [StudentInfo] = []
        for (s, student) in scenario.students.enumerated() {
            var needs: [(Int, Int)] = []
            for (n, need) in student.needs.enumerated() {
                let key = need.subject + "\u{0}" + need.modality
                if activityIndex[key] == nil, let modality = scenario.modality(need.modality) {
                    activityIndex[key] = activities.count
                    let features = Set(modality.roomFeatures)
                    var activity = Activity(
                        subject: need.subject, modality: modality.id, min: modality.min, max: modality.max,
                        teacherLed: modality.teacher, roomFeatures: features, qualifiedTeachers: [], fittingRooms: [], demand: [])
                    activity.qualifiedTeachers = teachers.indices.filter { t in
                        ModelRule.all.allSatisfy { $0.teacherQualifies?(teachers[t], activity) ?? true }
                    }
                    activity.fittingRooms = rooms.indices.filter { r in
                        ModelRule.all.allSatisfy { $0.roomQualifies?(rooms[r], activity) ?? true }
                    }
                    activities.append(activity)
                }
                let a = activityIndex[key]!
                activities[a].demand.append(NeedRef(student: s, need: n))
                needs.append((a, need.sessions))
            }
            students.append(StudentInfo(available: availability(student.unavailable),
                                        maxPerDay: student.maxPerDay ?? scenario.blocks.count,
                                        requires: Set(student.requires), needs: needs))
        }
        self.activities = activities
        self.students = students
        (nextDay, previousDay) = calendarNeighbours(scenario.days)
    }

    package func day(of slot: Int) -> Int { slot / blocksPerDay }
    package func block(of slot: Int) -> Int { slot % blocksPerDay }
    package func slots(ofDay day: Int) -> Range<Int> { (day * blocksPerDay)..<((day + 1) * blocksPerDay) }

    package func dayName(of slot: Int) -> String { scenario.days[day(of: slot)].rawValue }
    package func blockId(of slot: Int) -> String { scenario.blocks[blockOrder[block(of: slot)]].id }

    /// Whether room `r` may host student `s` in activity `a`.
    package func roomFits(_ r: Int, activity a: Int, student s: Int) -> Bool {
        activities[a].roomFeatures.isSubset(of: rooms[r].features) && students[s].requires.isSubset(of: rooms[r].features)
    }

    package func seats(_ r: Int, activity a: Int) -> Int { min(activities[a].max, rooms[r].capacity) }

    package var totalSessionsNeeded: Int { students.reduce(0) { $0 + $1.needs.reduce(0) { $0 + $1.sessions } } }
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
