import Foundation
import ScenarioKit

/// A finished import: the scenario file's text, the scenario it reads back as, and where the inputs
/// disagreed without being wrong (a limit in both the template and a sheet).
public struct ImportResult: Sendable {
    public var text: String
    public var scenario: ValidatedScenario
    public var warnings: [InputProblem]
}

/// One input file as given: the name problems are reported under, and its bytes or why there are
/// none. The web app hands uploads over in memory; the command line reads paths.
public struct ImportSource: Sendable {
    public var file: String
    var contents: Result<Data, InputError>

    public init(file: String, text: String) { self.file = file; contents = .success(Data(text.utf8)) }

    public static func read(path: String) -> ImportSource {
        guard FileManager.default.fileExists(atPath: path) else { return ImportSource(file: path, .failure(InputError(file: path, "file not found"))) }
        guard let data = FileManager.default.contents(atPath: path) else {
            return ImportSource(file: path, .failure(InputError(file: path, "cannot be read (is it a directory, or unreadable?)")))
        }
        return ImportSource(file: path, .success(data))
    }

    /// A file that is not there, and what to do about it.
    public static func absent(file: String, _ message: String) -> ImportSource { ImportSource(file: file, .failure(InputError(file: file, message))) }

    private init(file: String, _ contents: Result<Data, InputError>) { self.file = file; self.contents = contents }
}

/// Reads inputs one file at a time but reports every file's problems together, so an admin fixing a
/// sheet does not discover the needs file's problems only on the next run.
struct ProblemCollector {
    var problems: [InputProblem] = []

    mutating func attempt<T>(_ read: () throws(InputError) -> T) -> T? {
        do { return try read() } catch { problems += error.problems; return nil }
    }

    mutating func sheet(_ source: ImportSource) -> CSVTable? {
        attempt { () throws(InputError) in try CSVTable.parse(try source.contents.get(), file: source.file) }
    }

    /// The template as far as it reads (to judge the sheets against), and whether it read without a
    /// problem (to build the scenario on).
    mutating func template(_ source: ImportSource) -> (read: WeekTemplate?, sound: Bool) {
        do throws(InputError) {
            guard let text = String(data: try source.contents.get(), encoding: .utf8) else { throw InputError(file: source.file, "is not UTF-8 text") }
            let (template, found) = try ScenarioLoader.readWeekTemplate(text, file: source.file)
            problems += found
            return (template, found.isEmpty)
        } catch {
            problems += error.problems
            return (nil, false)
        }
    }

    /// Both importers end alike: with the template, needs and roster read, the scenario or every
    /// problem the merged whole shows besides the files' own; without one of them, every problem the
    /// others show on their own (against the template as far as it read), the needs sheet's included.
    func finish(template: (read: WeekTemplate?, sound: Bool), needs: CSVTable?, roster: ImportedRoster?, outputFile: String,
                command: String) throws(InputError) -> ImportResult {
        guard template.sound, let week = template.read, let needs, let roster else {
            var all = problems
            if let needs { all += ScenarioAssembly.needsProblems(needs, week: template.read, roster: roster) }
            throw InputError(all)
        }
        let template = week
        return try ScenarioAssembly.scenarioText(week: template, roster: roster, needs: needs, outputFile: outputFile, command: command,
                                                 problems: problems)
    }
}

/// `flexsched import csv` and the web app's import page: teachers, students and (optionally) rooms
/// sheets, a week template and a needs sheet. Nothing is returned unless every file is right.
public func importSpreadsheets(week: ImportSource, needs: ImportSource, teachers: ImportSource, students: ImportSource,
                               rooms: ImportSource?, outputFile: String) throws(InputError) -> ImportResult {
    var collector = ProblemCollector()
    let template = collector.template(week)
    let needsSheet = collector.sheet(needs)
    let teacherSheet = collector.sheet(teachers)
    let studentSheet = collector.sheet(students)
    let roomSheet = rooms.flatMap { collector.sheet($0) }
    var roster: ImportedRoster?
    if let teacherSheet, let studentSheet, rooms == nil || roomSheet != nil {
        roster = SpreadsheetRoster.read(teachers: teacherSheet, rooms: roomSheet, students: studentSheet, week: template.read, &collector.problems)
    }
    return try collector.finish(template: template, needs: needsSheet, roster: roster, outputFile: outputFile,
                                command: "flexsched import csv")
}

public func importSpreadsheets(week: String, needs: String, teachers: String, students: String, rooms: String?,
                               outputFile: String) throws(InputError) -> ImportResult {
    try importSpreadsheets(week: .read(path: week), needs: .read(path: needs), teachers: .read(path: teachers),
                           students: .read(path: students), rooms: rooms.map { .read(path: $0) }, outputFile: outputFile)
}

/// `flexsched import oneroster`: one school of a OneRoster export, a week template (whose `subjects`
/// map turns the roster's subject words into flexsched's) and a needs sheet.
/// `studentSettings` is an optional sheet of what OneRoster does not carry (see `StudentSettings`).
public func importOneRoster(directory: String, school: String?, term: String?, week: String, needs: String,
                            studentSettings: String? = nil, outputFile: String) throws(InputError) -> ImportResult {
    try importOneRoster(read: { () throws(InputError) in try OneRoster.read(directory: directory, school: school, term: term) },
                        source: directory, users: (directory as NSString).appendingPathComponent("users.csv"), week: .read(path: week),
                        needs: .read(path: needs), studentSettings: studentSettings.map { .read(path: $0) }, outputFile: outputFile)
}

/// The same for an uploaded export: its files' texts by name (`users.csv`).
public func importOneRoster(files: [String: String], school: String?, term: String?, week: ImportSource, needs: ImportSource,
                            studentSettings: ImportSource?, outputFile: String) throws(InputError) -> ImportResult {
    try importOneRoster(read: { () throws(InputError) in try OneRoster.read(files: files, school: school, term: term) },
                        source: "the uploaded export", users: "users.csv", week: week, needs: needs, studentSettings: studentSettings,
                        outputFile: outputFile)
}

private func importOneRoster(read: () throws(InputError) -> Roster, source: String, users: String, week: ImportSource, needs: ImportSource,
                             studentSettings: ImportSource?, outputFile: String) throws(InputError) -> ImportResult {
    var collector = ProblemCollector()
    let template = collector.template(week)
    let needsSheet = collector.sheet(needs)
    let settingsSheet = studentSettings.flatMap { collector.sheet($0) }
    let roster = collector.attempt(read)
    // The subjects map is the template's: without all of it, the roster's subjects cannot be named.
    var imported = roster.flatMap { roster in (template.sound ? template.read : nil).flatMap { template in
        collector.attempt { () throws(InputError) in try importedRoster(roster, source: source, users: users, week: template) }
    } }
    if let settingsSheet, let roster = imported, let template = template.read {
        // Without its settings the roster is still merged, so the merged whole's problems come in the same run.
        imported = collector.attempt { () throws(InputError) in
            var roster = roster
            roster.students = try StudentSettings.apply(settingsSheet, to: roster.students, week: template)
            roster.sources.append("student settings: \(settingsSheet.file) (\(settingsSheet.rows.count) rows)")
            return roster
        } ?? roster
    } else if let settingsSheet {
        _ = collector.attempt { () throws(InputError) in try StudentSettings.apply(settingsSheet, to: nil, week: template.read) }
    }
    return try collector.finish(template: template, needs: needsSheet, roster: imported, outputFile: outputFile,
                                command: "flexsched import oneroster")
}

/// The roster in flexsched's words: every subject value of a teacher's classes through the template's
/// map. Values the map lacks are one problem listing them all, since the admin fixes them in one place.
func importedRoster(_ roster: Roster, source directory: String, users: String, week: WeekTemplate) throws(InputError) -> ImportedRoster {
    var missing: [String: [String]] = [:]
    let teachers = roster.teachers.map { teacher in
        var subjects: [String] = []
        for value in teacher.subjectCodes {
            guard let subject = week.subject(forRosterValue: value) else {
                missing[value, default: []].append(teacher.person.name)
                continue
            }
            if !subjects.contains(subject) { subjects.append(subject) }
        }
        let person = teacher.person
        return ImportedTeacher(id: person.id, name: person.name, subjects: subjects, aliases: [person.sourcedId] + (person.identifier.map { [$0] } ?? []),
                               origin: Origin(file: users, line: teacher.line))
    }
    if !missing.isEmpty {
        let listed = missing.keys.sorted().map { value in
            let who = missing[value]!
            return "`\(value)` (taught by \(who.prefix(3).joined(separator: ", "))\(who.count > 3 ? " and \(who.count - 3) more" : ""))"
        }
        throw InputError([InputProblem(file: week.file, line: week.lines["subjects"], entity: "subjects",
                                       message: "the roster's classes use subject values the map does not name: \(listed.joined(separator: ", ")); add each as `VALUE: subject-id`")])
    }
    let students = roster.students.map { person in
        ImportedStudent(id: person.id, name: person.name, aliases: [person.sourcedId] + (person.identifier.map { [$0] } ?? []),
                        origin: Origin(file: users, line: person.line))
    }
    var source = "roster: \(directory) (OneRoster \(roster.version)), school \(roster.school.name) (\(roster.school.sourcedId))"
    if let term = roster.term { source += ", term \(term.title) \(term.start)–\(term.end)" }
    return ImportedRoster(teachers: teachers, students: students, term: roster.term.map { ($0.start, $0.end) }, sources: [source])
}
