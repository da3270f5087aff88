@testable import CalendarExport
@testable import flexsched
import FlexschedTestSupport
import Foundation
import ScenarioKit
import TimetableFormat
import Testing

let cliScenario = """
name: "CLI school, term"
timezone: Europe/Berlin
term: {start: 2027-10-04, end: 2027-11-12, skip: [2027-11-01]}
days: [mon, wed]
blocks: [{id: b1, start: "09:00", end: "09:45"}, {id: b2, start: "10:00", end: "10:45"}]
modalities: {tutoring: {min: 1, max: 2}}
teachers: [{id: lee, name: Ms. Lee, subjects: [math]}]
rooms: [{id: r1, name: Room 1, capacity: 2}]
students:
  - {id: ana, name: Ana, needs: [{subject: math, modality: tutoring, sessions: 2}]}
  - {id: ben, name: Ben, needs: [{subject: math, modality: tutoring, sessions: 1}]}
"""

let cliTimetable = """
{"scenario": "CLI school, term", "status": "optimal", "created": "2027-09-20T08:00:00Z", "unmet": [],
 "sessions": [
  {"day": "mon", "block": "b1", "subject": "math", "modality": "tutoring", "teacher": "lee", "room": "r1", "students": ["ana", "ben"]},
  {"day": "wed", "block": "b2", "subject": "math", "modality": "tutoring", "teacher": "lee", "room": "r1", "students": ["ana"]}]}
"""

@Suite struct ExportCommandLine {
    private func files(under dir: String) -> [String] {
        (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".ics") }.sorted()
    }

    @Test func exportWritesTheLayoutAndIsRepeatable() throws {
        let dir = temporaryDirectory()
        try cliScenario.write(toFile: dir + "/s.yaml", atomically: true, encoding: .utf8)
        try cliTimetable.write(toFile: dir + "/t.json", atomically: true, encoding: .utf8)
        #expect(try run(["export", "ics", dir + "/s.yaml", dir + "/t.json", "--out", dir + "/cal"]) == 0)
        #expect(files(under: dir + "/cal") == ["rooms/r1.ics", "school.ics", "students/ana.ics", "students/ben.ics", "teachers/lee.ics"])
        let first = try Data(contentsOf: URL(fileURLWithPath: dir + "/cal/teachers/lee.ics"))
        // Exporting again over the same folder compares with it and leaves every byte as it was.
        #expect(try run(["export", "ics", dir + "/s.yaml", dir + "/t.json", "--out", dir + "/cal"]) == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/cal/teachers/lee.ics")) == first)
        // --only and --previous into a fresh folder.
        #expect(try run(["export", "ics", dir + "/s.yaml", dir + "/t.json", "--out", dir + "/only",
                         "--only", "teachers", "--previous", dir + "/cal", "--no-student-names"]) == 0)
        #expect(files(under: dir + "/only") == ["teachers/lee.ics"])
        let anonymous = try String(contentsOfFile: dir + "/only/teachers/lee.ics", encoding: .utf8)
        #expect(!anonymous.contains("Ana") && anonymous.contains("SEQUENCE:1"))
    }

    /// Timetable JSON v1.1 as `solve` writes it: `length` on a double block, a fixed session with id,
    /// title and teachers, and a fixed session without room.
    @Test func exportReadsDoubleBlocksAndFixedSessionsFromTimetableJSON() throws {
        let dir = temporaryDirectory()
        // Export verifies the timetable first, so the scenario declares the double block and the
        // fixed sessions the timetable holds.
        try cliScenario
            .replacingOccurrences(of: "tutoring: {min: 1, max: 2}", with: "tutoring: {min: 1, max: 2, length: 2}")
            .replacingOccurrences(of: "{id: ben, name: Ben, needs: [{subject: math, modality: tutoring, sessions: 1}]}", with: "{id: ben, name: Ben, needs: []}")
            .replacingOccurrences(of: "modality: tutoring, sessions: 2}", with: "modality: tutoring, sessions: 1}")
            .appending("""

            fixed:
              - {id: assembly, title: Assembly, day: wed, block: b1, teachers: [lee], room: r1, students: [ana, ben]}
              - {id: study, title: Study hall, day: wed, block: b2, students: [ben]}

            """)
            .write(toFile: dir + "/s.yaml", atomically: true, encoding: .utf8)
        try """
        {"scenario": "CLI school, term", "status": "optimal", "created": "2027-09-20T08:00:00Z", "unmet": [],
         "sessions": [
          {"day": "mon", "block": "b1", "length": 2, "subject": "math", "modality": "tutoring", "teacher": "lee", "room": "r1", "students": ["ana"]},
          {"day": "wed", "block": "b1", "fixed": true, "id": "assembly", "title": "Assembly", "teachers": ["lee"], "room": "r1", "students": ["ana", "ben"]},
          {"day": "wed", "block": "b2", "fixed": true, "id": "study", "title": "Study hall", "teachers": [], "students": ["ben"]}]}
        """.write(toFile: dir + "/t.json", atomically: true, encoding: .utf8)
        #expect(try run(["export", "ics", dir + "/s.yaml", dir + "/t.json", "--out", dir + "/cal"]) == 0)
        let lee = events(try String(contentsOfFile: dir + "/cal/teachers/lee.ics", encoding: .utf8))
        #expect(lee.map { [property("DTSTART", in: $0)!, property("DTEND", in: $0)!, ICalText.unescape(property("SUMMARY", in: $0)!)] } == [
            ["20271004T090000", "20271004T104500", "Math tutoring: Ana"],
            ["20271006T090000", "20271006T094500", "Assembly"],
        ])
        let ben = events(try String(contentsOfFile: dir + "/cal/students/ben.ics", encoding: .utf8))
        #expect(ben.map { ICalText.unescape(property("SUMMARY", in: $0)!) } == ["Assembly", "Study hall"])
    }

    @Test func studentNamesChoosesWhichCalendarsNameTheStudents() throws {
        let dir = temporaryDirectory()
        try cliScenario.write(toFile: dir + "/s.yaml", atomically: true, encoding: .utf8)
        try cliTimetable.write(toFile: dir + "/t.json", atomically: true, encoding: .utf8)
        func export(_ extra: [String]) throws -> (teacher: String, student: String, room: String) {
            let out = dir + "/" + UUID().uuidString
            #expect(try run(["export", "ics", dir + "/s.yaml", dir + "/t.json", "--out", out] + extra) == 0)
            func read(_ path: String) throws -> String {
                ICalText.unfold(try String(contentsOfFile: out + "/" + path, encoding: .utf8)).map(ICalText.unescape).joined(separator: "\n")
            }
            return (try read("teachers/lee.ics"), try read("students/ana.ics"), try read("rooms/r1.ics"))
        }
        let byDefault = try export([])
        #expect(byDefault.teacher.contains("SUMMARY:Math tutoring: Ana, Ben") && !byDefault.room.contains("Ana"))
        #expect(!byDefault.student.contains("Ben") && byDefault.student.contains("Group: you and 1 other student"))
        let everyone = try export(["--student-names", "everyone"])
        #expect(everyone.room.contains("Group: Ana, Ben (2 students)") && !everyone.student.contains("Ben"))
        for hidden in [["--student-names", "none"], ["--no-student-names"], ["--no-student-names", "--student-names", "none"]] {
            let calendars = try export(hidden)
            #expect(calendars.teacher.contains("SUMMARY:Math tutoring: 2 students") && !calendars.teacher.contains("Ana"), "\(hidden)")
        }
        for bad in [["--student-names", "teachers"], ["--no-student-names", "--student-names", "everyone"]] {
            #expect(throws: (any Error).self) { try Flexsched.parseAsRoot(["export", "ics", "s.yaml", "t.json", "--out", "x"] + bad) }
        }
    }

    @Test func badOptionsAndInputsExitTwoAndWriteNothing() throws {
        let dir = temporaryDirectory()
        try cliScenario.write(toFile: dir + "/s.yaml", atomically: true, encoding: .utf8)
        try cliTimetable.write(toFile: dir + "/t.json", atomically: true, encoding: .utf8)
        let base = ["export", "ics", dir + "/s.yaml", dir + "/t.json", "--out", dir + "/out"]
        #expect(try run(base + ["--only", "parents"]) == 2)
        #expect(try run(base + ["--week-of", "2027-13-01"]) == 2)
        #expect(try run(base + ["--previous", dir + "/missing"]) == 2)
        #expect(try run(["export", "ics", dir + "/s.yaml", dir + "/missing.json", "--out", dir + "/out"]) == 2)
        try cliScenario.replacingOccurrences(of: "term: {start: 2027-10-04, end: 2027-11-12, skip: [2027-11-01]}\n", with: "")
            .write(toFile: dir + "/noterm.yaml", atomically: true, encoding: .utf8)
        #expect(try run(["export", "ics", dir + "/noterm.yaml", dir + "/t.json", "--out", dir + "/out"]) == 2)
        #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
        #expect(try run(["export", "ics", dir + "/noterm.yaml", dir + "/t.json", "--out", dir + "/out", "--week-of", "2027-10-06"]) == 0)
        #expect(FileManager.default.fileExists(atPath: dir + "/out/teachers/lee.ics"))
        #expect(try run(["solve", dir + "/noterm.yaml", "--out", dir + "/solved", "--ics", "--quiet"]) == 2)
        #expect(!FileManager.default.fileExists(atPath: dir + "/solved"))
        #expect(throws: (any Error).self) { try Flexsched.parseAsRoot(["solve", dir + "/s.yaml", "--ics"]) }
    }

    @Test func solveWithIcsWritesCalendarsNextToTheTimetable() throws {
        let dir = temporaryDirectory()
        try cliScenario.write(toFile: dir + "/s.yaml", atomically: true, encoding: .utf8)
        #expect(try run(["solve", dir + "/s.yaml", "--out", dir + "/out", "--ics", "--student-names", "everyone",
                         "--time-limit", "600", "--max-subproblems", "20", "--quiet"]) == 0)
        #expect(files(under: dir + "/out/calendars").contains("teachers/lee.ics"))
        #expect(try String(contentsOfFile: dir + "/out/calendars/rooms/r1.ics", encoding: .utf8).contains("Ana"))
        #expect(throws: (any Error).self) { try Flexsched.parseAsRoot(["solve", dir + "/s.yaml", "--out", dir + "/out", "--student-names", "none"]) }
        let timetable = try Timetable.load(path: dir + "/out/timetable.json")
        let lee = try String(contentsOfFile: dir + "/out/calendars/teachers/lee.ics", encoding: .utf8)
        let stamp = try #require(try CalendarExport.stamp(of: timetable, file: "t"))
        #expect(lee.contains("DTSTAMP:\(ICalDate.utc(stamp))"))
    }
}
