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

/// OneRoster 1.1 CSV (bulk) classes and enrollments for the groups flexsched planned, and one class
/// per placed class lesson (all its sessions of the week), enrolling its teachers and its classes'
/// listed students. Fixed sessions are left out: they were fixed elsewhere, usually in the SIS
/// itself, which already holds them.
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

    /// A lesson's class depends only on the lesson's id, so it keeps its class whatever times and
    /// rooms a re-solve gives it. Four components where a group's have seven: the two never meet.
    func classSourcedId(lesson id: String) -> String {
        ["flexsched", options.school, "lesson", id].map(Self.component).joined(separator: ".")
    }

    /// Each placed lesson with its sessions, in the order of its first session.
    private func lessons(_ sessions: [Timetable.Session]) -> [(id: String, sessions: [Timetable.Session])] {
        var order: [String] = [], byLesson: [String: [Timetable.Session]] = [:]
        for s in sessions {
            guard let id = s.lesson else { continue }
            if byLesson[id] == nil { order.append(id) }
            byLesson[id, default: []].append(s)
        }
        return order.map { ($0, byLesson[$0]!) }
    }

    func classRows(_ sessions: [Timetable.Session]) -> [[String]] {
        let rooms = Dictionary(uniqueKeysWithValues: scenario.rooms.map { ($0.id, $0.name) })
        let lessonRows = lessons(sessions).map { id, placed in
            let first = placed[0]
            let location = unique(placed.compactMap { $0.room.map { rooms[$0] ?? $0 } }).joined(separator: ", ")
            let used = Set(placed.flatMap { (scenario.blockRun(from: $0.block, length: $0.length) ?? []).map(\.id) })
            let periods = scenario.blocksInTimeOrder.map(\.id).filter(used.contains)
            return [classSourcedId(lesson: id), "", "", first.heading, "", options.coursePrefix + first.subject, "", "scheduled",
                    location, options.school, options.term, first.subject, "", periods.joined(separator: ",")]
        }
        return sessions.filter(\.isFlex).map { s in
            let periods = (scenario.blockRun(from: s.block, length: s.length) ?? []).map(\.id)
            let day = Weekday(rawValue: s.day).map { String($0.longName.prefix(3)) } ?? s.day
            let title = "\(Self.label(s.subject)) \(s.modality.replacingOccurrences(of: "-", with: " ")) — \(day) \(periods.joined(separator: "+"))"
            return [classSourcedId(s), "", "", title, "", options.coursePrefix + s.subject, "", "scheduled",
                    s.room.flatMap { rooms[$0] } ?? "", options.school, options.term, s.subject, "", periods.joined(separator: ",")]
        } + lessonRows
    }

    func enrollmentRows(_ sessions: [Timetable.Session]) -> [[String]] {
        let begin = scenario.term.map { "\($0.start)" } ?? "", end = scenario.term.map { "\($0.end)" } ?? ""
        func rows(_ classId: String, teachers: [String], students: [String]) -> [[String]] {
            func row(_ user: String, role: String, primary: String) -> [String] {
                [classId + "." + role + "." + Self.component(user), "", "", classId, options.school, user, role, primary, begin, end]
            }
            return teachers.map { row($0, role: "teacher", primary: "true") } + students.map { row($0, role: "student", primary: "") }
        }
        return sessions.filter(\.isFlex).flatMap { rows(classSourcedId($0), teachers: $0.staff, students: $0.students) }
            + lessons(sessions).flatMap { id, placed in
                rows(classSourcedId(lesson: id), teachers: unique(placed.flatMap(\.staff)), students: unique(placed.flatMap(\.students)))
            }
    }

    private func unique(_ ids: [String]) -> [String] {
        var seen = Set<String>()
        return ids.filter { seen.insert($0).inserted }
    }

    private static func label(_ subject: String) -> String {
        let words = subject.replacingOccurrences(of: "-", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}
