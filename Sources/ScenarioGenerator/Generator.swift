import ScenarioKit
import SeededRandom
import TimetableFormat

/// A realistic personalized-learning week. With `spec.planted` the needs are read off a timetable built
/// first, so the scenario is known to be fully solvable and that timetable is returned with it.
public func generateScenario(_ spec: GeneratorSpec) -> GeneratedScenario {
    var builder = Builder(spec: spec)
    return builder.run()
}

let generatedModalities = [
    Modality(id: "tutoring", min: 1, max: 3, teacher: true),
    Modality(id: "small-group", min: 3, max: 6, teacher: true, roomFeatures: ["collaboration"]),
    Modality(id: "independent", min: 2, max: 12, teacher: false, roomFeatures: ["quiet"]),
]
/// How often each modality appears in a drawn learning-plan line.
let modalityWeights: [Double] = [3, 4, 3]

/// One learning-plan line; `modality` indexes `generatedModalities`.
struct NeedKey: Hashable { var subject: String; var modality: Int }
struct Line { var key: NeedKey; var count: Int }
struct DayNeed: Hashable { var key: NeedKey; var day: Int }
struct PlantedSession { var slot: Int; var key: NeedKey; var teacher: Int?; var room: Int; var students: [Int] }

// Collections are arrays, never iterated dictionaries or sets: their order changes from run to run,
// which would make the same seed give different scenarios.
struct Builder {
    let spec: GeneratorSpec
    var rng: SplitMix64
    let blocks: [Block]
    var slotCount: Int { spec.days.count * spec.blocksPerDay }
    var teachers: [Teacher] = [], rooms: [Room] = [], students: [Student] = []
    var taught: [String] = []
    /// Planned sessions per student before planting; what actually gets planted becomes the needs.
    var wishes: [[Line]] = []

    var teacherBusy: [[Bool]] = [], teacherPerDay: [[Int]] = [], teacherTotal: [Int] = []
    var roomBusy: [[Bool]] = []
    var studentBusy: [[Bool]] = [], got: [[Line]] = [], usedNeedDays: [Set<DayNeed>] = []
    var sessions: [PlantedSession] = []

    init(spec: GeneratorSpec) {
        self.spec = spec
        rng = SplitMix64(seed: spec.seed)
        // 45-minute blocks from 08:30 with 5-minute passing time and lunch after the fourth block.
        var start = 8 * 60 + 30
        var made: [Block] = []
        for i in 1...max(1, spec.blocksPerDay) {
            made.append(Block(id: "b\(i)", start: ClockTime(minutes: start), end: ClockTime(minutes: start + 45)))
            start += i == 4 ? 85 : 50
        }
        blocks = made
    }

    func day(_ slot: Int) -> Int { slot / spec.blocksPerDay }
    func ref(_ slot: Int) -> SlotRef { .block(spec.days[day(slot)], blocks[slot % spec.blocksPerDay].id) }
    func free(_ unavailable: [SlotRef], _ slot: Int) -> Bool {
        isAvailable(unavailable, day: spec.days[day(slot)], block: blocks[slot % spec.blocksPerDay].id)
    }

    mutating func run() -> GeneratedScenario {
        makeTeachers()
        makeRooms()
        makeStudents()
        var timetable: Timetable?
        if spec.planted {
            plant()
            timetable = finishPlanted()
        } else {
            finishUnplanted()
        }
        let scenario = Scenario(name: spec.name, timezone: "America/New_York", term: spec.term, days: spec.days,
                                blocks: blocks, modalities: generatedModalities, teachers: teachers, rooms: rooms,
                                students: students)
        assert(scenario.validationProblems(file: "<generated>").isEmpty, "generated an invalid scenario")
        return GeneratedScenario(scenario: scenario, planted: timetable)
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
            let key = NeedKey(subject: subject, modality: rng.weightedIndex(modalityWeights))
            if !lines.contains(where: { $0.key == key }) { lines.append(Line(key: key, count: 1)) }
        }
        var extra = target - lines.count
        while extra > 0, lines.contains(where: { $0.count < perLine }) {
            let i = rng.int(0...(lines.count - 1))
            if lines[i].count < perLine { lines[i].count += 1; extra -= 1 }
        }
        return lines
    }

    // MARK: planting

    func roomFits(_ room: Int, _ key: NeedKey, _ student: Int) -> Bool {
        let features = rooms[room].features
        return generatedModalities[key.modality].roomFeatures.allSatisfy(features.contains)
            && students[student].requires.allSatisfy(features.contains)
    }

    func teacherFor(_ subject: String, _ slot: Int, order: [Int]) -> Int? {
        let d = day(slot)
        let able = order.filter { t in
            let teacher = teachers[t]
            return teacher.subjects.contains(subject) && !teacherBusy[t][slot] && free(teacher.unavailable, slot)
                && teacherPerDay[t][d] < (teacher.maxPerDay ?? .max) && teacherTotal[t] < (teacher.maxPerWeek ?? .max)
        }
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

    mutating func place(_ s: PlantedSession) {
        let d = day(s.slot)
        if let t = s.teacher { teacherBusy[t][s.slot] = true; teacherPerDay[t][d] += 1; teacherTotal[t] += 1 }
        roomBusy[s.room][s.slot] = true
        sessions.append(s)
        for st in s.students { addAttendance(st, sessions.count - 1) }
    }

    mutating func addAttendance(_ st: Int, _ index: Int) {
        let s = sessions[index]
        if !sessions[index].students.contains(st) { sessions[index].students.append(st) }
        studentBusy[st][s.slot] = true
        usedNeedDays[st].insert(DayNeed(key: s.key, day: day(s.slot)))
        if let i = got[st].firstIndex(where: { $0.key == s.key }) { got[st][i].count += 1 } else { got[st].append(Line(key: s.key, count: 1)) }
        if let i = wishes[st].firstIndex(where: { $0.key == s.key }), wishes[st][i].count > 0 { wishes[st][i].count -= 1 }
    }

    /// Fills rooms slot by slot from what students still want. Early passes leave rooms empty at
    /// random so sessions spread over the week instead of piling into the first slots visited.
    mutating func plant() {
        let teacherTarget = Int(Double(teacherCapacity) * (0.60 + 0.15 * rng.unit()))
        fill(passes: [0.35, 0.6, 1.0], teacherTarget: teacherTarget)
        // Plans of 3-6 sessions seldom keep teachers busy enough on their own; while they are under
        // target, students with room in their week ask for more teacher-led sessions.
        if teacherSessions < teacherTarget {
            for st in students.indices { extendPlan(st) }
            fill(passes: [0.5, 1.0], teacherTarget: teacherTarget)
        }
        for st in students.indices { topUp(st) }
    }

    var teacherSessions: Int { sessions.reduce(0) { $0 + ($1.teacher == nil ? 0 : 1) } }

    mutating func fill(passes: [Double], teacherTarget: Int) {
        var led = teacherSessions
        for chance in passes {
            for slot in rng.shuffled(Array(0..<slotCount)) {
                let roomOrder = rng.shuffled(Array(rooms.indices)).sorted { rooms[$0].capacity < rooms[$1].capacity }
                for r in roomOrder where !roomBusy[r][slot] && free(rooms[r].unavailable, slot) && rng.chance(chance) {
                    guard let s = proposeSession(slot, r, teachersAllowed: led < teacherTarget) else { continue }
                    place(s)
                    if s.teacher != nil { led += 1 }
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
            let key = NeedKey(subject: rng.pick(taught), modality: rng.int(0...1))
            let had = got[st].first { $0.key == key }?.count ?? 0
            if let i = wishes[st].firstIndex(where: { $0.key == key }) {
                if had + wishes[st][i].count < spec.days.count { wishes[st][i].count += 1; extra -= 1 }
            } else if wishes[st].count < 4 {
                wishes[st].append(Line(key: key, count: 1)); extra -= 1
            }
        }
    }

    mutating func proposeSession(_ slot: Int, _ r: Int, teachersAllowed: Bool) -> PlantedSession? {
        var demand: [(key: NeedKey, students: [Int])] = []
        for st in rng.shuffled(Array(students.indices)) where canAttend(st, slot) {
            for line in wishes[st] where line.count > 0 && roomFits(r, line.key, st)
                && !usedNeedDays[st].contains(DayNeed(key: line.key, day: day(slot))) {
                if let i = demand.firstIndex(where: { $0.key == line.key }) { demand[i].students.append(st) } else {
                    demand.append((line.key, [st]))
                }
            }
        }
        let teacherOrder = rng.shuffled(Array(teachers.indices))
        var options: [(key: NeedKey, teacher: Int?, students: [Int])] = []
        for (key, list) in demand {
            let m = generatedModalities[key.modality]
            guard list.count >= m.min, rooms[r].capacity >= m.min else { continue }
            if !m.teacher { options.append((key, nil, list)); continue }
            if teachersAllowed, let t = teacherFor(key.subject, slot, order: teacherOrder) { options.append((key, t, list)) }
        }
        guard !options.isEmpty else { return nil }
        let chosen = options[rng.weightedIndex(options.map { Double($0.students.count) })]
        let m = generatedModalities[chosen.key.modality]
        let upper = min(m.max, rooms[r].capacity, chosen.students.count)
        let size = m.teacher && m.max <= 3 ? rng.int(m.min...upper) : rng.int(max(m.min, (upper * 2 + 2) / 3)...upper)
        // Students with most still wanted go first so nobody is left with a thin week.
        let wanted = chosen.students.map { st in wishes[st].reduce(0) { $0 + $1.count } }
        let order = chosen.students.indices.sorted { wanted[$0] != wanted[$1] ? wanted[$0] > wanted[$1] : $0 < $1 }
        return PlantedSession(slot: slot, key: chosen.key, teacher: chosen.teacher, room: r,
                              students: order.prefix(size).map { chosen.students[$0] })
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
            let s = sessions[i], m = generatedModalities[s.key.modality]
            if s.students.count < min(m.max, rooms[s.room].capacity), canAttend(st, s.slot), roomFits(s.room, s.key, st),
               acceptable(s.key), !usedNeedDays[st].contains(DayNeed(key: s.key, day: day(s.slot))) {
                addAttendance(st, i)
            }
        }
        let teacherOrder = rng.shuffled(Array(teachers.indices))
        for slot in rng.shuffled(Array(0..<slotCount)) where short() && canAttend(st, slot) {
            for r in rooms.indices where short() && canAttend(st, slot) && !roomBusy[r][slot] && free(rooms[r].unavailable, slot) {
                for subject in rng.shuffled(taught) {
                    let key = NeedKey(subject: subject, modality: 0)
                    guard roomFits(r, key, st), acceptable(key), !usedNeedDays[st].contains(DayNeed(key: key, day: day(slot))),
                          let t = teacherFor(subject, slot, order: teacherOrder) else { continue }
                    place(PlantedSession(slot: slot, key: key, teacher: t, room: r, students: [st]))
                    break
                }
            }
        }
    }

    /// Needs become exactly what was planted; limits and closures are added only where the planted
    /// timetable leaves room for them.
    mutating func finishPlanted() -> Timetable {
        for st in students.indices {
            students[st].needs = needs(from: got[st])
            var perDay = Array(repeating: 0, count: spec.days.count)
            for s in sessions where s.students.contains(st) { perDay[day(s.slot)] += 1 }
            if rng.chance(0.2), let most = perDay.max(), most > 0 { students[st].maxPerDay = most + rng.int(0...1) }
        }
        let busy = roomBusy
        closeSomeRooms { r, slot in !busy[r][slot] }
        let ordered = sessions.sorted { ($0.slot, $0.room) < ($1.slot, $1.room) }
        let planted = ordered.map { s in
            Timetable.Session(day: spec.days[day(s.slot)].rawValue, block: blocks[s.slot % spec.blocksPerDay].id,
                              subject: s.key.subject, modality: generatedModalities[s.key.modality].id,
                              teacher: s.teacher.map { teachers[$0].id }, room: rooms[s.room].id,
                              students: s.students.sorted().map { students[$0].id })
        }
        return Timetable(scenario: spec.name, status: .feasible, objective: nil, bound: nil, gap: nil,
                         sessions: planted, unmet: [])
    }

    /// Without a planted timetable the drawn plans are the needs, whether or not the week can hold them;
    /// only lines no room could ever host are dropped, because validation rejects those.
    mutating func finishUnplanted() {
        for st in students.indices {
            let hostable = wishes[st].filter { line in
                let m = generatedModalities[line.key.modality]
                return rooms.indices.contains { roomFits($0, line.key, st) && rooms[$0].capacity >= m.min }
            }
            students[st].needs = needs(from: hostable)
            if rng.chance(0.2) { students[st].maxPerDay = rng.int(2...3) }
        }
        closeSomeRooms { _, _ in true }
    }

    func needs(from lines: [Line]) -> [Need] {
        lines.filter { $0.count > 0 }
            .sorted { (subjectPool.firstIndex(of: $0.key.subject)!, $0.key.modality) < (subjectPool.firstIndex(of: $1.key.subject)!, $1.key.modality) }
            .map { Need(subject: $0.key.subject, modality: generatedModalities[$0.key.modality].id, sessions: $0.count) }
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
