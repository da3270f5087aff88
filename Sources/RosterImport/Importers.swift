import Foundation
import ScenarioKit

/// A finished import: the scenario file's text and the scenario it reads back as.
public struct ImportResult: Sendable {
    public var text: String
    public var scenario: ValidatedScenario
}

/// Reads inputs one file at a time but reports every file's problems together, so an admin fixing a
/// sheet does not discover the needs file's problems only on the next run.
struct ProblemCollector {
    var problems: [InputProblem] = []

    mutating func attempt<T>(_ read: () throws(InputError) -> T) -> T? {
        do { return try read() } catch { problems += error.problems; return nil }
    }

    mutating func sheet(_ path: String) -> CSVTable? { attempt { () throws(InputError) in try CSVTable.read(path: path) } }

    /// Both importers end alike: with every input read, the scenario; otherwise every problem,
    /// including the needs sheet's own when the roster could not be read.
    func finish(template: WeekTemplate?, needs: CSVTable?, roster: ImportedRoster?, outputFile: String,
                command: String) throws(InputError) -> ImportResult {
        guard problems.isEmpty, let template, let needs, let roster else {
            var all = problems
            if roster == nil, let template, let needs { all += ScenarioAssembly.needsProblems(needs, week: template) }
            throw InputError(all)
        }
        let (text, scenario) = try ScenarioAssembly.scenarioText(week: template, roster: roster, needs: needs, outputFile: outputFile,
                                                                 command: command)
        return ImportResult(text: text, scenario: scenario)
    }
}

/// `flexsched import csv`: teachers, students and (optionally) rooms sheets, a week template and a
/// needs sheet. Nothing is returned unless every file is right.
public func importSpreadsheets(week: String, needs: String, teachers: String, students: String, rooms: String?,
                               outputFile: String) throws(InputError) -> ImportResult {
    var collector = ProblemCollector()
    let template = collector.attempt { () throws(InputError) in try ScenarioLoader.loadWeekTemplate(path: week) }
    let needsSheet = collector.sheet(needs)
    let teacherSheet = collector.sheet(teachers)
    let studentSheet = collector.sheet(students)
    let roomSheet = rooms.flatMap { collector.sheet($0) }
    var roster: ImportedRoster?
    if let teacherSheet, let studentSheet, rooms == nil || roomSheet != nil {
        roster = collector.attempt { () throws(InputError) in
            try SpreadsheetRoster.read(teachers: teacherSheet, rooms: roomSheet, students: studentSheet)
        }
    }
    return try collector.finish(template: template, needs: needsSheet, roster: roster, outputFile: outputFile,
                                command: "flexsched import csv")
}

/// `flexsched import oneroster`: one school of a OneRoster export, a week template (whose `subjects`
/// map turns the roster's subject words into flexsched's) and a needs sheet.
/// `studentSettings` is an optional sheet of what OneRoster does not carry (see `StudentSettings`).
public func importOneRoster(directory: String, school: String?, term: String?, week: String, needs: String,
                            studentSettings: String? = nil, outputFile: String) throws(InputError) -> ImportResult {
    var collector = ProblemCollector()
    let template = collector.attempt { () throws(InputError) in try ScenarioLoader.loadWeekTemplate(path: week) }
    let needsSheet = collector.sheet(needs)
    let settingsSheet = studentSettings.flatMap { collector.sheet($0) }
    let roster = collector.attempt { () throws(InputError) in try OneRoster.read(directory: directory, school: school, term: term) }
    var imported = roster.flatMap { roster in template.flatMap { template in
        collector.attempt { () throws(InputError) in try importedRoster(roster, directory: directory, week: template) }
    } }
    if let settingsSheet, let roster = imported {
        imported = collector.attempt { () throws(InputError) in
            var roster = roster
            roster.students = try StudentSettings.apply(settingsSheet, to: roster.students)
            roster.sources.append("student settings: \(settingsSheet.file) (\(settingsSheet.rows.count) rows)")
            return roster
        }
    }
    return try collector.finish(template: template, needs: needsSheet, roster: imported, outputFile: outputFile,
                                command: "flexsched import oneroster")
}

/// The roster in flexsched's words: every subject value of a teacher's classes through the template's
/// map. Values the map lacks are one problem listing them all, since the admin fixes them in one place.
func importedRoster(_ roster: Roster, directory: String, week: WeekTemplate) throws(InputError) -> ImportedRoster {
    let users = (directory as NSString).appendingPathComponent("users.csv")
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
