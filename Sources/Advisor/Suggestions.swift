import Foundation
import ScenarioKit
import Scheduler
import TimetableChecker
import TimetableFormat

/// A change to the scenario that would place more lessons or meet more needs, verified by actually
/// re-solving with it.
public struct Suggestion: Sendable {
    /// What to change, in an admin's words ("make Mr. Kim available on Tuesday").
    public var change: String
    /// Needed sessions the verified re-solve meets that the current timetable leaves unmet.
    public var sessionsRecovered: Int
    /// Of those, the sessions of mandated needs.
    public var mandatedRecovered: Int
    public var unmetAfter: Int
    /// Lesson sessions the verified re-solve places that the current timetable leaves unplaced.
    public var lessonsPlaced: Int
    public var unplacedAfter: Int
    /// The scenario with the change applied, for whoever wants to adopt it.
    public var scenario: ValidatedScenario
    /// The trial's timetable under that scenario, accepted by the independent checker.
    public var timetable: CheckedTimetable
    /// The change as "any one of" several alike ones, and the value it tried.
    var interchange: Interchange?
    var value: Int
}

extension Suggestion {
    /// What the change achieves, in an admin's words: the lessons it places when the week has
    /// unplaced lessons (`lessons`), the sessions it recovers when it has unmet needs (`needs`).
    public func outcome(lessons: Bool, needs: Bool) -> String {
        let placed = "places \(lessonsPlaced) more lesson(s), \(unplacedAfter) left unplaced"
        let met = "meets \(sessionsRecovered) more session(s), \(unmetAfter) left unmet"
        return lessons ? (needs ? "\(placed); \(met)" : placed) : met
    }
}

/// What explain's changes are for ("Changes that would ..."), by what the week leaves short.
public func adviceAim(lessons: Bool, needs: Bool) -> String {
    lessons ? (needs ? "place more lessons or meet more needs" : "place more lessons") : "meet more needs"
}

/// What `explain` found: the changes that help, best first, and every change it tried, so that
/// "nothing helps" can say what "nothing" was.
public struct Advice: Sendable {
    public var suggestions: [Suggestion]
    public var tried: [String]
    public init(suggestions: [Suggestion], tried: [String]) {
        self.suggestions = suggestions
        self.tried = tried
    }
}

/// How much work each trial re-solve may do: a wall-clock limit, and optionally a work limit that
/// makes trials reproducible (tests use it; the clock alone depends on the machine's load).
public struct TrialBudget: Sendable {
    public var seconds: Double
    public var maxSubproblems: Int?
    /// Trials run side by side, one thread each: every core when nil (the command line), the one
    /// lane a queued job holds in the web app.
    public var lanes: Int?
    public init(seconds: Double = 3, maxSubproblems: Int? = nil, lanes: Int? = nil) {
        self.seconds = seconds
        self.maxSubproblems = maxSubproblems
        self.lanes = lanes
    }
}

/// Candidate relaxations around the unplaced lessons (`LessonRelaxations.swift`) and the unmet needs
/// (`NeedRelaxations.swift`: only what binds, mandated needs first), each tried with a real re-solve that starts from the current timetable and is
/// verified by the checker. A limit is tried at its most generous value first; if that helps, the
/// smallest value that helps as much is searched for, each probe a checked re-solve too. Those that
/// place more lessons or meet more needs, at no cost to the other, come back, best first (mandated
/// sessions before others), alike changes to several teachers merged. Lessons are
/// left out when `focus` names students: that question is about their needs.
public func suggestChanges(for scenario: ValidatedScenario, timetable: Timetable, students focus: Set<String>? = nil,
                           trials: Int = 12, budget: TrialBudget = TrialBudget()) -> Advice {
    let unmet = timetable.unmet.filter { focus?.contains($0.student) ?? true }
    let unplaced = focus == nil ? timetable.unplacedLessons : []
    guard !unmet.isEmpty || !unplaced.isEmpty else { return Advice(suggestions: [], tried: []) }
    let trial = Trial(before: unmet.reduce(0) { $0 + $1.missing }, mandatedBefore: mandatedMissing(unmet),
                      unplacedBefore: unplaced.reduce(0) { $0 + $1.missing }, focus: focus, baseline: timetable, budget: budget)
    // Lessons first: an unplaced lesson outweighs every unmet session in the objective.
    let lessonCandidates = unplaced.isEmpty ? [] : lessonRelaxations(scenario, timetable)
    let candidates = Array(merged(lessonCandidates + needRelaxations(scenario, timetable, unmet)).prefix(trials))
    let results = solveConcurrently(candidates.count, width: budget.lanes) { i in trial.smallestHelpful(candidates[i]) }
    // Most lessons placed first, then most mandated sessions, then most sessions recovered; among
    // equals, the smaller change (candidates come smallest first).
    let suggestions = results.compactMap { $0 }.enumerated()
        .sorted { ($1.element.lessonsPlaced, $1.element.mandatedRecovered, $1.element.sessionsRecovered, $0.offset)
            < ($0.element.lessonsPlaced, $0.element.mandatedRecovered, $0.element.sessionsRecovered, $1.offset) }
        .map(\.element)
    return Advice(suggestions: alikeMerged(suggestions), tried: candidates.map(\.largest))
}

private func mandatedMissing(_ unmet: [Timetable.Unmet]) -> Int {
    unmet.filter { $0.priority == .mandated }.reduce(0) { $0 + $1.missing }
}

/// Verified changes to alike settings of different teachers of one subject (the same limit, raised to
/// the same value, with the same outcome) read as one: "raise any one of 2 math teachers' ...". The
/// first one's trial stands for them all.
private func alikeMerged(_ suggestions: [Suggestion]) -> [Suggestion] {
    var merged: [Suggestion] = [], position: [String: Int] = [:]
    for suggestion in suggestions {
        guard let group = suggestion.interchange else { merged.append(suggestion); continue }
        let key = "\(group.setting)\u{0}\(group.subject)\u{0}\(group.from)\u{0}\(suggestion.value)\u{0}"
            + "\(suggestion.lessonsPlaced) \(suggestion.mandatedRecovered) \(suggestion.sessionsRecovered)"
        if let i = position[key], let first = merged[i].interchange {
            let names = first.names + group.names
            merged[i].interchange?.names = names
            merged[i].change = Interchange(setting: group.setting, subject: group.subject, from: group.from, names: names)
                .text(to: suggestion.value)
        } else {
            position[key] = merged.count
            merged.append(suggestion)
        }
    }
    return merged
}

/// One candidate change. A numeric one (a load limit, a room's seats) holds every value from
/// `values.lowerBound` to `values.upperBound`, the most generous last.
struct Relaxation {
    /// Two candidates with one key are one change (the same teacher's limit, found short by two needs).
    var key: String
    var values: ClosedRange<Int>
    var describe: @Sendable (Int) -> String
    var interchange: Interchange?
    var apply: @Sendable (Int) -> Scenario

    init(_ change: String, _ scenario: Scenario) {
        key = change
        values = 0...0
        describe = { _ in change }
        apply = { _ in scenario }
    }

    init(key: String, values: ClosedRange<Int>, describe: @escaping @Sendable (Int) -> String, interchange: Interchange? = nil,
         apply: @escaping @Sendable (Int) -> Scenario) {
        self.key = key
        self.values = values
        self.describe = describe
        self.interchange = interchange
        self.apply = apply
    }

    var largest: String { describe(values.upperBound) }
}

private struct Trial: Sendable {
    let before: Int
    let mandatedBefore: Int
    let unplacedBefore: Int
    let focus: Set<String>?
    let baseline: Timetable
    let budget: TrialBudget

    func run(_ relaxation: Relaxation, _ value: Int) -> Suggestion? {
        var options = SolveOptions()
        options.timeLimit = budget.seconds
        options.maxSubproblems = budget.maxSubproblems
        options.baseline = baseline
        options.polish = false
        // The trials already run side by side, one per core.
        options.threads = 1
        guard let relaxed = try? relaxation.apply(value).validated(requireServiceable: false),
              let result = try? scheduleWeek(relaxed, options: options) else { return nil }
        let unmet = result.timetable.unmet.filter { focus?.contains($0.student) ?? true }
        let after = unmet.reduce(0) { $0 + $1.missing }
        let unplacedAfter = focus == nil ? result.timetable.unplacedLessons.reduce(0) { $0 + $1.missing } : 0
        return Suggestion(change: relaxation.describe(value), sessionsRecovered: before - after,
                          mandatedRecovered: mandatedBefore - mandatedMissing(unmet), unmetAfter: after,
                          lessonsPlaced: unplacedBefore - unplacedAfter, unplacedAfter: unplacedAfter, scenario: relaxed, timetable: result,
                          interchange: relaxation.interchange, value: value)
    }

    /// The most generous value first; then, by bisection, the smallest value that does as well
    /// (more capacity never makes the best timetable worse, and each probe is re-solved). A change
    /// helps when it places more lessons or meets more needs and loses nothing of the other.
    func smallestHelpful(_ relaxation: Relaxation) -> Suggestion? {
        guard var best = run(relaxation, relaxation.values.upperBound), best.lessonsPlaced >= 0, best.mandatedRecovered >= 0, best.sessionsRecovered >= 0,
              best.lessonsPlaced + best.sessionsRecovered > 0 else { return nil }
        var low = relaxation.values.lowerBound, high = relaxation.values.upperBound
        while low < high {
            let middle = (low + high) / 2
            if let probe = run(relaxation, middle), probe.lessonsPlaced >= best.lessonsPlaced,
               probe.mandatedRecovered >= best.mandatedRecovered, probe.sessionsRecovered >= best.sessionsRecovered {
                best = probe
                high = middle
            } else {
                low = middle + 1
            }
        }
        return best
    }
}

/// One entry per change, at the widest range any lesson or need asked for, in first-seen order: a
/// change that helps several is listed (and tried) once.
private func merged(_ relaxations: [Relaxation]) -> [Relaxation] {
    var merged: [Relaxation] = [], position: [String: Int] = [:]
    for relaxation in relaxations {
        if let i = position[relaxation.key] {
            if relaxation.values.upperBound > merged[i].values.upperBound { merged[i] = relaxation }
        } else {
            position[relaxation.key] = merged.count
            merged.append(relaxation)
        }
    }
    return merged
}
