@testable import CalendarExport
import FlexschedTestSupport
import Foundation
import ScenarioKit
import TimetableFormat
import Testing

// Exported files read back by independent, widely used iCalendar implementations:
// Python's `icalendar` (PyPI and Debian's python3-icalendar) and the khal calendar client (Debian).
// `.ci/run` installs them. Outside CI a missing tool disables these tests, with the reason shown.

private let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Conformance/check_ics.py").path

struct ParsedEvent: Decodable {
    var uid: String
    var summary: String
    var location: String
    var description: String
    var categories: [String]
    var sequence: Int
    var occurrences: [String]
}

struct ParsedFile: Decodable {
    var errors: [String]
    var events: [ParsedEvent]
}

struct ParseReport: Decodable {
    var icalendar: String
    var vtimezone_checked: Bool
    var files: [String: ParsedFile]
}

/// Parses every file with every available `icalendar`; each returned report is one library version's reading.
func parseWithIcalendar(_ paths: [String]) throws -> [ParseReport] {
    #expect(!icalendarPythons.isEmpty, "no Python with icalendar and dateutil; .ci/run installs them")
    return try icalendarPythons.map { python in
        let output = try runProcess(python, [script] + paths)
        #expect(output.status == 0, "\(python) check_ics.py failed: \(output.stderr)")
        return try JSONDecoder().decode(ParseReport.self, from: Data(output.stdout.utf8))
    }
}

/// khal in a throw-away configuration: one vdir calendar, its own cache, and the given local zone.
struct Khal {
    let root = temporaryDirectory()
    let executable: String

    init(executable: String, zone: String) throws {
        self.executable = executable
        try FileManager.default.createDirectory(atPath: root + "/calendar", withIntermediateDirectories: true)
        try """
        [calendars]
        [[timetable]]
        path = \(root)/calendar
        type = calendar
        [sqlite]
        path = \(root)/khal.db
        [locale]
        timeformat = %H:%M
        dateformat = %Y-%m-%d
        longdateformat = %Y-%m-%d
        datetimeformat = %Y-%m-%d %H:%M
        longdatetimeformat = %Y-%m-%d %H:%M
        local_timezone = \(zone)
        default_timezone = \(zone)
        [default]
        default_calendar = timetable

        """.write(toFile: root + "/config", atomically: true, encoding: .utf8)
    }

    private var environment: [String: String] { ["XDG_CONFIG_HOME": root, "XDG_DATA_HOME": root, "LC_ALL": "C.UTF-8", "TZ": "UTC"] }

    func importCalendar(_ path: String) throws {
        let output = try runProcess(executable, ["-c", root + "/config", "import", "--batch", "-a", "timetable", path], environment: environment)
        #expect(output.status == 0, "khal import failed: \(output.stderr)")
    }

    /// Every occurrence from `from` to `to` as `YYYY-MM-DD HH:MM-HH:MM|title`, in khal's local zone.
    func list(from: LocalDate, to: LocalDate) throws -> [String] {
        let output = try runProcess(executable, ["-c", root + "/config", "list", "--format", "{start-date} {start-time}-{end-time}|{title}",
                                                 "--day-format", "", "\(from)", "\(to)"], environment: environment)
        #expect(output.status == 0, "khal list failed: \(output.stderr)")
        return output.stdout.split(separator: "\n").map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.sorted()
    }
}

private let haveIcalendar = !icalendarPythons.isEmpty || inCI
private let haveKhal = khalPath != nil || inCI
private let icalendarMissing: Comment = "Python icalendar not found (pip install icalendar, or apt-get install python3-icalendar); runs always in CI"
private let khalMissing: Comment = "khal or Python icalendar not found (apt-get install khal python3-icalendar); runs always in CI"

private func exportToDisk(_ scenario: Scenario, _ timetable: Timetable, options: CalendarExport.Options = .init()) throws -> (String, [String]) {
    let dir = temporaryDirectory()
    let result = try export(scenario, timetable, options: options)
    try write(result, to: dir)
    return (dir, result.files.map { dir + "/" + $0.path })
}

@Suite(.serialized) struct Conformance {
    @Test(.enabled(if: haveIcalendar, icalendarMissing))
    func everyExportedFileParsesAndExpandsAsTheTimetableSays() throws {
        let scenario = sampleScenario()
        let timetable = sampleTimetable()
        var options = CalendarExport.Options()
        let (named, namedPaths) = try exportToDisk(scenario, timetable)
        var paths = namedPaths
        options.studentNames = .none
        paths += try exportToDisk(scenario, timetable, options: options).1
        options.weekOf = date("2027-11-03")
        paths += try exportToDisk(sampleScenario(timezone: "Europe/Berlin", term: nil), timetable, options: options).1
        let reports = try parseWithIcalendar(paths)
        for report in reports {
            #expect(report.vtimezone_checked, "icalendar \(report.icalendar) cannot check VTIMEZONE definitions")
            #expect(report.files.count == paths.count)
            for (path, file) in report.files {
                #expect(file.errors.isEmpty, "icalendar \(report.icalendar), \(path): \(file.errors)")
            }
        }
        // What the library reads matches the timetable: names unescaped, occurrences on the right dates.
        for report in reports {
            let lee = try #require(report.files[named + "/teachers/lee.ics"])
            #expect(lee.events.map(\.summary) == ["Math tutoring: Ana P., Ben K., the 2nd", "Reading small group: Con Reserved, Zoë 🦊 Müller-Lüdenscheidt von Überlingen-Schönfeld"])
            #expect(lee.events[0].location == "Room 101; east wing")
            #expect(lee.events[0].categories == ["tutoring"])
            let mine = timetable.sessions.filter { $0.teacher == "lee" }
            #expect(lee.events.flatMap(\.occurrences).sorted() == expectedOccurrences(scenario, mine))
        }
    }

    @Test(.enabled(if: haveIcalendar && haveKhal, khalMissing))
    func aTeachersCalendarImportsIntoKhalWithEveryOccurrence() throws {
        let khal = try #require(khalPath, "khal is not installed; .ci/run installs it")
        let scenario = sampleScenario()
        let timetable = sampleTimetable()
        let (dir, _) = try exportToDisk(scenario, timetable)
        let client = try Khal(executable: khal, zone: scenario.timezone)
        try client.importCalendar(dir + "/teachers/lee.ics")
        let listed = try client.list(from: date("2027-01-01"), to: date("2027-04-30"))
        let mine = timetable.sessions.filter { $0.teacher == "lee" }
        #expect(listed.map { String($0.prefix { $0 != "|" }) } == expectedOccurrences(scenario, mine))
        #expect(listed.count == 9 + 11) // Mondays minus two holidays, all Fridays of the term
        #expect(listed.contains("2027-01-11 08:30-09:15|Math tutoring: Ana P., Ben K., the 2nd"))
        #expect(!listed.contains { $0.hasPrefix("2027-01-18") || $0.hasPrefix("2027-02-15") })
    }

    /// A double block and fixed sessions read back as the timetable says: one occurrence per week
    /// from the first block's start to the last block's end, fixed sessions under their titles.
    @Test(.enabled(if: haveIcalendar && haveKhal, khalMissing))
    func doubleBlocksAndFixedSessionsParseAndImport() throws {
        let khal = try #require(khalPath, "khal is not installed; .ci/run installs it")
        let scenario = featureScenario()
        let timetable = featureTimetable()
        let (dir, paths) = try exportToDisk(scenario, timetable)
        for report in try parseWithIcalendar(paths) {
            for (path, file) in report.files { #expect(file.errors.isEmpty, "icalendar \(report.icalendar), \(path): \(file.errors)") }
            let school = try #require(report.files.first { $0.key.hasSuffix("/school.ics") }?.value)
            #expect(school.events.flatMap(\.occurrences).sorted() == expectedOccurrences(scenario, timetable.sessions))
            let con = try #require(report.files.first { $0.key.hasSuffix("/CON-\(Identifiers.hash("CON")).ics") }?.value)
            #expect(con.events.map(\.summary) == ["Quiet reading"])
        }
        let client = try Khal(executable: khal, zone: scenario.timezone)
        for file in ["teachers/lee.ics", "teachers/kim.ics"] { try client.importCalendar(dir + "/" + file) }
        let listed = try client.list(from: scenario.term!.start, to: scenario.term!.end.adding(days: 1))
        #expect(listed.map { String($0.prefix { $0 != "|" }) } == expectedOccurrences(scenario, timetable.sessions.filter { !$0.staff.isEmpty }))
        #expect(listed.contains("2027-01-13 08:30-10:05|Math project: Ana P., Ben K., the 2nd"))
        #expect(listed.contains("2027-01-15 09:20-10:05|Advisory, week A"))
    }

    /// Terms across the autumn change: every occurrence at the same wall-clock time on both sides,
    /// holidays absent, and in UTC the instants shift by the hour that the clocks went back.
    @Test(.enabled(if: haveIcalendar && haveKhal, khalMissing),
          arguments: [
              ("America/New_York", "2027-10-18", "2027-11-19", "2027-11-07", ["2027-11-01", "2027-11-12"]),
              ("Europe/Berlin", "2027-10-11", "2027-11-12", "2027-10-31", ["2027-10-25", "2027-11-05"]),
          ])
    func termAcrossTheDaylightSavingChangeKeepsWallClockTimes(zone: String, start: String, end: String, change: String, skip: [String]) throws {
        let khal = try #require(khalPath, "khal is not installed; .ci/run installs it")
        let term = Term(start: date(start), end: date(end), skip: skip.map(date))
        let scenario = sampleScenario(timezone: zone, term: term)
        let timetable = sampleTimetable()
        let (dir, paths) = try exportToDisk(scenario, timetable)
        let mine = timetable.sessions.filter { $0.teacher == "lee" }
        let expected = expectedOccurrences(scenario, mine)
        #expect(expected.contains { $0 < change } && expected.contains { $0 > change })

        // The teacher's calendar in the school's zone: the same 08:30 Mondays and Fridays throughout.
        let local = try Khal(executable: khal, zone: zone)
        try local.importCalendar(dir + "/teachers/lee.ics")
        let listed = try local.list(from: date(start), to: date(end).adding(days: 1)).map { String($0.prefix { $0 != "|" }) }
        #expect(listed == expected)
        #expect(Set(listed.map { $0.dropFirst(11) }) == ["08:30-09:15"])
        for holiday in skip { #expect(!listed.contains { $0.hasPrefix(holiday) }) }

        // Seen from UTC the school's clock moved: one hour later after the change.
        let utc = try Khal(executable: khal, zone: "UTC")
        try utc.importCalendar(dir + "/teachers/lee.ics")
        let utcTimes = try utc.list(from: date(start), to: date(end).adding(days: 1)).map { String($0.prefix { $0 != "|" }) }
        let before = Set(utcTimes.filter { $0 < change }.map { $0.dropFirst(11) })
        let after = Set(utcTimes.filter { $0 > change }.map { $0.dropFirst(11) })
        #expect(before.count == 1 && after.count == 1 && before != after, "UTC times \(before) before, \(after) after")

        // And every file of this export parses with the same occurrences in icalendar.
        for report in try parseWithIcalendar(paths) {
            for (path, file) in report.files { #expect(file.errors.isEmpty, "icalendar \(report.icalendar), \(path): \(file.errors)") }
            let lee = try #require(report.files.first { $0.key.hasSuffix("teachers/lee.ics") }?.value)
            #expect(lee.events.flatMap(\.occurrences).sorted() == expected)
        }
    }

    /// A whole school year: both changes, New Year, and a VTIMEZONE that spans two years.
    @Test(.enabled(if: haveIcalendar && haveKhal, khalMissing))
    func schoolYearAcrossNewYearKeepsEveryOccurrence() throws {
        let khal = try #require(khalPath, "khal is not installed; .ci/run installs it")
        let term = Term(start: date("2027-08-30"), end: date("2028-07-14"),
                        skip: [date("2027-12-24"), date("2027-12-27"), date("2027-12-29"), date("2027-12-31"), date("2028-04-14")])
        let scenario = sampleScenario(timezone: "Europe/Berlin", term: term)
        let timetable = sampleTimetable()
        let (dir, paths) = try exportToDisk(scenario, timetable)
        let vtimezone = try String(contentsOfFile: dir + "/teachers/lee.ics", encoding: .utf8)
        #expect(vtimezone.contains("DTSTART:20280326T020000"))
        let client = try Khal(executable: khal, zone: "Europe/Berlin")
        try client.importCalendar(dir + "/teachers/lee.ics")
        let listed = try client.list(from: term.start, to: term.end.adding(days: 1)).map { String($0.prefix { $0 != "|" }) }
        #expect(listed == expectedOccurrences(scenario, timetable.sessions.filter { $0.teacher == "lee" }))
        for report in try parseWithIcalendar(paths) {
            for (path, file) in report.files { #expect(file.errors.isEmpty, "icalendar \(report.icalendar), \(path): \(file.errors)") }
        }
    }

    /// The bundled example solved by the real command, every file parsed.
    @Test(.enabled(if: haveIcalendar && haveKhal, khalMissing))
    func solvedExampleScenarioExportsCleanly() throws {
        let khal = try #require(khalPath, "khal is not installed; .ci/run installs it")
        let dir = temporaryDirectory()
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scenarios/example.yaml").path
        #expect(try run(["solve", example, "--out", dir, "--ics", "--time-limit", "10", "--max-subproblems", "5", "--quiet"]) == 0)
        let scenario = try ScenarioLoader.load(path: example)
        let timetable = try Timetable.load(path: dir + "/timetable.json")
        let paths = (FileManager.default.enumerator(atPath: dir + "/calendars")?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".ics") }.map { dir + "/calendars/" + $0 }
        #expect(paths.count >= scenario.teachers.count + scenario.rooms.count)
        for report in try parseWithIcalendar(paths) {
            for (path, file) in report.files { #expect(file.errors.isEmpty, "icalendar \(report.icalendar), \(path): \(file.errors)") }
            let school = try #require(report.files.first { $0.key.hasSuffix("/school.ics") }?.value)
            #expect(school.events.flatMap(\.occurrences).sorted() == expectedOccurrences(scenario.scenario, timetable.sessions))
        }
        let client = try Khal(executable: khal, zone: scenario.timezone)
        for teacher in scenario.teachers {
            try client.importCalendar(dir + "/calendars/teachers/\(teacher.id).ics")
        }
        let listed = try client.list(from: scenario.term!.start, to: scenario.term!.end.adding(days: 1))
        #expect(listed.map { String($0.prefix { $0 != "|" }) } == expectedOccurrences(scenario.scenario, timetable.sessions.filter { $0.teacher != nil }))
    }
}
