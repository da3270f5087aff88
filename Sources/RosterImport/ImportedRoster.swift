import ScenarioKit

/// Where an imported entity was read, so a problem found only once everything is merged can still
/// send the admin to the right file and line.
public struct Origin: Sendable, Hashable {
    public var file: String
    public var line: Int?
    /// A sheet's column numbers by lowercased name, so a value can be pointed at, not just its row.
    public var columns: [String: Int]
    public init(file: String, line: Int?, columns: [String: Int] = [:]) { self.file = file; self.line = line; self.columns = columns }
}

/// A teacher as a roster gives her, with subjects already in flexsched's words.
public struct ImportedTeacher: Sendable, Hashable {
    public var teacher: Teacher
    /// Other ways the needs file may name her (a OneRoster sourcedId or identifier).
    public var aliases: [String]
    public var origin: Origin
    public var id: String { teacher.id }

    public init(id: String, name: String, subjects: [String], unavailable: [SlotRef] = [], maxPerDay: Int? = nil,
                maxPerWeek: Int? = nil, maxDays: Int? = nil, maxInARow: Int? = nil, aimPerWeek: Int? = nil, preferNot: [SlotRef] = [],
                aliases: [String] = [], origin: Origin) {
        teacher = Teacher(id: id, name: name, subjects: subjects, unavailable: unavailable, maxPerDay: maxPerDay, maxPerWeek: maxPerWeek,
                          maxDays: maxDays, maxInARow: maxInARow, preferNot: preferNot, aimPerWeek: aimPerWeek)
        self.aliases = aliases; self.origin = origin
    }
}

/// A student as a roster gives him; his learning plan (`needs`) comes from the needs file.
public struct ImportedStudent: Sendable, Hashable {
    public var student: Student
    public var aliases: [String]
    public var origin: Origin
    public var id: String { student.id }

    public init(id: String, name: String, unavailable: [SlotRef] = [], requires: [String] = [], maxPerDay: Int? = nil,
                apart: [String] = [], aliases: [String] = [], origin: Origin) {
        student = Student(id: id, name: name, needs: [], unavailable: unavailable, requires: requires, maxPerDay: maxPerDay, apart: apart)
        self.aliases = aliases; self.origin = origin
    }
}

/// Everything a school's systems said, before it is merged with the week template and the needs.
public struct ImportedRoster: Sendable {
    public var teachers: [ImportedTeacher]
    public var students: [ImportedStudent]
    /// Rooms from a rooms sheet; the template's rooms are added to these.
    public var rooms: [Room]
    /// The term's first and last day, when the roster knows them.
    public var term: (start: LocalDate, end: LocalDate)?
    /// One line each for the output's header: what was read.
    public var sources: [String]

    public init(teachers: [ImportedTeacher], students: [ImportedStudent], rooms: [Room] = [],
                term: (start: LocalDate, end: LocalDate)? = nil, sources: [String]) {
        self.teachers = teachers; self.students = students; self.rooms = rooms; self.term = term; self.sources = sources
    }
}
