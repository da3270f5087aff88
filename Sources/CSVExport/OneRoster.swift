import ScenarioKit
import TimetableFormat

/// Where the exported classes belong in the SIS: OneRoster references that flexsched's scenario
/// does not hold.
public struct OneRosterOptions: Sendable, Hashable {
    /// `schoolSourcedId` of every class and enrollment: the school's org in the SIS.
    public var school: String
    /// `termSourcedIds` of every class: the academicSession the week belongs to.
    public var term: String
    /// `courseSourcedId` is this prefix followed by the subject id.
    public var coursePrefix: String

    public init(school: String, term: String, coursePrefix: String) {
        self.school = school; self.term = term; self.coursePrefix = coursePrefix
    }

    /// Placeholders that keep the files consistent when the SIS's ids are not given: the school is a
    /// slug of the scenario name, the term that slug plus `-term`, courses `<slug>-<subject>`.
    public static func defaults(scenarioName: String, school: String?, term: String?, coursePrefix: String?) -> OneRosterOptions {
        let words = scenarioName.lowercased().split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }
        let slug = words.isEmpty ? "school" : words.joined(separator: "-")
        let school = school ?? slug
        return OneRosterOptions(school: school, term: term ?? school + "-term", coursePrefix: coursePrefix ?? school + "-")
    }
}

/// OneRoster 1.1 CSV (bulk) classes and enrollments for the groups flexsched planned. Fixed sessions
/// are left out: they were fixed elsewhere, usually in the SIS itself, which already holds them.
struct OneRoster {
    let scenario: Scenario
    let options: OneRosterOptions

    init(scenario: Scenario, options: OneRosterOptions) { self.scenario = scenario; self.options = options }

    // Column lists and order as in the OneRoster 1.1 CSV tables.
    static let manifestHeader = ["propertyName", "value"]
    static let classesHeader = ["sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId", "classCode", "classType",
                                "location", "schoolSourcedId", "termSourcedIds", "subjects", "subjectCodes", "periods"]
    static let enrollmentsHeader = ["sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId", "userSourcedId", "role",
                                    "primary", "beginDate", "endDate"]

    static let manifestRows: [[String]] = [
        ["manifest.version", "1.0"], ["oneroster.version", "1.1"],
    ] + ["academicSessions", "categories", "classes", "classResources", "courses", "courseResources", "demographics", "enrollments",
         "lineItems", "orgs", "resources", "results", "users"].map { ["file.\($0)", ["classes", "enrollments"].contains($0) ? "bulk" : "absent"] }
        + [["source.systemName", "flexsched"]]

    /// Depends only on when and where the group meets and what it is (never on teacher or students),
    /// so the same group keeps its class across re-solves while its enrollments change. A room holds
    /// one session at a time, so day, block and room alone tell groups apart.
    func classSourcedId(_ s: Timetable.Session) -> String {
        (["flexsched", options.school, s.day, s.block, s.room ?? "", s.subject, s.modality]).map(Self.component).joined(separator: ".")
    }

    /// Ids may contain `.` and `_`; escaping them keeps `.` a separator only, so different groups
    /// never share a sourcedId, and the result keeps to the letters, digits, `-`, `_` and `.` SIS
    /// importers accept.
    static func component(_ id: String) -> String {
        id.replacingOccurrences(of: "_", with: "__").replacingOccurrences(of: ".", with: "_d")
    }

    func classRows(_ sessions: [Timetable.Session]) -> [[String]] {
        let rooms = Dictionary(uniqueKeysWithValues: scenario.rooms.map { ($0.id, $0.name) })
        return sessions.filter { !$0.fixed }.map { s in
            let periods = (scenario.blockRun(from: s.block, length: s.length) ?? []).map(\.id)
            let day = Weekday(rawValue: s.day).map { String($0.longName.prefix(3)) } ?? s.day
            let title = "\(Self.label(s.subject)) \(s.modality.replacingOccurrences(of: "-", with: " ")) — \(day) \(periods.joined(separator: "+"))"
            return [classSourcedId(s), "", "", title, "", options.coursePrefix + s.subject, "", "scheduled",
                    s.room.flatMap { rooms[$0] } ?? "", options.school, options.term, s.subject, "", periods.joined(separator: ",")]
        }
    }

    func enrollmentRows(_ sessions: [Timetable.Session]) -> [[String]] {
        let begin = scenario.term.map { "\($0.start)" } ?? "", end = scenario.term.map { "\($0.end)" } ?? ""
        return sessions.filter { !$0.fixed }.flatMap { s -> [[String]] in
            let classId = classSourcedId(s)
            func row(_ user: String, role: String, primary: String) -> [String] {
                [classId + "." + role + "." + Self.component(user), "", "", classId, options.school, user, role, primary, begin, end]
            }
            return s.staff.map { row($0, role: "teacher", primary: "true") } + s.students.map { row($0, role: "student", primary: "") }
        }
    }

    private static func label(_ subject: String) -> String {
        let words = subject.replacingOccurrences(of: "-", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}
