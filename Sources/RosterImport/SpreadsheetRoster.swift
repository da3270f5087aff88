import ScenarioKit

/// A roster kept in three simple sheets, for schools whose systems cannot export OneRoster: one row
/// per teacher, room and student, with the same words a scenario file uses.
public enum SpreadsheetRoster {
    public static let teacherColumns = (required: ["id", "name", "subjects"],
                                        optional: ["unavailable", "max-per-day", "max-per-week", "max-days", "max-in-a-row", "aim-per-week",
                                                   "prefer-not"])
    public static let roomColumns = (required: ["id", "name", "capacity"], optional: ["features", "unavailable"])
    public static let studentColumns = (required: ["id", "name"], optional: ["unavailable", "requires", "max-per-day", "apart"])

    /// Every row with a usable id, each bad cell logged and left out, so one run reports every sheet's
    /// problems and what refers to a row with a bad cell is still judged against it. Slots are checked
    /// against the week template when it could be read, so a wrong day is blamed on its own cell.
    /// Nil when a sheet's header is wrong (its rows are then not read: each would repeat the problem).
    public static func read(teachers: CSVTable, rooms: CSVTable?, students: CSVTable, week: WeekTemplate?,
                            _ problems: inout [InputProblem]) -> ImportedRoster? {
        let teacherHeader = teachers.columnProblems(required: teacherColumns.required, optional: teacherColumns.optional)
        let studentHeader = students.columnProblems(required: studentColumns.required, optional: studentColumns.optional)
        let roomHeader = rooms?.columnProblems(required: roomColumns.required, optional: roomColumns.optional) ?? []
        problems += teacherHeader + roomHeader + studentHeader
        let name = { (row: CSVRecord, id: String, problems: inout [InputProblem]) in
            row.required("name", &problems, what: "the name shown on timetables") ?? id
        }
        let importedTeachers: [ImportedTeacher] = !teacherHeader.isEmpty ? [] : uniqueRows(teachers, what: "teacher", &problems).map { id, row -> ImportedTeacher in
            let subjects = listCell(row["subjects"])
            if subjects.isEmpty { problems.append(row.problem("subjects", "`subjects` is empty; list the subjects she teaches, separated by spaces (math reading)")) }
            return ImportedTeacher(id: id, name: name(row, id, &problems), subjects: subjects, unavailable: slots(row, "unavailable", week, &problems),
                                   maxPerDay: row.integer("max-per-day", in: 1...100, &problems),
                                   maxPerWeek: row.integer("max-per-week", in: 1...1000, &problems), maxDays: row.integer("max-days", in: 1...7, &problems),
                                   maxInARow: row.integer("max-in-a-row", in: 1...100, &problems),
                                   aimPerWeek: row.integer("aim-per-week", in: 0...1000, &problems), preferNot: slots(row, "prefer-not", week, &problems),
                                   origin: Origin(file: teachers.file, line: row.line, columns: teachers.columnNumbers))
        }
        let importedRooms: [Room] = rooms.map { rooms in
            !roomHeader.isEmpty ? [] : uniqueRows(rooms, what: "room", &problems).map { id, row -> Room in
                let capacity = row["capacity"] == nil
                    ? row.required("capacity", &problems, what: "how many students fit, a whole number").flatMap { _ in nil }
                    : row.integer("capacity", in: 1...10_000, &problems)
                return Room(id: id, name: name(row, id, &problems), capacity: capacity ?? 1, features: listCell(row["features"]),
                            unavailable: slots(row, "unavailable", week, &problems))
            }
        } ?? []
        let importedStudents: [ImportedStudent] = !studentHeader.isEmpty ? [] : uniqueRows(students, what: "student", &problems).map { id, row -> ImportedStudent in
            ImportedStudent(id: id, name: name(row, id, &problems), unavailable: slots(row, "unavailable", week, &problems),
                            requires: listCell(row["requires"]), maxPerDay: row.integer("max-per-day", in: 1...100, &problems),
                            apart: listCell(row["apart"]), origin: Origin(file: students.file, line: row.line))
        }
        guard teacherHeader.isEmpty, studentHeader.isEmpty, roomHeader.isEmpty else { return nil }
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

    /// Days (`wed`) or blocks on a day (`mon.b1`), as in a scenario file, each the template's own
    /// as far as the template reads (nil: not at all, and they are judged once it does).
    static func slots(_ row: CSVRecord, _ column: String, _ week: WeekTemplate?, _ problems: inout [InputProblem]) -> [SlotRef] {
        listCell(row[column]).compactMap { text in
            guard let slot = SlotRef(parsing: text) else {
                problems.append(row.problem(column, "`\(text)` is not a day (mon) or a block on a day (mon.b1)"))
                return nil
            }
            guard let week else { return slot }
            let scenario = week.scenario
            if !week.incomplete.contains("days"), !scenario.days.contains(slot.weekday) {
                let days = scenario.days.map(\.rawValue).joined(separator: ", ")
                problems.append(row.problem(column, "`\(text)` names day `\(slot.weekday.rawValue)`, which is not among the week template's `days` (\(days))"))
                return nil
            }
            if !week.incomplete.contains("blocks"), case .block(_, let block) = slot, !scenario.blocks.contains(where: { $0.id == block }) {
                let blocks = scenario.blocks.map(\.id)
                problems.append(row.problem(column, "`\(text)` names block `\(block)`, which is not in the week template's `blocks` (\(blocks.joined(separator: ", ")))\(ScenarioAssembly.didYouMean(block, blocks))"))
                return nil
            }
            return slot
        }
    }
}
