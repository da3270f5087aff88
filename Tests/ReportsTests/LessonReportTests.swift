import FlexschedTestSupport
import Foundation
@testable import Reports
import ScenarioKit
import Testing
import TimetableFormat

/// The hybrid week (classes, lessons, one flex session) in terminal weeks, Markdown, printable HTML
/// and the change notice.
@Suite struct LessonReportTests {
    @Test func aClassWeekShowsItsLessonsAndThoseOfTheClassesAboveItOnly() throws {
        let (week, checked) = try hybridWeek()
        let s = week.scenario
        let sevenA = weekList(checked, scenario: s, owner: .schoolClass("7a"))
        #expect(sevenA.hasPrefix("Class 7A (class 7a): 4 sessions a week"))
        #expect(sevenA.contains("Mon 08:30–09:15  Year 7 assembly · Ms. Ola · Great Hall"))
        #expect(sevenA.contains("Tue 09:20–10:05  Science lab 7 · Ms. Ola, Ms. Lee · Room 2"))
        #expect(sevenA.components(separatedBy: "Maths 7A").count == 3)
        // Ana's tutoring is hers, not her class's; 7B's lessons are not 7A's.
        for absent in ["tutoring", "Ana", "English 7B", "PE 7B"] { #expect(!sevenA.contains(absent), "\(absent) in\n\(sevenA)") }
        #expect(sevenA.contains("Unplaced lessons\n  Drama 7A (Class 7A): 1 of 1 lesson unplaced (not in this fixture)"))

        let sevenB = weekGrid(checked, scenario: s, owner: .schoolClass("7b"))
        #expect(sevenB.contains("PE 7B") && sevenB.contains("English 7B") && !sevenB.contains("Drama") && !sevenB.contains("Maths"))
        // The year's own grid: its assembly, not the lessons of its classes.
        let year = weekList(checked, scenario: s, owner: .schoolClass("y7"))
        #expect(year.contains("Year 7 assembly") && !year.contains("Maths 7A") && !year.contains("Science"))
    }

    @Test func teachersStudentsAndRoomsSeeLessonsWithTitleRoomTeachersAndClasses() throws {
        let (week, checked) = try hybridWeek()
        let s = week.scenario
        let lee = weekList(checked, scenario: s, owner: .teacher("lee"))
        #expect(lee.contains("Tue 09:20–10:05  Science lab 7 · with Ms. Ola · Room 2 · Class 7A, Class 7B"))
        #expect(lee.contains("Mon 09:20–10:05  Maths 7A · Room 1 · Class 7A"))
        #expect(lee.contains("Wed 09:20–10:05  Math tutoring · Room 1 · Ana Alvarez"))
        let ana = weekList(checked, scenario: s, owner: .student("ana"))
        #expect(ana.contains("Wed 08:30–09:15") == false)
        #expect(ana.contains("Mon 08:30–09:15  Year 7 assembly · Ms. Ola · Great Hall"))
        for classmate in ["Ben", "Cai", "Dia", "Class 7B"] { #expect(!ana.contains(classmate)) }
        let hall = weekList(checked, scenario: s, owner: .room("hall"))
        #expect(hall.contains("Year 7 assembly · Ms. Ola · Year 7"))
        let kim = weekList(checked, scenario: s, owner: .teacher("kim"))
        #expect(kim.contains("Wed 08:30–09:15  PE 7B · Class 7B"))
    }

    @Test func summaryAndMarkdownCountLessonsAndListTheUnplacedOnes() throws {
        let (week, checked) = try hybridWeek()
        let s = week.scenario
        let summary = summaryText(checked, scenario: s)
        #expect(summary.contains("1 of 7 lessons unplaced."))
        #expect(summary.split(separator: "\n").contains { $0.split(separator: " ") == ["lessons", "6"] }, "\(summary)")
        #expect(summary.contains("Unplaced lessons\n  Drama 7A (Class 7A): 1 of 1 lesson unplaced (not in this fixture)"))
        let markdown = timetableMarkdown(checked, scenario: s)
        #expect(markdown.contains("## Classes") && markdown.contains("### Class 7A") && markdown.contains("### Year 7"))
        #expect(markdown.contains("## Unplaced lessons\n\n- Drama 7A (Class 7A): 1 of 1 lesson unplaced"))
    }

    @Test func thePrintableFileHasClassPagesAndEscapesAHostileLessonTitle() throws {
        let hostile = "<script>alert(\"x\")</script> & 'Co'"
        let (week, checked) = try hybridWeek(scienceTitle: hostile)
        let page = timetableHTML(checked, scenario: week.scenario)
        #expect(page.contains("<section class=\"page\" id=\"class-7a\">") && page.contains("<a href=\"#class-7b\">Class 7B</a>"))
        #expect(page.contains("<section class=\"page\" id=\"unplaced\">"))
        #expect(!page.contains("<script"))
        #expect(page.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;"))
        let grids = HTMLGrids(checked, scenario: week.scenario)
        let sevenA = grids.week(of: .schoolClass("7a"))
        #expect(sevenA.contains("<div class=\"s lesson\"><p class=\"what\">Maths 7A</p>"))
        #expect(!sevenA.contains("tutoring") && !sevenA.contains("Ana"))
        #expect(grids.legend.contains("lesson"))
        #expect(grids.heading(.schoolClass("7a")) == "<span class=\"kind\">Class</span> Class 7A")
    }

    @Test func theChangeNoticeSaysWhereALessonMovedAndCountsLessons() throws {
        let (week, checked) = try hybridWeek()
        var moved = checked.timetable
        let i = try #require(moved.sessions.firstIndex { $0.lesson == "math-7a" && $0.day == "mon" })
        moved.sessions[i].day = "wed"
        moved.sessions[i].block = "b3"
        moved.sessions[i].room = "r2"
        let diff = TimetableDiff(from: checked.timetable, to: moved, scenario: week.scenario)
        #expect(diff.count(.moved) == 1 && diff.lessonCount(.moved) == 1 && diff.lessonCount(.kept) == 5)
        #expect(diff.count(.cancelled) == 0 && diff.count(.new) == 0)
        let notice = diff.markdown(title: "Changes", scenario: week.scenario)
        #expect(notice.contains("Of them lessons: kept: 5 · moved: 1"))
        #expect(notice.contains("- Mon 09:20–10:05 Maths 7A: moved to Wed 10:30–11:15; Room 1 → Room 2"), "\(notice)")
        #expect(Set(diff.peopleToNotify.map(\.id)) == ["ana", "ben", "lee"])
    }

    @Test func classOwnersParseAndMustExist() throws {
        let (week, _) = try hybridWeek()
        #expect(WeekOwner(parsing: "class:7a") == .schoolClass("7a"))
        #expect(WeekOwner(parsing: "class:") == nil && WeekOwner(parsing: "coach:lee") == nil)
        #expect(WeekOwner.schoolClass("y7").exists(in: week.scenario) && !WeekOwner.schoolClass("8a").exists(in: week.scenario))
    }
}
