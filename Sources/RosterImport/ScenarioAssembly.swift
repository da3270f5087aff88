import Foundation
import ScenarioKit

/// Week template + roster + needs sheet -> one scenario that `flexsched validate` accepts, or every
/// problem at once, each in the file an admin has to open to fix it.
public enum ScenarioAssembly {
    public static let needsColumns = (required: ["student", "subject", "modality", "sessions"],
                                      optional: ["priority", "level", "teacher", "prefer-teacher"])

    /// The scenario file's text: a comment header naming its sources, then scenario v1.1. Read back
    /// with `ScenarioLoader` before it is returned, so what is written is exactly what validates.
    public static func scenarioText(week: WeekTemplate, roster: ImportedRoster, needs: CSVTable, outputFile: String, command: String,
                                    problems earlier: [InputProblem] = []) throws(InputError) -> ImportResult {
        let (scenario, warnings) = try assemble(week: week, roster: roster, needs: needs, problems: earlier)
        var header = ["# Imported by `\(command)`; edit the sources and import again rather than this file.", "# Sources:"]
        header += roster.sources.map { "#   \($0)" }
        header.append("#   week template: \(week.file)")
        header.append("#   needs: \(needs.file) (\(needs.rows.count) rows)")
        let text = header.joined(separator: "\n") + "\n" + scenario.yamlText()
        do {
            return ImportResult(text: text, scenario: try ScenarioLoader.parse(text, file: outputFile), warnings: warnings)
        } catch {
            // Everything was checked against its own file above; reaching here is flexsched's fault.
            throw InputError([InputProblem(file: outputFile, entity: "",
                                           message: "the imported scenario does not read back (\(error)); please report this with the input files")])
        }
    }

    /// The scenario and where the template and the roster disagreed; or `earlier` (the files' own
    /// problems) with everything only the merged whole shows, all in one error.
    public static func assemble(week: WeekTemplate, roster: ImportedRoster, needs: CSVTable,
                                problems earlier: [InputProblem] = []) throws(InputError) -> (Scenario, warnings: [InputProblem]) {
        var problems: [InputProblem] = []
        var warnings: [InputProblem] = []
        let teachers = mergeTeachers(roster.teachers, settings: week, &problems, &warnings)
        let byAlias = aliasIndex(roster.students.map { ($0.id, $0.aliases) })
        let teacherAlias = aliasIndex(roster.teachers.map { ($0.id, $0.aliases) })
        var (plans, needLines) = readNeeds(needs, week: week, subjects: Set(teachers.flatMap(\.subjects) + week.subjects.map(\.subject)),
                                           teachers: teachers, students: byAlias, teacherAlias: teacherAlias, &problems)
        var rooms = roster.rooms
        if rooms.isEmpty, week.scenario.rooms.isEmpty {
            problems.append(InputProblem(file: week.file, entity: "rooms", message: "no rooms: list them under `rooms` in the week template (or give a rooms sheet)"))
        }
        for room in week.scenario.rooms {
            guard rooms.contains(where: { $0.id == room.id }) else { rooms.append(room); continue }
            problems.append(InputProblem(file: week.file, line: week.lines["rooms[\(room.id)]"], entity: "rooms[\(room.id)]",
                                         message: "room `\(room.id)` is in both the rooms sheet and the week template; keep one"))
        }
        let students = roster.students.map { imported in
            var student = imported.student
            student.needs = plans.removeValue(forKey: student.id) ?? []
            return student
        }.sorted { $0.id < $1.id }
        var term = week.scenario.term
        if let dates = roster.term { term = Term(start: dates.start, end: dates.end, skip: week.scenario.term?.skip ?? []) }
        let base = week.scenario
        let scenario = Scenario(name: base.name, timezone: base.timezone, term: term, days: base.days, blocks: base.blocks,
                                modalities: base.modalities, teachers: teachers.sorted { $0.id < $1.id }, rooms: rooms,
                                students: students, groups: base.groups, fixed: base.fixed)
        // The merged whole is judged even when rows were left out for their own problems, so the admin
        // learns everything in one run; a row already blamed is not blamed again for what followed.
        let found = earlier + problems
        let blamed = Set(found.filter { $0.file != week.file }.map { "\($0.file):\($0.line ?? 0)" })
        let meaning = scenario.validationProblems(file: week.file, lines: week.lines)
            .map { placed($0, roster: roster, needs: needs.file, needLines: needLines) }
            .filter { $0.file == week.file || !blamed.contains("\($0.file):\($0.line ?? 0)") }
        guard found.isEmpty, meaning.isEmpty else {
            var error = InputError(found + meaning)
            error.warnings = warnings
            throw error
        }
        return (scenario, warnings)
    }

    /// Roster teachers with the template's settings for them; a template teacher the roster lacks is
    /// an error at her line (a typo in a sourcedId would otherwise drop her limits silently). Where the
    /// template and a sheet both set a value and disagree, the sheet (the school's own record) wins and
    /// a warning at the sheet's cell says so.
    static func mergeTeachers(_ roster: [ImportedTeacher], settings week: WeekTemplate, _ problems: inout [InputProblem],
                              _ warnings: inout [InputProblem]) -> [Teacher] {
        let index = aliasIndex(roster.map { ($0.id, $0.aliases) })
        var settings: [String: Teacher] = [:]
        for t in week.scenario.teachers {
            guard let id = index[t.id] else {
                problems.append(InputProblem(file: week.file, line: week.lines["teachers[\(t.id)]"], entity: "teachers[\(t.id)]",
                                             message: "no active teacher in the roster has the id `\(t.id)`\(didYouMean(t.id, roster.map(\.id))); settings for a teacher are matched by her id (OneRoster sourcedId)"))
                continue
            }
            settings[id] = t
        }
        return roster.map { imported in
            var teacher = imported.teacher
            guard let s = settings[teacher.id] else { return teacher }
            let templateLine = week.lines["teachers[\(s.id)]"].map { "\(week.file):\($0)" } ?? week.file
            func merged<V: Equatable>(_ key: String, _ sheet: V?, _ template: V?, shown: (V) -> String) -> V? {
                guard let sheet, let template else { return sheet ?? template }
                if sheet != template {
                    let origin = imported.origin
                    warnings.append(InputProblem(file: origin.file, line: origin.line, column: origin.columns[key], entity: "",
                                                 message: "\(key) is \(shown(sheet)) here but \(shown(template)) in the week template (\(templateLine)); \(shown(sheet)) is used — remove one of them"))
                }
                return sheet
            }
            teacher.name = merged("name", teacher.name.isEmpty ? nil : teacher.name, s.name.isEmpty ? nil : s.name) { "`\($0)`" } ?? ""
            for subject in s.subjects where !teacher.subjects.contains(subject) { teacher.subjects.append(subject) }
            teacher.unavailable += s.unavailable
            teacher.maxPerDay = merged("max-per-day", teacher.maxPerDay, s.maxPerDay) { String($0) }
            teacher.maxPerWeek = merged("max-per-week", teacher.maxPerWeek, s.maxPerWeek) { String($0) }
            teacher.maxDays = merged("max-days", teacher.maxDays, s.maxDays) { String($0) }
            teacher.maxInARow = merged("max-in-a-row", teacher.maxInARow, s.maxInARow) { String($0) }
            teacher.aimPerWeek = merged("aim-per-week", teacher.aimPerWeek, s.aimPerWeek) { String($0) }
            teacher.preferNot += s.preferNot
            return teacher
        }
    }

    /// Each student's needs, read row by row; every bad cell is reported where it stands.
    /// Without a roster (when it could not be read) only what a row says on its own is checked, so the
    /// admin still learns of every problem in the needs file in the same run.
    static func readNeeds(_ table: CSVTable, week: WeekTemplate?, subjects: Set<String>?, teachers: [Teacher]?, students: [String: String]?,
                          teacherAlias: [String: String], _ problems: inout [InputProblem]) -> (plans: [String: [Need]], lines: [String: Int]) {
        let header = table.columnProblems(required: needsColumns.required, optional: needsColumns.optional)
        problems += header
        // Without a required column no row can be read; unknown extra columns do not stop the rows.
        guard header.allSatisfy({ $0.column != nil }) else { return ([:], [:]) }
        let modalities = week.flatMap { $0.incomplete.contains("modalities") ? nil : $0.scenario.modalities.map(\.id) }
        let teacherIDs = teachers.map { Set($0.map(\.id)) }
        var plans: [String: [Need]] = [:]
        var lines: [String: Int] = [:]
        for row in table.rows {
            let before = problems.count
            let studentText = row.required("student", &problems, what: "the student's id (OneRoster sourcedId or identifier)")
            let student = studentText.flatMap { text -> String? in
                guard let students else { return text }
                if let id = students[text] { return id }
                problems.append(row.problem("student", "no student `\(text)` in the roster\(didYouMean(text, students.keys))"))
                return nil
            }
            let subject = row.required("subject", &problems, what: "a subject id such as math").flatMap { text -> String? in
                guard let subjects else { return text }
                if subjects.contains(text) { return text }
                problems.append(row.problem("subject", "no teacher teaches `\(text)` and the week template's `subjects` map does not name it\(didYouMean(text, subjects))"))
                return nil
            }
            let modality = row.required("modality", &problems, what: modalities.map { "one of \($0.joined(separator: ", "))" } ?? "a modality id").flatMap { text -> String? in
                guard let modalities else { return text }
                if modalities.contains(text) { return text }
                problems.append(row.problem("modality", "`\(text)` is not a modality of the week template; use one of \(modalities.joined(separator: ", "))\(didYouMean(text, modalities))"))
                return nil
            }
            let sessions = row["sessions"] == nil
                ? row.required("sessions", &problems, what: "how many sessions this week, a whole number").flatMap(Int.init)
                : row.integer("sessions", in: 1...Int.max, &problems)
            var priority = Priority.normal
            if let text = row["priority"] {
                if let value = Priority(rawValue: text.lowercased()) { priority = value } else {
                    problems.append(row.problem("priority", "`\(text)` is not a priority; use low, normal, high or mandated"))
                }
            }
            let level = row.integer("level", in: 0...1000, &problems)
            func teacherID(_ text: String, column: String) -> String? {
                guard let teacherIDs else { return text }
                if let id = teacherAlias[text] ?? (teacherIDs.contains(text) ? text : nil) { return id }
                problems.append(row.problem(column, "no teacher `\(text)` in the roster\(didYouMean(text, teacherIDs))"))
                return nil
            }
            let teacher = row["teacher"].flatMap { teacherID($0, column: "teacher") }
            let preferred = listCell(row["prefer-teacher"]).compactMap { teacherID($0, column: "prefer-teacher") }
            guard problems.count == before, let student, let subject, let modality, let sessions else { continue }
            // Keyed as validation names a need, so its problems can be sent back to this row.
            let key = "students[\(student)].needs[\(subject)/\(modality)]"
            if let earlier = lines[key] {
                problems.append(row.problem("student", "a second row for \(student)'s \(subject) \(modality) (the first is on line \(earlier)); merge them into one"))
                continue
            }
            lines[key] = row.line
            plans[student, default: []].append(Need(subject: subject, modality: modality, sessions: sessions, priority: priority,
                                                    teacher: teacher, preferTeachers: preferred, level: level))
        }
        return (plans, lines)
    }

    /// The needs sheet's problems for when the roster or the template could not be read: what a row
    /// says on its own, its modality as far as the template reads, and its people when the roster is
    /// known (not its subjects, which the whole template and roster give).
    public static func needsProblems(_ table: CSVTable, week: WeekTemplate?, roster: ImportedRoster? = nil) -> [InputProblem] {
        var problems: [InputProblem] = []
        let teachers = roster.map { $0.teachers.map(\.teacher) }
        _ = readNeeds(table, week: week, subjects: nil, teachers: teachers,
                      students: roster.map { aliasIndex($0.students.map { ($0.id, $0.aliases) }) },
                      teacherAlias: aliasIndex(roster?.teachers.map { ($0.id, $0.aliases) } ?? []), &problems)
        return problems
    }

    /// A validation problem about an imported entity, moved to the file and line it came from.
    static func placed(_ problem: InputProblem, roster: ImportedRoster, needs: String, needLines: [String: Int]) -> InputProblem {
        var problem = problem
        if let line = needLines.first(where: { problem.entity.hasPrefix($0.key) })?.value {
            problem.file = needs
            problem.line = line
            return problem
        }
        for s in roster.students where problem.entity.hasPrefix("students[\(s.id)]") {
            problem.file = s.origin.file
            problem.line = s.origin.line
        }
        for t in roster.teachers where problem.entity.hasPrefix("teachers[\(t.id)]") && problem.line == nil {
            problem.file = t.origin.file
            problem.line = t.origin.line
        }
        return problem
    }

    static func aliasIndex(_ entries: [(id: String, aliases: [String])]) -> [String: String] {
        var index: [String: String] = [:]
        for (id, aliases) in entries {
            for alias in aliases where index[alias] == nil { index[alias] = id }
        }
        // An id always means its own entity, even when it is also someone else's alias.
        for (id, _) in entries { index[id] = id }
        return index
    }

    static func didYouMean(_ word: String, _ candidates: some Sequence<String>) -> String {
        closestMatch(to: word, among: candidates).map { " — did you mean `\($0)`?" } ?? ""
    }
}

/// A cell holding several words (subjects, features, slots): separated by spaces, commas or `|`,
/// whichever a spreadsheet user reached for.
func listCell(_ text: String?) -> [String] {
    guard let text else { return [] }
    return text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "|" || $0 == "\n" || $0 == "\r\n" }).map(String.init)
}
