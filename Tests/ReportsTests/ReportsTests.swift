import Testing
import ScenarioKit
import FlexschedTestSupport
import TimetableChecker
import TimetableFormat
@testable import Reports

// Two days, two blocks; Mr. Kim teaches nothing, the lab's name contains a pipe, and Ana's reading is unmet.
private func fixture() throws -> (Scenario, Timetable) {
    let scenario = try Scenario(
        name: "Demo week", timezone: "Europe/Berlin", days: [.mon, .tue],
        blocks: [Block(id: "b1", start: ClockTime(hour: 8, minute: 30), end: ClockTime(hour: 9, minute: 20)),
                 Block(id: "b2", start: ClockTime(hour: 9, minute: 30), end: ClockTime(hour: 10, minute: 20))],
        modalities: [Modality(id: "tutoring", min: 1, max: 3, teacher: true),
                     Modality(id: "study", min: 1, max: 6, teacher: false)],
        teachers: [Teacher(id: "lee", name: "Ms. Lee", subjects: ["math"], maxPerWeek: 10),
                   Teacher(id: "kim", name: "Mr. Kim", subjects: ["reading"])],
        rooms: [Room(id: "r101", name: "Room 101", capacity: 4),
                Room(id: "lab", name: "Lab | East", capacity: 6, unavailable: [.day(.tue)])],
        students: [Student(id: "ana", name: "Ana", needs: [Need(subject: "math", modality: "tutoring", sessions: 2),
                                                           Need(subject: "reading", modality: "tutoring", sessions: 1)]),
                   Student(id: "ben", name: "Ben", needs: [Need(subject: "math", modality: "tutoring", sessions: 1),
                                                           Need(subject: "math", modality: "study", sessions: 1)])]
    ).validated()
    let timetable = Timetable(
        scenario: "Demo week", status: .feasible, objective: 12, bound: 10, gap: 1.0 / 6.0,
        sessions: [
            .init(day: "mon", block: "b1", subject: "math", modality: "tutoring", teacher: "lee", room: "r101", students: ["ana", "ben"]),
            .init(day: "tue", block: "b2", subject: "math", modality: "tutoring", teacher: "lee", room: "r101", students: ["ana"]),
            .init(day: "mon", block: "b2", subject: "math", modality: "study", teacher: nil, room: "lab", students: ["ben"]),
        ],
        unmet: [.init(student: "ana", subject: "reading", modality: "tutoring", missing: 1,
                      reason: "no reading teacher is free when Ana is", cause: "no-free-teacher")])
    return (scenario.scenario, timetable)
}

/// The rows of the Markdown table under `### title`, split into cells, with `\|` kept as a literal pipe.
private func grid(_ markdown: String, _ title: String) -> [[String]]? {
    let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let start = lines.firstIndex(of: "### \(title)") else { return nil }
    let table = lines[(start + 2)...].prefix { $0.hasPrefix("|") }
    return table.map { line in
        line.replacingOccurrences(of: "\\|", with: "\u{0}").split(separator: "|", omittingEmptySubsequences: false)
            .dropFirst().dropLast()
            .map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\u{0}", with: "|") }
    }
}

@Test func teacherGridPlacesSessionsByBlockAndDay() throws {
    let (s, t) = try fixture()
    let rows = try #require(grid(timetableMarkdown(try checked(t, s), scenario: s), "Ms. Lee"))
    #expect(rows[0] == ["Time", "Mon", "Tue"])
    #expect(rows[1].allSatisfy { $0.allSatisfy { $0 == "-" } } && rows[1].count == 3)
    #expect(rows[2] == ["08:30-09:20", "Math tutoring · Room 101 · Ana, Ben", ""])
    #expect(rows[3] == ["09:30-10:20", "", "Math tutoring · Room 101 · Ana"])
    #expect(rows.count == 4)
}

@Test func studentAndRoomGridsUseNames() throws {
    let (s, t) = try fixture()
    let md = timetableMarkdown(try checked(t, s), scenario: s)
    let ben = try #require(grid(md, "Ben"))
    #expect(ben[2] == ["08:30-09:20", "Math tutoring · Ms. Lee · Room 101", ""])
    // A session without a teacher names none.
    #expect(ben[3] == ["09:30-10:20", "Math study · Lab | East", ""])
    let room = try #require(grid(md, "Room 101"))
    #expect(room[2] == ["08:30-09:20", "Math tutoring · Ms. Lee · 2 students", ""])
    #expect(room[3] == ["09:30-10:20", "", "Math tutoring · Ms. Lee · 1 student"])
}

@Test func pipesInCellsAreEscaped() throws {
    let (s, t) = try fixture()
    let md = timetableMarkdown(try checked(t, s), scenario: s)
    #expect(md.contains("| Math study · Lab \\| East |"))
    #expect(!md.contains("Lab | East |"))
    #expect(escapeCell("a|b\nc") == "a\\|b c")
    let lab = try #require(grid(md, "Lab | East"))
    // Nobody teaches an independent session, so the room's grid says who is in it.
    #expect(lab[3][1] == "Math study · Ben")
}

@Test func teacherWithoutSessionsGetsAnEmptyGrid() throws {
    let (s, t) = try fixture()
    let rows = try #require(grid(timetableMarkdown(try checked(t, s), scenario: s), "Mr. Kim"))
    #expect(rows.count == 2 + s.blocks.count)
    #expect(rows[2] == ["08:30-09:20", "", ""])
    #expect(rows[3] == ["09:30-10:20", "", ""])
}

@Test func markdownKeepsScenarioOrderAndListsUnmetNeeds() throws {
    let (s, t) = try fixture()
    let md = timetableMarkdown(try checked(t, s), scenario: s)
    #expect(md.hasPrefix("# Timetable: Demo week\n"))
    let headings = md.split(separator: "\n").filter { $0.hasPrefix("#") }.map(String.init)
    #expect(headings == ["# Timetable: Demo week", "## Summary", "## Teachers", "### Ms. Lee", "### Mr. Kim",
                         "## Rooms", "### Room 101", "### Lab | East", "## Students", "### Ana", "### Ben",
                         "## Unmet needs"])
    let unmet = try #require(md.components(separatedBy: "## Unmet needs").last)
    #expect(unmet.contains("| Ana | Reading | tutoring | 1 | no reading teacher is free when Ana is |"))
    #expect(md.contains("Unmet needs: 1 need, 1 session missing (listed below)"))
    #expect(md.split(separator: "\n").count < 250)
}

@Test func summaryNumbers() throws {
    let (s, t) = try fixture()
    let text = summaryText(try checked(t, s), scenario: s, verbose: true)
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines.contains("Status     feasible"))
    #expect(lines.contains("Objective  12   bound 10   gap 16.7%"))
    #expect(lines.contains("Sessions   3"))
    #expect(lines.contains("  tutoring  2"))
    #expect(lines.contains("  study     1"))
    #expect(lines.contains("Needs met  4 / 5 sessions (80.0%)"))
    #expect(lines.contains { $0.hasPrefix("  Ana") && $0.contains("Reading") && $0.contains("tutoring")
        && $0.contains(" 1 ") && $0.hasSuffix("no reading teacher is free when Ana is") })
    #expect(lines.contains("  Ms. Lee       2        10      1 (Mon)        -"))
    #expect(lines.contains("  Mr. Kim       0         -            0        -"))
    #expect(lines.contains("  Room 101         2           4  50.0%"))
    #expect(lines.contains("  Lab | East       1           2  50.0%"))
    #expect(!text.contains("\u{1B}"))
}

@Test func surplusSessionsDoNotCoverAnotherNeed() throws {
    var (s, t) = try fixture()
    // Two more math tutoring sessions for Ben, who needs only one; his study need stays met, Ana's reading does not.
    t.sessions += [
        .init(day: "mon", block: "b1", subject: "math", modality: "tutoring", teacher: "lee", room: "r101", students: ["ben"]),
        .init(day: "tue", block: "b1", subject: "math", modality: "tutoring", teacher: "lee", room: "r101", students: ["ben"]),
    ]
    #expect(needsMet(s, t) == (met: 4, needed: 5))
    // Such a week (Lee and Ben twice at mon.b1, Ben over his need) never reaches a report: only a
    // timetable the checker passed can be rendered, and this one it refuses, naming each rule.
    s.teachers[0].maxPerWeek = 3
    do {
        _ = try checked(t, s)
        Issue.record("the checker passed a week with a clash")
    } catch let failure as CheckFailure {
        let rules = Set(failure.violations.map(\.rule.id))
        #expect(rules.isSuperset(of: ["R3.teacher-double-booked", "R4.room-double-booked", "R5.need-not-exceeded", "R3.teacher-weekly-limit"]),
                "\(rules.sorted())")
    }
}

@Test func noSolutionWithoutNumbers() throws {
    let (s, _) = try fixture()
    let t = Timetable(scenario: "Demo week", status: .noSolution, objective: nil, bound: nil, gap: nil, sessions: [], unmet: [])
    let text = summaryText(try checked(t, s), scenario: s)
    #expect(text.hasPrefix("No timetable found: none of the 5 sessions could be scheduled.\n"))
    #expect(summaryText(try checked(t, s), scenario: s, verbose: true).contains("Objective  -   bound -   gap -"))
    #expect(text.contains("Needs met  0 / 5 sessions (0.0%)"))
    // A checked timetable lists what it leaves unmet, so every need is listed here.
    #expect(text.contains("  Ana      Math     tutoring        2  not in this fixture"), "\(text)")
    #expect(!timetableMarkdown(try checked(t, s), scenario: s).contains("The timetable lists no unmet needs."))
}
