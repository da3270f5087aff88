import Advisor
@testable import flexsched
import FlexschedTestSupport
import ScenarioKit
import Scheduler
import Testing
import TimetableChecker
import TimetableFormat

/// Work limits decide every solve here, so the suggestions are the same under any load.
private let budget = TrialBudget(seconds: 600, maxSubproblems: 20)

private func solved(_ scenario: ValidatedScenario) throws -> Timetable {
    var options = SolveOptions()
    options.timeLimit = 600
    options.maxSubproblems = 20
    return try scheduleWeek(scenario, options: options).timetable
}

private func placed(_ lesson: String, in timetable: Timetable) -> Int { timetable.sessions.count { $0.lesson == lesson } }

@Test func explainSuggestsTheVerifiedChangesThatPlaceUnplacedLessonsAndNothingElse() throws {
    let scenario = try lessonsExplainWeek()
    let timetable = try solved(scenario)
    #expect(timetable.unmet.isEmpty, "the flex needs fit: \(timetable.unmet.map(\.reason))")
    let science = try #require(timetable.unplacedLessons.first { $0.lesson == "sci-7a" })
    let math = try #require(timetable.unplacedLessons.first { $0.lesson == "math-7b" })
    #expect(science.missing == 2 && math.missing == 1)
    #expect(science.rules?.contains("R8.lesson-room") == true && math.rules?.contains("R8.min-days-apart") == true,
            "\(science.reason) / \(math.reason)")

    let advice = suggestChanges(for: scenario, timetable: timetable, trials: 20, budget: budget)
    // Only changes around what binds each lesson were worth a trial: Mr. Kim's days and the lab's
    // (each opens starts), another room for science; Math 7B's spacing and Ms. Lee's days on which
    // 7B may have lessons. Not Mr. Kim's weekly limit, Ms. Ola's day, Room 2's Monday or 7B's Thursday.
    #expect(advice.tried == [
        "make Mr. Kim available on Monday", "make Mr. Kim available on Tuesday",
        "open Science Lab on Wednesday", "open Science Lab on Thursday", "open Science Lab on Friday",
        "let Science 7A use Room 1", "let Science 7A use Room 2",
        "lower Math 7B's min-days-apart from 2 to 0",
        "make Ms. Lee available on Wednesday", "make Ms. Lee available on Friday",
    ])
    // Every suggestion places lessons, at no cost to the flex needs, and passes the checker.
    for s in advice.suggestions {
        #expect(s.lessonsPlaced > 0 && s.sessionsRecovered >= 0, "\(s.change)")
        #expect(checkTimetable(s.timetable.timetable, against: s.scenario).isEmpty, "\(s.change)")
        #expect(s.timetable.timetable.unplacedLessons.reduce(0) { $0 + $1.missing } == s.unplacedAfter, "\(s.change)")
        #expect(s.unplacedAfter == 3 - s.lessonsPlaced, "\(s.change)")
    }
    // (a) Another room places both science lessons: ranked first, and its timetable has them.
    let room = try #require(advice.suggestions.first)
    #expect(room.change == "let Science 7A use Room 1")
    #expect(room.lessonsPlaced == 2 && placed("sci-7a", in: room.timetable.timetable) == 2)
    let lab = try #require(advice.suggestions.first { $0.change == "open Science Lab on Wednesday" })
    #expect(lab.lessonsPlaced == 1 && placed("sci-7a", in: lab.timetable.timetable) == 1)
    // (b) The smallest spacing that places Math 7B's second lesson: 1 day apart, not 0.
    let spacing = try #require(advice.suggestions.first { $0.change.hasPrefix("lower Math 7B's min-days-apart") })
    #expect(spacing.change == "lower Math 7B's min-days-apart from 2 to 1")
    #expect(spacing.lessonsPlaced == 1 && placed("math-7b", in: spacing.timetable.timetable) == 2)
    #expect(spacing.scenario.lessons.first { $0.id == "math-7b" }?.minDaysApart == 1)
    // A question about students' needs leaves the lessons out.
    #expect(suggestChanges(for: scenario, timetable: timetable, students: ["cai"], trials: 20, budget: budget).tried.isEmpty)
    let again = suggestChanges(for: scenario, timetable: timetable, trials: 20, budget: budget)
    #expect(again.suggestions.map { "\($0.change): \($0.unplacedAfter)" } == advice.suggestions.map { "\($0.change): \($0.unplacedAfter)" },
            "trials with a work limit give the same suggestions every time")
}

/// With every lesson placed, explain has no lesson advice: an unmet need (no art teacher) gets the
/// need's own candidates, and none is about a lesson.
@Test func aWeekWithEveryLessonPlacedGetsNoLessonAdvice() throws {
    var scenario = try lessonsExplainWeek(labClosed: "[]", leeAway: "[thu, fri]").scenario
    scenario.students[1].needs = [Need(subject: "art", modality: "tutoring", sessions: 1)]
    let week = try scenario.validated(requireServiceable: false)
    let timetable = try solved(week)
    #expect(timetable.unplaced == nil)
    #expect(timetable.unmet.map(\.student) == ["ben"])
    let advice = suggestChanges(for: week, timetable: timetable, trials: 20, budget: budget)
    let lessonWords = ["Science 7A", "Math 7B", "English 7A", "min-days-apart", "unpin", "split", "have lessons on"]
    #expect(!advice.tried.isEmpty && advice.tried.allSatisfy { change in !lessonWords.contains { change.contains($0) } }, "\(advice.tried)")
    #expect(advice.suggestions.allSatisfy { $0.lessonsPlaced == 0 && $0.unplacedAfter == 0 })
    let nothingShort = try lessonsExplainWeek(labClosed: "[]", leeAway: "[thu, fri]")
    let allPlaced = try solved(nothingShort)
    #expect(allPlaced.unplaced == nil && allPlaced.unmet.isEmpty)
    let none = suggestChanges(for: nothingShort, timetable: allPlaced, trials: 20, budget: budget)
    #expect(none.suggestions.isEmpty && none.tried.isEmpty)
}

/// `explain` as an admin reads it for a week with unplaced lessons: the lessons with their reasons,
/// then each change with the lessons it places (one trial: Mr. Kim's Monday).
@Test func explainPrintsUnplacedLessonsAndTheLessonsAChangePlaces() throws {
    let scenario = try lessonsExplainWeek()
    let timetable = try solved(scenario)
    let advice = suggestChanges(for: scenario, timetable: timetable, trials: 1, budget: budget)
    let text = explanationText(unmet: timetable.unmet, unplaced: timetable.unplacedLessons, advice: advice, names: [:], focus: nil)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    try #require(lines.count == 9, "\(text)")
    #expect(lines[0] == "3 lesson(s) not placed")
    #expect(lines[1].hasPrefix("  - Science 7A: 2 of 2 lessons not placed: of the week's 10 starts, "), "\(lines[1])")
    #expect(lines[2].hasPrefix("  - Math 7B: 1 of 2 lessons not placed: "), "\(lines[2])")
    #expect(Array(lines[3...]) == [
        "", "Every need is met.", "",
        "Changes that would place more lessons (each verified by a re-solve from this timetable that passed the independent checker):",
        "  - make Mr. Kim available on Monday: places 1 more lesson(s), 2 left unplaced", "",
    ])
}
