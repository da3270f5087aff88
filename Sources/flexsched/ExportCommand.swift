import ArgumentParser
import CalendarExport
import Foundation
import ScenarioKit
import TimetableChecker
import TimetableFormat

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a timetable for other programs.",
        subcommands: [ExportICS.self, ExportCSV.self, ExportHTML.self, ExportFET.self])
}

struct ExportICS: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ics",
        abstract: "Write iCalendar (.ics) files per teacher, student, room and class, plus one for the whole school.",
        discussion: """
        Writes DIR/teachers/ID.ics, DIR/students/ID.ics, DIR/rooms/ID.ics, DIR/classes/ID.ics (a class's \
        lessons and those of the classes it belongs to, no member's own sessions) and DIR/school.ics. With a \
        `term` in the scenario every weekly session is one recurring event over the term, without the \
        `skip` dates; otherwise --week-of places single events in one week. A double block is one \
        event from its first block's start to its last block's end. Fixed sessions appear in the \
        calendars of their teachers, students and room under their title; class lessons likewise, and in \
        the calendars of their classes.

        Event UIDs depend only on what a session is (calendar, owner, subject, modality, weekday, \
        block; for a fixed session its id and weekday; for a lesson its id, weekday and which of that \
        day's lessons it is), so importing a newer export updates events \
        instead of duplicating them. Compared \
        with an earlier export (--previous, or the files already in DIR), changed events get a higher \
        SEQUENCE, unchanged ones stay byte-identical, and removed ones are listed.
        """)

    @Argument(help: "Scenario file (YAML or JSON).") var scenario: String
    @Argument(help: "Timetable JSON (v1 or v1.1) file.") var timetable: String
    @Option(help: "Directory to write the calendars into.") var out: String
    @Option(help: "Only these calendars: teachers, students, rooms, classes or school.") var only: String?
    @Option(help: "A date (YYYY-MM-DD) in the week to place single events in, instead of the scenario's term.") var weekOf: String?
    @OptionGroup var privacy: StudentNamesOption
    @Option(help: "Folder of an earlier export to compare with (default: DIR itself, if it holds one).") var previous: String?

    func run() throws {
        var options = CalendarExport.Options()
        options.studentNames = privacy.setting
        var problems: [InputProblem] = []
        if let only {
            if let kind = CalendarKind(rawValue: only) { options.kinds = [kind] } else {
                problems.append(InputProblem(file: "--only", entity: "", message: "`\(only)` is not one of teachers, students, rooms, classes, school"))
            }
        }
        if let weekOf {
            if let date = LocalDate(parsing: weekOf) { options.weekOf = date } else {
                problems.append(InputProblem(file: "--week-of", entity: "", message: "`\(weekOf)` is not a date like 2027-01-11"))
            }
        }
        if !problems.isEmpty { throw exitForBadInput(InputError(problems)) }
        let (loaded, checked) = try loadCheckedTimetable(scenario, timetable)
        let pending = try prepareCalendars(scenario: loaded, scenarioFile: scenario, timetable: checked, timetableFile: timetable, options: options,
                                           out: out, previous: previous)
        print(try pending.write())
    }
}

/// Calendars computed and checked but not yet written, so bad input can still leave the folder as it was.
struct PendingCalendars {
    var result: CalendarExport.Result
    var out: String

    /// Writes every file atomically and returns the summary to print.
    func write() throws -> String {
        for file in result.files {
            try writeFileAtomically(file.data, to: (out as NSString).appendingPathComponent(file.path))
        }
        return exportSummary(result, out: out)
    }
}

/// Exports calendars into `out`, compared with `previous` or else with what `out` already holds.
/// Shared by `export ics` and `solve --ics`; bad input exits 2 before anything is written.
func prepareCalendars(scenario: ValidatedScenario, scenarioFile: String, timetable: CheckedTimetable, timetableFile: String,
                      options: CalendarExport.Options, out: String, previous: String?) throws -> PendingCalendars {
    do {
        let stamp = try CalendarExport.stamp(of: timetable.timetable, file: timetableFile) ?? fileModificationTime(timetableFile)
        let earlier = try previousExport(explicit: previous, out: out)
        let result = try CalendarExport.export(scenario: scenario, scenarioFile: scenarioFile, timetable: timetable, timetableFile: timetableFile,
                                               options: options, stamp: stamp, previous: earlier)
        return PendingCalendars(result: result, out: out)
    } catch { throw exitForBadInput(error) }
}

extension Solve {
    /// For `solve --out DIR --ics`: the calendars of a freshly solved timetable, for DIR/calendars.
    func solvedCalendars(_ scenario: ValidatedScenario, _ timetable: CheckedTimetable, out: String) throws -> PendingCalendars {
        var options = CalendarExport.Options()
        options.studentNames = privacy.setting
        return try prepareCalendars(scenario: scenario, scenarioFile: "<scenario>", timetable: timetable,
                                    timetableFile: (out as NSString).appendingPathComponent("timetable.json"),
                                    options: options, out: (out as NSString).appendingPathComponent("calendars"), previous: nil)
    }
}

/// `--student-names`, shared by `export ics` and `solve --ics`.
struct StudentNamesOption: ParsableArguments {
    @Option(help: ArgumentHelp("""
        Which calendars name the students of a session: teachers-only (the default: teachers see whom they \
        teach, room and school calendars give head counts), everyone (teachers', room and school calendars), or none \
        (head counts everywhere). A student's calendar never names classmates.
        """, valueName: "setting"))
    var studentNames: StudentNames?
    // The older all-or-nothing switch; it meant what `none` means, so scripts that use it keep working.
    @Flag(name: .customLong("no-student-names"), help: "The same as --student-names none.") var noStudentNames = false

    var setting: StudentNames { noStudentNames ? .none : studentNames ?? .teachersOnly }
    var isGiven: Bool { noStudentNames || studentNames != nil }

    func validate() throws {
        if noStudentNames, let studentNames, studentNames != StudentNames.none {
            throw ValidationError("--no-student-names means --student-names none; give only --student-names \(studentNames.rawValue)")
        }
    }
}

extension StudentNames: ExpressibleByArgument {}

private func previousExport(explicit: String?, out: String) throws(InputError) -> PreviousExport? {
    if let explicit { return try PreviousExport.load(directory: explicit) }
    // Overwriting an earlier export without comparing would reset SEQUENCE, and clients ignore
    // an update whose SEQUENCE did not rise.
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
    return try PreviousExport.load(directory: out)
}

/// DTSTAMP for a timetable without `created`: its file's modification time, stable across exports.
private func fileModificationTime(_ path: String) -> Date {
    let date = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date(timeIntervalSince1970: 0)
    return Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
}

func exportSummary(_ result: CalendarExport.Result, out: String) -> String {
    let counts = CalendarKind.allCases.compactMap { kind -> String? in
        let n = result.files.filter { $0.kind == kind }.count
        return n == 0 ? nil : "\(kind.rawValue) \(n)"
    }.joined(separator: ", ")
    let events = result.added + result.changed + result.unchanged
    var lines = ["Wrote \(result.files.count) calendar(s) to \(out) (\(counts)): \(events) events, "
        + "\(result.added) new, \(result.changed) changed (SEQUENCE raised), \(result.unchanged) unchanged."]
    if !result.empty.isEmpty {
        lines.append("No sessions, so no calendar for: \(result.empty.joined(separator: ", ")).")
    }
    if !result.removed.isEmpty {
        lines.append("\(result.removed.count) event(s) of the previous export are gone; delete them from calendars that imported them:")
        for r in result.removed { lines.append("  \(r.file): \(r.summary) (starts \(r.start), UID \(r.uid))") }
    }
    return lines.joined(separator: "\n")
}

/// `solve --ics` has no --week-of, so a scenario without a term is refused before the solve starts.
func requireTermForCalendars(_ scenario: ValidatedScenario, file: String) throws {
    guard scenario.term == nil else { return }
    throw exitForBadInput(InputError(file: file, entity: "term",
        "--ics needs a `term` (the dates the week repeats in); add one, or solve and then run `flexsched export ics --week-of YYYY-MM-DD`"))
}
