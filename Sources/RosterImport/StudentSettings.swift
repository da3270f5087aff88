import ScenarioKit

/// What a roster never says about a student but a timetable must respect: an accessible room, a
/// therapy block, a daily limit, classmates to keep apart. OneRoster carries none of it, so it comes
/// from a sheet the school keeps (often from its special-education system), one row per student.
enum StudentSettings {
    static let columns = (required: ["student"], optional: ["unavailable", "requires", "max-per-day", "apart"])

    /// The students with their settings. Without the roster (nil: it could not be read) or the
    /// template, only what a row says on its own is checked, so its problems still come in the same run.
    static func apply(_ table: CSVTable, to students: [ImportedStudent]?, week: WeekTemplate?) throws(InputError) -> [ImportedStudent] {
        var problems = table.columnProblems(required: columns.required, optional: columns.optional)
        guard problems.isEmpty else { throw InputError(problems) }
        let index = students.map { ScenarioAssembly.aliasIndex($0.map { ($0.id, $0.aliases) }) }
        func student(_ text: String, _ row: CSVRecord, _ column: String) -> String? {
            guard let index else { return text }
            if let id = index[text] { return id }
            problems.append(row.problem(column, "no student `\(text)` in the roster\(ScenarioAssembly.didYouMean(text, index.keys))"))
            return nil
        }
        var settings: [String: (line: Int, student: Student)] = [:]
        for row in table.rows {
            let unavailable = SpreadsheetRoster.slots(row, "unavailable", week, &problems)
            let apart = listCell(row["apart"]).compactMap { student($0, row, "apart") }
            let limit = row.integer("max-per-day", in: 1...100, &problems)
            guard let text = row.required("student", &problems, what: "the student's id (OneRoster sourcedId or identifier)"),
                  let id = student(text, row, "student") else { continue }
            if let earlier = settings[id] {
                problems.append(row.problem("student", "a second row for `\(text)` (the first is on line \(earlier.line)); merge them into one"))
                continue
            }
            settings[id] = (row.line, Student(id: id, name: "", needs: [], unavailable: unavailable, requires: listCell(row["requires"]),
                                              maxPerDay: limit, apart: apart))
        }
        guard problems.isEmpty else { throw InputError(problems.sortedByLine()) }
        return (students ?? []).map { imported in
            guard let setting = settings[imported.id]?.student else { return imported }
            var updated = imported
            updated.student.unavailable += setting.unavailable
            updated.student.requires += setting.requires
            updated.student.maxPerDay = setting.maxPerDay ?? updated.student.maxPerDay
            updated.student.apart += setting.apart
            return updated
        }
    }
}
