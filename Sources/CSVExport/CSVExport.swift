import CSV
import Foundation
import ScenarioKit
import TimetableChecker
import TimetableFormat

/// CSV export of a checked timetable for spreadsheets and student information systems:
/// `sessions.csv` and `unmet.csv` (and `unplaced.csv` for a week with class lessons), and optionally OneRoster 1.1 classes and enrollments. The result is
/// deterministic: the same inputs give the same bytes.
public enum CSVExport {
    public struct File: Sendable {
        /// Relative to the output folder, `/`-separated.
        public var path: String
        public var data: Data
        /// Data rows, without the header.
        public var rows: Int
    }

    /// Builds every file; nothing is written.
    public static func export(scenario validated: ValidatedScenario, timetable checked: CheckedTimetable, oneRoster: OneRosterOptions? = nil) -> [File] {
        let scenario = validated.scenario
        let timetable = checked.timetable
        let sessions = sessionsInWeekOrder(timetable.sessions, scenario: scenario)
        var files = [
            table("sessions.csv", SessionsTable.header, SessionsTable.rows(sessions, scenario: scenario).map(SpreadsheetCell.neutralised)),
            table("unmet.csv", UnmetTable.header, UnmetTable.rows(timetable.unmet, scenario: scenario).map(SpreadsheetCell.neutralised)),
        ]
        if !scenario.lessons.isEmpty {
            files.append(table("unplaced.csv", UnplacedTable.header,
                               UnplacedTable.rows(timetable.unplacedLessons, scenario: scenario).map(SpreadsheetCell.neutralised)))
        }
        if let oneRoster {
            let roster = OneRoster(scenario: scenario, options: oneRoster)
            // OneRoster files go to an SIS importer, not a spreadsheet: values stay exactly as they are.
            files += [
                table("oneroster/manifest.csv", OneRoster.manifestHeader, OneRoster.manifestRows),
                table("oneroster/classes.csv", OneRoster.classesHeader, roster.classRows(sessions)),
                table("oneroster/enrollments.csv", OneRoster.enrollmentsHeader, roster.enrollmentRows(sessions)),
            ]
        }
        return files
    }

    /// Day order of the scenario, then first block in time order, then fixed sessions, lessons, then
    /// planned ones, then what the session is; so a re-export of the same timetable gives the same rows.
    static func sessionsInWeekOrder(_ sessions: [Timetable.Session], scenario: Scenario) -> [Timetable.Session] {
        let dayIndex = Dictionary(uniqueKeysWithValues: scenario.days.enumerated().map { ($1.rawValue, $0) })
        let blockIndex = Dictionary(uniqueKeysWithValues: scenario.blocksInTimeOrder.enumerated().map { ($1.id, $0) })
        return sessions.sorted { a, b in
            func kind(_ s: Timetable.Session) -> Int { s.fixed ? 0 : s.isLesson ? 1 : 2 }
            let keyA = (dayIndex[a.day] ?? .max, blockIndex[a.block] ?? .max, kind(a))
            let keyB = (dayIndex[b.day] ?? .max, blockIndex[b.block] ?? .max, kind(b))
            if keyA != keyB { return keyA < keyB }
            return (a.id ?? a.lesson ?? a.subject, a.modality, a.room ?? "", a.staff.joined(separator: " "))
                < (b.id ?? b.lesson ?? b.subject, b.modality, b.room ?? "", b.staff.joined(separator: " "))
        }
    }

    /// A table for a spreadsheet (a mail merge, say), every cell guarded against formula injection.
    public static func spreadsheetTable(header: [String], rows: [[String]]) -> Data {
        csvData([header] + rows.map(SpreadsheetCell.neutralised))
    }

    private static func table(_ path: String, _ header: [String], _ rows: [[String]]) -> File {
        File(path: path, data: csvData([header] + rows), rows: rows.count)
    }
}

/// RFC 4180 text: CRLF line ends (the last line too), fields quoted by CSV.swift where they need it.
func csvData(_ rows: [[String]]) -> Data {
    let stream = OutputStream.toMemory()
    // Writing to memory cannot fail, so a failure here is a bug, not bad input.
    do {
        let writer = try CSVWriter(stream: stream, newline: .crlf)
        for row in rows { try writer.write(row: row) }
        writer.stream.close()
    } catch { fatalError("CSV writer failed in memory: \(error)") }
    var data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
    data.append(contentsOf: Array("\r\n".utf8))
    return data
}

/// Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a
/// formula, so a student named `=HYPERLINK(...)` could act when the file is opened. Such a cell gets
/// a leading `'`, which spreadsheets read as "text follows"; a cell that itself starts with `'` gets
/// one too, so the rule reverses exactly: a reader drops one leading `'` from any cell that has one.
enum SpreadsheetCell {
    // Scalars, not Characters: `\r\n` is one Character, which would hide a leading carriage return.
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r", "'"]

    static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, formulaStarts.contains(first) else { return text }
        return "'" + text
    }

    static func neutralised(_ row: [String]) -> [String] { row.map(neutralised) }
}
