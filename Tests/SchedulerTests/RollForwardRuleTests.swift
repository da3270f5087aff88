import Foundation
import Rules
import ScenarioGenerator
import ScenarioKit
import Scheduler
import TimetableChecker
import TimetableFormat
import Testing

// For every hard rule of the catalogue but the lesson rules (R8, `RollForwardLessonTests.swift`): a
// baseline that breaks that rule under a changed scenario (or a hand-edited baseline), rolled
// forward. The result must pass the independent checker, must not keep what the rule forbids, and
// must keep every baseline session the breach does not touch.

/// The rules this file breaches, each a case of `breach(_:)`; with `lessonRollForwardRules` exactly
/// the catalogue's hard rules (`rollForwardTestsCoverEveryHardRuleOnce`).
let flexRollForwardRules: [Rule] = [
    .knownIds, .sessionLength, .groupTooSmall, .groupTooLarge, .levelSpread, .teacherPresence, .teacherSubject,
    .teacherUnavailable, .teacherDoubleBooked, .teacherDailyLimit, .teacherWeeklyLimit, .teacherDaysLimit, .teacherInARow, .requestedTeacher, .roomClosed,
    .roomFeatures, .accommodations, .roomDoubleBooked, .studentUnavailable, .studentDoubleBooked, .studentDailyLimit,
    .needOncePerDay, .needNotExceeded, .unmetReported, .keptApart, .studentHasNeed, .fixedKept,
]

/// A breach of one rule: the changed scenario and baseline, and which baseline sessions it touches.
private struct Breach {
    var scenario: Scenario
    var baseline: Timetable
    /// Indices into `baseline.sessions` that the rule now forbids as they are.
    var touched: Set<Int>
}

/// A planted week of 30 students with every v1.1 feature; its planted timetable is the baseline.
private let week: (scenario: Scenario, planted: Timetable) = {
    let generated = generateScenario(plantedWeekSpec(seed: 5, allFeatures: true))
    return (generated.scenario, generated.planted!)
}()

private func weekday(_ session: Timetable.Session) -> Weekday { Weekday(rawValue: session.day)! }

/// Indices of the baseline's flexible sessions that satisfy `predicate`.
private func flexible(_ baseline: Timetable, _ predicate: (Timetable.Session) -> Bool = { _ in true }) -> [Int] {
    baseline.sessions.indices.filter { !baseline.sessions[$0].fixed && predicate(baseline.sessions[$0]) }
}

func blocks(_ session: Timetable.Session, in scenario: Scenario) -> [String] {
    let order = scenario.blocksInTimeOrder.map(\.id)
    let first = order.firstIndex(of: session.block)!
    return Array(order[first..<min(order.count, first + max(1, session.length))])
}

/// Whether two sessions are on the same day and share a block.
func overlap(_ a: Timetable.Session, _ b: Timetable.Session, in scenario: Scenario) -> Bool {
    a.day == b.day && !Set(blocks(a, in: scenario)).isDisjoint(with: blocks(b, in: scenario))
}

/// Breaches, one per hard rule of the catalogue.
private func breach(_ rule: Rule) throws -> Breach {
    var scenario = week.scenario, baseline = week.planted
    let sessions = baseline.sessions
    func index<T>(_ list: [T], _ key: (T) -> String, _ id: String) -> Int { list.firstIndex { key($0) == id }! }
    func studentIndex(_ id: String) -> Int { index(scenario.students, \.id, id) }
    func teacher(_ id: String) -> Int { index(scenario.teachers, \.id, id) }
    func room(_ id: String) -> Int { index(scenario.rooms, \.id, id) }
    let first = try #require(flexible(baseline) { $0.teacher != nil && $0.students.count >= 2 }.first)
    let target = sessions[first]
    let t = target.teacher!, r = target.room!, s = target.students[0]
    func need(of student: String, _ session: Timetable.Session) -> Int {
        scenario.students[studentIndex(student)].needs.firstIndex { $0.subject == session.subject && $0.modality == session.modality }!
    }
    // A new fixed session at the target's time, in the scenario and (as an admin's edit would be) in the baseline.
    func staffMeeting(teachers: [String] = [], room: String? = nil, students: [String] = []) {
        scenario.fixed.append(FixedSession(id: "breach", title: "Breach", day: weekday(target), block: target.block,
                                           teachers: teachers, room: room, students: students))
        baseline.sessions.append(Timetable.Session(fixed: "breach", title: "Breach", day: target.day, block: target.block, length: 1,
                                                   teachers: teachers, room: room, students: students))
    }
    // A teacher-led session whose subject another teacher also teaches, and whose teacher no need asks for.
    func shared() throws -> Int {
        try #require(flexible(baseline) { session in
            guard let t = session.teacher else { return false }
            return session.students.count >= 2 && scenario.teachers.contains { $0.id != t && $0.subjects.contains(session.subject) }
                && !scenario.students.contains { $0.needs.contains { $0.subject == session.subject && $0.teacher == t } }
        }.first)
    }
    /// Blocks each person is busy per day, fixed sessions included.
    func dayLoads(_ isTheirs: (Timetable.Session) -> Bool) -> [String: Int] {
        var loads: [String: Int] = [:]
        for session in sessions where isTheirs(session) { loads[session.day, default: 0] += session.length }
        return loads
    }
    switch rule {
    case .knownIds:
        baseline.sessions[first].students.append("nobody-by-this-id")
        return Breach(scenario: scenario, baseline: baseline, touched: [first])
    case .sessionLength:
        baseline.sessions[first].length += 1
        return Breach(scenario: scenario, baseline: baseline, touched: [first])
    case .groupTooSmall:
        let i = try #require(flexible(baseline) { scenario.modality($0.modality)!.min >= 2 }.first)
        baseline.sessions[i].students = Array(sessions[i].students.prefix(scenario.modality(sessions[i].modality)!.min - 1))
        return Breach(scenario: scenario, baseline: baseline, touched: [i])
    case .groupTooLarge:
        scenario.rooms[room(r)].capacity = target.students.count - 1
        return Breach(scenario: scenario, baseline: baseline, touched: Set(flexible(baseline) { $0.room == r && $0.students.count >= target.students.count }))
    case .levelSpread:
        let i = try #require(flexible(baseline) { session in
            scenario.modality(session.modality)!.levelSpread != nil && session.students.count >= 2
        }.first)
        let moved = sessions[i].students[0], n = need(of: moved, sessions[i])
        scenario.students[studentIndex(moved)].needs[n].level! += scenario.modality(sessions[i].modality)!.levelSpread! + 3
        let subject = sessions[i].subject, modality = sessions[i].modality
        return Breach(scenario: scenario, baseline: baseline, touched: Set(flexible(baseline) {
            $0.subject == subject && $0.modality == modality && $0.students.contains(moved)
        }))
    case .teacherPresence:
        baseline.sessions[first].teacher = nil
        return Breach(scenario: scenario, baseline: baseline, touched: [first])
    case .teacherSubject:
        let i = try shared(), t = sessions[i].teacher!, subject = sessions[i].subject
        scenario.teachers[teacher(t)].subjects.removeAll { $0 == subject }
        return Breach(scenario: scenario, baseline: baseline, touched: Set(flexible(baseline) { $0.teacher == t && $0.subject == subject }))
    case .teacherUnavailable:
        scenario.teachers[teacher(t)].unavailable.append(.block(weekday(target), target.block))
        return Breach(scenario: scenario, baseline: baseline, touched: Set(flexible(baseline) { $0.teacher == t && overlap($0, target, in: scenario) }))
    case .teacherDoubleBooked:
        staffMeeting(teachers: [t])
        return Breach(scenario: scenario, baseline: baseline, touched: Set(flexible(baseline) { $0.teacher == t && overlap($0, target, in: scenario) }))
    case .teacherDailyLimit:
        let loads = dayLoads { $0.staff.contains(t) }, limit = loads.values.max()! - 1
        scenario.teachers[teacher(t)].maxPerDay = limit
        return Breach(scenario: scenario, baseline: baseline, touched: Set(flexible(baseline) { $0.teacher == t && loads[$0.day]! > limit }))
    case .teacherWeeklyLimit:
        let hers = flexible(baseline) { $0.teacher == t }
        let fixedBlocks = scenario.fixed.filter { $0.teachers.contains(t) }.reduce(0) { $0 + $1.length }
        scenario.teachers[teacher(t)].maxPerWeek = hers.reduce(fixedBlocks) { $0 + sessions[$1].length } - 1
        return Breach(scenario: scenario, baseline: baseline, touched: Set(hers))
    case .teacherDaysLimit:
        // One day fewer than she teaches: any of her sessions may be the ones to move.
        scenario.teachers[teacher(t)].maxDays = dayLoads { $0.staff.contains(t) }.count - 1
        return Breach(scenario: scenario, baseline: baseline, touched: Set(flexible(baseline) { $0.teacher == t }))
    case .teacherInARow:
        // The teacher with the week's longest run, allowed one block fewer.
        let order = scenario.blocksInTimeOrder
        func longest(_ who: String) -> Int {
            Set(sessions.map(\.day)).map { day in
                var busy = Set<Int>()
                for x in sessions where x.day == day && x.staff.contains(who) {
                    let b = order.firstIndex { $0.id == x.block }!
                    busy.formUnion(b..<(b + x.length))
                }
                var run = 0, best = 0
                for (b, block) in order.enumerated() {
                    run = busy.contains(b) ? (block.breakBefore ? 1 : run + 1) : 0
                    best = max(best, run)
                }
                return best
            }.max() ?? 0
        }
        let who = try #require(scenario.teachers.map(\.id).max { longest($0) < longest($1) })
        scenario.teachers[teacher(who)].maxInARow = longest(who) - 1
        return Breach(scenario: scenario, baseline: baseline, touched: Set(flexible(baseline) { $0.teacher == who }))
    case .requestedTeacher:
        let target = sessions[try shared()], t = target.teacher!, s = target.students[0]
        let other = try #require(scenario.teachers.first { $0.id != t && $0.subjects.contains(target.subject) }).id
        scenario.students[studentIndex(s)].needs[need(of: s, target)].teacher = other
        scenario.students[studentIndex(s)].needs[need(of: s, target)].preferTeachers = []
        return Breach(scenario: scenario, baseline: baseline, touched: Set(flexible(baseline) {
            $0.students.contains(s) && $0.subject == target.subject && $0.modality == target.modality
        }))
    case .roomClosed:
        scenario.rooms[room(r)].unavailable.append(.block(weekday(target), target.block))
        return Breach(scenario: scenario, baseline: baseline, touched: Set(flexible(baseline) { $0.room == r && overlap($0, target, in: scenario) }))
    case .roomFeatures:
        let modality = index(scenario.modalities, \.id, target.modality)
        scenario.modalities[modality].roomFeatures.append("breach-feature")
        for i in scenario.rooms.indices where scenario.rooms[i].id != r { scenario.rooms[i].features.append("breach-feature") }
        return Breach(scenario: scenario, baseline: baseline, touched: Set(flexible(baseline) { $0.room == r && $0.modality == target.modality }))
    case .accommodations:
        scenario.students[studentIndex(s)].requires.append("breach-feature")
        for i in scenario.rooms.indices where scenario.rooms[i].id != r { scenario.rooms[i].features.append("breach-feature") }
        return Breach(scenario: scenario, baseline: baseline, touched: Set(flexible(baseline) { $0.room == r && $0.students.contains(s) }))
    case .roomDoubleBooked:
        staffMeeting(room: r)
        return Breach(scenario: scenario, baseline: baseline, touched: Set(flexible(baseline) { $0.room == r && overlap($0, target, in: scenario) }))
    case .studentUnavailable:
        scenario.students[studentIndex(s)].unavailable.append(.block(weekday(target), target.block))
        return Breach(scenario: scenario, baseline: baseline, touched: Set(flexible(baseline) { $0.students.contains(s) && overlap($0, target, in: scenario) }))
    case .studentDoubleBooked:
        staffMeeting(students: [s])
        return Breach(scenario: scenario, baseline: baseline, touched: Set(flexible(baseline) { $0.students.contains(s) && overlap($0, target, in: scenario) }))
    case .studentDailyLimit:
        let loads = dayLoads { $0.students.contains(s) }, limit = loads.values.max()! - 1
        scenario.students[studentIndex(s)].maxPerDay = limit
        return Breach(scenario: scenario, baseline: baseline, touched: Set(flexible(baseline) { $0.students.contains(s) && loads[$0.day]! > limit }))
    case .needOncePerDay:
        // A student joins a second session of a need she already has that day, where she is free.
        for i in flexible(baseline) {
            for u in sessions[i].students {
                let busy = sessions.filter { $0.students.contains(u) }
                if let j = flexible(baseline, { other in
                    other.day == sessions[i].day && other.subject == sessions[i].subject && other.modality == sessions[i].modality
                        && !other.students.contains(u) && !busy.contains { overlap($0, other, in: scenario) }
                }).first {
                    baseline.sessions[j].students.append(u)
                    return Breach(scenario: scenario, baseline: baseline, touched: [i, j])
                }
            }
        }
        throw BreachNotFound(rule: rule)
    case .needNotExceeded:
        let i = try #require(flexible(baseline) { session in
            session.students.contains { scenario.students[studentIndex($0)].needs[need(of: $0, session)].sessions >= 2 }
        }.first)
        let u = sessions[i].students.first { scenario.students[studentIndex($0)].needs[need(of: $0, sessions[i])].sessions >= 2 }!
        scenario.students[studentIndex(u)].needs[need(of: u, sessions[i])].sessions -= 1
        return Breach(scenario: scenario, baseline: baseline, touched: Set(flexible(baseline) {
            $0.students.contains(u) && $0.subject == sessions[i].subject && $0.modality == sessions[i].modality
        }))
    case .unmetReported:
        baseline.unmet.append(Timetable.Unmet(student: s, subject: target.subject, modality: target.modality, missing: 1,
                                              priority: .normal, reason: "made up"))
        return Breach(scenario: scenario, baseline: baseline, touched: [])
    case .keptApart:
        scenario.students[studentIndex(s)].apart.append(target.students[1])
        return Breach(scenario: scenario, baseline: baseline, touched: Set(flexible(baseline) {
            $0.students.contains(s) && $0.students.contains(target.students[1])
        }))
    case .studentHasNeed:
        scenario.students[studentIndex(s)].needs.remove(at: need(of: s, target))
        return Breach(scenario: scenario, baseline: baseline, touched: Set(flexible(baseline) {
            $0.students.contains(s) && $0.subject == target.subject && $0.modality == target.modality
        }))
    case .fixedKept:
        // A fixed session moves to another day: the baseline still has it where it was.
        let f = try #require(scenario.fixed.indices.first)
        let moved = try #require(scenario.days.first { $0 != scenario.fixed[f].day })
        scenario.fixed[f].day = moved
        let fixed = scenario.fixed[f]
        let people = Set(fixed.teachers + fixed.students + fixed.groups.flatMap { g in scenario.groups.first { $0.id == g }?.students ?? [] })
        let held = Timetable.Session(day: moved.rawValue, block: fixed.block, length: fixed.length, subject: "", modality: "",
                                     teacher: nil, room: fixed.room, students: [])
        let was = sessions.indices.filter { sessions[$0].fixed && sessions[$0].id == fixed.id }
        return Breach(scenario: scenario, baseline: baseline, touched: Set(was + flexible(baseline) { session in
            overlap(session, held, in: scenario) && (session.room == fixed.room || !people.isDisjoint(with: session.staff + session.students))
        }))
    default:
        Issue.record("no breach written for \(rule.id): every rule of `flexRollForwardRules` needs one")
        throw BreachNotFound(rule: rule)
    }
}

private struct BreachNotFound: Error { let rule: Rule }

/// The roll-forward as the breach tests run it: the baseline adopted, then construction and repair
/// only (no GLPK sub-problem, no polish), which is what keeps or re-plans the baseline's sessions.
func rollForward(_ scenario: ValidatedScenario, from baseline: Timetable) throws -> Timetable {
    var options = SolveOptions()
    options.timeLimit = 600
    options.maxSubproblems = 0
    options.polish = false
    options.baseline = baseline
    return try solveTimetable(scenario, options: options)
}

@Test(arguments: flexRollForwardRules)
func rollForwardReplansWhatEachHardRuleForbidsAndKeepsTheRest(rule: Rule) throws {
    let breach = try breach(rule)
    let scenario = try breach.scenario.validated()
    // The baseline breaks this rule under the changed scenario, and nothing outside the sessions it touches.
    let violations = checkTimetable(breach.baseline, against: scenario)
    #expect(violations.contains { $0.rule == rule }, "\(rule.id): the breach does not break it: \(violations)")
    var untouched = breach.baseline
    untouched.sessions = breach.baseline.sessions.indices.filter { !breach.touched.contains($0) }.map { breach.baseline.sessions[$0] }
    // Leaving sessions out shows in the counts of needs, and leaving a fixed session out as missing.
    let leftOut: [Rule] = [.unmetReported, .needNotExceeded] + (breach.touched.contains { breach.baseline.sessions[$0].fixed } ? [.fixedKept] : [])
    let outside = checkTimetable(untouched, against: scenario).filter { !leftOut.contains($0.rule) }
    #expect(outside.isEmpty, "\(rule.id): the breach reaches sessions it does not name: \(outside)")

    let result = try rollForward(scenario, from: breach.baseline)
    #expect(checkTimetable(result, against: scenario).isEmpty, "\(rule.id): \(checkTimetable(result, against: scenario))")
    // A limit may need only one of the sessions it touches changed, but some must be.
    let touched = breach.touched.map { breach.baseline.sessions[$0] }
    #expect(touched.isEmpty || touched.contains { !result.sessions.contains($0) }, "\(rule.id): every session it forbids was kept as it was")
    // The rest keeps its time, subject, teacher and room. Its students stay too, but for those of
    // the touched sessions and a few moved along to make room for them: never more such moves than
    // the touched sessions have seats.
    let replanned = Set(touched.flatMap(\.students))
    var movedAlong = 0
    for (i, old) in breach.baseline.sessions.enumerated() where !old.fixed && !breach.touched.contains(i) {
        let same = result.sessions.first {
            $0.day == old.day && $0.block == old.block && $0.subject == old.subject && $0.modality == old.modality
                && $0.teacher == old.teacher && $0.room == old.room
        }
        #expect(same != nil, "\(rule.id): dropped although the breach does not touch it: \(old)")
        movedAlong += Set(old.students).subtracting(replanned).subtracting(same?.students ?? []).count
    }
    #expect(movedAlong <= replanned.count, "\(rule.id): \(movedAlong) students of untouched sessions moved, for \(replanned.count) re-planned")
}

/// The case an admin met: two students who shared a session are now to be kept apart. The roll-forward
/// used to keep the session as it was and fail the independent check, writing nothing.
@Test func rollForwardSplitsAPairNowKeptApart() throws {
    let original = try bundled("example.yaml")
    var options = SolveOptions()
    options.timeLimit = 600
    options.maxSubproblems = 4
    let old = try solveTimetable(original, options: options)
    let shared = try #require(old.sessions.first { $0.students.contains("priya-s") && $0.students.contains("hana-k") },
                              "the example's solve no longer seats priya-s and hana-k together")
    var changed = original.scenario
    changed.students[changed.students.firstIndex { $0.id == "priya-s" }!].apart.append("hana-k")
    let scenario = try changed.validated()
    options.baseline = old
    let new = try solveTimetable(scenario, options: options)
    #expect(checkTimetable(new, against: scenario).isEmpty)
    #expect(!new.sessions.contains { $0.students.contains("priya-s") && $0.students.contains("hana-k") })
    #expect(new.sessions.contains { $0.day == shared.day && $0.block == shared.block && $0.subject == shared.subject
        && ($0.students.contains("priya-s") || $0.students.contains("hana-k")) }, "the shared session was not kept for one of them")
}
