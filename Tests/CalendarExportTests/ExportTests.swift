@testable import CalendarExport
import Foundation
import FlexschedTestSupport
import ScenarioKit
import TimetableChecker
import TimetableFormat
import Testing

@Suite struct ExportContent {
    @Test func writesOneCalendarPerPersonAndRoomPlusTheSchool() throws {
        let result = try export()
        #expect(Set(result.files.map(\.path)) == [
            "teachers/lee.ics", "teachers/kim.ics", "students/ana.ics", "students/ben.ics",
            "students/zoe-\(Identifiers.hash("zoë")).ics", "students/CON-\(Identifiers.hash("CON")).ics",
            "rooms/r101.ics", "rooms/lib.ics", "school.ics",
        ])
        #expect(result.empty == ["teacher idle (Mx. Idle)"])
        #expect(result.added == 3 + 6 + 4 + 4 && result.changed == 0 && result.unchanged == 0) // teachers, students, rooms, school
    }

    @Test func calendarsFollowRFC5545() throws {
        for file in try export().files {
            let calendar = String(decoding: file.data, as: UTF8.self)
            #expect(calendar.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"))
            #expect(calendar.hasSuffix("END:VCALENDAR\r\n"))
            #expect(!calendar.replacingOccurrences(of: "\r\n", with: "").unicodeScalars.contains { $0 == "\n" || $0 == "\r" })
            let lines = ICalText.unfold(calendar)
            for forbidden in ["METHOD", "ORGANIZER", "ATTENDEE"] {
                #expect(!lines.contains { ICalText.propertyName($0) == forbidden })
            }
            #expect(lines.filter { $0 == "BEGIN:VTIMEZONE" }.count == 1)
            #expect(lines.contains { $0.hasPrefix("NAME:") } && lines.contains { $0.hasPrefix("X-WR-CALNAME:") })
            for event in events(calendar) {
                for required in ["UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "SUMMARY", "LOCATION", "DESCRIPTION", "CATEGORIES"] {
                    #expect(property(required, in: event) != nil, "\(file.path): no \(required)")
                }
                #expect(property("DTSTAMP", in: event) == "20270108T140211Z")
            }
        }
    }

    @Test func teacherStudentAndRoomViewsSayWhatMatters() throws {
        let result = try export()
        let lee = events(try text(result, "teachers/lee.ics"))
        #expect(lee.count == 2)
        #expect(property("SUMMARY", in: lee[0]) == #"Math tutoring: Ana P.\, Ben K.\, the 2nd"#)
        #expect(property("LOCATION", in: lee[0]) == #"Room 101\; east wing"#)
        #expect(property("CATEGORIES", in: lee[0]) == "tutoring")
        let description = ICalText.unescape(property("DESCRIPTION", in: lee[0])!)
        #expect(description == "Teacher: Ms. Lee\nRoom: Room 101; east wing\nGroup: Ana P., Ben K., the 2nd (2 students)\nWhen: Monday 08:30-09:15")

        let ana = events(try text(result, "students/ana.ics"))
        #expect(ana.map { ICalText.unescape(property("SUMMARY", in: $0)!) } == ["Math tutoring with Ms. Lee", "Math tutoring with Mr. Kim, Jr."])
        let zoe = events(try text(result, "students/zoe-\(Identifiers.hash("zoë")).ics"))
        #expect(zoe.map { ICalText.unescape(property("SUMMARY", in: $0)!) } == ["Math independent", "Reading small group with Ms. Lee"])
        #expect(ICalText.unescape(property("DESCRIPTION", in: zoe[0])!).hasPrefix("Teacher: none (independent)\nRoom: Library \\ Quiet corner"))

        let library = events(try text(result, "rooms/lib.ics"))
        #expect(library.map { ICalText.unescape(property("SUMMARY", in: $0)!) } == ["Math independent (1 student)", "Reading small group with Ms. Lee (2 students)"])
        #expect(events(try text(result, "school.ics")).count == 4)
    }

    @Test func aStudentsFileHoldsOnlyHerOwnSessions() throws {
        let result = try export()
        let ben = try text(result, "students/ben.ics")
        #expect(events(ben).count == 1)
        #expect(!ben.contains("Zoë") && !ben.contains("Con Reserved"))
    }

    /// The students each calendar of the sample timetable has sessions with.
    private static let attendees: [String: Set<String>] = [
        "teachers/lee.ics": ["ana", "ben", "zoë", "CON"], "teachers/kim.ics": ["ana"],
        "rooms/r101.ics": ["ana", "ben"], "rooms/lib.ics": ["zoë", "CON"], "school.ics": ["ana", "ben", "zoë", "CON"],
    ]

    @Test(arguments: StudentNames.allCases)
    func eachCalendarNamesOnlyTheStudentsItsAudienceMaySee(_ setting: StudentNames) throws {
        var options = CalendarExport.Options()
        options.studentNames = setting
        let result = try export(options: options)
        let students = sampleScenario().students
        let stems = Identifiers.fileStems(for: students.map(\.id))
        for file in result.files {
            let unfolded = ICalText.unfold(String(decoding: file.data, as: UTF8.self)).map(ICalText.unescape).joined(separator: "\n")
            let named = Set(students.filter { unfolded.contains($0.name) }.map(\.id))
            let expected: Set<String>
            switch file.kind {
            case .students: expected = Set(stems.filter { "students/\($0.value).ics" == file.path }.keys)
            case .teachers: expected = setting == .none ? [] : try #require(Self.attendees[file.path])
            case .rooms, .school: expected = setting == .everyone ? try #require(Self.attendees[file.path]) : []
            // A class calendar may be shared with the whole class: it names nobody.
            case .classes: expected = []
            }
            #expect(named == expected, "\(file.path) under \(setting.rawValue)")
            // UIDs carry the owner's id, so only a student's own file may hold hers.
            for s in students where !(file.kind == .students && expected.contains(s.id)) {
                #expect(!unfolded.contains(".\(Identifiers.component(s.id))."), "\(s.id) appears in a UID of \(file.path)")
            }
        }
    }

    @Test(arguments: [
        (StudentNames.teachersOnly, "Math tutoring: Ana P., Ben K., the 2nd", "Ana P., Ben K., the 2nd (2 students)", "2 students"),
        (StudentNames.everyone, "Math tutoring: Ana P., Ben K., the 2nd", "Ana P., Ben K., the 2nd (2 students)", "Ana P., Ben K., the 2nd (2 students)"),
        (StudentNames.none, "Math tutoring: 2 students", "2 students", "2 students"),
    ])
    func mondayTutoringAsEachAudienceSeesIt(_ setting: StudentNames, teacherSummary: String, teacherGroup: String, roomGroup: String) throws {
        var options = CalendarExport.Options()
        options.studentNames = setting
        let result = try export(options: options)
        func monday(_ path: String) throws -> (summary: String, description: String) {
            let event = try #require(events(try text(result, path)).first { property("DTSTART", in: $0)?.hasSuffix("20270111T083000") == true })
            return (ICalText.unescape(property("SUMMARY", in: event)!), ICalText.unescape(property("DESCRIPTION", in: event)!))
        }
        func description(group: String) -> String {
            "Teacher: Ms. Lee\nRoom: Room 101; east wing\nGroup: \(group)\nWhen: Monday 08:30-09:15"
        }
        #expect(try monday("teachers/lee.ics") == (teacherSummary, description(group: teacherGroup)))
        // Students never see classmates, whatever the setting.
        #expect(try monday("students/ana.ics") == ("Math tutoring with Ms. Lee", description(group: "you and 1 other student")))
        #expect(try monday("students/ben.ics") == ("Math tutoring with Ms. Lee", description(group: "you and 1 other student")))
        #expect(try monday("rooms/r101.ics") == ("Math tutoring with Ms. Lee (2 students)", description(group: roomGroup)))
        #expect(try monday("school.ics") == ("Math tutoring with Ms. Lee (2 students)", description(group: roomGroup)))
    }

    @Test func aStudentAloneInASessionIsToldSo() throws {
        let kim = events(try text(try export(), "students/ana.ics"))[1]
        #expect(ICalText.unescape(property("DESCRIPTION", in: kim)!).contains("\nGroup: just you\n"))
    }

    @Test func onlyWritesTheRequestedKind() throws {
        var options = CalendarExport.Options()
        options.kinds = [.rooms]
        #expect(try export(options: options).files.map(\.path).sorted() == ["rooms/lib.ics", "rooms/r101.ics"])
    }

    @Test func weekOfPlacesSingleEventsInThatWeek() throws {
        var options = CalendarExport.Options()
        options.weekOf = date("2027-04-14") // a Wednesday; the week runs Monday 12 to Sunday 18 April
        let result = try export(sampleScenario(term: nil), options: options)
        let lee = events(try text(result, "teachers/lee.ics"))
        #expect(lee.map { property("DTSTART", in: $0)! } == ["20270412T083000", "20270416T083000"])
        #expect(lee.allSatisfy { property("RRULE", in: $0) == nil && property("EXDATE", in: $0) == nil })
        // Daylight-saving time in April: the VTIMEZONE still covers the year.
        #expect(try text(result, "teachers/lee.ics").contains("DTSTART;TZID=America/New_York:20270412T083000"))
    }

    @Test func withoutTermOrWeekItIsBadInput() throws {
        #expect(throws: InputError.self) { try export(sampleScenario(term: nil)) }
    }

    @Test func badReferencesAndMismatchedTimetablesAreBadInput() throws {
        // Unknown ids and clashes never reach the export: it takes only a checked timetable, and the
        // checker refuses these, naming the rules.
        var broken = sampleTimetable()
        broken.sessions[0].teacher = "nobody"
        broken.sessions[1].block = "b9"
        #expect(throws: CheckFailure.self) { try checked(broken, sampleScenario()) }
        var double = sampleTimetable()
        double.sessions.append(.init(day: "mon", block: "b1", subject: "math", modality: "tutoring", teacher: "lee", room: "lib", students: ["zoë"]))
        #expect(throws: CheckFailure.self) { try checked(double, sampleScenario()) }
        // A timetable of another scenario is bad input to the export itself.
        #expect(throws: InputError.self) { try export(sampleScenario(), sampleTimetable(scenario: "Another school")) }
        var badStamp = sampleTimetable()
        badStamp.created = "yesterday"
        #expect(throws: InputError.self) { try CalendarExport.stamp(of: badStamp, file: "t.json") }
    }
}

@Suite struct Updates {
    private func previous(_ result: CalendarExport.Result) throws -> PreviousExport {
        let dir = temporaryDirectory()
        try write(result, to: dir)
        return try PreviousExport.load(directory: dir)
    }

    @Test func reExportingTheSameTimetableIsByteIdentical() throws {
        let first = try export()
        let again = try export(previous: try previous(first))
        #expect(first.files.map(\.data) == again.files.map(\.data))
        #expect(again.unchanged == 17 && again.changed == 0 && again.added == 0 && again.removed.isEmpty)
    }

    @Test func changedEventsGetAHigherSequenceAndTheRestStayByteIdentical() throws {
        let first = try export()
        var changed = sampleTimetable(created: "2027-01-22T07:00:00Z")
        changed.sessions[0].room = "lib"                 // Lee's Monday tutoring moves rooms
        changed.sessions.remove(at: 1)                   // Kim's Wednesday session is gone
        let second = try export(sampleScenario(), changed, previous: try previous(first))
        // Lee's, Ana's and Ben's views of the moved session change; the room and school views are
        // keyed by room, so there it is a new event in the library and a removed one in room 101.
        #expect(second.changed == 3 && second.added == 2)
        let lee = events(try text(second, "teachers/lee.ics"))
        #expect(property("SEQUENCE", in: lee[0]) == "1")
        #expect(property("LAST-MODIFIED", in: lee[0]) == "20270122T070000Z")
        #expect(property("DTSTAMP", in: lee[0]) == "20270122T070000Z")
        #expect(property("SEQUENCE", in: lee[1]) == "0")
        #expect(property("DTSTAMP", in: lee[1]) == "20270108T140211Z") // unchanged: copied as it was

        // The untouched Friday event is the same bytes in both exports.
        let fridayOld = try text(first, "teachers/lee.ics").components(separatedBy: "BEGIN:VEVENT")[2]
        let fridayNew = try text(second, "teachers/lee.ics").components(separatedBy: "BEGIN:VEVENT")[2]
        #expect(fridayOld == fridayNew)

        // Kim's calendar is empty now: his event, and Ana's, the room's and the school's copies, are reported.
        #expect(second.removed.map(\.file) == ["rooms/r101.ics", "rooms/r101.ics", "school.ics", "school.ics", "students/ana.ics", "teachers/kim.ics"])
        #expect(second.removed.first { $0.file == "teachers/kim.ics" }?.summary == "Math tutoring: Ana P.")

        // A third export of the same changed timetable raises nothing further.
        let third = try export(sampleScenario(), changed, previous: try previous(second))
        #expect(third.changed == 0)
        #expect(third.files.map(\.data) == second.files.map(\.data))

        // Changing it back raises the sequence again (1 -> 2), never back to 0.
        let fourth = try export(sampleScenario(), sampleTimetable(created: "2027-01-29T07:00:00Z"), previous: try previous(second))
        #expect(property("SEQUENCE", in: events(try text(fourth, "teachers/lee.ics"))[0]) == "2")
    }

    @Test func renamingARoomChangesItsEventsButNotTheirUIDs() throws {
        let first = try export()
        var renamed = sampleScenario()
        renamed.rooms[0].name = "Room 101 (east)"
        let second = try export(renamed, sampleTimetable(), previous: try previous(first))
        let old = events(try text(first, "rooms/r101.ics")), new = events(try text(second, "rooms/r101.ics"))
        #expect(old.map { property("UID", in: $0) } == new.map { property("UID", in: $0) })
        #expect(new.allSatisfy { property("SEQUENCE", in: $0) == "1" })
    }

    @Test func previousFolderMustBeReadable() throws {
        #expect(throws: InputError.self) { try PreviousExport.load(directory: "/nonexistent/flexsched") }
        let dir = temporaryDirectory()
        try "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n".write(toFile: dir + "/cut.ics", atomically: true, encoding: .utf8)
        #expect(throws: InputError.self) { try PreviousExport.load(directory: dir) }
    }
}
