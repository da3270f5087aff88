import ScenarioKit

/// A hybrid school (scenario format v1.2): years split into forms that have class lessons most of
/// the week, and students' personalized flex sessions in the blocks their lessons leave free.
/// Planted like every generated week: the lessons are placed first (keeping every R8 rule), the flex
/// sessions around them, and the scenario is read off that timetable, so a timetable with nothing
/// unmet and nothing unplaced exists. With `hybrid`, `GeneratorSpec.teachers` counts the
/// learning-support teachers who teach no lessons (tutoring, IEP sessions) and `GeneratorSpec.rooms`
/// the flex rooms; the subject teachers and lesson rooms follow from the curriculum.
public struct HybridSpec: Sendable, Hashable {
    /// Year groups (Year 7, Year 8, ...), each a class whose parts are its forms.
    public var years: Int
    public var formsPerYear: Int
    /// The first year's number: 7 gives Years 7, 8, 9 and forms 7A, 7B, ...
    public var firstYear: Int
    /// What every form has each week.
    public var curriculum: [Course]
    /// Share of lessons (other than year-wide ones, which are always pinned) with one lesson pinned
    /// where the planted week has it.
    public var pinShare: Double
    /// Soft wishes on some lessons: core subjects avoid the day's last block, doubles prefer their days.
    public var preferences: Bool
    /// One or two blocks a year or a form has no lessons (a trip, an exam afternoon).
    public var classUnavailability: Bool

    public init(years: Int, formsPerYear: Int, firstYear: Int = 7, curriculum: [Course] = Course.standard, pinShare: Double = 0.1,
                preferences: Bool = true, classUnavailability: Bool = true) {
        self.years = years; self.formsPerYear = formsPerYear; self.firstYear = firstYear; self.curriculum = curriculum
        self.pinShare = pinShare; self.preferences = preferences; self.classUnavailability = classUnavailability
    }

    public var classCount: Int { years * formsPerYear }

    /// Where a course's lessons may go.
    public enum Place: Sendable, Hashable {
        /// Any room that seats the class (the form room when free).
        case anyRoom
        /// Any room with this feature (`lab`, `music`).
        case feature(String)
        /// One named room of the school (`gym`, `studio`).
        case room(String)
    }

    /// One subject's lessons: per form, or (`yearWide`) once for the whole year, led by `teachers` together.
    public struct Course: Sendable, Hashable {
        public var subject: String
        public var sessions: Int
        public var length: Int
        public var minDaysApart: Int
        public var place: Place
        public var yearWide: Bool
        /// Teachers leading each lesson together (co-taught when above 1).
        public var teachers: Int

        public init(_ subject: String, sessions: Int, length: Int = 1, minDaysApart: Int = 1, place: Place = .anyRoom,
                    yearWide: Bool = false, teachers: Int = 1) {
            self.subject = subject; self.sessions = sessions; self.length = length; self.minDaysApart = minDaysApart
            self.place = place; self.yearWide = yearWide; self.teachers = teachers
        }

        /// 25 lesson blocks a week: math and English daily, science doubles in a lab, history, Spanish,
        /// an art double in the studio, music, PE in the gym and a year-wide co-taught PE double.
        public static let standard: [Course] = [
            Course("math", sessions: 5), Course("english", sessions: 5),
            Course("science", sessions: 2, length: 2, minDaysApart: 2, place: .feature("lab")),
            Course("history", sessions: 2, minDaysApart: 2), Course("spanish", sessions: 3),
            Course("art", sessions: 1, length: 2, minDaysApart: 0, place: .room("studio")),
            Course("music", sessions: 1, minDaysApart: 0, place: .feature("music")),
            Course("pe", sessions: 1, minDaysApart: 0, place: .room("gym")),
            Course("pe", sessions: 1, length: 2, minDaysApart: 0, place: .room("gym"), yearWide: true, teachers: 2),
        ]
    }
}

extension GeneratorSpec {
    static let hybridWeek: [Weekday] = [.mon, .tue, .wed, .thu, .fri]
    static let hybridFeatures: Features = [.priorities, .requestedTeachers, .preferTeachers]

    /// About 60 students in one year of 3 forms.
    public static let hybridSmall = GeneratorSpec(
        students: 60, teachers: 2, rooms: 3, days: hybridWeek, blocksPerDay: 7, seed: 7,
        name: "Maple Grove School — Year 7 Week", term: springTerm, features: hybridFeatures,
        hybrid: HybridSpec(years: 1, formsPerYear: 3))
    /// About 150 students in two years of 3 forms.
    public static let hybridMedium = GeneratorSpec(
        students: 150, teachers: 3, rooms: 6, days: hybridWeek, blocksPerDay: 7, seed: 8,
        name: "Maple Grove School — Years 7-8 Week", term: springTerm, features: hybridFeatures,
        hybrid: HybridSpec(years: 2, formsPerYear: 3))
    /// About 300 students in Years 7-9 of 4 forms each: the bundled `hybrid-week.yaml`.
    public static let hybridLarge = GeneratorSpec(
        students: 300, teachers: 4, rooms: 9, days: hybridWeek, blocksPerDay: 7, seed: 9,
        name: "Maple Grove School — Years 7-9 Week", term: springTerm, features: hybridFeatures,
        hybrid: HybridSpec(years: 3, formsPerYear: 4))
}
