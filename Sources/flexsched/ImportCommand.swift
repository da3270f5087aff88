import ArgumentParser
import Foundation
import RosterImport
import ScenarioKit

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a scenario from a school's own data: OneRoster CSV from its SIS, simple CSV sheets, or a FET file.",
        discussion: """
        The roster (people, and what teachers teach) comes from the school's systems; a week template \
        (WEEK.yaml) adds what they do not hold: days, blocks, modalities, rooms, and settings for \
        teachers; a needs sheet (NEEDS.csv) holds each student's learning plan. The result is a \
        scenario file that `flexsched validate` accepts, written only when every input is right.
        """,
        subcommands: [ImportOneRoster.self, ImportCSV.self, ImportFET.self])
}

/// What both importers share: the template, the needs sheet, where to write, and what changed.
struct ImportOptions: ParsableArguments {
    @Option(help: "Week template: a scenario file without students, plus a `subjects` map (see README).") var week: String
    @Option(help: "Needs sheet: student,subject,modality,sessions[,priority,level,teacher,prefer-teacher].") var needs: String
    @Option(help: "Scenario file to write.") var out: String
    @Option(help: "An earlier import of the same school: print what was added, removed and changed since.") var previous: String?

    /// Runs an importer (with the earlier import read too, so its problems come in the same report),
    /// writes the scenario and says what it holds and what changed; or exits 2 with every problem.
    /// Where the inputs disagreed (the sheet's value was used) is a warning either way.
    func write(_ importer: () throws(InputError) -> ImportResult) throws {
        var problems: [InputProblem] = []
        var old: Scenario?
        if let previous {
            do { old = try ScenarioLoader.load(path: previous).scenario } catch { problems += error.problems }
        }
        var result: ImportResult?
        var warnings: [InputProblem] = []
        do { result = try importer(); warnings = result?.warnings ?? [] } catch { problems += error.problems; warnings = error.warnings }
        for warning in warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
        guard problems.isEmpty, let result else { throw exitForBadInput(InputError(problems)) }
        try writeFileAtomically(Data(result.text.utf8), to: out)
        let scenario = result.scenario.scenario
        let sessions = scenario.students.reduce(0) { $0 + $1.needs.reduce(0) { $0 + $1.sessions } }
        print("Wrote \(out): \(scenario.teachers.count) teachers, \(scenario.students.count) students, \(scenario.rooms.count) rooms, "
              + "\(sessions) sessions needed this week.")
        if let old { print(RosterChanges.between(old: old, new: scenario).summary) }
    }
}

struct ImportCSV: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "csv",
        abstract: "Build a scenario from CSV sheets of teachers, students, rooms and needs.",
        discussion: """
        For schools without a OneRoster export. One row per teacher, student and room; the columns \
        are in the README and a filled-in set is in Scenarios/csv-template/. Lists in a cell (subjects, \
        features, unavailable) are separated by spaces. Sheets may use `,` or `;` and come straight \
        from Excel, LibreOffice or Google Sheets (UTF-8, with or without a byte-order mark).

        Example, in Scenarios/csv-template:
          flexsched import csv --week WEEK.yaml --teachers teachers.csv \\
            --rooms rooms.csv --students students.csv --needs needs.csv --out week.yaml
        """)

    @Option(help: "Teachers sheet: id,name,subjects[,unavailable,max-per-day,max-per-week,prefer-not].") var teachers: String
    @Option(help: "Students sheet: id,name[,unavailable,requires,max-per-day,apart].") var students: String
    @Option(help: "Rooms sheet: id,name,capacity[,features,unavailable]; rooms may also be listed in the week template.") var rooms: String?
    @OptionGroup var options: ImportOptions

    func run() throws {
        try options.write { () throws(InputError) in
            try importSpreadsheets(week: options.week, needs: options.needs, teachers: teachers, students: students, rooms: rooms,
                                   outputFile: options.out)
        }
    }
}

struct ImportOneRoster: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oneroster",
        abstract: "Build a scenario from a OneRoster CSV export (1.1 or 1.2) of the school's SIS.",
        discussion: """
        Reads manifest.csv, orgs.csv, users.csv, roles.csv (1.2), courses.csv, classes.csv, \
        enrollments.csv and academicSessions.csv from DIR. Active, enabled students and teachers of \
        the school are imported with their sourcedId as id (made safe where needed, the same on \
        every re-import); a teacher teaches the subjects of her classes, through the week template's \
        `subjects` map; the term is the one the school's classes are held in.

        Example:
          flexsched import oneroster Scenarios/oneroster-sample/district --school CVMS \\
            --week Scenarios/oneroster-sample/WEEK.yaml --needs Scenarios/oneroster-sample/NEEDS.csv --out cvms.yaml
        """)

    @Argument(help: "Folder of the OneRoster CSV export (bulk).") var directory: String
    @Option(help: "The school to import, by sourcedId, identifier or name; needed when the export holds several.") var school: String?
    @Option(help: "The term, by sourcedId or title, when the classes are split evenly between two.") var term: String?
    @Option(help: ArgumentHelp("What OneRoster does not carry, one row per student: student[,unavailable,requires,max-per-day,apart].",
                               discussion: "For example an accessible room (`requires: accessible`) or a therapy block (`unavailable: mon.b2`).",
                               valueName: "STUDENTS.csv")) var students: String?
    @OptionGroup var options: ImportOptions

    func run() throws {
        try options.write { () throws(InputError) in
            try importOneRoster(directory: directory, school: school, term: term, week: options.week, needs: options.needs,
                                studentSettings: students, outputFile: options.out)
        }
    }
}
