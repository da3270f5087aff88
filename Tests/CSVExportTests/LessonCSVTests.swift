import Foundation
import FlexschedTestSupport
import Testing
import TimetableFormat

/// The hybrid week's lessons in sessions.csv, unplaced.csv and OneRoster, through `export csv`.
@Suite struct LessonCSVTests {
    func exportHybrid() throws -> String {
        let (_, checked) = try hybridWeek()
        let dir = temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try hybridScenarioYAML.write(toFile: dir + "/week.yaml", atomically: true, encoding: .utf8)
        try checked.timetable.jsonData().write(to: URL(fileURLWithPath: dir + "/timetable.json"))
        #expect(try run(["export", "csv", dir + "/week.yaml", dir + "/timetable.json", "--out", dir + "/csv", "--oneroster", "--school", "org-7"]) == 0)
        return dir + "/csv"
    }

    @Test func lessonsAreRowsWithTheirIdTitleClassesAndTeachers() throws {
        let out = try exportHybrid()
        let (header, rows) = try readCSV(out + "/sessions.csv")
        func column(_ name: String) throws -> Int { try #require(header.firstIndex(of: name)) }
        let lesson = try column("lesson"), classes = try column("classes"), teacher = try column("teacher"), title = try column("title")
        let student = try column("student"), subject = try column("subject"), fixed = try column("fixed"), room = try column("room")
        let science = rows.filter { $0[lesson] == "science-7" }
        #expect(science.map { $0[student] } == ["ana", "ben", "cai", "dia"])
        #expect(science.allSatisfy { $0[classes] == "7a 7b" && $0[teacher] == "ola lee" && $0[title] == "Science lab 7" && $0[5].isEmpty })
        #expect(science.allSatisfy { $0[subject] == "science" && $0[fixed] == "false" })
        let pe = try #require(rows.first { $0[lesson] == "pe-7b" })
        #expect(pe[room] == "")
        let tutoring = try #require(rows.first { $0[5] == "tutoring" })
        #expect(tutoring[lesson] == "" && tutoring[classes] == "" && tutoring[title] == "")
        // Week order: Monday's assembly first, Wednesday's tutoring last.
        #expect(rows.first?[lesson] == "assembly" && rows.last?[5] == "tutoring")
    }

    @Test func unplacedLessonsHaveTheirOwnFile() throws {
        let (header, rows) = try readCSV(try exportHybrid() + "/unplaced.csv")
        #expect(header == ["lesson", "title", "classes", "missing", "cause", "reason"])
        #expect(rows == [["drama-7a", "Drama 7A", "7a", "1", "", "not in this fixture"]])
    }

    @Test func eachPlacedLessonIsOneOneRosterClassWithItsTeachersAndStudents() throws {
        let out = try exportHybrid()
        let classes = try readCSV(out + "/oneroster/classes.csv").rows
        let math = try #require(classes.first { $0[0] == "flexsched.org-7.lesson.math-7a" })
        #expect(math[3] == "Maths 7A" && math[5] == "org-7-math" && math[8] == "Room 1" && math[13] == "b1,b2")
        #expect(!classes.contains { $0[0].hasSuffix("drama-7a") }, "an unplaced lesson has no class")
        #expect(classes.count == 6, "five placed lessons and the tutoring group")
        let enrollments = try readCSV(out + "/oneroster/enrollments.csv").rows.filter { $0[3] == "flexsched.org-7.lesson.science-7" }
        #expect(enrollments.map { "\($0[6]) \($0[5])" } == ["teacher ola", "teacher lee", "student ana", "student ben", "student cai", "student dia"])
    }
}
