import Testing
import ScenarioKit
import FlexschedTestSupport
import TimetableFormat
@testable import Reports

// Two days of three blocks with lunch between the second and the third; Mrs. Walsh and Mr. Okafor
// teach math, and reading is independent work in the library.
private func school() throws -> Scenario {
    func time(_ h: Int, _ m: Int) -> ClockTime { ClockTime(hour: h, minute: m) }
    return try Scenario(
        name: "Golden school", timezone: "Europe/Dublin", days: [.mon, .tue],
        blocks: [Block(id: "b1", start: time(10, 15), end: time(11, 0)), Block(id: "b2", start: time(11, 0), end: time(11, 45)),
                 Block(id: "b3", start: time(12, 30), end: time(13, 15))],
        modalities: [Modality(id: "tutoring", min: 1, max: 3, teacher: true),
                     Modality(id: "independent", min: 1, max: 6, teacher: false)],
        teachers: [Teacher(id: "walsh", name: "Mrs. Walsh", subjects: ["math"], maxPerDay: 2, maxPerWeek: 3),
                   Teacher(id: "okafor", name: "Mr. Okafor", subjects: ["math"])],
        rooms: [Room(id: "r1", name: "Room 1", capacity: 3), Room(id: "lib", name: "Library", capacity: 6)],
        students: [Student(id: "ana", name: "Ana", needs: [Need(subject: "math", modality: "tutoring", sessions: 2),
                                                           Need(subject: "reading", modality: "independent", sessions: 1)]),
                   Student(id: "ben", name: "Ben", needs: [Need(subject: "math", modality: "tutoring", sessions: 1),
                                                           Need(subject: "reading", modality: "independent", sessions: 1)]),
                   Student(id: "cy", name: "Cy", needs: [Need(subject: "math", modality: "tutoring", sessions: 1)])]
    ).validated().scenario
}

private func session(_ day: String, _ block: String, _ subject: String, _ teacher: String?, _ room: String,
                     _ students: [String]) -> Timetable.Session {
    Timetable.Session(day: day, block: block, subject: subject, modality: teacher == nil ? "independent" : "tutoring",
                      teacher: teacher, room: room, students: students)
}

private let fullWeek = [
    session("mon", "b1", "math", "walsh", "r1", ["ana", "ben"]),
    session("tue", "b1", "math", "walsh", "r1", ["ana"]),
    session("mon", "b2", "math", "okafor", "r1", ["cy"]),
    session("mon", "b3", "reading", nil, "lib", ["ana", "ben"]),
]

private func timetable(_ sessions: [Timetable.Session], unmet: [Timetable.Unmet] = [], seconds: Double,
                       stop: Timetable.StopReason?) -> Timetable {
    Timetable(scenario: "Golden school", status: .feasible, objective: 1072, bound: 3.2e-12, gap: 1, sessions: sessions,
              unmet: unmet, stats: .init(seconds: seconds, unmetSessions: unmet.reduce(0) { $0 + $1.missing },
                                         neededSessions: 6, stopReason: stop))
}

@Test func summaryOfAWeekWithEveryNeedMetSaysSoFirst() throws {
    let text = summaryText(try checked(timetable(fullWeek, seconds: 14.3, stop: .converged), try school()), scenario: try school())
    #expect(text == """
        All 6 sessions met. Stopped after 14 s: no further improvement found.

        Scenario   Golden school
        Sessions   4
          tutoring     3
          independent  1
        Needs met  6 / 6 sessions (100.0%)

        Unmet needs: none

        Teacher load
          Teacher     Blocks  Max/week  Busiest day  Max/day
          Mrs. Walsh       2         3      1 (Mon)        2
          Mr. Okafor       1         -      1 (Mon)        -
          Spread: min 1, median 1.5, max 2 blocks per teacher

        Room use
          Room     Blocks  Open slots    Use
          Room 1        3           6  50.0%
          Library       1           6  16.7%

        """)
}

@Test func summaryWithUnmetSessionsCountsThemAndKeepsSolverNumbersForVerbose() throws {
    let unmet = [Timetable.Unmet(student: "ana", subject: "math", modality: "tutoring", missing: 1,
                                 reason: "Mrs. Walsh and Mr. Okafor are busy whenever Ana is free", cause: "no-free-teacher")]
    let t = timetable(Array(fullWeek.dropFirst(2)) + [fullWeek[0]], unmet: unmet, seconds: 60.02, stop: .timeLimit)
    let text = summaryText(try checked(t, try school()), scenario: try school())
    #expect(text == """
        1 of 6 sessions unmet; see why below. Stopped after 60 s: time limit reached.

        Scenario   Golden school
        Sessions   3
          tutoring     2
          independent  1
        Needs met  5 / 6 sessions (83.3%)

        Unmet needs
          Student  Subject  Modality  Missing  Reason
          Ana      Math     tutoring        1  Mrs. Walsh and Mr. Okafor are busy whenever Ana is free

        Teacher load
          Teacher     Blocks  Max/week  Busiest day  Max/day
          Mrs. Walsh       1         3      1 (Mon)        2
          Mr. Okafor       1         -      1 (Mon)        -
          Spread: min 1, median 1, max 1 blocks per teacher

        Room use
          Room     Blocks  Open slots    Use
          Room 1        2           6  33.3%
          Library       1           6  16.7%

        """)
    // Finding 1: the solver's numbers (a 100 % gap, a bound of 3.2e-12) only on request.
    #expect(!text.contains("Objective") && !text.contains("gap") && !text.contains("Status"))
    let verbose = summaryText(try checked(t, try school()), scenario: try school(), verbose: true).split(separator: "\n").map(String.init)
    #expect(verbose[1...3] == ["Scenario   Golden school", "Status     feasible", "Objective  1072   bound 0   gap 100.0%"])
}

@Test func headlineGivesEveryReasonForStopping() throws {
    let s = try school()
    #expect(resultHeadline(timetable(fullWeek, seconds: 0.42, stop: .optimal), scenario: s)
        == "All 6 sessions met. Stopped after 0.4 s: proven best possible.")
    #expect(resultHeadline(timetable(fullWeek, seconds: 3, stop: .workLimit), scenario: s)
        == "All 6 sessions met. Stopped after 3.0 s: sub-problem limit reached.")
    #expect(resultHeadline(timetable(Array(fullWeek.dropFirst()), seconds: 8, stop: .timeLimit), scenario: s)
        == "2 of 6 sessions unmet. Stopped after 8.0 s: time limit reached.")
    #expect(resultHeadline(timetable(fullWeek, seconds: 14.3, stop: .patience), scenario: s)
        == "All 6 sessions met. Stopped after 14 s: no further gain within the patience time.")
    #expect(resultHeadline(timetable(fullWeek, seconds: 2, stop: .gap), scenario: s)
        == "All 6 sessions met. Stopped after 2.0 s: close enough to the proven bound (the requested gap).")
    #expect(resultHeadline(timetable(fullWeek, seconds: 9.96, stop: nil), scenario: s) == "All 6 sessions met. Took 10.0 s.")
    var old = timetable(fullWeek, seconds: 0, stop: nil)
    old.stats = nil
    #expect(resultHeadline(old, scenario: s) == "All 6 sessions met.")
}

/// The proven bounds read unmet first, then comfort; the gap is rounded up, never flattering.
@Test func headlineSaysWhatTheBoundsProve() throws {
    let s = try school()
    func bounded(_ sessions: [Timetable.Session], status: Timetable.Status = .feasible, unmetAtLeast: Int, comfort: Double,
                 score: Double, parts: [Timetable.BoundPart]? = nil, fromModel: Bool? = nil) -> Timetable {
        var t = timetable(sessions, seconds: 12, stop: .converged)
        t.status = status
        t.bounds = .init(unmetSessions: unmetAtLeast, unmetObjective: 1000 * Double(unmetAtLeast),
                         unmetSource: unmetAtLeast > 0 ? "teachers' weekly capacity" : nil, comfortScore: score, comfort: comfort,
                         comfortTerms: ["O.late-block"], comfortParts: parts, comfortFromModel: fromModel)
        return t
    }
    let short = Array(fullWeek.dropFirst())
    #expect(resultHeadline(bounded(short, unmetAtLeast: 1, comfort: 290, score: 383), scenario: s)
        == "2 of 6 sessions unmet — at least 1 must be (teachers' weekly capacity). Comfort score 383, at least 290 — within 25 %. Stopped after 12 s: no further improvement found.")
    #expect(resultHeadline(bounded(short, unmetAtLeast: 2, comfort: 7, score: 7), scenario: s)
        == "2 of 6 sessions unmet — proven the fewest possible (teachers' weekly capacity). Comfort score 7 — proven best possible. Stopped after 12 s: no further improvement found.")
    #expect(resultHeadline(bounded(fullWeek, unmetAtLeast: 0, comfort: 0, score: 4), scenario: s)
        == "All 6 sessions met. Comfort score 4 (lower is better; no lower bound proven). Stopped after 12 s: no further improvement found.")
    // A gap over 25 % says what every timetable must have instead of a percentage.
    let parts = [Timetable.BoundPart(term: "O.same-need-next-day", count: 40, cost: 80), Timetable.BoundPart(term: "O.late-block", count: 16, cost: 16)]
    #expect(resultHeadline(bounded(fullWeek, unmetAtLeast: 0, comfort: 96, score: 283, parts: parts, fromModel: false), scenario: s)
        == "All 6 sessions met. Comfort score 283 (lower is better); every timetable has 40 × same need on consecutive days, 16 × late block, 96 in all, too far below to say how close this is. Stopped after 12 s: no further improvement found.")
    #expect(resultHeadline(bounded(fullWeek, unmetAtLeast: 0, comfort: 120, score: 283, parts: parts, fromModel: true), scenario: s)
        == "All 6 sessions met. Comfort score 283 (lower is better); GLPK's bound on the week's model proves at least 120, too far below to say how close this is. Stopped after 12 s: no further improvement found.")
    #expect(resultHeadline(bounded(fullWeek, status: .optimal, unmetAtLeast: 0, comfort: 4, score: 4), scenario: s)
        == "All 6 sessions met — proven best possible. Stopped after 12 s: no further improvement found.")
}

@Test func gridsHaveBreakRowsAndRoomsNameStudentsWorkingAlone() throws {
    let md = timetableMarkdown(try checked(timetable(fullWeek, seconds: 1, stop: .converged), try school()), scenario: try school())
    #expect(md.contains("""
        ### Library

        | Time | Mon | Tue |
        | --- | --- | --- |
        | 10:15-11:00 |  |  |
        | 11:00-11:45 |  |  |
        | 11:45-12:30 | break | break |
        | 12:30-13:15 | Reading independent · Ana, Ben |  |

        """))
    // A teacher-led session still counts its students in the room's grid.
    #expect(md.contains("| 10:15-11:00 | Math tutoring · Mrs. Walsh · 2 students | Math tutoring · Mrs. Walsh · 1 student |"))
}

@Test func showGridIsOnePersonsWeekWithTimesAndBreaks() throws {
    let t = timetable(fullWeek, seconds: 1, stop: .converged)
    #expect(weekGrid(try checked(t, try school()), scenario: try school(), owner: .teacher("walsh")) == """
        Mrs. Walsh (teacher walsh): 2 sessions a week

        Time        | Mon           | Tue
        ------------+---------------+--------------
        10:15–11:00 | Math tutoring | Math tutoring
                    | Room 1        | Room 1
                    | Ana, Ben      | Ana
        ------------+---------------+--------------
        11:00–11:45 |               |
        ------------+---------------+--------------
        11:45–12:30 | break         | break
        ------------+---------------+--------------
        12:30–13:15 |               |
        ------------+---------------+--------------

        """)
    #expect(weekGrid(try checked(t, try school()), scenario: try school(), owner: .student("ben")) == """
        Ben (student ben): 2 sessions a week

        Time        | Mon                 | Tue
        ------------+---------------------+------
        10:15–11:00 | Math tutoring       |
                    | Mrs. Walsh          |
                    | Room 1              |
        ------------+---------------------+------
        11:00–11:45 |                     |
        ------------+---------------------+------
        11:45–12:30 | break               | break
        ------------+---------------------+------
        12:30–13:15 | Reading independent |
                    | Library             |
        ------------+---------------------+------

        """)
}

@Test func showListIsChronological() throws {
    let t = timetable(fullWeek.reversed(), seconds: 1, stop: .converged)
    #expect(weekList(try checked(t, try school()), scenario: try school(), owner: .room("r1")) == """
        Room 1 (room r1): 3 sessions a week

        Mon 10:15–11:00  Math tutoring · Mrs. Walsh · 2 students
        Mon 11:00–11:45  Math tutoring · Mr. Okafor · 1 student
        Tue 10:15–11:00  Math tutoring · Mrs. Walsh · 1 student

        """)
    #expect(WeekOwner.student("ana").exists(in: try school()))
    #expect(!WeekOwner.teacher("walch").exists(in: try school()))
}

@Test func diffMarkdownSpeaksInNamesWeekdaysAndClockTimes() throws {
    let s = try school()
    let before = timetable(fullWeek, seconds: 1, stop: .converged)
    let after = timetable([
        session("mon", "b1", "math", "okafor", "r1", ["ana", "ben"]),   // Mrs. Walsh → Mr. Okafor
        session("tue", "b2", "math", "walsh", "r1", ["ana"]),           // moved an hour later
        session("mon", "b2", "math", "okafor", "r1", ["cy"]),           // kept
        session("mon", "b3", "reading", nil, "r1", ["ana", "ben"]),     // library closed
    ], seconds: 1, stop: .converged)
    let diff = TimetableDiff(from: before, to: after, scenario: s)
    #expect(diff.markdown(title: "What changes: walsh-busy", scenario: s) == """
        # What changes: walsh-busy

        kept: 1 · moved: 1 · re-staffed: 1 · re-roomed: 1 · re-grouped: 0 · cancelled: 0 · new: 0

        ## People to notify (4)

        ### Students (2)

        #### Ana

        - Mon 10:15–11:00 Math tutoring: Mrs. Walsh → Mr. Okafor
        - Mon 12:30–13:15 Reading independent: Library → Room 1
        - Tue 10:15–11:00 Math tutoring: moved to Tue 11:00–11:45

        #### Ben

        - Mon 10:15–11:00 Math tutoring: Mrs. Walsh → Mr. Okafor
        - Mon 12:30–13:15 Reading independent: Library → Room 1

        ### Teachers (2)

        #### Mrs. Walsh

        - Mon 10:15–11:00 Math tutoring: Mrs. Walsh → Mr. Okafor
        - Tue 10:15–11:00 Math tutoring: moved to Tue 11:00–11:45

        #### Mr. Okafor

        - Mon 10:15–11:00 Math tutoring: Mrs. Walsh → Mr. Okafor

        ## Rooms (2)

        ### Room 1

        - Mon 10:15–11:00 Math tutoring: Mrs. Walsh → Mr. Okafor
        - Mon 12:30–13:15 Reading independent: Library → Room 1
        - Tue 10:15–11:00 Math tutoring: moved to Tue 11:00–11:45

        ### Library

        - Mon 12:30–13:15 Reading independent: Library → Room 1

        """)
    // diff.json keeps the ids.
    #expect(diff.people.first { $0.id == "walsh" }?.before == ["mon.b1 math tutoring, teacher walsh, room r1",
                                                              "tue.b1 math tutoring, teacher walsh, room r1"])
}

/// Two needs short for one cause: what their reasons share is said once above the table, each row
/// keeps its own clause and the rule that binds; `verbose` gives each row its full reason.
@Test func summaryStatesASharedCauseOnceAndEachRowInOneLine() throws {
    let teachers = "the math teachers (Mrs. Walsh, Mr. Okafor) have 0 free block(s) left this week (Mrs. Walsh: max-per-week 3 reached)"
    let unmet = ["ben", "cy"].map { id in
        Timetable.Unmet(student: id, subject: "math", modality: "tutoring", missing: 1,
                        reason: "no math teacher is free in any of the 5 blocks when \(id.capitalized) is free (Mon, Tue); \(teachers)",
                        cause: "no-free-teacher", rules: ["R3.teacher-weekly-limit", "R3.teacher-double-booked"])
    }
    let sessions = [session("mon", "b1", "math", "walsh", "r1", ["ana"]), fullWeek[1], fullWeek[3]]
    let t = timetable(sessions, unmet: unmet, seconds: 3, stop: .timeLimit)
    let lines = summaryText(try checked(t, try school()), scenario: try school()).split(separator: "\n").map(String.init)
    let start = try #require(lines.firstIndex(of: "Unmet needs"))
    #expect(Array(lines[start...(start + 4)]) == [
        "Unmet needs",
        "  Math tutoring (2 unmet): \(teachers)",
        "  Student  Subject  Modality  Missing  Reason",
        "  Ben      Math     tutoring        1  no math teacher is free in any of the 5 blocks when Ben is free (Mon, Tue) [R3.teacher-weekly-limit]",
        "  Cy       Math     tutoring        1  no math teacher is free in any of the 5 blocks when Cy is free (Mon, Tue) [R3.teacher-weekly-limit]",
    ])
    let verbose = summaryText(try checked(t, try school()), scenario: try school(), verbose: true)
    #expect(verbose.contains("1  \(unmet[0].reason)\n") && !verbose.contains("(2 unmet)"))
}
