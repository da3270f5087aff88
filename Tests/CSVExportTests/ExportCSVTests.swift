import CSV
import FlexschedTestSupport
import Foundation
import ScenarioGenerator
import ScenarioKit
import TimetableChecker
import TimetableFormat
import Testing

// `flexsched export csv` on a planted week with every v1.1 feature (double blocks, fixed sessions
// with groups and several teachers), plus a staff meeting without students, a need left short, and
// student names a spreadsheet would choke on. No solve: the planted timetable is checked as it is.

let awkwardName = "Ana \"Nan\" Pérez, Jr.\nsecond line"
let formulaName = "=HYPERLINK(\"http://evil.example\",\"click\")"
let apostropheName = "'Tis Ben"

struct Week {
    var scenario: Scenario
    var timetable: Timetable
}

/// The planted week, made harder to export: see the comment at the top of the file.
func week() throws -> Week {
    let generated = generateScenario(GeneratorSpec.small.withAllFeatures)
    var scenario = generated.scenario
    var timetable = try #require(generated.planted)
    scenario.students[0].name = awkwardName
    scenario.students[1].name = formulaName
    scenario.students[2].name = apostropheName

    // A staff meeting of two teachers, no students, no room, at the first slot where both are free.
    let pair = Array(scenario.teachers.prefix(2).map(\.id))
    let busy = Set(timetable.sessions.flatMap { s in s.staff.flatMap { t in
        (scenario.blockRun(from: s.block, length: s.length) ?? []).map { [t, s.day, $0.id] } } })
    let slot = try #require(scenario.days.flatMap { d in scenario.blocks.map { (d, $0.id) } }.first { d, b in
        pair.allSatisfy { !busy.contains([$0, d.rawValue, b]) } && scenario.teachers.prefix(2).allSatisfy { t in
            !t.unavailable.contains(.day(d)) && !t.unavailable.contains(.block(d, b)) }
    })
    scenario.fixed.append(FixedSession(id: "staff-meeting", title: "Staff meeting", day: slot.0, block: slot.1, teachers: pair))
    timetable.sessions.append(.init(fixed: "staff-meeting", title: "Staff meeting", day: slot.0.rawValue, block: slot.1, length: 1,
                                    teachers: pair, room: nil, students: []))

    // One planned session dropped: its students' needs are reported short, with a reason a CSV must quote.
    let dropped = try #require(timetable.sessions.firstIndex { !$0.fixed && $0.length == 1 && $0.students.count >= 2 })
    let session = timetable.sessions.remove(at: dropped)
    for student in session.students {
        let need = try #require(scenario.students.first { $0.id == student }?.needs.first { $0.subject == session.subject && $0.modality == session.modality })
        timetable.unmet.append(.init(student: student, subject: need.subject, modality: need.modality, missing: 1, priority: need.priority,
                                     reason: "no free teacher on \(session.day), \"\(session.block)\"", cause: "no-free-teacher"))
    }
    let validated = try scenario.validated().scenario
    #expect(checkTimetable(timetable, against: validated) == [])
    return Week(scenario: validated, timetable: timetable)
}

func temporaryDirectory() -> String {
    NSTemporaryDirectory() + "flexsched-csv-\(UUID().uuidString)"
}

/// Writes the week's files, runs the command, and returns its exit status and output folder.
func exportWeek(_ week: Week, extra: [String] = []) throws -> (status: Int32, out: String) {
    let dir = temporaryDirectory()
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try week.scenario.yamlText().write(toFile: dir + "/week.yaml", atomically: true, encoding: .utf8)
    try week.timetable.jsonData().write(to: URL(fileURLWithPath: dir + "/timetable.json"))
    let status = try run(["export", "csv", dir + "/week.yaml", dir + "/timetable.json", "--out", dir + "/csv"] + extra)
    return (status, dir + "/csv")
}

/// The header and rows of a CSV file, read by CSV.swift's reader.
func readCSV(_ path: String) throws -> (header: [String], rows: [[String]]) {
    let reader = try CSVReader(string: try String(contentsOfFile: path, encoding: .utf8), hasHeaderRow: true)
    var rows: [[String]] = []
    while let row = reader.next() { rows.append(row) }
    return (reader.headerRow ?? [], rows)
}

/// The README's rule for reading the spreadsheet files back: drop one leading `'`.
func restored(_ cell: String) -> String { cell.hasPrefix("'") ? String(cell.dropFirst()) : cell }

@Suite struct ExportCSVCommand {
    @Test func sessionRowsRebuildTheTimetableExactly() throws {
        let week = try week()
        let (status, out) = try exportWeek(week)
        #expect(status == 0)
        let text = try String(contentsOfFile: out + "/sessions.csv", encoding: .utf8)
        #expect(text.hasPrefix("day,block,start,end,subject,modality,teacher,room,student,student_name,fixed,lesson,title,classes\r\n"))
        let (header, raw) = try readCSV(out + "/sessions.csv")
        #expect(header == ["day", "block", "start", "end", "subject", "modality", "teacher", "room", "student", "student_name", "fixed",
                           "lesson", "title", "classes"])
        let rows = raw.map { $0.map(restored) }
        #expect(rows.allSatisfy { $0.count == header.count })

        // Consecutive rows that agree on everything but the student are one session.
        let blocks = week.scenario.blocksInTimeOrder
        var rebuilt: [Timetable.Session] = []
        var previousKey: [String]?
        for row in rows {
            let key = Array(row[0..<8]) + [row[10]]
            if key != previousKey {
                let first = try #require(blocks.firstIndex { $0.id == row[1] })
                let last = try #require(blocks.firstIndex { "\($0.end)" == row[3] })
                #expect("\(blocks[first].start)" == row[2])
                let length = last - first + 1
                if row[10] == "true" {
                    let title = try #require(week.scenario.fixed.first { $0.id == row[4] }?.title)
                    rebuilt.append(.init(fixed: row[4], title: title, day: row[0], block: row[1], length: length,
                                         teachers: row[6].split(separator: " ").map(String.init), room: row[7].isEmpty ? nil : row[7], students: []))
                } else {
                    #expect(row[10] == "false")
                    rebuilt.append(.init(day: row[0], block: row[1], length: length, subject: row[4], modality: row[5],
                                         teacher: row[6].isEmpty ? nil : row[6], room: row[7], students: []))
                }
                previousKey = key
            }
            if !row[8].isEmpty { rebuilt[rebuilt.count - 1].students.append(row[8]) }
        }
        #expect(rebuilt.count == week.timetable.sessions.count)
        #expect(Set(rebuilt) == Set(week.timetable.sessions))
        // The staff meeting (no students) and double blocks made it through.
        #expect(rebuilt.contains { $0.id == "staff-meeting" && $0.students.isEmpty && $0.teachers?.count == 2 })
        #expect(rebuilt.contains { $0.length == 2 } && rebuilt.contains { $0.fixed && !$0.students.isEmpty })

        // Rows run in the scenario's day order, then block order.
        let positions = rows.map { row in (week.scenario.days.map(\.rawValue).firstIndex(of: row[0])!, blocks.firstIndex { $0.id == row[1] }!) }
        #expect(zip(positions, positions.dropFirst()).allSatisfy { $0 <= $1 })

        // Exporting again gives the same bytes.
        let again = try exportWeek(week)
        #expect(try Data(contentsOf: URL(fileURLWithPath: again.out + "/sessions.csv")) == Data(text.utf8))
    }

    @Test func namesRoundTripAndFormulasAreNeutralised() throws {
        let week = try week()
        let (status, out) = try exportWeek(week)
        #expect(status == 0)
        let (_, raw) = try readCSV(out + "/sessions.csv")
        let names = Dictionary(raw.map { ($0[8], $0[9]) }, uniquingKeysWith: { a, _ in a })
        let ids = week.scenario.students.prefix(3).map(\.id)
        #expect(names[ids[0]] == awkwardName, "comma, quotes and newline read back as written")
        #expect(names[ids[1]] == "'" + formulaName, "a formula-like name starts with '")
        #expect(names[ids[2]] == "'" + apostropheName, "a leading ' is doubled, so dropping one is exact")
        #expect(names.values.map(restored).contains(formulaName) && names.values.map(restored).contains(apostropheName))
        let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]
        #expect(raw.allSatisfy { $0.allSatisfy { $0.first.map { !formulaStarts.contains($0) } ?? true } }, "no cell a spreadsheet runs")
    }

    @Test func unmetRowsMatchTheTimetable() throws {
        let week = try week()
        let (status, out) = try exportWeek(week)
        #expect(status == 0)
        let (header, raw) = try readCSV(out + "/unmet.csv")
        #expect(header == ["student", "student_name", "need", "missing", "priority", "cause", "reason"])
        let rows = raw.map { $0.map(restored) }
        let names = Dictionary(uniqueKeysWithValues: week.scenario.students.map { ($0.id, $0.name) })
        #expect(!week.timetable.unmet.isEmpty)
        let read = rows.map { row -> Timetable.Unmet in
            let need = row[2].split(separator: " ").map(String.init)
            #expect(need.count == 2 && row[1] == names[row[0]])
            return Timetable.Unmet(student: row[0], subject: need[0], modality: need[1], missing: Int(row[3]) ?? -1,
                                   priority: Priority(rawValue: row[4]) ?? .normal, reason: row[6], cause: row[5].isEmpty ? nil : row[5])
        }
        // Mandated first, then high, normal and low, whatever order the timetable lists them in.
        #expect(read.map(\.priority) == [.mandated, .normal, .low], "\(read)")
        #expect(Set(read) == Set(week.timetable.unmet) && read.count == week.timetable.unmet.count)
    }

    @Test func oneRosterFilesHaveTheSpecHeadersAndConsistentReferences() throws {
        let week = try week()
        let (status, out) = try exportWeek(week, extra: ["--oneroster", "--school", "org-7", "--term", "spring-27"])
        #expect(status == 0)
        let manifest = try readCSV(out + "/oneroster/manifest.csv")
        #expect(manifest.header == ["propertyName", "value"])
        let properties = Dictionary(uniqueKeysWithValues: manifest.rows.map { ($0[0], $0[1]) })
        #expect(properties["manifest.version"] == "1.0" && properties["oneroster.version"] == "1.1")
        #expect(properties["file.classes"] == "bulk" && properties["file.enrollments"] == "bulk" && properties["file.users"] == "absent")

        let classes = try readCSV(out + "/oneroster/classes.csv")
        #expect(classes.header == ["sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId", "classCode", "classType",
                                   "location", "schoolSourcedId", "termSourcedIds", "subjects", "subjectCodes", "periods"])
        let enrollments = try readCSV(out + "/oneroster/enrollments.csv")
        #expect(enrollments.header == ["sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId", "userSourcedId", "role",
                                       "primary", "beginDate", "endDate"])

        let planned = week.timetable.sessions.filter { !$0.fixed }
        let classIds = classes.rows.map { $0[0] }
        #expect(classIds.count == planned.count && Set(classIds).count == classIds.count, "one class per planned group, ids unique")
        #expect(classes.rows.allSatisfy { $0[7] == "scheduled" && $0[9] == "org-7" && $0[10] == "spring-27" && !$0[13].isEmpty })
        #expect(classes.rows.contains { $0[13].split(separator: ",").count == 2 }, "a double block has both periods")
        #expect(Set(enrollments.rows.map { $0[0] }).count == enrollments.rows.count)
        #expect(enrollments.rows.allSatisfy { Set(classIds).contains($0[3]) }, "every enrollment references an existing class")
        #expect(Set(enrollments.rows.map { $0[3] }) == Set(classIds), "every class has enrollments")
        let people = Set(week.scenario.students.map(\.id)), teachers = Set(week.scenario.teachers.map(\.id))
        #expect(enrollments.rows.allSatisfy { $0[6] == "student" ? people.contains($0[5]) : $0[6] == "teacher" && teachers.contains($0[5]) })
        #expect(enrollments.rows.filter { $0[6] == "student" }.count == planned.reduce(0) { $0 + $1.students.count })
    }

    @Test func aTimetableThatFailsTheCheckIsRefusedAndNothingIsWritten() throws {
        var week = try week()
        // Two sessions in one room at once.
        let planned = week.timetable.sessions.indices.filter { !week.timetable.sessions[$0].fixed }
        let (a, b) = try #require(planned.lazy.flatMap { i in planned.lazy.map { (i, $0) } }
            .first { week.timetable.sessions[$0].room != week.timetable.sessions[$1].room })
        week.timetable.sessions[b].room = week.timetable.sessions[a].room
        week.timetable.sessions[b].day = week.timetable.sessions[a].day
        week.timetable.sessions[b].block = week.timetable.sessions[a].block
        let (status, out) = try exportWeek(week, extra: ["--oneroster"])
        #expect(status == 1, "a timetable that breaks a rule exits 1, as for `check`, `show` and `explain`")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// Without the SIS's ids the files still fit together: school, term and courses come from the
    /// scenario name, as `--help` and the README say.
    @Test func oneRosterDefaultsComeFromTheScenarioName() throws {
        let week = try week()
        let (status, out) = try exportWeek(week, extra: ["--oneroster"])
        #expect(status == 0)
        let slug = week.scenario.name.lowercased().split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }.joined(separator: "-")
        let classes = try readCSV(out + "/oneroster/classes.csv")
        #expect(!slug.isEmpty && !classes.rows.isEmpty)
        #expect(classes.rows.allSatisfy { $0[9] == slug && $0[10] == slug + "-term" && $0[5] == slug + "-" + $0[11] })
    }

    @Test func oneRosterOptionsNeedOneRoster() throws {
        #expect(throws: (any Error).self) { try run(["export", "csv", "s.yaml", "t.json", "--out", "x", "--school", "org-1"]) }
    }

    @Test func aTimetableOfAnotherScenarioIsRefused() throws {
        var week = try week()
        week.timetable.scenario = "Some other school"
        let (status, out) = try exportWeek(week)
        #expect(status == 2)
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
