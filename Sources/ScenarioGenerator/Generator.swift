import ScenarioKit
import SeededRandom
import TimetableFormat

/// A realistic personalized-learning week. With `spec.planted` the needs are read off a timetable built
/// first, so the scenario is known to be fully solvable and that timetable is returned with it.
public func generateScenario(_ spec: GeneratorSpec) -> GeneratedScenario {
    var builder = Builder(spec: spec)
    return builder.run()
}

/// The modalities of a generated week: tutoring, small groups and independent study always; a
/// double-block project with `doubleBlocks`; level bands on small groups and projects with `levels`.
func generatedModalities(_ features: GeneratorSpec.Features) -> [Modality] {
    let levelled = features.contains(.levels)
    var all = [
        Modality(id: "tutoring", min: 1, max: 3, teacher: true),
        Modality(id: "small-group", min: 3, max: 6, teacher: true, roomFeatures: ["collaboration"], levelSpread: levelled ? 2 : nil),
        Modality(id: "independent", min: 2, max: 12, teacher: false, roomFeatures: ["quiet"]),
    ]
    if features.contains(.doubleBlocks) {
        all.append(Modality(id: "project", min: 3, max: 5, teacher: true, roomFeatures: ["collaboration"], length: 2,
                            levelSpread: levelled ? 1 : nil))
    }
    return all
}
/// How often each modality appears in a drawn learning-plan line (a project, when there is one, least).
let modalityWeights: [Double] = [3, 4, 3, 1.5]

/// One learning-plan line; `modality` indexes `generatedModalities`.
struct NeedKey: Hashable { var subject: String; var modality: Int }
struct Line { var key: NeedKey; var count: Int }
struct DayNeed: Hashable { var key: NeedKey; var day: Int }
/// A flexible session filling `length` blocks from `slot`.
struct PlantedSession {
    var slot: Int; var key: NeedKey; var teacher: Int?; var room: Int; var students: [Int]; var length: Int
    var slots: Range<Int> { slot..<(slot + length) }
}

// Collections are arrays, never iterated dictionaries or sets: their order changes from run to run,
// which would make the same seed give different scenarios.
struct Builder {
    let spec: GeneratorSpec
    var rng: SplitMix64
    /// Every draw for an optional feature comes from here, so a spec without features draws exactly
    /// what it drew before features existed, and features that only annotate the planted week
    /// (priorities, teacher requests, apart pairs, preferences) leave that week as it was.
    var featureRng: SplitMix64
    let blocks: [Block]
    let modalities: [Modality]
    var slotCount: Int { spec.days.count * spec.blocksPerDay }
    var teachers: [Teacher] = [], rooms: [Room] = [], students: [Student] = []
    var taught: [String] = []
    /// Planned sessions per student before planting; what actually gets planted becomes the needs.
    var wishes: [[Line]] = []

    var teacherBusy: [[Bool]] = [], teacherPerDay: [[Int]] = [], teacherTotal: [Int] = []
    var roomBusy: [[Bool]] = []
    var studentBusy: [[Bool]] = [], got: [[Line]] = [], usedNeedDays: [Set<DayNeed>] = []
    var sessions: [PlantedSession] = []
    /// Each student's level per subject (indexed like `subjectPool`), nil for no level; empty without `levels`.
    var levels: [[Int?]] = []
    var groups: [StudentGroup] = []
    var fixed: [PlantedFixed] = []
    /// v1.2 years and forms, and their lessons (`HybridPlanting.swift`).
    var schoolClasses: [PlantedClass] = []
    var lessons: [PlantedLesson] = []

    init(spec: GeneratorSpec) {
        self.spec = spec
        rng = SplitMix64(seed: spec.seed)
        featureRng = SplitMix64(seed: spec.seed ^ 0x6665_6174_7572_6573)
        // 45-minute blocks from 08:30 with 5-minute passing time and lunch after the fourth block. With
        // double blocks (a hybrid week has double lessons) a short day lunches halfway, so that even a
        // tiny week has a break to respect.
        let b = max(1, spec.blocksPerDay)
        let doubles = spec.features.contains(.doubleBlocks) || spec.hybrid != nil
        let lunchAfter = !doubles || b >= 6 ? 4 : max(1, b / 2)
        var start = 8 * 60 + 30
        var made: [Block] = []
        for i in 1...b {
            made.append(Block(id: "b\(i)", start: ClockTime(minutes: start), end: ClockTime(minutes: start + 45),
                              breakBefore: doubles && i == lunchAfter + 1))
            start += i == lunchAfter ? 85 : 50
        }
        blocks = made
        modalities = generatedModalities(spec.features)
    }

    func day(_ slot: Int) -> Int { slot / spec.blocksPerDay }
    func ref(_ slot: Int) -> SlotRef { .block(spec.days[day(slot)], blocks[slot % spec.blocksPerDay].id) }
    func free(_ unavailable: [SlotRef], _ slot: Int) -> Bool {
        isAvailable(unavailable, day: spec.days[day(slot)], block: blocks[slot % spec.blocksPerDay].id)
    }
    /// The slots a session of `length` blocks starting at `slot` fills; nil when the day ends first or
    /// a break falls inside.
    func run(_ slot: Int, _ length: Int) -> Range<Int>? {
        let first = slot % spec.blocksPerDay
        guard first + length <= spec.blocksPerDay else { return nil }
        return blocks[(first + 1)..<(first + length)].contains(where: \.breakBefore) ? nil : slot..<(slot + length)
    }

    mutating func run() -> GeneratedScenario {
        if let hybrid = spec.hybrid { makeSubjectTeachers(hybrid) } else { makeTeachers() }
        makeRooms()
        if let hybrid = spec.hybrid { addLessonRooms(hybrid) }
        makeStudents()
        placeFixed()
        if let hybrid = spec.hybrid { plantLessons(hybrid) }
        if spec.planted {
            plant()
            finishPlanted()
        } else {
            finishUnplanted()
        }
        annotate()
        if let hybrid = spec.hybrid { finishLessons(hybrid) }
        let scenario = Scenario(name: spec.name, timezone: "America/New_York", term: spec.term, days: spec.days,
                                blocks: blocks, modalities: modalities, teachers: teachers, rooms: rooms,
                                students: students, groups: groups, fixed: fixed.map(fixedSession),
                                classes: schoolClasses.map(schoolClass), lessons: lessons.map(scenarioLesson))
        assert(scenario.validationProblems(file: "<generated>").isEmpty, "generated an invalid scenario")
        return GeneratedScenario(scenario: scenario, planted: spec.planted ? plantedTimetable(scenario) : nil)
    }

    // MARK: people and places

    mutating func makeTeachers() {
        let names = rng.shuffled(lastNames)
        for i in 0..<spec.teachers {
            let last = names[i % names.count], round = i / names.count
            let title = rng.pick(titles)
            // A second teacher with the same surname gets an initial, as schools do on door signs.
            let initial = round == 0 ? "" : "\(rng.pick(Array("ABCDEFGHJKLMNPRSTW"))). "
            var subjects = [subjectPool[i % subjectPool.count]]
            let extra = rng.int(1...2)
            while subjects.count < 1 + extra {
                let s = subjectPool[rng.weightedIndex(subjectWeights)]
                if !subjects.contains(s) { subjects.append(s) }
            }
            var unavailable: [SlotRef] = []
            if rng.chance(0.25) {
                if spec.days.count > 1 && rng.chance(0.5) {
                    unavailable = [.day(rng.pick(spec.days))]  // a part-time teacher's day off
                } else {
                    let slots = rng.shuffled(Array(0..<slotCount)).prefix(rng.int(1...min(3, max(1, slotCount - 1))))
                    unavailable = slots.sorted().map(ref)  // meetings and coaching duties
                }
            }
            let b = spec.blocksPerDay
            let maxPerDay = rng.chance(0.3) && b > 1 ? rng.int(max(1, b - 3)...(b - 1)) : nil
            let maxPerWeek = rng.chance(0.4) && spec.days.count > 1
                ? rng.int(slotCount / 2...(slotCount * 7 / 10)) : nil
            teachers.append(Teacher(id: asciiSlug(last) + (round == 0 ? "" : "-\(round + 1)"), name: "\(title) \(initial)\(last)",
                                    subjects: subjects, unavailable: unavailable, maxPerDay: maxPerDay, maxPerWeek: maxPerWeek))
        }
        taught = subjectPool.filter { s in teachers.contains { $0.subjects.contains(s) } }
        teacherBusy = Array(repeating: Array(repeating: false, count: slotCount), count: teachers.count)
        teacherPerDay = Array(repeating: Array(repeating: 0, count: spec.days.count), count: teachers.count)
        teacherTotal = Array(repeating: 0, count: teachers.count)
    }

    /// Every third room is a named space (library, labs), the others numbered classrooms and small
    /// tutoring rooms, so even three rooms cover all modalities.
    mutating func makeRooms() {
        var classrooms = 0, tutoringRooms = 0, specials = 0
        for i in 0..<spec.rooms {
            if i % 3 == 1 && specials < specialRooms.count {
                let s = specialRooms[specials]
                specials += 1
                rooms.append(Room(id: s.id, name: s.name, capacity: rng.int(s.capacity), features: s.features))
            } else if i % 3 == 2 {
                let letter = String(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")[tutoringRooms % 26])
                let suffix = tutoringRooms < 26 ? letter : "\(letter)\(tutoringRooms / 26 + 1)"
                tutoringRooms += 1
                var features: [String] = []
                if rng.chance(0.4) { features.append("quiet") }
                if rng.chance(0.5) { features.append("accessible") }
                rooms.append(Room(id: "tutor-\(suffix.lowercased())", name: "Tutoring Room \(suffix)",
                                  capacity: rng.int(4...6), features: features))
            } else {
                let number = (1 + classrooms / 8) * 100 + 1 + classrooms % 8
                var features = [classrooms % 4 == 3 ? "quiet" : "collaboration"]
                if classrooms % 2 == 0 || rng.chance(0.5) { features.append("accessible") }
                if rng.chance(0.1) { features.append("lab") }
                classrooms += 1
                rooms.append(Room(id: "r\(number)", name: "Room \(number)", capacity: rng.int(18...30), features: features))
            }
        }
        roomBusy = Array(repeating: Array(repeating: false, count: slotCount), count: rooms.count)
    }

    mutating func makeStudents() {
        let width = max(3, String(spec.students).count)
        let needsAccess = Set(rng.shuffled(Array(0..<spec.students)).prefix(spec.students >= 6 ? max(1, spec.students / 20) : 0))
        for i in 0..<spec.students {
            let first = rng.pick(firstNames), initial = rng.pick(Array("ABCDEFGHIJKLMNOPRSTVWYZ"))
            let number = String(i + 1), padded = String(repeating: "0", count: width - number.count) + number
            var unavailable: [SlotRef] = []
            if rng.chance(0.15) {
                if spec.days.count > 1 && rng.chance(0.5) {
                    // Sports practice takes the last block on one or two days.
                    let last = blocks[blocks.count - 1].id
                    unavailable = rng.shuffled(spec.days).prefix(rng.int(1...2)).sorted().map { .block($0, last) }
                } else {
                    unavailable = [ref(rng.int(0...(slotCount - 1)))]  // a weekly therapy appointment
                }
            }
            students.append(Student(id: "\(asciiSlug(first))-\(initial.lowercased())-\(padded)", name: "\(first) \(initial).",
                                    needs: [], unavailable: unavailable, requires: needsAccess.contains(i) ? ["accessible"] : []))
            wishes.append(drawLearningPlan(freeSlots: slotCount - unavailable.count))
            if spec.features.contains(.levels) {
                // Mostly middling levels; about one in six has none in a subject and may join any group.
                levels.append(subjectPool.map { _ in featureRng.chance(0.15) ? nil : featureRng.weightedIndex([1, 2, 3, 2, 1]) + 1 })
            }
        }
        studentBusy = Array(repeating: Array(repeating: false, count: slotCount), count: students.count)
        got = Array(repeating: [], count: students.count)
        usedNeedDays = Array(repeating: [], count: students.count)
    }

    /// 3-6 sessions over 2-4 lines, never more sessions of one line than there are days.
    mutating func drawLearningPlan(freeSlots: Int) -> [Line] {
        let perLine = spec.days.count
        let hi = min(6, freeSlots, 4 * perLine), lo = min(3, hi)
        var target = rng.int(lo...hi)
        let lineCount = min(4, target, max(rng.int(2...4), (target + perLine - 1) / perLine))
        target = min(target, lineCount * perLine)
        var lines: [Line] = []
        for _ in 0..<40 where lines.count < lineCount {
            let subject = rng.pick(taught.isEmpty ? subjectPool : taught)
            let modality = rng.weightedIndex(Array(modalityWeights.prefix(modalities.count)))
            let key = NeedKey(subject: modality == projectModality ? projectSubject(subject) : subject, modality: modality)
            if !lines.contains(where: { $0.key == key }) { lines.append(Line(key: key, count: 1)) }
        }
        var extra = target - lines.count
        while extra > 0, lines.contains(where: { $0.count < perLine }) {
            let i = rng.int(0...(lines.count - 1))
            if lines[i].count < perLine { lines[i].count += 1; extra -= 1 }
        }
        return lines
    }

    /// Where `project` sits in `modalities`, when there is one.
    var projectModality: Int { 3 }

    /// Projects are science and history work; spreading them over every subject would leave too few
    /// students per subject to form a group.
    mutating func projectSubject(_ drawn: String) -> String {
        let pool = ["science", "history"].filter(taught.contains)
        return pool.isEmpty || pool.contains(drawn) ? drawn : rng.pick(pool)
    }

    // MARK: planting

    func roomFits(_ room: Int, _ key: NeedKey, _ student: Int) -> Bool {
        let features = rooms[room].features
        return modalities[key.modality].roomFeatures.allSatisfy(features.contains)
            && students[student].requires.allSatisfy(features.contains)
    }

    /// Whether the teacher is free and allowed in every one of `slots` (all on one day); her limits count blocks.
    func teacherCanTake(_ t: Int, _ slots: Range<Int>) -> Bool {
        let teacher = teachers[t]
        return slots.allSatisfy { !teacherBusy[t][$0] && free(teacher.unavailable, $0) }
            && teacherPerDay[t][day(slots.lowerBound)] + slots.count <= (teacher.maxPerDay ?? .max)
            && teacherTotal[t] + slots.count <= (teacher.maxPerWeek ?? .max)
    }

    func roomCanTake(_ r: Int, _ slots: Range<Int>) -> Bool {
        slots.allSatisfy { !roomBusy[r][$0] && free(rooms[r].unavailable, $0) }
    }

    func teacherFor(_ subject: String, _ slots: Range<Int>, order: [Int]) -> Int? {
        let able = order.filter { teachers[$0].subjects.contains(subject) && teacherCanTake($0, slots) }
        return able.min { teacherTotal[$0] < teacherTotal[$1] }  // spread the load
    }

    /// Sessions a teacher could lead this week given days off, blocked slots and limits.
    var teacherCapacity: Int {
        teachers.indices.reduce(0) { sum, t in
            let perDay = (0..<spec.days.count).map { d in
                min((0..<spec.blocksPerDay).filter { free(teachers[t].unavailable, d * spec.blocksPerDay + $0) }.count,
                    teachers[t].maxPerDay ?? .max)
            }
            return sum + min(perDay.reduce(0, +), teachers[t].maxPerWeek ?? .max)
        }
    }

    func canAttend(_ st: Int, _ slot: Int) -> Bool { !studentBusy[st][slot] && free(students[st].unavailable, slot) }
    func canAttend(_ st: Int, _ slots: Range<Int>) -> Bool { slots.allSatisfy { canAttend(st, $0) } }

    mutating func occupy(teacher t: Int, _ slots: Range<Int>) {
        for x in slots { teacherBusy[t][x] = true }
        teacherPerDay[t][day(slots.lowerBound)] += slots.count
        teacherTotal[t] += slots.count
    }

    mutating func place(_ s: PlantedSession) {
        if let t = s.teacher { occupy(teacher: t, s.slots) }
        for x in s.slots { roomBusy[s.room][x] = true }
        sessions.append(s)
        for st in s.students { addAttendance(st, sessions.count - 1) }
    }

    mutating func addAttendance(_ st: Int, _ index: Int) {
        let s = sessions[index]
        if !sessions[index].students.contains(st) { sessions[index].students.append(st) }
        for x in s.slots { studentBusy[st][x] = true }
        usedNeedDays[st].insert(DayNeed(key: s.key, day: day(s.slot)))
        if let i = got[st].firstIndex(where: { $0.key == s.key }) { got[st][i].count += 1 } else { got[st].append(Line(key: s.key, count: 1)) }
        if let i = wishes[st].firstIndex(where: { $0.key == s.key }), wishes[st][i].count > 0 { wishes[st][i].count -= 1 }
    }

    /// Without a planted timetable the drawn plans are the needs, whether or not the week can hold them;
    /// only lines no room could ever host are dropped, because validation rejects those. Fixed
    /// sessions alone still keep every rule: limits leave room for them, and their rooms stay open.
    mutating func finishUnplanted() {
        for st in students.indices {
            let hostable = wishes[st].filter { line in
                let m = modalities[line.key.modality]
                return rooms.indices.contains { roomFits($0, line.key, st) && rooms[$0].capacity >= m.min }
            }
            students[st].needs = needs(from: hostable)
            let held = (0..<slotCount).filter { studentBusy[st][$0] }
            let fixedPerDay = spec.days.indices.map { d in held.filter { day($0) == d }.count }.max() ?? 0
            if rng.chance(0.2) { students[st].maxPerDay = max(rng.int(2...3), fixedPerDay) }
        }
        let busy = roomBusy
        closeSomeRooms { r, slot in !busy[r][slot] }
    }

    func needs(from lines: [Line]) -> [Need] {
        lines.filter { $0.count > 0 }
            .sorted { (subjectPool.firstIndex(of: $0.key.subject)!, $0.key.modality) < (subjectPool.firstIndex(of: $1.key.subject)!, $1.key.modality) }
            .map { Need(subject: $0.key.subject, modality: modalities[$0.key.modality].id, sessions: $0.count) }
    }

    /// About a quarter of the rooms are closed for a slot or two (assemblies, testing).
    mutating func closeSomeRooms(allowed: (Int, Int) -> Bool) {
        for r in rooms.indices where rng.chance(0.25) {
            let candidates = (0..<slotCount).filter { allowed(r, $0) }
            guard !candidates.isEmpty else { continue }
            rooms[r].unavailable = rng.shuffled(candidates).prefix(rng.int(1...2)).sorted().map(ref)
        }
    }
}
