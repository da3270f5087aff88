import Rules
import ScenarioKit
import Scheduler
import Testing
import TimetableChecker
import TimetableFormat

/// For each hard rule, a way to break a valid timetable (or its scenario) in exactly that way and no
/// other. Keyed by catalogue id, so a new rule without a mutation fails `everyHardRuleIsModelledCheckedAndMutated`.
private let mutations: [String: @Sendable (inout Scenario, inout Timetable) -> Void] = [
    Rule.knownIds.id: { _, t in t.sessions[1].day = "sat" },
    Rule.groupTooSmall.id: { _, t in
        t.sessions[2].students = ["ana"]
        t.unmet.append(.init(student: "ben", subject: "reading", modality: "small-group", missing: 1, reason: "moved"))
    },
    // Cy joins a small group in r1, which seats two; her Monday study session makes way for it.
    Rule.groupTooLarge.id: { _, t in
        t.sessions[2].students.append("cy")
        t.sessions.remove(at: 1)
        t.unmet = [.init(student: "cy", subject: "study", modality: "study", missing: 1, reason: "moved")]
    },
    Rule.teacherPresence.id: { _, t in t.sessions[0].teacher = nil },
    Rule.teacherSubject.id: { _, t in t.sessions[0].teacher = "kim" },
    Rule.teacherUnavailable.id: { _, t in t.sessions[3].block = "b2" },
    Rule.teacherDoubleBooked.id: { _, t in
        t.sessions[4].day = "mon"
        t.sessions[4].block = "b2"
    },
    Rule.teacherDailyLimit.id: { _, t in
        t.sessions[4].teacher = "lee"
        t.sessions[4].block = "b3"
    },
    // Lee's max-per-day of 1 over two days caps her week at 2 anyway, so the limit itself is lowered.
    Rule.teacherWeeklyLimit.id: { s, _ in s.teachers[0].maxPerWeek = 1 },
    // Lee teaches on Monday and Tuesday.
    Rule.teacherDaysLimit.id: { s, _ in s.teachers[0].maxDays = 1 },
    // Kim's Tuesday tutoring follows her Monday small group at b2.
    Rule.teacherInARow.id: { s, t in
        s.teachers[1].maxInARow = 1
        t.sessions[4].day = "mon"
        t.sessions[4].block = "b3"
    },
    Rule.roomClosed.id: { _, t in t.sessions[1].day = "tue" },
    Rule.roomFeatures.id: { s, t in
        s.students[0].requires = []
        t.sessions[2].room = "hall"
    },
    Rule.accommodations.id: { _, t in t.sessions[0].room = "r2" },
    Rule.roomDoubleBooked.id: { _, t in t.sessions[4].room = "r1" },
    Rule.studentUnavailable.id: { _, t in
        t.sessions[0].students.append("ben")
        t.sessions[3].students = ["ana"]
    },
    Rule.studentDoubleBooked.id: { s, t in
        s.students[0].requires = []
        t.sessions[0].block = "b2"
        t.sessions[0].room = "r2"
    },
    Rule.studentDailyLimit.id: { s, _ in s.students[0].maxPerDay = 1 },
    Rule.needOncePerDay.id: { s, t in
        s.teachers[0].maxPerDay = 2
        t.sessions[3].day = "mon"
        t.sessions[3].block = "b3"
        t.sessions[3].students = ["ana"]
        t.unmet.append(.init(student: "ben", subject: "math", modality: "tutoring", missing: 1, reason: "moved"))
    },
    Rule.needNotExceeded.id: { _, t in t.sessions.append(session("tue", "b3", "study", "study", nil, "r2", ["cy"])) },
    Rule.unmetReported.id: { _, t in t.unmet = [] },
    Rule.studentHasNeed.id: { _, t in t.sessions[1].students.append("dan") },
    // Study becomes a double block: the single-block session no longer fills its length.
    Rule.sessionLength.id: { s, _ in s.modalities[2].length = 2 },
    Rule.levelSpread.id: { s, _ in
        s.modalities[1].levelSpread = 1
        s.students[0].needs[1].level = 1
        s.students[1].needs[1].level = 3
    },
    Rule.requestedTeacher.id: { s, _ in s.students[3].needs[0].teacher = "lee" },
    Rule.keptApart.id: { s, _ in s.students[1].apart = ["ana"] },
    Rule.fixedKept.id: { s, _ in
        s.fixed = [FixedSession(id: "advisory", title: "Advisory", day: .tue, block: "b3", teachers: ["kim"], room: "r2", students: ["dan"])]
    },
]

@Test func everyHardRuleIsModelledCheckedAndMutated() {
    let modelled = Dictionary(ModelCatalogue.implementations.map { ($0.rule.id, $0) }, uniquingKeysWith: { a, _ in a })
    for rule in RuleCatalogue.hardRules {
        #expect(RuleCheck.check(for: rule) != nil, "\(rule.id) has no check function")
        #expect(modelled[rule.id].map { !$0.mechanisms.isEmpty } == true, "\(rule.id) has no model function")
        #expect(mutations[rule.id] ?? lessonMutations[rule.id] != nil, "\(rule.id) has no mutation test")
    }
    #expect(Set(mutations.keys).union(lessonMutations.keys) == Set(RuleCatalogue.hardRules.map(\.id)))
    #expect(Set(mutations.keys).isDisjoint(with: lessonMutations.keys))
}

@Test func everyObjectiveTermIsModelledAndMeasuredTwice() {
    #expect(TermMeasure.all.map(\.rule) == RuleCatalogue.objectiveTerms, "one independent measure per term, in catalogue order")
    let modelled = Dictionary(ModelCatalogue.implementations.map { ($0.rule.id, $0) }, uniquingKeysWith: { a, _ in a })
    #expect(ModelCatalogue.implementations.map(\.rule) == RuleCatalogue.all)
    for term in RuleCatalogue.objectiveTerms {
        let mechanisms = modelled[term.id]?.mechanisms ?? []
        #expect(mechanisms.contains("measured on the whole timetable"), "\(term.id) is not measured")
        // A term no piece can change says so (`constant in every piece: why`).
        #expect(mechanisms.contains { $0 == "rows" || $0 == "column costs" || $0.hasPrefix("constant in every piece: ") },
                "\(term.id) is not in the model")
        #expect(term.weight.map { $0 > 0 } == true)
    }
}

@Test(arguments: RuleCatalogue.hardRules)
func checkerCatchesATimetableBrokenInExactlyThatWay(_ rule: Rule) throws {
    // Lesson rules break the hybrid week; every other rule the flex-only one.
    let lessonRule = lessonMutations[rule.id] != nil
    var scenario = try lessonRule ? hybridSchool() : school()
    var timetable = lessonRule ? validHybridTimetable() : validTimetable()
    #expect(checkTimetable(timetable, against: scenario).isEmpty)
    let mutate = try #require(mutations[rule.id] ?? lessonMutations[rule.id])
    mutate(&scenario, &timetable)
    let found = checkTimetable(timetable, against: scenario)
    #expect(Set(found.map(\.rule)) == [rule], "\(found)")
}

@Test func objectiveTermsAreCountedFromTheTimetableAlone() throws {
    let scenario = try school()
    let valid = validTimetable()
    let unused = ["O.unmet-mandated": 0, "O.unmet-high": 0, "O.unmet-low": 0, "O.prefer-teacher": 0, "O.teacher-continuity": 0,
                  "O.prefer-not": 0, "O.unplaced-lesson": 0, "O.class-idle": 0, "O.lesson-preferred-time": 0,
                  "O.lesson-avoided-time": 0, "O.lesson-days-apart": 0, "O.changed-lesson": 0, "O.teacher-over-aim": 0]
    #expect(measureObjective(valid, against: scenario) == unused.merging([
        "O.unmet": 1, "O.student-idle": 0, "O.teacher-idle": 0, "O.late-block": 0,
        "O.same-need-next-day": 1,  // Ana's math tutoring on Monday and Tuesday
        "O.changed-seat": 0, "O.changed-teacher": 0, "O.changed-room": 0,
    ]) { $1 })
    // Ana and Ben's Monday small group moves from b2 to b3: Ana idles at b2, two students sit in the
    // last block, and against the valid timetable as baseline, both seats, Kim's and r1's slot change.
    var moved = valid
    moved.sessions[2].block = "b3"
    #expect(measureObjective(moved, against: scenario, baseline: valid) == unused.merging([
        "O.unmet": 1, "O.student-idle": 1, "O.teacher-idle": 0, "O.late-block": 2, "O.same-need-next-day": 1,
        "O.changed-seat": 2, "O.changed-teacher": 1, "O.changed-room": 1,
    ]) { $1 })
}

/// Lee leads 2 blocks, Kim 2; aims of 1 and 0 put them 1 and 2 blocks over, and no aim costs nothing.
@Test func blocksOverATeachersAimAreCountedFromTheTimetableAlone() throws {
    var scenario = try school()
    #expect(measureObjective(validTimetable(), against: scenario)["O.teacher-over-aim"] == 0)
    scenario.teachers[0].aimPerWeek = 1
    scenario.teachers[1].aimPerWeek = 0
    #expect(measureObjective(validTimetable(), against: scenario)["O.teacher-over-aim"] == 3)
    scenario.teachers[1].aimPerWeek = 5
    #expect(measureObjective(validTimetable(), against: scenario)["O.teacher-over-aim"] == 1)
}

@Test func v11TermsAreCountedFromTheTimetableAlone() throws {
    var scenario = try school()
    // Ana would rather have Kim for math; Lee would rather not teach on Tuesdays; Dan's (mandated)
    // reading tutoring is Kim's on Tuesday and Lee's on Monday; an advisory fixes Kim and Cy at
    // Tuesday b3.
    scenario.students[0].needs[0].preferTeachers = ["kim"]
    scenario.teachers[0].preferNot = [.day(.tue)]
    scenario.teachers[0].maxPerDay = 2
    scenario.students[3].needs[0].sessions = 2
    scenario.students[3].needs[0].priority = .mandated
    scenario.fixed = [FixedSession(id: "advisory", title: "Advisory", day: .tue, block: "b3", teachers: ["kim"], students: ["cy"])]
    var timetable = validTimetable()
    timetable.sessions.append(session("mon", "b3", "reading", "tutoring", "lee", "r2", ["dan"]))
    timetable.sessions.append(.init(fixed: "advisory", title: "Advisory", day: "tue", block: "b3", length: 1, teachers: ["kim"],
                                    room: nil, students: ["cy"]))
    let terms = measureObjective(timetable, against: scenario)
    #expect(terms["O.prefer-teacher"] == 2)  // Ana's two math sessions are Lee's
    #expect(terms["O.prefer-not"] == 1)  // Lee's Tuesday tutoring
    #expect(terms["O.teacher-continuity"] == 1)  // Dan: Kim and Lee
    #expect(terms["O.teacher-idle"] == 2)  // Lee's Monday b2; Kim's Tuesday b2, before the advisory
    #expect(terms["O.unmet-mandated"] == 0)
    #expect(terms["O.unmet"] == 1)
    #expect(checkTimetable(timetable, against: scenario).isEmpty)
}
