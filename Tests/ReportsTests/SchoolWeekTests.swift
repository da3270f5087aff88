import Testing
import ScenarioKit
import FlexschedTestSupport
import TimetableFormat
@testable import Reports

// A v1.1 week: a science project that fills two blocks on Monday morning, a Monday advisory fixed
// outside flexsched (two teachers, the hall, Cy and the grade-6 group), and quiet reading fixed on
// Tuesday without teacher or room. Cy's mandated reading tutoring is unmet, and so is one of Ben's
// normal math sessions.
private func school() -> Scenario {
    func time(_ h: Int, _ m: Int) -> ClockTime { ClockTime(hour: h, minute: m) }
    return Scenario(
        name: "Week features", timezone: "Europe/Dublin", days: [.mon, .tue],
        blocks: [Block(id: "b1", start: time(8, 30), end: time(9, 15)), Block(id: "b2", start: time(9, 15), end: time(10, 0)),
                 Block(id: "b3", start: time(10, 15), end: time(11, 0), breakBefore: true)],
        modalities: [Modality(id: "project", min: 1, max: 4, teacher: true, length: 2),
                     Modality(id: "tutoring", min: 1, max: 2, teacher: true)],
        teachers: [Teacher(id: "lee", name: "Ms. Lee", subjects: ["science", "reading"]),
                   Teacher(id: "kim", name: "Mr. Kim", subjects: ["math"])],
        rooms: [Room(id: "r1", name: "Room 1", capacity: 4), Room(id: "hall", name: "Hall", capacity: 30)],
        students: [Student(id: "ana", name: "Ana", needs: [Need(subject: "science", modality: "project", sessions: 1)]),
                   Student(id: "ben", name: "Ben", needs: [Need(subject: "science", modality: "project", sessions: 1),
                                                           Need(subject: "math", modality: "tutoring", sessions: 2)]),
                   Student(id: "cy", name: "Cy", needs: [Need(subject: "math", modality: "tutoring", sessions: 1),
                                                         Need(subject: "reading", modality: "tutoring", sessions: 2, priority: .mandated)])],
        groups: [StudentGroup(id: "grade6", students: ["ana", "ben"])],
        fixed: [FixedSession(id: "advisory-6", title: "Advisory 6", day: .mon, block: "b3", teachers: ["lee", "kim"], room: "hall",
                             students: ["cy"], groups: ["grade6"]),
                FixedSession(id: "quiet", title: "Quiet reading", day: .tue, block: "b1", students: ["ana"])])
}

private let project = Timetable.Session(day: "mon", block: "b1", length: 2, subject: "science", modality: "project", teacher: "lee",
                                        room: "r1", students: ["ana", "ben"])
private let advisory = Timetable.Session(fixed: "advisory-6", title: "Advisory 6", day: "mon", block: "b3", length: 1,
                                         teachers: ["lee", "kim"], room: "hall", students: ["cy", "ana", "ben"])
private let quiet = Timetable.Session(fixed: "quiet", title: "Quiet reading", day: "tue", block: "b1", length: 1, teachers: [],
                                      room: nil, students: ["ana"])
private let tutoring = Timetable.Session(day: "tue", block: "b2", subject: "math", modality: "tutoring", teacher: "kim", room: "r1",
                                         students: ["ben", "cy"])

private func week(_ sessions: [Timetable.Session] = [project, advisory, quiet, tutoring]) -> Timetable {
    Timetable(scenario: "Week features", status: .feasible, objective: 1, bound: 0, gap: 1, sessions: sessions, unmet: [
        // The normal need first, so the order below comes from the priorities, not from the input.
        .init(student: "ben", subject: "math", modality: "tutoring", missing: 1, reason: "Mr. Kim is full", cause: "no-free-teacher"),
        .init(student: "cy", subject: "reading", modality: "tutoring", missing: 2, priority: .mandated,
              reason: "Ms. Lee is busy whenever Cy is free", cause: "no-free-teacher"),
    ])
}

/// The Markdown table after the line `heading` (a `###` or `##` heading), split into cells.
private func table(_ markdown: String, after heading: String) -> [[String]]? {
    let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let start = lines.firstIndex(of: heading) else { return nil }
    return lines[(start + 2)...].prefix { $0.hasPrefix("|") }.map { line in
        line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }
}

@Test func gridsShowADoubleBlockInBothBlocksAndFixedSessionsByTitle() throws {
    let md = timetableMarkdown(try checked(week(), school()), scenario: school())
    let lee = try #require(table(md, after: "### Ms. Lee"))
    #expect(lee[2] == ["08:30-09:15", "Science project (1/2) · Room 1 · Ana, Ben", ""])
    #expect(lee[3] == ["09:15-10:00", "Science project (2/2) · Room 1 · Ana, Ben", ""])
    #expect(lee[4] == ["10:00-10:15", "break", "break"])
    // A fixed session names the other teachers and counts its students rather than listing a grade.
    #expect(lee[5] == ["10:15-11:00", "Advisory 6 (fixed) · with Mr. Kim · Hall · 3 students", ""])
    let kim = try #require(table(md, after: "### Mr. Kim"))
    #expect(kim[5] == ["10:15-11:00", "Advisory 6 (fixed) · with Ms. Lee · Hall · 3 students", ""])

    // Ana is in the advisory through her group, and in quiet reading, which has no teacher or room.
    let ana = try #require(table(md, after: "### Ana"))
    #expect(ana[2] == ["08:30-09:15", "Science project (1/2) · Ms. Lee · Room 1", "Quiet reading (fixed)"])
    #expect(ana[3] == ["09:15-10:00", "Science project (2/2) · Ms. Lee · Room 1", ""])
    #expect(ana[5] == ["10:15-11:00", "Advisory 6 (fixed) · Ms. Lee, Mr. Kim · Hall", ""])

    let hall = try #require(table(md, after: "### Hall"))
    #expect(hall[5] == ["10:15-11:00", "Advisory 6 (fixed) · Ms. Lee, Mr. Kim · 3 students", ""])
    let room1 = try #require(table(md, after: "### Room 1"))
    #expect(room1[3] == ["09:15-10:00", "Science project (2/2) · Ms. Lee · 2 students", "Math tutoring · Mr. Kim · 2 students"])

    // The school's fixed week on its own, before the people's grids.
    let fixed = try #require(table(md, after: "## Fixed sessions"))
    #expect(fixed[2] == ["08:30-09:15", "", "Quiet reading (fixed) · 1 student"])
    #expect(fixed[5] == ["10:15-11:00", "Advisory 6 (fixed) · Ms. Lee, Mr. Kim · Hall · 3 students", ""])
    let headings = md.split(separator: "\n").filter { $0.hasPrefix("## ") }
    #expect(headings == ["## Summary", "## Fixed sessions", "## Teachers", "## Rooms", "## Students", "## Unmet needs"])
}

@Test func loadsCountBlocksAndFixedSessions() throws {
    let text = summaryText(try checked(week(), school()), scenario: school())
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines.contains("Sessions   4"))
    #expect(lines.contains("  project   1") && lines.contains("  tutoring  1") && lines.contains("  fixed     2"))
    // Ms. Lee: the double block is two blocks, the advisory a third; Mr. Kim: advisory and tutoring.
    #expect(lines.contains("  Ms. Lee       3         -      3 (Mon)        -"))
    #expect(lines.contains("  Mr. Kim       2         -      1 (Mon)        -"))
    #expect(lines.contains("  Room 1       3           6  50.0%"))
    #expect(lines.contains("  Hall         1           6  16.7%"))
}

@Test func unmetListsPutMandatedNeedsFirstAndNamePriorities() throws {
    let s = school()
    let md = timetableMarkdown(try checked(week(), s), scenario: s)
    let unmet = try #require(table(md, after: "## Unmet needs"))
    #expect(unmet == [["Priority", "Student", "Subject", "Modality", "Missing", "Reason"], ["---", "---", "---", "---", "---", "---"],
                      ["mandated", "Cy", "Reading", "tutoring", "2", "Ms. Lee is busy whenever Cy is free"],
                      ["normal", "Ben", "Math", "tutoring", "1", "Mr. Kim is full"]])
    let text = summaryText(try checked(week(), s), scenario: s)
    #expect(text.contains("""
        Unmet needs
          Priority  Student  Subject  Modality  Missing  Reason
          mandated  Cy       Reading  tutoring        2  Ms. Lee is busy whenever Cy is free
          normal    Ben      Math     tutoring        1  Mr. Kim is full

        """))
    // A student's own week ends with her unmet needs, out of how many she asked for.
    #expect(weekGrid(try checked(week(), s), scenario: s, owner: .student("cy")) == """
        Cy (student cy): 2 sessions a week

        Time        | Mon                | Tue
        ------------+--------------------+--------------
        08:30–09:15 |                    |
        ------------+--------------------+--------------
        09:15–10:00 |                    | Math tutoring
                    |                    | Mr. Kim
                    |                    | Room 1
        ------------+--------------------+--------------
        10:00–10:15 | break              | break
        ------------+--------------------+--------------
        10:15–11:00 | Advisory 6 (fixed) |
                    | Ms. Lee, Mr. Kim   |
                    | Hall               |
        ------------+--------------------+--------------

        Unmet needs
          mandated — Reading tutoring: 2 of 2 sessions unmet (Ms. Lee is busy whenever Cy is free)

        """)
    #expect(weekList(try checked(week(), s), scenario: s, owner: .student("ben")).hasSuffix("""
        Unmet needs
          normal — Math tutoring: 1 of 2 sessions unmet (Mr. Kim is full)

        """))
    #expect(!weekList(try checked(week(), s), scenario: s, owner: .teacher("lee")).contains("Unmet"))
}

@Test func personWeekShowsTheDoubleBlockTwiceInTheGridAndOnceInTheList() throws {
    let s = school()
    let grid = weekGrid(try checked(week(), s), scenario: s, owner: .teacher("lee"))
    #expect(grid.hasPrefix("Ms. Lee (teacher lee): 2 sessions a week\n"))
    #expect(grid.contains("08:30–09:15 | Science project (1/2) |"))
    #expect(grid.contains("09:15–10:00 | Science project (2/2) |"))
    #expect(grid.contains("10:15–11:00 | Advisory 6 (fixed)    |"))
    #expect(weekList(try checked(week(), s), scenario: s, owner: .teacher("lee")) == """
        Ms. Lee (teacher lee): 2 sessions a week

        Mon 08:30–10:00  Science project (2 blocks) · Room 1 · Ana, Ben
        Mon 10:15–11:00  Advisory 6 (fixed) · with Mr. Kim · Hall · 3 students

        """)
    #expect(weekList(try checked(week(), s), scenario: s, owner: .student("ana")).contains("Tue 08:30–09:15  Quiet reading (fixed)\n"))
}

@Test func diffShowsAFixedSessionRemovedOrMovedAndALengthChange() throws {
    let s = school()
    var shorter = project
    shorter.length = 1
    var later = quiet
    later.block = "b2"
    let diff = TimetableDiff(from: week(), to: week([shorter, later, tutoring]), scenario: s)
    #expect(diff.count(.kept) == 1 && diff.count(.cancelled) == 1 && diff.count(.moved) == 2 && diff.sessions.count == 4)
    let removed = try #require(diff.sessions.first { $0.kind == .cancelled })
    #expect(removed.before?.id == "advisory-6")
    // Everyone the advisory held is told, teachers and the grade-6 group included.
    #expect(Set(diff.peopleToNotify.map(\.id)) == ["ana", "ben", "cy", "lee", "kim"])
    #expect(diff.people.first { $0.id == "kim" }?.before == [#"mon.b3 fixed advisory-6 "Advisory 6", teachers lee kim, room hall"#])
    #expect(diff.people.first { $0.id == "lee" }?.after == ["mon.b1 science project, teacher lee, room r1"])
    #expect(diff.people.first { $0.id == "lee" }?.before.contains("mon.b1 (2 blocks) science project, teacher lee, room r1") == true)
    let md = diff.markdown(title: "What changes", scenario: s)
    #expect(md.contains("#### Mr. Kim\n\n- Mon 10:15–11:00 Advisory 6 (fixed) (Ms. Lee, Mr. Kim, Hall, 3 students): cancelled\n"))
    #expect(md.contains("- Mon 08:30–10:00 Science project (2 blocks): now Mon 08:30–09:15\n"))
    #expect(md.contains("- Tue 08:30–09:15 Quiet reading (fixed): moved to Tue 09:15–10:00\n"))
}
