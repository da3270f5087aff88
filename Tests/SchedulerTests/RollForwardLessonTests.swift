import Foundation
import Rules
import ScenarioGenerator
import ScenarioKit
@testable import Scheduler
import TimetableChecker
import TimetableFormat
import Testing
import WeekIndex

// For every lesson rule (R8) of the catalogue, as `RollForwardRuleTests.swift` does for the others: a
// planted hybrid week whose planted timetable is the baseline, and a changed scenario (or a
// hand-edited baseline) under which some baseline lessons break that rule. The roll-forward must
// pass the independent checker, must not keep what the rule forbids, and must keep every baseline
// lesson the breach does not touch at its day, block and room, and every flex session but those in
// the way of a lesson it had to place anew.

/// The rules this file breaches; with `flexRollForwardRules`, exactly the catalogue's hard rules.
let lessonRollForwardRules: [Rule] = [
    .lessonKept, .lessonCount, .lessonPinned, .lessonLength, .classDoubleBooked, .classUnavailable, .classDailyLimit, .lessonRoom,
    .lessonRoomSize, .lessonDaysApart, .lessonOnlyAt, .lessonEndsDay,
]

@Test func rollForwardTestsCoverEveryHardRuleOnce() {
    let ids = (flexRollForwardRules + lessonRollForwardRules).map(\.id)
    #expect(ids.count == Set(ids).count, "a rule is breached twice: \(ids)")
    let hard = Set(RuleCatalogue.hardRules.map(\.id))
    #expect(Set(ids) == hard, "no roll-forward breach for \(hard.subtracting(ids).sorted()); not hard rules: \(Set(ids).subtracting(hard).sorted())")
}

/// A breach of one lesson rule: the changed scenario and baseline, and which baseline sessions it touches.
private struct LessonBreach {
    var scenario: Scenario
    var baseline: Timetable
    /// Indices into `baseline.sessions` (lessons, and flex sessions in their way) that the rule now
    /// forbids as they are.
    var touched: Set<Int>
}

private struct LessonBreachNotFound: Error { let rule: Rule }

/// About 60 students in one year of three forms, with every lesson feature; the planted timetable is
/// the baseline. Seed 21: every breach below has a candidate whose touched lessons have somewhere to
/// go (`replaceable`; the preset's seed 7 leaves none for `R8.lesson-length`), and its only pinned
/// lesson is the year-wide PE in the gym, so the known fault of pinned lessons' rooms
/// (`LessonScheduleTests.swift`) does not blur what these tests measure.
private let plantedHybrid: (scenario: Scenario, planted: Timetable) = {
    var spec = GeneratorSpec.hybridSmall
    spec.seed = 21
    let generated = generateScenario(spec)
    return (generated.scenario, generated.planted!)
}()

/// What the what-if and roll-forward keep of a lesson: which lesson, its day, block and room.
private func lessonKey(_ session: Timetable.Session) -> [String] {
    [session.lesson ?? "", session.day, session.block, session.room ?? ""]
}

/// A one-block probe at a day and block, to ask `overlap` about.
private func probe(_ day: String, _ block: String) -> Timetable.Session {
    Timetable.Session(day: day, block: block, length: 1, subject: "", modality: "", teacher: nil, room: nil, students: [])
}

/// Candidate breaches of one lesson rule, in order: the test takes the first that the changed
/// scenario accepts, that breaks the rule, and that leaves the lessons it touches a place to go
/// (`replaceable`).
private func lessonBreaches(_ rule: Rule, in week: (scenario: Scenario, planted: Timetable) = plantedHybrid) -> [LessonBreach] {
    let scenario = week.scenario, baseline = week.planted
    let sessions = baseline.sessions, order = scenario.blocksInTimeOrder.map(\.id)
    let days = Dictionary(uniqueKeysWithValues: scenario.days.enumerated().map { ($1.rawValue, $0) })
    func lessonIndex(_ id: String) -> Int { scenario.lessons.firstIndex { $0.id == id }! }
    func lesson(_ i: Int) -> Lesson { scenario.lessons[lessonIndex(sessions[i].lesson!)] }
    /// Indices of the baseline's lessons whose lesson no `at` pins (a change may move them).
    let unpinned = sessions.indices.filter { sessions[$0].isLesson && lesson($0).at.isEmpty }
    func placements(of id: String) -> [Int] { sessions.indices.filter { sessions[$0].lesson == id } }
    func leaves(_ session: Timetable.Session) -> Set<String> { Set((session.classes ?? []).flatMap { scenario.leafClasses($0) }) }
    func available(_ unavailable: [SlotRef], at session: Timetable.Session) -> Bool {
        blocks(session, in: scenario).allSatisfy { isAvailable(unavailable, day: Weekday(rawValue: session.day)!, block: $0) }
    }
    func teacher(_ id: String) -> Teacher { scenario.teachers.first { $0.id == id }! }
    /// Rooms a lesson may use, as `R8.lesson-room`, `R8.lesson-room-size` and its students' `requires` judge them.
    func rooms(for lesson: Lesson, in scenario: Scenario) -> [Room] {
        let requires = Set(scenario.attendees(of: lesson).flatMap { id in scenario.students.first { $0.id == id }?.requires ?? [] })
        return scenario.rooms.filter { room in
            (lesson.rooms.isEmpty || lesson.rooms.contains(room.id)) && room.capacity >= scenario.seats(of: lesson)
                && requires.union(lesson.roomFeatures).isSubset(of: room.features)
        }
    }
    func touching(_ session: Timetable.Session) -> [Int] { sessions.indices.filter { overlap(sessions[$0], session, in: scenario) } }
    /// The scenario changed by `change`, with the baseline as it is.
    func changed(_ touched: [Int], _ change: (inout Scenario) -> Void) -> LessonBreach {
        var scenario = scenario
        change(&scenario)
        return LessonBreach(scenario: scenario, baseline: baseline, touched: Set(touched))
    }

    switch rule {
    case .lessonKept:
        // Someone else leads a lesson now: its baseline lessons name the old teacher. She is free at
        // all of them and within her limits, so that only the lesson's own lessons are touched.
        return unpinned.flatMap { i -> [LessonBreach] in
            let id = sessions[i].lesson!, mine = placements(of: id)
            return scenario.teachers.filter { candidate in
                let hers = sessions.filter { $0.staff.contains(candidate.id) }
                var load: [String: Int] = [:]
                for session in hers + mine.map({ sessions[$0] }) { load[session.day, default: 0] += max(1, session.length) }
                return !lesson(i).teachers.contains(candidate.id) && load.values.allSatisfy { $0 <= candidate.maxPerDay ?? .max }
                    && load.values.reduce(0, +) <= candidate.maxPerWeek ?? .max
                    && mine.allSatisfy { p in available(candidate.unavailable, at: sessions[p]) && !hers.contains { overlap($0, sessions[p], in: scenario) } }
            }.map { candidate in changed(mine) { $0.lessons[lessonIndex(id)].teachers = [candidate.id] } }
        }
    case .lessonCount:
        // A lesson a week fewer: one of its baseline lessons is one too many.
        return unpinned.filter { lesson($0).sessions >= 2 }.map { i in
            changed(placements(of: sessions[i].lesson!)) { $0.lessons[lessonIndex(sessions[i].lesson!)].sessions -= 1 }
        }
    case .lessonPinned:
        // A lesson pinned (`lessons-pin`) to another block of a day it has a lesson on, where its
        // classes and teachers have no lesson and a room it may use is free: its lesson that day
        // moves there, and the flex sessions of its members and teachers there give way.
        return unpinned.filter { sessions[$0].length == 1 && lesson($0).minDaysApart >= 1 }.flatMap { i -> [LessonBreach] in
            let old = sessions[i], people = Set(old.students + old.staff)
            return order.filter { $0 != old.block }.compactMap { block -> LessonBreach? in
                let at = probe(old.day, block), there = touching(at).map { sessions[$0] }
                guard !there.contains(where: { $0.isLesson && (!leaves($0).isDisjoint(with: leaves(old)) || !Set($0.staff).isDisjoint(with: old.staff)) }),
                      !there.contains(where: { $0.fixed && !people.isDisjoint(with: $0.students + $0.staff) }),
                      rooms(for: lesson(i), in: scenario).contains(where: { room in available(room.unavailable, at: at) && !there.contains { $0.room == room.id } })
                else { return nil }
                let displaced = touching(at).filter { sessions[$0].isFlex && !people.isDisjoint(with: sessions[$0].students + sessions[$0].staff) }
                return changed([i] + displaced) { $0.lessons[lessonIndex(old.lesson!)].at = [.block(Weekday(rawValue: old.day)!, block)] }
            }
        }
    case .lessonLength:
        // A break now falls inside a double lesson: every lesson and session across it runs past a break.
        let seconds = orderedUnique(unpinned.filter { lesson($0).length >= 2 }.map { blocks(sessions[$0], in: scenario)[1] })
        return seconds.map { second in
            changed(sessions.indices.filter { blocks(sessions[$0], in: scenario).dropFirst().contains(second) }) {
                $0.blocks[$0.blocks.firstIndex { $0.id == second }!].breakBefore = true
            }
        }
    case .classDoubleBooked:
        // A lesson moved by hand onto another lesson of its class the same day, where its teachers
        // and its room (or the other lesson's, if it is the same) are free: the two are touched.
        return unpinned.filter { sessions[$0].length == 1 }.flatMap { i -> [LessonBreach] in
            let a = sessions[i]
            return sessions.indices.filter { j in
                let b = sessions[j], at = probe(a.day, b.block)
                return b.isLesson && b.length == 1 && b.day == a.day && b.block != a.block && !leaves(b).isDisjoint(with: leaves(a))
                    && a.staff.allSatisfy { available(teacher($0).unavailable, at: at) }
                    && !touching(at).contains { k in k != j && (!Set(sessions[k].staff).isDisjoint(with: a.staff) || sessions[k].room == a.room) }
            }.map { j in
                var edited = baseline
                edited.sessions[i].block = sessions[j].block
                return LessonBreach(scenario: scenario, baseline: edited, touched: [i, j])
            }
        }
    case .classUnavailable:
        // A form is away (`classes-unavailable`) at a lesson of its own.
        return unpinned.map { i in
            let old = sessions[i], form = leaves(old).sorted().first!
            let related = Set(scenario.classAndParts(form) + scenario.classesContaining(form))
            let theirs = touching(probe(old.day, old.block)).filter { sessions[$0].isLesson && !related.isDisjoint(with: sessions[$0].classes ?? []) }
            return changed(theirs) { $0.classes[$0.classes.firstIndex { $0.id == form }!].unavailable.append(.block(Weekday(rawValue: old.day)!, old.block)) }
        }
    case .classDailyLimit:
        // A form allowed a block of lessons fewer than its busiest day has. Any of its own movable
        // lessons may be the one to move (a day over may pass one on to a day at the limit).
        return Set(unpinned.flatMap { leaves(sessions[$0]) }).sorted().compactMap { form -> LessonBreach? in
            let theirs = sessions.indices.filter { sessions[$0].isLesson && leaves(sessions[$0]).contains(form) }
            let byDay = Dictionary(grouping: theirs, by: { sessions[$0].day })
            func load(_ list: [Int]) -> Int { list.reduce(0) { $0 + max(1, sessions[$1].length) } }
            guard let most = byDay.values.map(load).max(), most >= 2 else { return nil }
            // Only the form's own lessons may move: one for the whole year would move the other forms'.
            let over = byDay.values.filter { load($0) > most - 1 }
            func movable(_ i: Int) -> Bool { unpinned.contains(i) && leaves(sessions[i]) == [form] }
            guard over.allSatisfy({ day in load(day.filter { !movable($0) }) <= most - 1 }) else { return nil }
            return changed(theirs.filter(movable)) { $0.classes[$0.classes.firstIndex { $0.id == form }!].maxPerDay = most - 1 }
        }
    case .lessonEndsDay:
        // A lesson now ends its classes' day while lessons of theirs follow it on some day: it
        // or they must move.
        return unpinned.compactMap { i -> LessonBreach? in
            let id = sessions[i].lesson!
            let after = placements(of: id).flatMap { p -> [Int] in
                let last = sessions[p], end = order.firstIndex(of: last.block)! + max(1, last.length)
                return sessions.indices.filter { j in
                    sessions[j].isLesson && sessions[j].day == last.day && order.firstIndex(of: sessions[j].block)! >= end
                        && !leaves(sessions[j]).isDisjoint(with: leaves(last))
                }
            }
            return after.isEmpty ? nil : changed(placements(of: id) + after) { $0.lessons[lessonIndex(id)].endsDay = true }
        }
    case .lessonRoom:
        // A lesson may no longer use a room one of its lessons is in: its `rooms` lists every other room it could use.
        return unpinned.filter { lesson($0).rooms.isEmpty }.compactMap { i in
            let id = sessions[i].lesson!, room = sessions[i].room!
            let others = rooms(for: lesson(i), in: scenario).map(\.id).filter { $0 != room }
            return others.isEmpty ? nil : changed(placements(of: id).filter { sessions[$0].room == room }) { $0.lessons[lessonIndex(id)].rooms = others }
        }
    case .lessonRoomSize:
        // A room a lesson uses now seats one fewer than its classes.
        return unpinned.map { i in
            let room = sessions[i].room!, capacity = scenario.seats(of: lesson(i)) - 1
            let theirs = sessions.indices.filter { j in
                sessions[j].room == room
                    && (sessions[j].isLesson ? scenario.seats(of: lesson(j)) > capacity : sessions[j].students.count > capacity)
            }
            return changed(theirs) { $0.rooms[$0.rooms.firstIndex { $0.id == room }!].capacity = capacity }
        }
    case .lessonDaysApart:
        // A lesson's lessons must lie a day further apart than the two closest of its baseline lessons.
        return unpinned.filter { lesson($0).sessions >= 2 }.compactMap { i in
            let id = sessions[i].lesson!, mine = placements(of: id), on = mine.map { days[sessions[$0].day]! }
            let closest = on.indices.flatMap { a in on.indices.filter { $0 > a }.map { abs(on[a] - on[$0]) } }.min()!
            guard 1 + (on.count - 1) * (closest + 1) <= scenario.days.count else { return nil }
            return changed(mine) { $0.lessons[lessonIndex(id)].minDaysApart = closest + 1 }
        }
    case .lessonOnlyAt:
        // A lesson may start only on the other days of the week than one of its lessons is on.
        return unpinned.map { i in
            let id = sessions[i].lesson!, day = sessions[i].day
            let others = scenario.days.filter { $0.rawValue != day }.map { SlotRef.day($0) }
            return changed(placements(of: id).filter { sessions[$0].day == day }) { $0.lessons[lessonIndex(id)].onlyAt = others }
        }
    default:
        Issue.record("no breach written for \(rule.id): every rule of `lessonRollForwardRules` needs one")
        return []
    }
}

/// Whether the lessons a breach touches can all be placed again, as many as the changed scenario
/// asks, with every lesson it does not touch where it was: each at a start where no kept lesson,
/// fixed session, closed room or unavailable class or teacher is in the way (flex sessions can give
/// way), as the plan's rules judge it. Then a roll-forward need move no other lesson.
private func replaceable(_ breach: LessonBreach, _ scenario: ValidatedScenario) -> Bool {
    let instance = Instance(scenario), old = breach.baseline.sessions
    var kept = breach.baseline
    kept.sessions = old.indices.filter { old[$0].isLesson && !breach.touched.contains($0) }.map { old[$0] }
    var plan = Plan(rebuilding: kept, instance)
    let ids = scenario.scenario.lessons.map(\.id)
    for i in breach.touched.sorted() where old[i].isLesson {
        guard let l = ids.firstIndex(of: old[i].lesson!), plan.placementsOf[l].count < instance.lessons[l].sessions else { continue }
        guard let p = (0..<instance.slotCount).first(where: { plan.lessonMayStart(l, at: $0) && plan.roomForLesson(l, at: $0) != nil }),
              let room = plan.roomForLesson(l, at: p)
        else { return false }
        plan.placeLesson(PlacedLesson(lesson: l, slot: p, room: room))
    }
    return true
}

/// The first candidate breach of `rule` that the changed scenario accepts, that breaks the rule, and
/// that is `replaceable`.
private func lessonBreach(_ rule: Rule, in week: (scenario: Scenario, planted: Timetable) = plantedHybrid) throws -> (LessonBreach, ValidatedScenario) {
    for breach in lessonBreaches(rule, in: week) {
        guard let scenario = try? breach.scenario.validated(),
              checkTimetable(breach.baseline, against: scenario).contains(where: { $0.rule == rule }), replaceable(breach, scenario)
        else { continue }
        return (breach, scenario)
    }
    throw LessonBreachNotFound(rule: rule)
}

private func orderedUnique<T: Hashable>(_ values: [T]) -> [T] {
    var seen = Set<T>()
    return values.filter { seen.insert($0).inserted }
}

@Test(arguments: lessonRollForwardRules)
func rollForwardReplansWhatEachLessonRuleForbidsAndKeepsTheRest(rule: Rule) throws {
    let (breach, scenario) = try lessonBreach(rule)
    let baseline = breach.baseline, old = baseline.sessions
    // The baseline breaks this rule under the changed scenario, and nothing outside the sessions it touches.
    let violations = checkTimetable(baseline, against: scenario)
    #expect(violations.contains { $0.rule == rule }, "\(rule.id): the breach does not break it: \(violations)")
    var untouched = baseline
    untouched.sessions = old.indices.filter { !breach.touched.contains($0) }.map { old[$0] }
    // Leaving sessions out shows in the counts of needs and lessons, and a pin left out as not kept.
    let leftOut: [Rule] = [.unmetReported, .needNotExceeded, .lessonCount] + (rule == .lessonPinned ? [.lessonPinned] : [])
    let outside = checkTimetable(untouched, against: scenario).filter { !leftOut.contains($0.rule) }
    #expect(outside.isEmpty, "\(rule.id): the breach reaches sessions it does not name: \(outside)")

    let result = try rollForward(scenario, from: baseline)
    #expect(checkTimetable(result, against: scenario).isEmpty, "\(rule.id): \(checkTimetable(result, against: scenario))")
    #expect(result.unplacedLessons.isEmpty, "\(rule.id): left lessons unplaced: \(result.unplacedLessons)")
    // What the rule forbids is not kept as it was: some touched lesson is elsewhere, in another
    // room, or led and attended as the changed scenario says.
    let lessons = result.sessions.filter(\.isLesson)
    func keptAsItWas(_ session: Timetable.Session) -> Bool {
        guard session.isLesson else { return result.sessions.contains(session) }
        return lessons.contains {
            lessonKey($0) == lessonKey(session) && Set($0.teachers ?? []) == Set(session.teachers ?? [])
                && Set($0.classes ?? []) == Set(session.classes ?? []) && Set($0.students) == Set(session.students)
        }
    }
    let touched = breach.touched.sorted().map { old[$0] }
    #expect(touched.isEmpty || touched.contains { !keptAsItWas($0) }, "\(rule.id): every lesson it forbids was kept as it was")
    // Every lesson the breach does not touch stays at its day, block and room.
    let keys = Set(lessons.map(lessonKey)), oldKeys = Set(old.filter(\.isLesson).map(lessonKey))
    for (i, lesson) in old.enumerated() where lesson.isLesson && !breach.touched.contains(i) {
        let kept = keys.contains(lessonKey(lesson))
        #expect(kept, "\(rule.id): moved although the breach does not touch it: \(lessonKey(lesson))")
    }
    // Flex sessions keep their time, subject, teacher and room, but for those the breach touches and
    // those in the way of a lesson placed anew (sharing a student, teacher or room with it then).
    // Their students stay too, but for those of the touched sessions and of lessons placed anew and
    // a few moved along to make room for them: never more such moves than those students.
    let placedAnew = lessons.filter { !oldKeys.contains(lessonKey($0)) }
    func inTheWay(_ session: Timetable.Session) -> Bool {
        placedAnew.contains { lesson in
            overlap(lesson, session, in: scenario.scenario)
                && (!Set(lesson.students + lesson.staff).isDisjoint(with: session.students + session.staff) || lesson.room == session.room)
        }
    }
    let replanned = Set(touched.flatMap(\.students) + placedAnew.flatMap(\.students))
    var movedAlong = 0
    for (i, session) in old.enumerated() where session.isFlex && !breach.touched.contains(i) {
        let same = result.sessions.first {
            $0.isFlex && $0.day == session.day && $0.block == session.block && $0.subject == session.subject
                && $0.modality == session.modality && $0.teacher == session.teacher && $0.room == session.room
        }
        if same == nil, inTheWay(session) { continue }
        #expect(same != nil, "\(rule.id): dropped although the breach does not touch it and no lesson took its place: \(session)")
        movedAlong += Set(session.students).subtracting(replanned).subtracting(same?.students ?? []).count
    }
    #expect(movedAlong <= replanned.count, "\(rule.id): \(movedAlong) students of untouched sessions moved, for \(replanned.count) re-planned")
}

