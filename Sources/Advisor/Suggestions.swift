import Foundation
import ScenarioKit
import Scheduler
import TimetableChecker
import TimetableFormat

/// A change to the scenario that would meet more needs, verified by actually re-solving with it.
public struct Suggestion: Sendable {
    /// What to change, in an admin's words ("make Mr. Kim available on Tuesday").
    public var change: String
    /// Needed sessions the verified re-solve meets that the current timetable leaves unmet.
    public var sessionsRecovered: Int
    public var unmetAfter: Int
    /// The scenario with the change applied, for whoever wants to adopt it.
    public var scenario: ValidatedScenario
    /// The trial's timetable under that scenario, accepted by the independent checker.
    public var timetable: CheckedTimetable
}

/// How much work each trial re-solve may do: a wall-clock limit, and optionally a work limit that
/// makes trials reproducible (tests use it; the clock alone depends on the machine's load).
public struct TrialBudget: Sendable {
    public var seconds: Double
    public var maxSubproblems: Int?
    public init(seconds: Double = 3, maxSubproblems: Int? = nil) {
        self.seconds = seconds
        self.maxSubproblems = maxSubproblems
    }
}

/// Candidate relaxations around the unmet needs (one teacher's day, a teacher's load limit, a
/// qualified colleague, one more teacher, a room's day or seats), each tried with a real re-solve
/// that starts from the current timetable and is verified by the checker; those that meet more needs
/// come back, best first.
public func suggestChanges(for scenario: ValidatedScenario, timetable: Timetable, students focus: Set<String>? = nil,
                           trials: Int = 12, budget: TrialBudget = TrialBudget()) -> [Suggestion] {
    let unmet = timetable.unmet.filter { focus?.contains($0.student) ?? true }
    guard !unmet.isEmpty else { return [] }
    let before = unmet.reduce(0) { $0 + $1.missing }
    let candidates = Array(relaxations(scenario.scenario, unmet).prefix(trials))
    let trials = solveConcurrently(candidates.count) { i -> Suggestion? in
        var options = SolveOptions()
        options.timeLimit = budget.seconds
        options.maxSubproblems = budget.maxSubproblems
        options.baseline = timetable
        options.polish = false
        guard let relaxed = try? candidates[i].scenario.validated(requireServiceable: false),
              let result = try? scheduleWeek(relaxed, options: options) else { return nil }
        let after = result.timetable.unmet.filter { focus?.contains($0.student) ?? true }.reduce(0) { $0 + $1.missing }
        return Suggestion(change: candidates[i].change, sessionsRecovered: before - after, unmetAfter: after, scenario: relaxed,
                          timetable: result)
    }
    // Most sessions recovered first; among equals, the smaller change (candidates come smallest first).
    return trials.compactMap { $0 }.enumerated().filter { $0.element.sessionsRecovered > 0 }
        .sorted { ($1.element.sessionsRecovered, $0.offset) < ($0.element.sessionsRecovered, $1.offset) }.map(\.element)
}

private struct Relaxation {
    var change: String
    var scenario: Scenario
}

/// Smallest changes first: a day of a qualified teacher, a load limit, a colleague who could take the
/// subject, a room; one more teacher of the subject last (always possible, rarely cheap).
private func relaxations(_ scenario: Scenario, _ unmet: [Timetable.Unmet]) -> [Relaxation] {
    var small: [Relaxation] = [], large: [Relaxation] = []
    // Most missed sessions first; ties by name, never by the dictionary's (per-instance) order.
    let groups = Dictionary(grouping: unmet) { "\($0.subject)\u{0}\($0.modality)" }
        .map { (key: $0.key, value: $0.value, missing: $0.value.reduce(0) { $0 + $1.missing }) }
        .sorted { ($1.missing, $0.key) < ($0.missing, $1.key) }
    for (_, needs, _) in groups {
        let subject = needs[0].subject, missing = needs.reduce(0) { $0 + $1.missing }
        guard let modality = scenario.modality(needs[0].modality) else { continue }
        if modality.teacher {
            for (t, teacher) in scenario.teachers.enumerated() where teacher.subjects.contains(subject) {
                for day in Set(teacher.unavailable.map(\.weekday)).sorted() {
                    var s = scenario
                    s.teachers[t].unavailable.removeAll { $0.weekday == day }
                    small.append(Relaxation(change: "make \(teacher.name) available on \(day.longName)", scenario: s))
                }
                if let limit = teacher.maxPerWeek {
                    var s = scenario
                    s.teachers[t].maxPerWeek = limit + missing
                    small.append(Relaxation(change: "raise \(teacher.name)'s max-per-week from \(limit) to \(limit + missing)", scenario: s))
                }
                if let limit = teacher.maxPerDay, limit < scenario.blocks.count {
                    var s = scenario
                    s.teachers[t].maxPerDay = min(scenario.blocks.count, limit + 1)
                    small.append(Relaxation(change: "raise \(teacher.name)'s max-per-day from \(limit) to \(limit + 1)", scenario: s))
                }
            }
            for (t, teacher) in scenario.teachers.enumerated() where !teacher.subjects.contains(subject) {
                var s = scenario
                s.teachers[t].subjects.append(subject)
                small.append(Relaxation(change: "let \(teacher.name) also teach \(subject)", scenario: s))
            }
            var s = scenario
            let id = uniqueId("extra-\(subject)", taken: Set(scenario.teachers.map(\.id)))
            s.teachers.append(Teacher(id: id, name: "another \(subject) teacher", subjects: [subject], maxPerWeek: missing))
            large.append(Relaxation(change: "add a \(subject) teacher for \(missing) block(s) a week", scenario: s))
        }
        for (r, room) in scenario.rooms.enumerated() where Set(modality.roomFeatures).isSubset(of: room.features) {
            for day in Set(room.unavailable.map(\.weekday)).sorted() {
                var s = scenario
                s.rooms[r].unavailable.removeAll { $0.weekday == day }
                small.append(Relaxation(change: "open \(room.name) on \(day.longName)", scenario: s))
            }
            if room.capacity < modality.max {
                var s = scenario
                s.rooms[r].capacity = modality.max
                small.append(Relaxation(change: "seat \(modality.max) in \(room.name) (now \(room.capacity))", scenario: s))
            }
        }
    }
    return small + large
}

private func uniqueId(_ base: String, taken: Set<String>) -> String {
    let clean = String(base.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" })
    var id = clean, n = 2
    while taken.contains(id) { id = "\(clean)-\(n)"; n += 1 }
    return id
}
