import ScenarioKit

extension Instance {
    /// A scenario lesson in indices. What the index knows is raw data; whether a room or a start may
    /// ever serve it is the rule catalogue's to say (`rooms` and `canStart` are filled by whoever
    /// builds the index with the catalogue, as the activities' pools are).
    package struct LessonInfo: Sendable {
        package var sessions: Int
        package var length: Int
        package var minDaysApart: Int
        /// `prefer-days-apart`: 0 when it has none.
        package var preferDaysApart: Int
        /// The lessons of its series, itself included, in order (itself alone without a series).
        package var series: [Int] = []
        package var teachers: [Int]
        /// Every member of its classes.
        package var students: [Int]
        /// Its classes' classes without parts (`leafClasses`): two lessons clash when they share one.
        package var leaves: [Int]
        package var seats: Int
        package var needsRoom: Bool
        /// `rooms` as room indices; empty: any room.
        package var allowedRooms: [Int]
        package var roomFeatures: Set<String>
        /// What its members `require` of a room, together.
        package var requires: Set<String>
        /// Per start slot: whether it is one of `prefer` (nil when it has no `prefer` list).
        package var preferredStart: [Bool]?
        /// Per start slot: whether a lesson from there fills a block of `avoid`.
        package var avoidedStart: [Bool]
        /// Per start slot: whether `only-at` allows it (nil when it has no `only-at` list).
        package var allowedStart: [Bool]?
        /// Start slots of `at`, each a lesson that never moves.
        package var pinned: [Int]
        /// Per slot: whether `length` blocks from it stay in the day without crossing a `break-before`.
        package var runFits: [Bool]
        /// Rooms that may ever host it, smallest first; empty for a lesson without a room.
        package var rooms: [Int] = []
        /// Per slot: whether a lesson may ever start there (filled from the catalogue).
        package var canStart: [Bool] = []
        /// `ends-day`: no lesson of its classes after it that day.
        package var endsDay = false

        /// Who is told when one of its lessons moves: its teachers and members (at least one).
        package var peopleTold: Int { max(1, teachers.count + students.count) }
    }

    /// The scenario's classes without parts, as the lessons' `leaves` index them.
    package struct LessonIndex: Sendable {
        package var lessons: [LessonInfo] = []
        package var leafClasses: [String] = []
        /// Per leaf and slot: whether it and every class containing it are available.
        package var leafAvailable: [[Bool]] = []
        /// Per leaf: the lowest `max-per-day` of it and the classes containing it (nil: none has one).
        package var leafMaxPerDay: [Int?] = []
    }

    package static func lessonIndex(_ scenario: Scenario, slots: [(day: Weekday, block: String)], blocksPerDay: Int,
                                    startPositions: (Int) -> [Bool]) -> LessonIndex {
        var index = LessonIndex()
        guard !scenario.lessons.isEmpty else { return index }
        let teacherIndex = firstIndices(scenario.teachers.map(\.id)), studentIndex = firstIndices(scenario.students.map(\.id))
        let roomIndex = firstIndices(scenario.rooms.map(\.id))
        let leaves = scenario.classes.filter(\.parts.isEmpty).map(\.id)
        let leafIndex = firstIndices(leaves)
        index.leafClasses = leaves
        index.leafAvailable = leaves.map { leaf in
            let closed = ([leaf] + scenario.classesContaining(leaf)).flatMap { scenario.schoolClass($0)?.unavailable ?? [] }
            return slots.map { isAvailable(closed, day: $0.day, block: $0.block) }
        }
        index.leafMaxPerDay = leaves.map { leaf in ([leaf] + scenario.classesContaining(leaf)).compactMap { scenario.schoolClass($0)?.maxPerDay }.min() }
        let requires = Dictionary(scenario.students.map { ($0.id, $0.requires) }, uniquingKeysWith: { a, _ in a })
        index.lessons = scenario.lessons.map { lesson in
            let members = scenario.attendees(of: lesson)
            let starts = startPositions(lesson.length)
            let avoided = slots.indices.map { p in
                starts[p % blocksPerDay] && (p..<(p + lesson.length)).contains { !isAvailable(lesson.avoid, day: slots[$0].day, block: slots[$0].block) }
            }
            let pinned: [Int] = lesson.at.compactMap { ref in
                guard case .block(let day, let block) = ref else { return nil }
                return slots.firstIndex { $0.day == day && $0.block == block }
            }
            var info = LessonInfo(
                sessions: lesson.sessions, length: lesson.length, minDaysApart: lesson.minDaysApart, preferDaysApart: lesson.preferDaysApart,
                teachers: orderedUniqueIndices(lesson.teachers.compactMap { teacherIndex[$0] }),
                students: members.compactMap { studentIndex[$0] },
                leaves: orderedUniqueIndices(lesson.classes.flatMap { scenario.leafClasses($0) }.compactMap { leafIndex[$0] }),
                seats: scenario.seats(of: lesson), needsRoom: lesson.needsRoom,
                allowedRooms: lesson.rooms.compactMap { roomIndex[$0] }, roomFeatures: Set(lesson.roomFeatures),
                requires: Set(members.flatMap { requires[$0] ?? [] }),
                preferredStart: lesson.prefer.isEmpty ? nil : slots.map { !isAvailable(lesson.prefer, day: $0.day, block: $0.block) },
                avoidedStart: avoided,
                allowedStart: lesson.onlyAt.isEmpty ? nil : slots.map { lesson.mayStart(day: $0.day, block: $0.block) }, pinned: pinned, runFits: slots.indices.map { starts[$0 % blocksPerDay] })
            info.endsDay = lesson.endsDay
            return info
        }
        let seriesIndex = Dictionary(grouping: scenario.lessons.indices.filter { scenario.lessons[$0].series != nil },
                                     by: { scenario.lessons[$0].series! })
        for l in index.lessons.indices { index.lessons[l].series = scenario.lessons[l].series.flatMap { seriesIndex[$0] } ?? [l] }
        return index
    }

    /// The blocks a lesson of `l` starting at `p` fills; cut at the week's end, so rules that are asked
    /// about a start before `R8.lesson-length` refuses it never read past the last slot.
    package func covered(lesson l: Int, from p: Int) -> Range<Int> { p..<min(p + lessons[l].length, slotCount) }
}

private func orderedUniqueIndices(_ values: [Int]) -> [Int] {
    var seen = Set<Int>()
    return values.filter { seen.insert($0).inserted }
}
