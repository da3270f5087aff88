import ScenarioKit

/// What a roster never says about a student but a timetable must respect: an accessible room, a
/// therapy block, a daily limit, classmates to keep apart. OneRoster carries none of it, so it comes
/// from a sheet the school keeps (often from its special-education system), one row per student.
enum StudentSettings {
    static let columns = (required: ["student"], optional: ["unavailable", "requires", "max-per-day", "apart"])

    static func apply(_ table: CSVTable, to students: [ImportedStudent], week: WeekTemplate) throws(InputError) -> [ImportedStudent] {
        var problems = table.columnProblems(required: columns.required, optional: columns.optional)
        guard problems.isEmpty else { throw InputError(problems) }
        let index = ScenarioAssembly.aliasIndex(students.map { ($0.id, $0.aliases) })
        func student(_ text: String, _ row: CSVRecord, _ column: String) -> String? {
            if let id = index[text] { return id }
            problems.append(row.problem(column, "no student `\(text)` in the roster\(ScenarioAssembly.didYouMean(text, index.keys))"))
            return nil
        }
        var settings: [String: (row: CSVRecord, apart: [String])] = [:]
        for row in table.rows {
            guard let text = row.required("student", &problems, what: "the student's id (OneRoster sourcedId or identifier)"),
                  let id = student(text, row, "student") else { continue }
            if let earlier = settings[id] {
                problems.append(row.problem("student", "a second row for `\(text)` (the first is on line \(earlier.row.line)); merge them into one"))
                continue
            }
            let apart = listCell(row["apart"]).compactMap { student($0, row, "apart") }
            settings[id] = (row, apart)
        }
        var updated = students
        for i in updated.indices {
            guard let (row, apart) = settings[updated[i].id] else { continue }
            updated[i].student.unavailable += SpreadsheetRoster.slots(row, "unavailable", week, &problems)
            updated[i].student.requires += listCell(row["requires"])
            if let limit = row.integer("max-per-day", in: 1...100, &problems) { updated[i].student.maxPerDay = limit }
            updated[i].student.apart += apart
        }
        guard problems.isEmpty else { throw InputError(problems.sortedByLine()) }
        return updated
    }
}
