import ScenarioKit
import SeededRandom
import TimetableFormat

/// Size and shape of a generated scenario. Everything else (names, subjects, limits) follows from `seed`.
public struct GeneratorSpec: Sendable, Hashable {
    public var students: Int
    public var teachers: Int
    public var rooms: Int
    public var days: [Weekday]
    public var blocksPerDay: Int
    public var seed: UInt64
    /// Build a valid timetable first and derive the needs from it, so a full timetable is known to exist.
    public var planted: Bool
    public var name: String
    public var term: Term?

    public init(students: Int, teachers: Int, rooms: Int, days: [Weekday], blocksPerDay: Int, seed: UInt64,
                planted: Bool = true, name: String, term: Term? = nil) {
        self.students = students; self.teachers = teachers; self.rooms = rooms; self.days = days
        self.blocksPerDay = blocksPerDay; self.seed = seed; self.planted = planted; self.name = name; self.term = term
    }

    static let week: [Weekday] = [.mon, .tue, .wed, .thu, .fri]
    static let springTerm = Term(start: LocalDate(year: 2027, month: 1, day: 11), end: LocalDate(year: 2027, month: 3, day: 26),
                                 skip: [LocalDate(year: 2027, month: 1, day: 18), LocalDate(year: 2027, month: 2, day: 15)])

    public static let small = GeneratorSpec(students: 20, teachers: 4, rooms: 3, days: [.tue], blocksPerDay: 6, seed: 11,
                                            name: "Riverside Middle — Tuesday")
    public static let medium = GeneratorSpec(students: 120, teachers: 14, rooms: 9, days: week, blocksPerDay: 7, seed: 27,
                                             name: "Riverside Middle — Spring 2027 Week", term: springTerm)
    public static let large = GeneratorSpec(students: 400, teachers: 40, rooms: 25, days: week, blocksPerDay: 8, seed: 42,
                                            name: "Lakeview Learning Academy — Spring 2027 Week", term: springTerm)
    public static let xl = GeneratorSpec(students: 1000, teachers: 100, rooms: 60, days: week, blocksPerDay: 8, seed: 1000,
                                         name: "Harbor District Learning Campus — Spring 2027 Week", term: springTerm)

    /// Small enough for property tests and exhaustive checks; the sizes themselves vary with the seed.
    public static func tiny(seed: UInt64) -> GeneratorSpec {
        var rng = SplitMix64(seed: seed ^ 0x7469_6E79)
        let days = Array(week.prefix(rng.int(1...2)))
        return GeneratorSpec(students: rng.int(6...12), teachers: rng.int(2...3), rooms: 2, days: days,
                             blocksPerDay: rng.int(3...4), seed: seed, name: "Tiny school \(seed)")
    }
}

/// A scenario and, when planted, a timetable that meets every need in it.
public struct GeneratedScenario: Sendable, Hashable {
    public var scenario: Scenario
    public var planted: Timetable?
    public init(scenario: Scenario, planted: Timetable?) { self.scenario = scenario; self.planted = planted }
}
