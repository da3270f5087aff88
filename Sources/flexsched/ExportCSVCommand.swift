import ArgumentParser
import CSVExport
import Foundation
import ScenarioKit
import TimetableChecker
import TimetableFormat

struct ExportCSV: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "csv",
        abstract: "Write the timetable as CSV for spreadsheets, and optionally as OneRoster classes and enrollments for an SIS.",
        discussion: """
        DIR/sessions.csv has one row per session and student, under the header
          day,block,start,end,subject,modality,teacher,room,student,student_name,fixed,lesson,title,classes
        start and end are the first block's start and the last block's end (a double block spans two). \
        A fixed session (`fixed` true) has its id in `subject` and an empty `modality`; its teachers are \
        separated by spaces; a session without students has one row with `student` empty. Rows follow \
        the scenario's day order, then block order. A class lesson has its lesson id in `lesson`, its \
        title, its class ids separated by spaces in `classes`, its subject, an empty `modality`, and a row \
        per listed member of its classes; `title` also holds a fixed session's title.

        DIR/unmet.csv has one row per need that is short of sessions:
          student,student_name,need,missing,priority,cause,reason
        where `need` is `SUBJECT MODALITY`, for example `math tutoring`. A week with class lessons also \
        gets DIR/unplaced.csv, one row per lesson placed fewer times than asked:
          lesson,title,classes,missing,cause,reason

        A cell that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage \
        return) is written with a leading ', as is a cell that starts with ' itself; drop one leading ' \
        to get the exact value back.

        With --oneroster, DIR/oneroster/ also holds OneRoster 1.1 bulk CSV (manifest.csv, classes.csv, \
        enrollments.csv): one scheduled class per planned group, with the group's blocks as periods, and \
        teacher and student enrollments whose userSourcedId is the flexsched id, and one class per placed \
        lesson (its sourcedId keeps to the lesson id, so it survives re-solves), enrolling its teachers \
        and its classes' listed students. Give the SIS's ids with \
        --school, --term and --course-prefix. Fixed sessions are not exported there: the SIS holds them.

        The timetable must pass `flexsched check` against the scenario; otherwise nothing is written.

        Example:
          flexsched solve Scenarios/example.yaml --out out
          flexsched export csv Scenarios/example.yaml out/timetable.json --out out/csv
        then open out/csv/sessions.csv in a spreadsheet; add --oneroster --school org-12 --term fall-2027 \
        for the files an SIS imports.
        """)

    @Argument(help: "Scenario file (YAML or JSON).") var scenario: String
    @Argument(help: "Timetable JSON (v1 or v1.1) file.") var timetable: String
    @Option(help: "Directory to write sessions.csv and unmet.csv into.") var out: String
    @Flag(help: "Also write OneRoster 1.1 classes and enrollments into DIR/oneroster.") var oneroster = false
    @Option(help: "With --oneroster: the school's org sourcedId (default: a slug of the scenario name).") var school: String?
    @Option(help: "With --oneroster: the term's academicSession sourcedId (default: SCHOOL-term).") var term: String?
    @Option(help: "With --oneroster: courseSourcedId is this prefix followed by the subject id (default: SCHOOL-).") var coursePrefix: String?

    func validate() throws {
        if !oneroster, school != nil || term != nil || coursePrefix != nil {
            throw ValidationError("--school, --term and --course-prefix are for the OneRoster files; add --oneroster or leave them out")
        }
        for (name, value) in [("--school", school), ("--term", term)] {
            if let value, value.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("\(name) needs a sourcedId, not an empty text") }
        }
    }

    func run() throws {
        let (loaded, checked) = try loadCheckedTimetable(scenario, timetable)
        let roster = oneroster ? OneRosterOptions.defaults(scenarioName: loaded.name, school: school, term: term, coursePrefix: coursePrefix) : nil
        let files = CSVExport.export(scenario: loaded, timetable: checked, oneRoster: roster)
        for file in files {
            try writeFileAtomically(file.data, to: (out as NSString).appendingPathComponent(file.path))
        }
        if let roster, school == nil || term == nil {
            FileHandle.standardError.write(Data("note: without --school and --term the OneRoster files use placeholder ids (\(roster.school), \(roster.term)); give your SIS's sourcedIds before importing them\n".utf8))
        }
        print(files.map { "Wrote \((out as NSString).appendingPathComponent($0.path)) (\($0.rows) row(s))." }.joined(separator: "\n"))
    }
}
