// The objective's terms counted again from the timetable's ids alone, one function per catalogue term,
// so the solver's own accounting (stats.terms, and the objective made of them) is checked too.
import Rules
import ScenarioKit
import TimetableFormat

/// One objective term's independent count.
public struct TermMeasure: Sendable {
    public let rule: Rule
    public let location: CodeLocation
    let run: @Sendable (MeasureInput) -> Int

    init(_ rule: Rule, fileID: String = #fileID, line: Int = #line, _ run: @escaping @Sendable (MeasureInput) -> Int) {
        self.rule = rule
        location = CodeLocation(fileID: fileID, line: line)
        self.run = run
    }

    /// Every objective term's measure, in catalogue order.
    public static let all: [TermMeasure] = [
        unplacedLesson, unmetMandated, unmetHigh, unmetSession, unmetLow,
        studentIdle, teacherIdle, lateBlock, sameNeedNextDay, preferredTeacher, teacherContinuity, preferNot,
        teacherOverAim, classIdle, lessonOffPreferred, lessonAvoidedTime, lessonDaysApartPreferred,
        changedSeat, changedTeacher, changedRoom, changedLesson,
    ]
}

/// Each objective term of `timetable`, by catalogue id. `baseline` is the timetable a re-solve was
/// asked to keep (what-if, roll-forward); without one the changed-* terms are 0.
public func measureObjective(_ timetable: Timetable, against scenario: Scenario, baseline: Timetable? = nil) -> [String: Int] {
    let input = MeasureInput(timetable: timetable, scenario: scenario, baseline: baseline)
    return Dictionary(TermMeasure.all.map { ($0.rule.id, $0.run(input)) }, uniquingKeysWith: { a, _ in a })
}

struct MeasureInput: Sendable {
    let timetable: Timetable
    let scenario: Scenario
    let baseline: Timetable?

    /// Position of each block in the day, earliest first.
    var blockPosition: [String: Int] {
        Dictionary(scenario.blocks.sorted { $0.start < $1.start }.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Positions of the blocks a session fills (fixed sessions included).
    func positions(_ s: Timetable.Session) -> [Int] {
        guard let first = blockPosition[s.block] else { return [] }
        return Array(first..<min(first + max(1, s.length), scenario.blocks.count))
    }

    /// Flexible sessions: the ones the search plans and the comfort terms judge.
    var flexible: [Timetable.Session] { timetable.sessions.filter(\.isFlex) }

    /// Free blocks between the first and last busy block of each (person, day); fixed sessions keep
    /// people busy too.
    func idleBlocks(_ people: (Timetable.Session) -> [String]) -> Int {
        var busy: [[String]: Set<Int>] = [:]
        for s in timetable.sessions {
            for person in Set(people(s)) { busy[[person, s.day], default: []].formUnion(positions(s)) }
        }
        return busy.values.reduce(0) { sum, blocks in sum + blocks.max()! - blocks.min()! + 1 - blocks.count }
    }

    /// Baseline sessions the changed scenario can still hold: a need someone has, a day and block it has.
    var keepableBaseline: [Timetable.Session] {
        guard let baseline else { return [] }
        let needs = Set(scenario.students.flatMap { $0.needs.filter { scenario.modality($0.modality) != nil }.map { [$0.subject, $0.modality] } })
        let days = Set(scenario.days.map(\.rawValue)), blocks = Set(scenario.blocks.map(\.id))
        return baseline.sessions.filter { needs.contains([$0.subject, $0.modality]) && days.contains($0.day) && blocks.contains($0.block) }
    }
}

extension TermMeasure {
    static let unmetMandated = unmet(.mandated, .unmetMandated)
    static let unmetHigh = unmet(.high, .unmetHigh)
    static let unmetSession = unmet(.normal, .unmetSession)
    static let unmetLow = unmet(.low, .unmetLow)

    private static func unmet(_ priority: Priority, _ rule: Rule, line: Int = #line) -> TermMeasure {
        TermMeasure(rule, line: line) { input in
            var attended: [[String]: Int] = [:]
            for s in input.flexible { for id in Set(s.students) { attended[[id, s.subject, s.modality], default: 0] += 1 } }
            return input.scenario.students.reduce(0) { sum, student in
                sum + student.needs.filter { $0.priority == priority }.reduce(0) {
                    $0 + max(0, $1.sessions - (attended[[student.id, $1.subject, $1.modality]] ?? 0))
                }
            }
        }
    }

    static let studentIdle = TermMeasure(.studentIdle) { input in input.idleBlocks(\.students) }

    static let teacherIdle = TermMeasure(.teacherIdle) { input in input.idleBlocks(\.staff) }

    /// Per student in a flexible session that runs into the day's last block.
    static let lateBlock = TermMeasure(.lateBlock) { input in
        let last = input.scenario.blocks.count - 1
        return input.flexible.filter { input.positions($0).contains(last) }.reduce(0) { $0 + Set($1.students).count }
    }

    static let preferredTeacher = TermMeasure(.preferredTeacher) { input in
        let students = Dictionary(input.scenario.students.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return input.flexible.reduce(0) { sum, s in
            guard let teacher = s.teacher else { return sum }
            return sum + Set(s.students).count { id in
                guard let need = students[id]?.needs.first(where: { $0.subject == s.subject && $0.modality == s.modality }) else { return false }
                return !need.preferTeachers.isEmpty && !need.preferTeachers.contains(teacher)
            }
        }
    }

    static let teacherContinuity = TermMeasure(.teacherContinuity) { input in
        var teachers: [[String]: Set<String>] = [:]
        for s in input.flexible {
            guard let teacher = s.teacher else { continue }
            for id in Set(s.students) { teachers[[id, s.subject, s.modality], default: []].insert(teacher) }
        }
        return teachers.values.reduce(0) { $0 + max(0, $1.count - 1) }
    }

    /// Per flexible session a teacher leads that touches one of her `prefer-not` blocks.
    static let preferNot = TermMeasure(.preferNot) { input in
        let teachers = Dictionary(input.scenario.teachers.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let ordered = input.scenario.blocks.sorted { $0.start < $1.start }.map(\.id)
        return input.flexible.count { s in
            guard let teacher = s.teacher.flatMap({ teachers[$0] }), let day = Weekday(rawValue: s.day) else { return false }
            return input.positions(s).contains { !isAvailable(teacher.preferNot, day: day, block: ordered[$0]) }
        }
    }

    /// Per block a teacher is busy beyond her `aim-per-week`, counted as `max-per-week` counts:
    /// every session she is staff of (fixed ones and lessons too), a double block as two.
    static let teacherOverAim = TermMeasure(.teacherOverAim) { input in
        var blocks: [String: Int] = [:]
        for s in input.timetable.sessions { for id in Set(s.staff) { blocks[id, default: 0] += input.positions(s).count } }
        return input.scenario.teachers.reduce(0) { sum, teacher in
            sum + (teacher.aimPerWeek.map { max(0, (blocks[teacher.id] ?? 0) - $0) } ?? 0)
        }
    }

    /// Pairs of school days one calendar day apart (Sun and Mon in a Sunday-Thursday week). In a
    /// seven-day week the day before the first listed one ends the week: that pair crosses into the next.
    static let sameNeedNextDay = TermMeasure(.sameNeedNextDay) { input in
        let ordinals = Set(input.scenario.days.map(\.ordinal))
        var firstDays = ordinals.filter { ordinals.contains(($0 + 1) % 7) }
        if ordinals.count == 7, let first = input.scenario.days.first { firstDays.remove((first.ordinal + 6) % 7) }
        var days: [[String]: Set<Int>] = [:]
        for s in input.flexible {
            guard let day = Weekday(rawValue: s.day), ordinals.contains(day.ordinal) else { continue }
            for id in Set(s.students) { days[[id, s.subject, s.modality], default: []].insert(day.ordinal) }
        }
        return days.values.reduce(0) { sum, held in sum + firstDays.count { held.contains($0) && held.contains(($0 + 1) % 7) } }
    }

    /// A seat counts as kept only with the same teacher and room: a student moved to a parallel
    /// group is told.
    static let changedSeat = TermMeasure(.changedSeat) { input in
        let students = Set(input.scenario.students.map(\.id)), teachers = Set(input.scenario.teachers.map(\.id))
        let rooms = Set(input.scenario.rooms.map(\.id))
        var held = Set<[String]>()
        for s in input.timetable.sessions {
            for id in s.students { held.insert([id, s.subject, s.modality, s.day, s.block, s.teacher ?? "", s.room ?? ""]) }
        }
        var seats: [[String]: [String]] = [:]
        for s in input.keepableBaseline {
            // A teacher or room the scenario no longer has cannot be kept: no session can match it.
            let teacher = s.teacher.map { teachers.contains($0) ? $0 : "\u{0}gone" } ?? ""
            let room = s.room.map { rooms.contains($0) ? $0 : "\u{0}gone" } ?? ""
            for id in s.students where students.contains(id) { seats[[id, s.subject, s.modality, s.day, s.block]] = [teacher, room] }
        }
        return seats.count { !held.contains($0.key + $0.value) }
    }

    static let changedTeacher = TermMeasure(.changedTeacher) { input in
        let teachers = Set(input.scenario.teachers.map(\.id))
        let now = Set(input.timetable.sessions.compactMap { s in s.teacher.map { [$0, s.subject, s.modality, s.day, s.block] } })
        let before = Set(input.keepableBaseline.compactMap { s in
            s.teacher.flatMap { teachers.contains($0) ? [$0, s.subject, s.modality, s.day, s.block] : nil }
        })
        return before.subtracting(now).count
    }

    static let changedRoom = TermMeasure(.changedRoom) { input in
        let rooms = Set(input.scenario.rooms.map(\.id))
        let now = Set(input.timetable.sessions.map { [$0.room ?? "", $0.subject, $0.modality, $0.day, $0.block] })
        let before = Set(input.keepableBaseline.filter { $0.room.map(rooms.contains) ?? false }.map { [$0.room ?? "", $0.subject, $0.modality, $0.day, $0.block] })
        return before.subtracting(now).count
    }
}
