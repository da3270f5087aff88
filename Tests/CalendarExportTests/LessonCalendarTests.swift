@testable import CalendarExport
import FlexschedTestSupport
import Foundation
import ScenarioKit
import Testing
import TimetableChecker
import TimetableFormat

/// Class lessons in people's calendars and the classes' own calendars, on the hybrid week.
@Suite struct LessonCalendarTests {
    func exportHybrid(_ timetable: Timetable? = nil, names: StudentNames = .teachersOnly, previous: PreviousExport? = nil) throws -> CalendarExport.Result {
        let (week, fixture) = try hybridWeek()
        var options = CalendarExport.Options()
        options.studentNames = names
        let checkedTimetable = try timetable.map { try checked($0, week) } ?? fixture
        return try CalendarExport.export(scenario: week, timetable: checkedTimetable, options: options,
                                         stamp: Date(timeIntervalSince1970: 1_800_000_000), previous: previous)
    }

    func summaries(_ calendar: String) -> [String] { events(calendar).map { ICalText.unescape(property("SUMMARY", in: $0)!) } }

    @Test func lessonsAreInTheirTeachersAndStudentsCalendarsUnderTheirTitle() throws {
        let result = try exportHybrid()
        #expect(summaries(try text(result, "students/ana.ics"))
            == ["Year 7 assembly", "Maths 7A", "Maths 7A", "Science lab 7", "Math tutoring with Ms. Lee"])
        let science = try #require(events(try text(result, "teachers/ola.ics")).first { property("SUMMARY", in: $0) == "Science lab 7" })
        #expect(property("LOCATION", in: science) == "Room 2")
        #expect(property("CATEGORIES", in: science) == "lesson")
        let description = ICalText.unescape(property("DESCRIPTION", in: science)!)
        #expect(description.hasPrefix("Class lesson for Class 7A, Class 7B\nTeachers: Ms. Ola, Ms. Lee\nRoom: Room 2\n"))
        // PE has no room: no LOCATION, and "Room: none".
        let pe = try #require(events(try text(result, "teachers/kim.ics")).first { property("SUMMARY", in: $0) == "PE 7B" })
        #expect(property("LOCATION", in: pe) == nil)
        #expect(ICalText.unescape(property("DESCRIPTION", in: pe)!).contains("Room: none"))
    }

    @Test func aStudentsCalendarNamesNoClassmateWhateverTheSetting() throws {
        for setting in StudentNames.allCases {
            let result = try exportHybrid(names: setting)
            let ana = try text(result, "students/ana.ics")
            for classmate in ["Ben", "Cai", "Dia", "ben", "cai", "dia"] { #expect(!ana.contains(classmate), "\(setting): \(classmate)") }
            #expect(ICalText.unfold(ana).contains { $0.contains("Group: Year 7: you and 3 other students") })
        }
    }

    @Test func eachClassHasACalendarOfItsLessonsAndThoseAboveItNamingNoStudent() throws {
        let result = try exportHybrid(names: .everyone)
        #expect(Set(result.files.filter { $0.kind == .classes }.map(\.path)) == ["classes/y7.ics", "classes/7a.ics", "classes/7b.ics"])
        let sevenA = try text(result, "classes/7a.ics")
        #expect(summaries(sevenA) == ["Year 7 assembly", "Maths 7A", "Maths 7A", "Science lab 7"])
        #expect(ICalText.unfold(sevenA).contains("X-WR-CALNAME:Class 7A (Hybrid week)"))
        for student in ["Ana", "Ben", "Cai", "Dia"] { #expect(!sevenA.contains(student)) }
        #expect(summaries(try text(result, "classes/y7.ics")) == ["Year 7 assembly"])
        #expect(summaries(try text(result, "classes/7b.ics")) == ["Year 7 assembly", "English 7B", "Science lab 7", "PE 7B"])
        // The teacher's calendar names whom she teaches, as for every session.
        #expect(try text(result, "teachers/lee.ics").contains("Ana Alvarez"))
    }

    @Test func lessonUIDsAreStableAndMovingALessonWithinItsDayUpdatesItsEvent() throws {
        let first = try exportHybrid()
        #expect(try exportHybrid().files.map(\.data) == first.files.map(\.data))
        let uids = events(try text(first, "classes/7a.ics")).compactMap { property("UID", in: $0) }
        #expect(Set(uids).count == 4)
        #expect(uids.contains { $0.hasSuffix(".class.7a.lesson.math-7a.tue-1@flexsched") })

        let dir = temporaryDirectory()
        try write(first, to: dir)
        var moved = hybridTimetable()
        let i = try #require(moved.sessions.firstIndex { $0.lesson == "math-7a" && $0.day == "tue" })
        moved.sessions[i].block = "b3"
        let second = try exportHybrid(moved, previous: try PreviousExport.load(directory: dir))
        #expect(second.removed.isEmpty, "\(second.removed)")
        #expect(second.added == 0 && second.changed > 0)
        #expect(Set(events(try text(second, "classes/7a.ics")).compactMap { property("UID", in: $0) }) == Set(uids))
    }

    @Test func onlyClassesWritesTheClassCalendars() throws {
        let (week, checked) = try hybridWeek()
        var options = CalendarExport.Options()
        options.kinds = [.classes]
        let result = try CalendarExport.export(scenario: week, timetable: checked, options: options, stamp: Date(timeIntervalSince1970: 0))
        #expect(result.files.allSatisfy { $0.kind == .classes && $0.path.hasPrefix("classes/") } && result.files.count == 3)
    }
}
