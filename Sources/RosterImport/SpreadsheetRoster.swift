import ScenarioKit

/// A roster kept in three simple sheets, for schools whose systems cannot export OneRoster: one row
/// per teacher, room and student, with the same words a scenario file uses.
public enum SpreadsheetRoster {
    public static let teacherColumns = (required: ["id", "name", "subjects"],
                                        optional: ["unavailable", "max-per-day", "max-per-week", "prefer-not"])
    public static let roomColumns = (required: ["id", "name", "capacity"], optional: ["features", "unavailable"])
    public static let studentColumns = (required: ["id", "name"], optional: ["unavailable", "requires", "max-per-day", "apart"])

    public static func read(teachers: CSVTable, rooms: CSVTable?, students: CSVTable) throws(InputError) -> ImportedRoster {
        var problems: [InputProblem] = []
        problems += teachers.columnProblems(required: teacherColumns.required, optional: teacherColumns.optional)
        problems += students.columnProblems(required: studentColumns.required, optional: studentColumns.optional)
        if let rooms { problems += rooms.columnProblems(required: roomColumns.required, optional: roomColumns.optional) }
        // A sheet whose header is wrong is not read row by row: every row would repeat the same problem.
        guard problems.isEmpty else { throw InputError(problems) }

        let teacherRows = uniqueRows(teachers, what: "teacher", &problems)
        let importedTeachers = teacherRows.compactMap { id, row -> ImportedTeacher? in
            let before = problems.count
            let name = row.required("name", &problems, what: "the name shown on timetables")
            let subjects = listCell(row["subjects"])
            if subjects.isEmpty { problems.append(row.problem("subjects", "`subjects` is empty; list the subjects she teaches, separated by spaces (math reading)")) }
            let unavailable = slots(row, "unavailable", &problems)
            let maxPerDay = row.integer("max-per-day", in: 1...100, &problems)
            let maxPerWeek = row.integer("max-per-week", in: 1...1000, &problems)
            let preferNot = slots(row, "prefer-not", &problems)
            guard problems.count == before, let name else { return nil }
            return ImportedTeacher(id: id, name: name, subjects: subjects, unavailable: unavailable, maxPerDay: maxPerDay,
                                   maxPerWeek: maxPerWeek, preferNot: preferNot, origin: Origin(file: teachers.file, line: row.line))
        }
        let importedRooms = rooms.map { rooms in
            uniqueRows(rooms, what: "room", &problems).compactMap { id, row -> Room? in
                let before = problems.count
                let name = row.required("name", &problems, what: "the name shown on timetables")
                let capacity = row["capacity"] == nil
                    ? row.required("capacity", &problems, what: "how many students fit, a whole number").flatMap { _ in nil }
                    : row.integer("capacity", in: 1...10_000, &problems)
                let unavailable = slots(row, "unavailable", &problems)
                guard problems.count == before, let name, let capacity else { return nil }
                return Room(id: id, name: name, capacity: capacity, features: listCell(row["features"]), unavailable: unavailable)
            }
        } ?? []
        let importedStudents = uniqueRows(students, what: "student", &problems).compactMap { id, row -> ImportedStudent? in
            let before = problems.count
            let name = row.required("name", &problems, what: "the name shown on timetables")
            let unavailable = slots(row, "unavailable", &problems)
            let maxPerDay = row.integer("max-per-day", in: 1...100, &problems)
            guard problems.count == before, let name else { return nil }
            return ImportedStudent(id: id, name: name, unavailable: unavailable, requires: listCell(row["requires"]), maxPerDay: maxPerDay,
                                   apart: listCell(row["apart"]), origin: Origin(file: students.file, line: row.line))
        }
        guard problems.isEmpty else { throw InputError(problems) }
        var sources = ["teachers: \(teachers.file) (\(importedTeachers.count))", "students: \(students.file) (\(importedStudents.count))"]
        if let rooms { sources.append("rooms: \(rooms.file) (\(importedRooms.count))") }
        return ImportedRoster(teachers: importedTeachers, students: importedStudents, rooms: importedRooms, sources: sources)
    }

    /// The rows with a valid id not used before, by id; each bad or repeated id is a problem.
    static func uniqueRows(_ table: CSVTable, what: String, _ problems: inout [InputProblem]) -> [(String, CSVRecord)] {
        var seen: [String: Int] = [:]
        var rows: [(String, CSVRecord)] = []
        for row in table.rows {
            guard let id = row.required("id", &problems, what: "a short unique id for the \(what) (letters, digits, `-`, `_`, `.`)") else { continue }
            if let problem = idProblem(id) { problems.append(row.problem("id", problem)); continue }
            if let earlier = seen[id] {
                problems.append(row.problem("id", "the \(what) id `\(id)` is also on line \(earlier); ids must be unique"))
                continue
            }
            seen[id] = row.line
            rows.append((id, row))
        }
        return rows
    }

    /// Days (`wed`) or blocks on a day (`mon.b1`), as in a scenario file; unknown days and blocks
    /// are judged later against the week template.
    static func slots(_ row: CSVRecord, _ column: String, _ problems: inout [InputProblem]) -> [SlotRef] {
        listCell(row[column]).compactMap { text in
            if let slot = SlotRef(parsing: text) { return slot }
            problems.append(row.problem(column, "`\(text)` is not a day (mon) or a block on a day (mon.b1)"))
            return nil
        }
    }
}
