import Foundation
import ScenarioKit

/// A school, district or other organisation of `orgs.csv`.
public struct RosterOrg: Sendable, Hashable {
    /// The flexsched id made from `sourcedId` (see `OneRoster.safeId`).
    public var id: String
    public var sourcedId: String
    public var identifier: String?
    public var name: String
}

public struct RosterPerson: Sendable, Hashable {
    /// The flexsched id made from `sourcedId` (see `OneRoster.safeId`).
    public var id: String
    public var sourcedId: String
    /// The human-readable id (often the student number) that NEEDS.csv may use instead of sourcedId.
    public var identifier: String?
    public var name: String
    /// The line of `users.csv` this person is on.
    public var line: Int
}

public struct RosterTeacher: Sendable, Hashable {
    public var person: RosterPerson
    /// The raw OneRoster subject values of the classes they teach, sorted, not yet mapped to flexsched
    /// subjects: per class its `subjects`, else its `subjectCodes`, else its course's `subjects`, else
    /// the course's `subjectCodes`, else the course's `courseCode`.
    public var subjectCodes: [String]
    /// The line of `users.csv` this teacher is on.
    public var line: Int
}

/// The academic session a timetable's weeks repeat in.
public struct RosterTerm: Sendable, Hashable {
    public var sourcedId: String
    public var title: String
    public var start: LocalDate
    public var end: LocalDate
}

/// One school's active people, read from a OneRoster export.
public struct Roster: Sendable {
    public var school: RosterOrg
    public var term: RosterTerm?
    /// In `users.csv` order.
    public var teachers: [RosterTeacher]
    /// In `users.csv` order.
    public var students: [RosterPerson]
    /// The paths read, for the output's comment header.
    public var files: [String]
    /// "1.1" or "1.2", from the manifest.
    public var version: String
}

public enum OneRoster {
    /// Every file an export may hold that the import reads, in the order they depend on each other.
    public static let fileNames = ["manifest.csv"] + OneRosterFile.all(.v1_2).map(\.name)

    /// Reads the OneRoster CSV export in `directory` (bulk files; a delta file is refused) and keeps
    /// the school `school` names by sourcedId, identifier or name (needed when the export holds several
    /// schools). Only users whose `status` is active (empty counts as active, as bulk files write it)
    /// and whose `enabledUser` is true are kept.
    ///
    /// The term is the academic session of type `term` or `semester` that most of the school's classes
    /// are held in (named in their `termSourcedIds`, directly or through a grading period inside it);
    /// `term` picks one by sourcedId or title when two tie, which is otherwise an error listing them.
    /// When no class names a term or semester (all held in the school year), the term is the only
    /// one there is, or nil.
    ///
    /// Every problem of every file is thrown at once, each with its file, line and column.
    public static func read(directory: String, school: String?, term: String? = nil) throws(InputError) -> Roster {
        try read(OneRosterReader(directory: directory, uploads: nil), school: school, term: term)
    }

    /// The same for an export uploaded file by file: each file's text by its name (`users.csv`), the
    /// name it is reported under.
    public static func read(files: [String: String], school: String?, term: String? = nil) throws(InputError) -> Roster {
        try read(OneRosterReader(directory: "", uploads: files), school: school, term: term)
    }

    private static func read(_ reader: OneRosterReader, school: String?, term: String?) throws(InputError) -> Roster {
        var reader = reader
        guard let roster = reader.read(school: school, term: term), reader.problems.isEmpty else {
            // File by file in the order they depend on each other, each from its top, as they are fixed.
            let order = fileNames
            func rank(_ problem: InputProblem) -> Int { order.firstIndex(of: URL(fileURLWithPath: problem.file).lastPathComponent) ?? order.count }
            throw InputError(reader.problems.enumerated().sorted {
                (rank($0.element), $0.element.line ?? .max, $0.offset) < (rank($1.element), $1.element.line ?? .max, $1.offset)
            }.map(\.element))
        }
        return roster
    }

    /// The flexsched id for a sourcedId: the sourcedId itself when it is already a valid id (GUIDs and
    /// most SIS numbers are), so ids stay readable and match the SIS; otherwise the sourcedId with each
    /// disallowed character replaced by `-`, followed by a hash of the original so that two sourcedIds
    /// differing only in those characters stay apart. The same sourcedId always gives the same id, so
    /// re-importing a changed roster keeps every unchanged person's id.
    public static func safeId(_ sourcedId: String) -> String {
        if idProblem(sourcedId) == nil { return sourcedId }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        var readable = String(String.UnicodeScalarView(sourcedId.unicodeScalars.map { allowed.contains($0) ? $0 : "-" }))
        while readable.hasPrefix(".") { readable.removeFirst() }
        // FNV-1a: stable across runs and platforms, unlike Hasher.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sourcedId.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let suffix = String(hash, radix: 16).leftPadded(to: 16).prefix(8)
        return String(readable.prefix(64 - 9)) + "-" + suffix
    }
}

/// One pass over an export, collecting every problem before any is reported.
private struct OneRosterReader {
    let directory: String
    /// The files' texts by name when they were uploaded rather than read from `directory`.
    let uploads: [String: String]?
    var problems: [InputProblem] = []
    var files: [String] = []

    init(directory: String, uploads: [String: String]?) { self.directory = directory; self.uploads = uploads }

    func path(_ name: String) -> String {
        directory.isEmpty || directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    func table(_ name: String) throws(InputError) -> CSVTable {
        guard let uploads else { return try CSVTable.read(path: path(name)) }
        guard let text = uploads[name] else { throw InputError(file: name, "was not uploaded; the manifest lists it") }
        return try CSVTable.parse(text, file: name)
    }

    mutating func read(school wanted: String?, term wantedTerm: String?) -> Roster? {
        guard let (version, present) = readManifest() else { return nil }
        var tables: [String: [String: CSVRecord]] = [:]
        for file in OneRosterFile.all(version) where present.contains(file.name) {
            tables[file.name] = readTable(file)
        }
        let orgs = tables["orgs.csv"], users = tables["users.csv"], sessions = tables["academicSessions.csv"]
        let courses = tables["courses.csv"], classes = tables["classes.csv"], enrollments = tables["enrollments.csv"]
        let roles = tables["roles.csv"]

        // Every reference is checked across the whole district: a broken one is a broken export even
        // when it belongs to another school.
        let orgIds = orgs.map { Set($0.keys) }, userIds = users.map { Set($0.keys) }
        let courseIds = courses.map { Set($0.keys) }, classIds = classes.map { Set($0.keys) }
        let sessionIds = sessions.map { Set($0.keys) }
        for record in sorted(users) {
            check(record, "orgSourcedIds", list: true, against: orgIds, in: "orgs.csv")
            check(record, "primaryOrgSourcedId", against: orgIds, in: "orgs.csv")
        }
        for record in sorted(roles) {
            check(record, "userSourcedId", against: userIds, in: "users.csv")
            check(record, "orgSourcedId", against: orgIds, in: "orgs.csv")
            _ = record.date("beginDate", &problems); _ = record.date("endDate", &problems)
        }
        for record in sorted(courses) { check(record, "orgSourcedId", against: orgIds, in: "orgs.csv") }
        for record in sorted(classes) {
            check(record, "courseSourcedId", against: courseIds, in: "courses.csv")
            check(record, "schoolSourcedId", against: orgIds, in: "orgs.csv")
            check(record, "termSourcedIds", list: true, against: sessionIds, in: "academicSessions.csv")
        }
        for record in sorted(enrollments) {
            check(record, "classSourcedId", against: classIds, in: "classes.csv")
            check(record, "schoolSourcedId", against: orgIds, in: "orgs.csv")
            check(record, "userSourcedId", against: userIds, in: "users.csv")
            _ = boolean(record, "primary"); _ = record.date("beginDate", &problems); _ = record.date("endDate", &problems)
        }
        let (terms, parents) = readSessions(sessions)

        guard let orgs, let users, let classes, let enrollments else { return nil }
        guard let school = pickSchool(orgs, wanted) else { return nil }
        let people = readUsers(users, roles: roles, version: version, school: school.sourcedId)
        let schoolClasses = sorted(classes).filter { active($0) && $0["schoolSourcedId"] == school.sourcedId }
        let subjects = teacherSubjects(schoolClasses, courses: courses ?? [:], enrollments: enrollments, school: school.sourcedId)
        let term = pickTerm(terms, parents: parents, classes: schoolClasses, wanted: wantedTerm)
        guard problems.isEmpty else { return nil }
        return Roster(
            school: school, term: term,
            teachers: people.teachers.map { RosterTeacher(person: $0, subjectCodes: subjects[$0.sourcedId, default: []].sorted(), line: $0.line) },
            students: people.students, files: files, version: version.rawValue)
    }

    // MARK: files

    /// The version and the files the manifest says are there in full; problems for the rest.
    mutating func readManifest() -> (OneRosterVersion, Set<String>)? {
        let manifest: CSVTable
        do { manifest = try table("manifest.csv") } catch { problems += error.problems; return nil }
        files.append(manifest.file)
        let columnProblems = manifest.columnProblems(required: ["propertyName", "value"])
        problems += columnProblems
        if !columnProblems.isEmpty { return nil }
        var properties: [String: CSVRecord] = [:]
        for record in manifest.rows {
            guard let name = record["propertyName"] else { continue }
            properties[name] = properties[name] ?? record
        }
        guard let versionRecord = properties["oneroster.version"] else {
            problems.append(InputProblem(file: manifest.file, entity: "", message: "has no `oneroster.version` row; add `oneroster.version,1.1` (or 1.2, as the export is)"))
            return nil
        }
        guard let version = OneRosterVersion(rawValue: versionRecord["value"] ?? "") else {
            problems.append(versionRecord.problem("value", "OneRoster version `\(versionRecord["value"] ?? "")` is not supported; only 1.1 and 1.2 exports can be read"))
            return nil
        }
        var present: Set<String> = []
        for file in OneRosterFile.all(version) {
            let mode = properties[file.manifestKey]?["value"]?.lowercased()
            switch mode {
            case "bulk":
                present.insert(file.name)
            case "delta":
                problems.append(properties[file.manifestKey]!.problem("value", "\(file.name) is a delta file (changes only); export the roster in bulk mode so it holds everyone"))
            case "absent" where !file.essential, nil where !file.essential:
                continue
            case "absent":
                problems.append(properties[file.manifestKey]!.problem("value", "\(file.name) is `absent`, but the import needs it; export it in bulk mode"))
            case nil:
                problems.append(InputProblem(file: manifest.file, entity: "", message: "has no `\(file.manifestKey)` row; add `\(file.manifestKey),bulk` and the file"))
            default:
                problems.append(properties[file.manifestKey]!.problem("value", "`\(mode!)` is not a file mode; write bulk, delta or absent"))
            }
        }
        return (version, present)
    }

    /// The rows of a file by sourcedId, or nil when the file or one of its needed columns is missing.
    mutating func readTable(_ file: OneRosterFile) -> [String: CSVRecord]? {
        let table: CSVTable
        do { table = try self.table(file.name) } catch { problems += error.problems; return nil }
        files.append(table.file)
        // Extension columns are allowed by the standard, after the defined ones.
        let extensions = table.header.filter { $0.lowercased().hasPrefix("metadata.") }
        let columnProblems = table.columnProblems(required: file.required, optional: file.optional + extensions)
        problems += columnProblems
        if columnProblems.contains(where: { $0.column == nil }) { return nil }
        var rows: [String: CSVRecord] = [:]
        for record in table.rows {
            for column in file.required where column != "sourcedId" {
                _ = record.required(column, &problems, what: "one, as OneRoster requires it")
            }
            guard let id = record.required("sourcedId", &problems, what: "the id the other files use for this row") else { continue }
            if let first = rows[id] {
                problems.append(record.problem("sourcedId", "sourcedId `\(id)` is already used on line \(first.line); give every row its own sourcedId"))
                continue
            }
            checkStatus(record)
            rows[id] = record
        }
        return rows
    }

    func sorted(_ rows: [String: CSVRecord]?) -> [CSVRecord] { (rows ?? [:]).values.sorted { $0.line < $1.line } }

    // MARK: values

    /// Whether a row is in use: `status` empty (as bulk files write it) or active. Other values are
    /// reported once, when the file is read (`checkStatus`).
    func active(_ record: CSVRecord) -> Bool {
        [nil, "active"].contains(record["status"]?.lowercased())
    }

    mutating func checkStatus(_ record: CSVRecord) {
        guard let status = record["status"], !["active", "tobedeleted", "inactive"].contains(status.lowercased()) else { return }
        problems.append(record.problem("status", "`\(status)` is not a status; write active or tobedeleted, or leave it empty"))
    }

    mutating func boolean(_ record: CSVRecord, _ column: String) -> Bool? {
        guard let text = record[column] else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default:
            problems.append(record.problem(column, "`\(text)` is not true or false"))
            return nil
        }
    }

    func list(_ record: CSVRecord, _ column: String) -> [String] {
        (record[column] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Reports each id under `column` that is not among `known` (nil: that file was not read).
    mutating func check(_ record: CSVRecord, _ column: String, list isList: Bool = false, against known: Set<String>?, in file: String) {
        guard let known else { return }
        let ids = isList ? list(record, column) : record[column].map { [$0] } ?? []
        for id in ids where !known.contains(id) {
            problems.append(record.problem(column, "`\(id)` is not a sourcedId in \(file)\(hint(id, known)); fix the id or add the row it names"))
        }
    }

    func hint(_ id: String, _ known: Set<String>) -> String {
        closestMatch(to: id, among: known.sorted()).map { " — did you mean `\($0)`?" } ?? ""
    }

    // MARK: school, people, subjects, term

    mutating func pickSchool(_ orgs: [String: CSVRecord], _ wanted: String?) -> RosterOrg? {
        let schools = sorted(orgs).filter { active($0) && $0["type"]?.lowercased() == "school" }.map {
            RosterOrg(id: OneRoster.safeId($0["sourcedId"]!), sourcedId: $0["sourcedId"]!, identifier: $0["identifier"], name: $0["name"] ?? "")
        }
        let file = path("orgs.csv")
        // The identifier, when there is one, is the short name an admin would rather type.
        let listing = schools.map { "`\($0.identifier ?? $0.sourcedId)` (\($0.name))" }.joined(separator: ", ")
        if let wanted {
            let matches = schools.filter { $0.sourcedId == wanted || $0.identifier == wanted || $0.name.lowercased() == wanted.lowercased() }
            if matches.count == 1 { return matches[0] }
            let what = matches.isEmpty ? "no active school in it is" : "\(matches.count) schools are"
            problems.append(InputProblem(file: file, entity: "", message: "\(what) `\(wanted)` (by sourcedId, identifier or name); the schools are \(listing.isEmpty ? "none" : listing)"))
            return nil
        }
        switch schools.count {
        case 1: return schools[0]
        case 0: problems.append(InputProblem(file: file, entity: "", message: "has no active org of type `school`; the import reads one school"))
        default: problems.append(InputProblem(file: file, entity: "", message: "holds \(schools.count) schools; pick one with --school: \(listing)"))
        }
        return nil
    }

    /// The school's active, enabled teachers and students, in file order.
    mutating func readUsers(_ users: [String: CSVRecord], roles: [String: CSVRecord]?, version: OneRosterVersion,
                            school: String) -> (teachers: [RosterPerson], students: [RosterPerson]) {
        let known = OneRosterFile.roles(version)
        func checkedRole(_ record: CSVRecord) -> String? {
            guard let role = record["role"] else { return nil }
            if let match = known.first(where: { $0.lowercased() == role.lowercased() }) { return match }
            // Other roles (a vendor's own, 1.2's `ext:` ones) are people the import does not take; only
            // a misspelt standard role is reported, as it may hide a teacher or student.
            guard let meant = closestMatch(to: role, among: known) else { return nil }
            problems.append(record.problem("role", "`\(role)` is not a OneRoster \(version.rawValue) role — did you mean `\(meant)`?; write one of \(known.joined(separator: ", "))"))
            return nil
        }
        // What each user is at this school: 1.1 says it in users.csv, 1.2 in roles.csv.
        var rolesAtSchool: [String: Set<String>] = [:]
        switch version {
        case .v1_1:
            for record in sorted(users) {
                guard let role = checkedRole(record), list(record, "orgSourcedIds").contains(school) else { continue }
                rolesAtSchool[record["sourcedId"]!, default: []].insert(role)
            }
        case .v1_2:
            for record in sorted(roles) {
                guard let role = checkedRole(record), active(record), record["orgSourcedId"] == school,
                      let user = record["userSourcedId"] else { continue }
                rolesAtSchool[user, default: []].insert(role)
            }
        }
        var teachers: [RosterPerson] = [], students: [RosterPerson] = []
        var byId: [String: CSVRecord] = [:]
        for record in sorted(users) {
            let enabled = boolean(record, "enabledUser")
            guard active(record), enabled == true, let sourcedId = record["sourcedId"],
                  let roles = rolesAtSchool[sourcedId], roles.contains("teacher") || roles.contains("student"),
                  let given = record["preferredGivenName"] ?? record["givenName"],
                  let family = record["preferredFamilyName"] ?? record["familyName"] else { continue }
            let person = RosterPerson(id: OneRoster.safeId(sourcedId), sourcedId: sourcedId, identifier: record["identifier"],
                                      name: given + " " + family, line: record.line)
            if let other = byId[person.id] {
                problems.append(record.problem("sourcedId", "sourcedId `\(sourcedId)` becomes the id `\(person.id)`, as `\(other["sourcedId"]!)` on line \(other.line) does; change one of them"))
                continue
            }
            byId[person.id] = record
            if roles.contains("teacher") { teachers.append(person) } else { students.append(person) }
        }
        return (teachers, students)
    }

    /// The raw subject values of the classes each teacher teaches at the school, by teacher sourcedId.
    func teacherSubjects(_ classes: [CSVRecord], courses: [String: CSVRecord], enrollments: [String: CSVRecord],
                                  school: String) -> [String: Set<String>] {
        var classSubjects: [String: [String]] = [:]
        for record in classes {
            let course = record["courseSourcedId"].flatMap { courses[$0] }
            let sources: [(CSVRecord?, String)] = [(record, "subjects"), (record, "subjectCodes"), (course, "subjects"), (course, "subjectCodes"), (course, "courseCode")]
            classSubjects[record["sourcedId"]!] = sources.compactMap { row, column in row.map { list($0, column) } }.first { !$0.isEmpty } ?? []
        }
        var subjects: [String: Set<String>] = [:]
        for record in sorted(enrollments) where record["role"]?.lowercased() == "teacher" && record["schoolSourcedId"] == school {
            guard active(record), let user = record["userSourcedId"], let values = record["classSourcedId"].flatMap({ classSubjects[$0] }) else { continue }
            subjects[user, default: []].formUnion(values)
        }
        return subjects
    }

    /// The active terms and semesters of `academicSessions.csv`, and each session's parent session;
    /// every session's dates are checked.
    mutating func readSessions(_ sessions: [String: CSVRecord]?) -> (terms: [RosterTerm], parents: [String: String]) {
        var terms: [RosterTerm] = [], parents: [String: String] = [:]
        for record in sorted(sessions) {
            parents[record["sourcedId"]!] = record["parentSourcedId"]
            let start = record.date("startDate", &problems), end = record.date("endDate", &problems)
            if let start, let end, end < start {
                problems.append(record.problem("endDate", "ends on \(end), before it starts on \(start); swap or fix the dates"))
                continue
            }
            guard let start, let end, active(record), ["term", "semester"].contains(record["type"]?.lowercased() ?? "") else { continue }
            terms.append(RosterTerm(sourcedId: record["sourcedId"]!, title: record["title"] ?? "", start: start, end: end))
        }
        return (terms, parents)
    }

    mutating func pickTerm(_ terms: [RosterTerm], parents: [String: String], classes: [CSVRecord], wanted: String?) -> RosterTerm? {
        let file = path("academicSessions.csv")
        let listing = terms.map { "`\($0.sourcedId)` (\($0.title))" }.joined(separator: ", ")
        if let wanted {
            if let match = terms.first(where: { $0.sourcedId == wanted || $0.title.lowercased() == wanted.lowercased() }) { return match }
            problems.append(InputProblem(file: file, entity: "", message: "no term or semester is `\(wanted)`; they are \(listing.isEmpty ? "none" : listing)"))
            return nil
        }
        // A class held in a grading period is held in the term that period belongs to.
        let counts = terms.map { entry in
            classes.count { list($0, "termSourcedIds").contains { $0 == entry.sourcedId || parents[$0] == entry.sourcedId } }
        }
        guard let most = counts.max() else { return nil }
        // Classes held only in the school year name no term: the one term there is, else none.
        if most == 0 { return terms.count == 1 ? terms[0] : nil }
        let best = terms.indices.filter { counts[$0] == most }
        if best.count == 1 { return terms[best[0]] }
        let tied = best.map { "`\(terms[$0].sourcedId)` (\(terms[$0].title))" }.joined(separator: ", ")
        problems.append(InputProblem(file: file, entity: "", message: "the school's classes are held in \(best.count) terms equally often: \(tied); name the one to schedule with `--term SOURCEDID`"))
        return nil
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: Swift.max(0, width - count)) + self }
}
