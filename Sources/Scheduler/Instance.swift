import ScenarioKit

/// The validated scenario turned into dense integer indices, so the builder and the search work on
/// arrays. Slot `p` is day `p / blocksPerDay`, block `p % blocksPerDay` (blocks in time order).
struct Instance: Sendable {
    struct Activity: Sendable {
        var subject: String
        var modality: String
        var min: Int
        var max: Int
        var teacherLed: Bool
        var roomFeatures: Set<String>
        var qualifiedTeachers: [Int]
        var fittingRooms: [Int]
        /// Needs (student, need index) that ask for this activity.
        var demand: [NeedRef]
    }

    struct NeedRef: Sendable, Hashable {
        var student: Int
        var need: Int
    }

    struct StudentInfo: Sendable {
        var available: [Bool]
        var maxPerDay: Int
        var requires: Set<String>
        /// (activity, sessions) per need, in the scenario's order.
        var needs: [(activity: Int, sessions: Int)]
    }

    struct TeacherInfo: Sendable {
        var available: [Bool]
        var maxPerDay: Int
        var maxPerWeek: Int
    }

    struct RoomInfo: Sendable {
        var available: [Bool]
        var capacity: Int
        var features: Set<String>
    }

    let scenario: Scenario
    let dayCount: Int
    let blocksPerDay: Int
    /// Scenario block indices in time order.
    let blockOrder: [Int]
    var slotCount: Int { dayCount * blocksPerDay }
    let activities: [Activity]
    let students: [StudentInfo]
    let teachers: [TeacherInfo]
    let rooms: [RoomInfo]
    /// Bit `d` set when scenario day `d + 1` is the calendar day after day `d` (Mon then Tue).
    let nextDayMask: UInt64

    init(_ scenario: Scenario) {
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

        rooms = scenario.rooms.map { RoomInfo(available: availability($0.unavailable), capacity: $0.capacity, features: Set($0.features)) }
        teachers = scenario.teachers.map {
            TeacherInfo(available: availability($0.unavailable), maxPerDay: $0.maxPerDay ?? scenario.blocks.count,
                        maxPerWeek: $0.maxPerWeek ?? slots.count)
        }

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
                    activities.append(Activity(
                        subject: need.subject, modality: modality.id, min: modality.min, max: modality.max,
                        teacherLed: modality.teacher, roomFeatures: features,
                        qualifiedTeachers: modality.teacher
                            ? scenario.teachers.indices.filter { scenario.teachers[$0].subjects.contains(need.subject) } : [],
                        fittingRooms: scenario.rooms.indices.filter { features.isSubset(of: scenario.rooms[$0].features) },
                        demand: []))
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
        nextDayMask = zip(scenario.days, scenario.days.dropFirst()).enumerated().reduce(0) { mask, pair in
            pair.element.1.ordinal == pair.element.0.ordinal + 1 ? mask | (1 << UInt64(pair.offset)) : mask
        }
    }

    func day(of slot: Int) -> Int { slot / blocksPerDay }
    func block(of slot: Int) -> Int { slot % blocksPerDay }
    func slots(ofDay day: Int) -> Range<Int> { (day * blocksPerDay)..<((day + 1) * blocksPerDay) }

    func dayName(of slot: Int) -> String { scenario.days[day(of: slot)].rawValue }
    func blockId(of slot: Int) -> String { scenario.blocks[blockOrder[block(of: slot)]].id }

    /// Whether room `r` may host student `s` in activity `a`.
    func roomFits(_ r: Int, activity a: Int, student s: Int) -> Bool {
        activities[a].roomFeatures.isSubset(of: rooms[r].features) && students[s].requires.isSubset(of: rooms[r].features)
    }

    func seats(_ r: Int, activity a: Int) -> Int { min(activities[a].max, rooms[r].capacity) }

    var totalSessionsNeeded: Int { students.reduce(0) { $0 + $1.needs.reduce(0) { $0 + $1.sessions } } }
}
