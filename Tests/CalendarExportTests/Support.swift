@testable import CalendarExport
import FlexschedTestSupport
import Foundation
import ScenarioKit
import TimetableFormat
import Testing

func date(_ text: String) -> LocalDate { LocalDate(parsing: text)! }

func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "flexsched-ics-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A small school whose names exercise escaping and folding: commas, semicolons, a backslash,
/// accents, an emoji and a long name.
func sampleScenario(timezone: String = "America/New_York", term: Term? = Term(start: date("2027-01-11"), end: date("2027-03-26"),
                                                                             skip: [date("2027-01-18"), date("2027-02-15")]),
                    name: String = "Maple Grove; Studio, Week A") -> Scenario {
    Scenario(
        name: name, timezone: timezone, term: term, days: [.mon, .wed, .fri],
        blocks: [Block(id: "b1", start: ClockTime(hour: 8, minute: 30), end: ClockTime(hour: 9, minute: 15)),
                 Block(id: "b2", start: ClockTime(hour: 9, minute: 20), end: ClockTime(hour: 10, minute: 5))],
        modalities: [Modality(id: "tutoring", min: 1, max: 3, teacher: true),
                     Modality(id: "small-group", min: 2, max: 6, teacher: true),
                     Modality(id: "independent", min: 1, max: 12, teacher: false)],
        teachers: [Teacher(id: "lee", name: "Ms. Lee", subjects: ["math", "reading"]),
                   Teacher(id: "kim", name: "Mr. Kim, Jr.", subjects: ["math"]),
                   Teacher(id: "idle", name: "Mx. Idle", subjects: ["math"])],
        rooms: [Room(id: "r101", name: "Room 101; east wing", capacity: 8),
                Room(id: "lib", name: "Library \\ Quiet corner", capacity: 12)],
        students: [Student(id: "ana", name: "Ana P.", needs: [Need(subject: "math", modality: "tutoring", sessions: 2)]),
                   Student(id: "ben", name: "Ben K., the 2nd", needs: [Need(subject: "math", modality: "tutoring", sessions: 1)]),
                   Student(id: "zoë", name: "Zoë 🦊 Müller-Lüdenscheidt von Überlingen-Schönfeld", needs: [
                       Need(subject: "reading", modality: "small-group", sessions: 1),
                       Need(subject: "math", modality: "independent", sessions: 1)]),
                   Student(id: "CON", name: "Con Reserved", needs: [Need(subject: "reading", modality: "small-group", sessions: 1)])])
}

func sampleTimetable(scenario: String = "Maple Grove; Studio, Week A", created: String? = "2027-01-08T14:02:11Z") -> Timetable {
    Timetable(scenario: scenario, status: .optimal, objective: 0, bound: 0, gap: 0, sessions: [
        .init(day: "mon", block: "b1", subject: "math", modality: "tutoring", teacher: "lee", room: "r101", students: ["ben", "ana"]),
        .init(day: "wed", block: "b2", subject: "math", modality: "tutoring", teacher: "kim", room: "r101", students: ["ana"]),
        .init(day: "fri", block: "b1", subject: "reading", modality: "small-group", teacher: "lee", room: "lib", students: ["zoë", "CON"]),
        .init(day: "wed", block: "b1", subject: "math", modality: "independent", teacher: nil, room: "lib", students: ["zoë"]),
    ], unmet: [], created: created)
}

func export(_ scenario: Scenario = sampleScenario(), _ timetable: Timetable = sampleTimetable(),
            options: CalendarExport.Options = .init(), previous: PreviousExport? = nil) throws -> CalendarExport.Result {
    let stamp = try #require(try CalendarExport.stamp(of: timetable, file: "t.json"))
    let validated = try scenario.validated()
    return try CalendarExport.export(scenario: validated, timetable: try checked(timetable, validated), options: options, stamp: stamp,
                                     previous: previous)
}

func text(_ result: CalendarExport.Result, _ path: String) throws -> String {
    let file = try #require(result.files.first { $0.path == path }, "no file \(path) among \(result.files.map(\.path))")
    return String(decoding: file.data, as: UTF8.self)
}

func write(_ result: CalendarExport.Result, to directory: String) throws {
    for file in result.files {
        let url = URL(fileURLWithPath: directory).appendingPathComponent(file.path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try file.data.write(to: url)
    }
}

/// The sample school with v1.1 features: a math project that fills b1 and b2 (one double block), an
/// advisory fixed on Friday b2 for Mr. Kim, Room 101 and the homeroom group (Ana and Zoë), and quiet
/// reading fixed on Friday b1 for Con, with no teacher and no room.
func featureScenario() -> Scenario {
    var s = sampleScenario()
    s.modalities.append(Modality(id: "project", min: 2, max: 4, teacher: true, length: 2))
    for i in s.students.indices where ["ana", "ben"].contains(s.students[i].id) {
        s.students[i].needs.append(Need(subject: "math", modality: "project", sessions: 1))
    }
    s.groups = [StudentGroup(id: "homeroom", students: ["ana", "zoë"])]
    s.fixed = [FixedSession(id: "advisory", title: "Advisory, week A", day: .fri, block: "b2", teachers: ["kim"], room: "r101",
                            groups: ["homeroom"]),
               FixedSession(id: "quiet", title: "Quiet reading", day: .fri, block: "b1", students: ["CON"])]
    return s
}

func featureTimetable(created: String = "2027-01-08T14:02:11Z") -> Timetable {
    Timetable(scenario: "Maple Grove; Studio, Week A", status: .optimal, objective: 0, bound: 0, gap: 0, sessions: [
        .init(day: "mon", block: "b1", subject: "math", modality: "tutoring", teacher: "lee", room: "r101", students: ["ben", "ana"]),
        .init(day: "wed", block: "b1", length: 2, subject: "math", modality: "project", teacher: "lee", room: "lib", students: ["ana", "ben"]),
        .init(fixed: "advisory", title: "Advisory, week A", day: "fri", block: "b2", length: 1, teachers: ["kim"], room: "r101",
              students: ["ana", "zoë"]),
        .init(fixed: "quiet", title: "Quiet reading", day: "fri", block: "b1", length: 1, teachers: [], room: nil, students: ["CON"]),
    ], unmet: [], created: created)
}

/// The unfolded VEVENTs of a calendar, each as its list of content lines.
func events(_ calendar: String) -> [[String]] {
    var result: [[String]] = []
    var current: [String]?
    for line in ICalText.unfold(calendar) {
        if line == "BEGIN:VEVENT" { current = [] }
        current?.append(line)
        if line == "END:VEVENT", let done = current { result.append(done); current = nil }
    }
    return result
}

func property(_ name: String, in event: [String]) -> String? {
    event.first { ICalText.propertyName($0) == name }.map(ICalText.propertyValue)
}

/// What a calendar client should show: every date in the term with the session's weekday except
/// skipped ones, at the block's wall-clock times. Computed day by day, independently of the exporter.
func expectedOccurrences(_ scenario: Scenario, _ sessions: [Timetable.Session]) -> [String] {
    guard let term = scenario.term else { return [] }
    var result: [String] = []
    var day = term.start
    while day <= term.end {
        for s in sessions where s.day == day.weekday.rawValue && !term.skip.contains(day) {
            let run = scenario.blockRun(from: s.block, length: s.length)!
            result.append("\(day) \(run[0].start)-\(run[run.count - 1].end)")
        }
        day = day.adding(days: 1)
    }
    return result.sorted()
}

// MARK: - External tools

/// Every distinct Python interpreter here that can import `icalendar` and `dateutil`
/// (for example pip's newer `icalendar` on PATH and Debian's `python3-icalendar` in /usr/bin).
let icalendarPythons: [String] = {
    var seen = Set<String>()
    var result: [String] = []
    for candidate in [findExecutable("python3"), "/usr/bin/python3"].compactMap({ $0 }) {
        let real = (candidate as NSString).resolvingSymlinksInPath
        guard FileManager.default.isExecutableFile(atPath: candidate),
              let check = try? runProcess(candidate, ["-c", "import icalendar, dateutil, sys; print(sys.executable)"]),
              check.status == 0 else { continue }
        let executable = check.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        if seen.insert(executable.isEmpty ? real : executable).inserted { result.append(candidate) }
    }
    return result
}()

let khalPath: String? = findExecutable("khal")
