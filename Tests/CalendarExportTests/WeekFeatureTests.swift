@testable import CalendarExport
import Foundation
import FlexschedTestSupport
import ScenarioKit
import TimetableChecker
import TimetableFormat
import Testing

@Suite struct DoubleBlocksAndFixedSessions {
    private func event(_ result: CalendarExport.Result, _ path: String, starting start: String) throws -> [String] {
        try #require(events(try text(result, path)).first { property("DTSTART", in: $0)?.hasSuffix(start) == true },
                     "no event starting \(start) in \(path)")
    }

    @Test func aDoubleBlockIsOneEventFromTheFirstBlocksStartToTheSecondBlocksEnd() throws {
        let result = try export(featureScenario(), featureTimetable())
        for path in ["teachers/lee.ics", "students/ana.ics", "students/ben.ics", "rooms/lib.ics", "school.ics"] {
            let wednesday = events(try text(result, path)).filter { property("DTSTART", in: $0)?.hasSuffix("20270113T083000") == true }
            #expect(wednesday.count == 1, "\(path)")
            // b1 starts 08:30, b2 ends 10:05; one weekly series over the term.
            #expect(wednesday.first.flatMap { property("DTEND", in: $0) } == "20270113T100500", "\(path)")
            #expect(wednesday.first.flatMap { property("RRULE", in: $0) }?.hasPrefix("FREQ=WEEKLY;UNTIL=2027032") == true, "\(path)")
        }
        let lee = try event(result, "teachers/lee.ics", starting: "20270113T083000")
        #expect(ICalText.unescape(property("SUMMARY", in: lee)!) == "Math project: Ana P., Ben K., the 2nd")
        #expect(ICalText.unescape(property("DESCRIPTION", in: lee)!).hasSuffix("\nWhen: Wednesday 08:30-10:05 (2 blocks)"))
        #expect(events(try text(result, "teachers/lee.ics")).count == 2)
    }

    @Test func aFixedSessionIsInTheCalendarsOfItsTeacherItsStudentsAndItsRoom() throws {
        let scenario = featureScenario()
        let result = try export(scenario, featureTimetable())
        let friday = "20270115T092000"   // b2 on the first Friday of the term
        let kim = try event(result, "teachers/kim.ics", starting: friday)
        #expect(ICalText.unescape(property("SUMMARY", in: kim)!) == "Advisory, week A")
        #expect(property("CATEGORIES", in: kim) == "fixed")
        #expect(property("DTEND", in: kim) == "20270115T100500")
        #expect(ICalText.unescape(property("LOCATION", in: kim)!) == "Room 101; east wing")
        #expect(ICalText.unescape(property("DESCRIPTION", in: kim)!) == """
            A fixed part of the school week: the timetable keeps it where it is.
            Teacher: Mr. Kim, Jr.
            Room: Room 101; east wing
            Group: Ana P., Zoë 🦊 Müller-Lüdenscheidt von Überlingen-Schönfeld (2 students)
            When: Friday 09:20-10:05
            """)
        #expect(property("UID", in: kim) == Identifiers.uid(school: scenario.name, view: "teacher", owner: "kim", fixed: "advisory", weekday: "fri"))

        // Ana is in it through the homeroom group; her calendar does not name Zoë.
        let ana = try event(result, "students/ana.ics", starting: friday)
        #expect(ICalText.unescape(property("SUMMARY", in: ana)!) == "Advisory, week A")
        #expect(ICalText.unescape(property("DESCRIPTION", in: ana)!).contains("\nGroup: you and 1 other student\n"))
        #expect(!(try text(result, "students/ana.ics")).contains("Zo"))
        #expect(property("UID", in: ana) == Identifiers.uid(school: scenario.name, view: "student", owner: "ana", fixed: "advisory", weekday: "fri"))
        #expect(ICalText.unescape(property("SUMMARY", in: try event(result, "rooms/r101.ics", starting: friday))!) == "Advisory, week A")

        // Quiet reading has neither teacher nor room: no LOCATION, and no room calendar holds it.
        let con = try event(result, "students/CON-\(Identifiers.hash("CON")).ics", starting: "20270115T083000")
        #expect(ICalText.unescape(property("SUMMARY", in: con)!) == "Quiet reading")
        #expect(property("LOCATION", in: con) == nil)
        #expect(ICalText.unescape(property("DESCRIPTION", in: con)!).hasPrefix("A fixed part of the school week: the timetable keeps it where it is.\nTeacher: none\nRoom: none\nGroup: just you\n"))
        #expect(result.files.filter { $0.kind == .rooms }.allSatisfy { !String(decoding: $0.data, as: UTF8.self).contains("Quiet reading") })
        #expect(events(try text(result, "school.ics")).count == 4)
        #expect(result.empty == ["teacher idle (Mx. Idle)"])
    }

    @Test(arguments: StudentNames.allCases)
    func aStudentsCalendarNamesNoOtherStudent(_ setting: StudentNames) throws {
        var options = CalendarExport.Options()
        options.studentNames = setting
        let result = try export(featureScenario(), featureTimetable(), options: options)
        let students = featureScenario().students
        let stems = Identifiers.fileStems(for: students.map(\.id))
        for s in students {
            let unfolded = ICalText.unfold(try text(result, "students/\(stems[s.id]!).ics")).map(ICalText.unescape).joined(separator: "\n")
            #expect(unfolded.contains(s.name))
            for other in students where other.id != s.id {
                #expect(!unfolded.contains(other.name), "\(other.id) named in \(s.id)'s calendar under \(setting.rawValue)")
            }
        }
    }

    @Test func movingAFixedSessionOrShorteningADoubleBlockUpdatesTheSameEvents() throws {
        let dir = temporaryDirectory()
        let first = try export(featureScenario(), featureTimetable())
        try write(first, to: dir)
        // The school makes the project a single block and moves quiet reading an hour later.
        var scenario = featureScenario()
        scenario.modalities[scenario.modalities.firstIndex { $0.id == "project" }!].length = 1
        scenario.fixed[scenario.fixed.firstIndex { $0.id == "quiet" }!].block = "b2"
        var changed = featureTimetable(created: "2027-01-22T07:00:00Z")
        changed.sessions[1].length = 1
        changed.sessions[3].block = "b2"
        let second = try export(scenario, changed, previous: try PreviousExport.load(directory: dir))
        let lee = try event(second, "teachers/lee.ics", starting: "20270113T083000")
        #expect(property("DTEND", in: lee) == "20270113T091500")
        #expect(property("SEQUENCE", in: lee) == "1")
        let con = try event(second, "students/CON-\(Identifiers.hash("CON")).ics", starting: "20270115T092000")
        #expect(property("SEQUENCE", in: con) == "1")
        #expect(second.removed.isEmpty)
        // The advisory did not change: its events are the same bytes.
        let kimBefore = try text(first, "teachers/kim.ics"), kimAfter = try text(second, "teachers/kim.ics")
        #expect(kimBefore.components(separatedBy: "BEGIN:VEVENT").last == kimAfter.components(separatedBy: "BEGIN:VEVENT").last)
        // The project's five views (Lee, Ana, Ben, the library, the school) and Con's and the school's quiet reading.
        #expect(second.changed == 7 && second.added == 0)
    }

    @Test func aRunPastTheDayOrAFixedSessionNotAsGivenNeverReachesTheExport() throws {
        var broken = featureTimetable()
        broken.sessions[1].block = "b2"               // two blocks from the last block of the day
        broken.sessions[2].teachers = ["kim", "nobody"]
        do {
            _ = try checked(broken, featureScenario())
            Issue.record("the checker passed a double block past the day's end")
        } catch let failure as CheckFailure {
            #expect(Set(failure.violations.map(\.rule.id)) == ["R1.session-length", "R7.fixed-kept"], "\(failure)")
        }
    }
}
