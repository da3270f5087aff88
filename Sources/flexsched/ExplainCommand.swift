import Advisor
import ArgumentParser
import Foundation
import Rules
import ScenarioKit
import Scheduler
import TimetableChecker
import TimetableFormat

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain a timetable's unplaced lessons and unmet needs and suggest the smallest changes that would place or meet them.",
        discussion: """
        Lists the unplaced class lessons with the rules that refused them, then the unmet needs grouped \
        by subject, modality and cause, the most missed sessions first, each with its reason. Then tries \
        small changes around them (for a lesson: another room, a room's day, its spacing, a teacher's or \
        class's day, a load limit, a pin in the way, a co-teacher, one-block lessons; for a need: a \
        teacher's day off, a load limit, a colleague who could take the subject, a room's day or seats, \
        one more teacher) and keeps only those that an actual re-solve, starting from this timetable, \
        shows to place more lessons or meet more needs without losing any of the other.
        """)

    @Argument(help: "Scenario file (YAML or JSON).") var scenario: String
    @Argument(help: "Timetable JSON v1 file of that scenario.") var timetable: String
    @Option(help: "Only this student's needs (repeatable; lessons are left out).") var student: [String] = []
    @Option(parsing: .unconditional, help: "How many candidate changes to try by re-solving.", transform: NumericValue.count) var trials = 12
    @Option(parsing: .unconditional, help: "Seconds per trial re-solve.", transform: NumericValue.positiveSeconds) var secondsPerTrial = 3.0
    @Flag(help: "Print the explanation as JSON.") var json = false
    @Flag(help: "Give each unmet need its full reason, not the group's shared cause once and one line each.") var verbose = false

    func run() throws {
        let (loaded, checked) = try loadCheckedTimetable(scenario, timetable)
        let table = checked.timetable
        for id in student where !loaded.students.contains(where: { $0.id == id }) {
            throw exitForBadInput(InputError(file: scenario, entity: "students", "no student has the id `\(id)`"))
        }
        let focus = student.isEmpty ? nil : Set(student)
        let unmet = Timetable.Unmet.priorityOrdered(table.unmet.filter { focus?.contains($0.student) ?? true }, scenario: loaded.scenario)
        let unplaced = focus == nil ? table.unplacedLessons : []
        let advice = trials == 0 ? Advice(suggestions: [], tried: [])
            : suggestChanges(for: loaded, timetable: table, students: focus, trials: trials, budget: TrialBudget(seconds: secondsPerTrial))
        let suggestions = advice.suggestions
        if json {
            // The lesson keys only for a week with unplaced lessons: other weeks' output stays as it was.
            struct Output: Encodable {
                var unplaced: [Timetable.Unplaced]?
                var unmet: [Timetable.Unmet]
                var suggestions: [Entry]
                var tried: [String]
                struct Entry: Encodable {
                    var change: String; var lessonsPlaced: Int?; var unplacedAfter: Int?; var sessionsRecovered: Int; var mandatedRecovered: Int
                    var unmetAfter: Int
                }
            }
            let lessons = !unplaced.isEmpty
            let output = Output(unplaced: lessons ? unplaced : nil, unmet: unmet, suggestions: suggestions.map {
                .init(change: $0.change, lessonsPlaced: lessons ? $0.lessonsPlaced : nil, unplacedAfter: lessons ? $0.unplacedAfter : nil,
                      sessionsRecovered: $0.sessionsRecovered, mandatedRecovered: $0.mandatedRecovered, unmetAfter: $0.unmetAfter)
            }, tried: advice.tried)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            FileHandle.standardOutput.write(try encoder.encode(output))
            return
        }
        let names = Dictionary(loaded.students.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        print(explanationText(unmet: unmet, unplaced: unplaced, advice: trials == 0 ? nil : advice, names: names,
                              focus: focus == nil ? nil : student.joined(separator: ", "), verbose: verbose), terminator: "")
    }
}

/// What `explain` prints: the unplaced lessons with their reasons; the unmet needs grouped by
/// subject, modality, priority and cause (highest priority first, then most missed, then by name),
/// what the group's reasons share said once, then each need in one line with the rule that binds
/// (`verbose`: each with its full reason); then the verified changes, or every change tried. A week
/// without unplaced lessons reads as it did before lessons existed.
func explanationText(unmet: [Timetable.Unmet], unplaced: [Timetable.Unplaced] = [], advice: Advice?, names: [String: String],
                     focus: String?, verbose: Bool = false) -> String {
    guard !unmet.isEmpty || !unplaced.isEmpty else { return "Every need\(focus.map { " of \($0)" } ?? "") is met.\n" }
    var lines: [String] = []
    if !unplaced.isEmpty {
        lines.append("\(unplaced.reduce(0) { $0 + $1.missing }) lesson(s) not placed")
        lines += unplaced.map { "  - \($0.reason)" }
        lines.append("")
    }
    lines += unmet.isEmpty ? ["Every need is met."] : needLines(unmet, names: names, verbose: verbose)
    if let advice {
        lines.append("")
        lines += adviceLines(advice, lessons: !unplaced.isEmpty, needs: !unmet.isEmpty)
    }
    return lines.joined(separator: "\n") + "\n"
}

private func needLines(_ unmet: [Timetable.Unmet], names: [String: String], verbose: Bool) -> [String] {
    var lines = ["\(unmet.reduce(0) { $0 + $1.missing }) session(s) unmet for \(Set(unmet.map(\.student)).count) student(s)", ""]
    // Mandated services first: they are what the school must answer for.
    let groups = Timetable.Unmet.grouped(unmet).map { group in
        let priority = group.priority == .normal ? "" : ", \(group.priority.rawValue)"
        return (title: "\(group.subject) \(group.modality)\(priority) (\(group.cause ?? "unexplained"))", group: group,
                missing: group.rows.reduce(0) { $0 + $1.need.missing }, rank: group.priority.rank)
    }.sorted { ($1.rank, $1.missing, $0.title) < ($0.rank, $0.missing, $1.title) }
    for (title, group, missing, _) in groups {
        lines.append("\(title): \(missing) session(s)")
        let rules = group.rows.flatMap { $0.need.rules ?? [] }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        if !rules.isEmpty {
            lines.append("  rules that bind: " + rules.map { id in RuleCatalogue.rule(id: id)?.labelled ?? id }.joined(separator: ", "))
        }
        if !verbose, !group.shared.isEmpty { lines.append("  why: " + group.shared.joined(separator: "; ")) }
        for row in group.rows {
            let name = names[row.need.student] ?? row.need.student
            lines.append(verbose ? "  - \(name): \(row.need.missing) missing. \(row.need.reason)" : "  - \(name): \(row.line)")
        }
    }
    return lines
}

/// With unplaced lessons (`lessons`), each change says how many lessons it places, and, when needs
/// are unmet too, how many sessions it recovers; otherwise the sessions alone, as before lessons.
private func adviceLines(_ advice: Advice, lessons: Bool, needs: Bool) -> [String] {
    guard !advice.suggestions.isEmpty else {
        let helps = lessons ? "would \(adviceAim(lessons: lessons, needs: needs))" : "meets more needs"
        return ["None of these \(advice.tried.count) changes \(helps) (each was tried by a checked re-solve):"] + advice.tried.map { "  - \($0)" }
    }
    var lines = ["Changes that would \(adviceAim(lessons: lessons, needs: needs)) (each verified by a re-solve from this timetable that passed the independent checker):"]
    for s in advice.suggestions.prefix(6) {
        lines.append("  - \(s.change): \(s.outcome(lessons: lessons, needs: needs))")
    }
    if advice.suggestions.count > 6 { lines.append("  (\(advice.suggestions.count - 6) more; --json lists all)") }
    return lines
}
