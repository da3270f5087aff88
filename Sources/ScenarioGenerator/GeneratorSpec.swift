import Foundation
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
    /// The scenario format v1.1 features to plant. None by default, so that a spec without them gives
    /// exactly the scenario it gave before they existed.
    public var features: Features
    /// Scenario format v1.2: classes with lessons, flex needs on top (`HybridSpec`). Nil keeps the
    /// week as it was before lessons existed.
    public var hybrid: HybridSpec?

    public init(students: Int, teachers: Int, rooms: Int, days: [Weekday], blocksPerDay: Int, seed: UInt64,
                planted: Bool = true, name: String, term: Term? = nil, features: Features = [], hybrid: HybridSpec? = nil) {
        self.students = students; self.teachers = teachers; self.rooms = rooms; self.days = days
        self.blocksPerDay = blocksPerDay; self.seed = seed; self.planted = planted; self.name = name; self.term = term
        self.features = features; self.hybrid = hybrid
    }

    /// The same week with every v1.1 feature. When planted, the planted timetable keeps every rule they add.
    public var withAllFeatures: GeneratorSpec {
        var spec = self
        spec.features = .all
        return spec
    }

    /// Optional parts of a generated week (scenario format v1.1).
    public struct Features: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// Grade groups meeting for advisory in the week's first block, and one or two whole-class
        /// lessons (the second a double block); flexible sessions fit around them.
        public static let fixed = Features(rawValue: 1 << 0)
        /// Some needs `mandated` (mostly tutoring), `high` or `low`; most stay `normal`.
        public static let priorities = Features(rawValue: 1 << 1)
        /// `teacher` on some teacher-led needs, naming the one teacher who led all their planted sessions.
        public static let requestedTeachers = Features(rawValue: 1 << 2)
        /// `prefer-teacher` on some teacher-led needs (soft, so any qualified teacher).
        public static let preferTeachers = Features(rawValue: 1 << 3)
        /// A `project` modality of two blocks in a collaboration room, and a lunch (`break-before`) it never spans.
        public static let doubleBlocks = Features(rawValue: 1 << 4)
        /// `level` on needs, `level-spread` 2 on small groups and 1 on projects; some needs have no level.
        public static let levels = Features(rawValue: 1 << 5)
        /// `apart` pairs, chosen among students who share no session of the planted week.
        public static let apart = Features(rawValue: 1 << 6)
        /// `prefer-not` times on a third of the teachers (soft).
        public static let preferNot = Features(rawValue: 1 << 7)

        public static let all: Features = [.fixed, .priorities, .requestedTeachers, .preferTeachers, .doubleBlocks, .levels, .apart, .preferNot]

        /// Each feature's name on the command line, named after the scenario key it plants.
        public static let names: [(name: String, feature: Features)] = [
            ("fixed", .fixed), ("priority", .priorities), ("teacher", .requestedTeachers), ("prefer-teacher", .preferTeachers),
            ("double-blocks", .doubleBlocks), ("levels", .levels), ("apart", .apart), ("prefer-not", .preferNot),
        ]

        /// `all`, `none`, or names from `names` joined by commas (`fixed,levels`); nil if any name is unknown.
        public init?(parsing text: String) {
            self = []
            for word in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
                switch word {
                case "all": formUnion(.all)
                case "none": continue
                default:
                    guard let known = Features.names.first(where: { $0.name == word }) else { return nil }
                    formUnion(known.feature)
                }
            }
        }
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
    /// The scale test: a district's whole secondary campus in one week.
    public static let xxl = GeneratorSpec(students: 2000, teachers: 200, rooms: 120, days: week, blocksPerDay: 8, seed: 2000,
                                          name: "Harbor District Secondary Campuses — Spring 2027 Week", term: springTerm)

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
