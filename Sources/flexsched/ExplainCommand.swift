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
        abstract: "Explain a timetable's unmet needs and suggest the smallest changes that would meet them.",
        discussion: """
        Lists the unmet needs grouped by subject, modality and cause, the most missed sessions first, \
        each with its reason. Then tries small changes around them (a teacher's day off, a load limit, \
        a colleague who could take the subject, a room's day or seats, one more teacher) and keeps \
        only those that an actual re-solve, starting from this timetable, shows to meet more needs.
        """)

    @Argument(help: "Scenario file (YAML or JSON).") var scenario: String
    @Argument(help: "Timetable JSON v1 file of that scenario.") var timetable: String
    @Option(help: "Only this student's needs (repeatable).") var student: [String] = []
    @Option(parsing: .unconditional, help: "How many candidate changes to try by re-solving.", transform: NumericValue.count) var trials = 12
    @Option(parsing: .unconditional, help: "Seconds per trial re-solve.", transform: NumericValue.positiveSeconds) var secondsPerTrial = 3.0
    @Flag(help: "Print the explanation as JSON.") var json = false

    func run() throws {
        let (loaded, checked) = try loadCheckedTimetable(scenario, timetable)
        let table = checked.timetable
        for id in student where !loaded.students.contains(where: { $0.id == id }) {
            throw exitForBadInput(InputError(file: scenario, entity: "students", "no student has the id `\(id)`"))
        }
        let focus = student.isEmpty ? nil : Set(student)
        let unmet = table.unmet.filter { focus?.contains($0.student) ?? true }
        let advice = trials == 0 ? Advice(suggestions: [], tried: [])
            : suggestChanges(for: loaded, timetable: table, students: focus, trials: trials, budget: TrialBudget(seconds: secondsPerTrial))
        let suggestions = advice.suggestions
        if json {
            struct Output: Encodable {
                var unmet: [Timetable.Unmet]
                var suggestions: [Entry]
                var tried: [String]
                struct Entry: Encodable { var change: String; var sessionsRecovered: Int; var unmetAfter: Int }
            }
            let output = Output(unmet: unmet, suggestions: suggestions.map {
                .init(change: $0.change, sessionsRecovered: $0.sessionsRecovered, unmetAfter: $0.unmetAfter)
            }, tried: advice.tried)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            FileHandle.standardOutput.write(try encoder.encode(output))
            return
        }
        let names = Dictionary(loaded.students.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        print(explanationText(unmet: unmet, advice: trials == 0 ? nil : advice, names: names,
                              focus: focus == nil ? nil : student.joined(separator: ", ")), terminator: "")
    }
}

/// What `explain` prints: the unmet needs grouped by subject, modality, priority and cause (highest
/// priority first, then most missed, then by name), each with its reason, then the verified changes, or every change tried.
func explanationText(unmet: [Timetable.Unmet], advice: Advice?, names: [String: String], focus: String?) -> String {
    guard !unmet.isEmpty else { return "Every need\(focus.map { " of \($0)" } ?? "") is met.\n" }
    var lines = ["\(unmet.reduce(0) { $0 + $1.missing }) session(s) unmet for \(Set(unmet.map(\.student)).count) student(s)", ""]
    // Mandated services first: they are what the school must answer for.
    let groups = Dictionary(grouping: unmet) { need in
        let priority = need.priority == .normal ? "" : ", \(need.priority.rawValue)"
        return "\(need.subject) \(need.modality)\(priority) (\(need.cause ?? "unexplained"))"
    }.map { (title: $0.key, needs: $0.value, missing: $0.value.reduce(0) { $0 + $1.missing }, rank: $0.value[0].priority.rank) }
        .sorted { ($1.rank, $1.missing, $0.title) < ($0.rank, $0.missing, $1.title) }
    for group in groups {
        lines.append("\(group.title): \(group.missing) session(s)")
        let rules = group.needs.flatMap { $0.rules ?? [] }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        if !rules.isEmpty {
            lines.append("  rules that bind: " + rules.map { id in RuleCatalogue.rule(id: id)?.labelled ?? id }.joined(separator: ", "))
        }
        for need in group.needs {
            lines.append("  - \(names[need.student] ?? need.student): \(need.missing) missing. \(need.reason)")
        }
    }
    if let advice {
        lines.append("")
        if advice.suggestions.isEmpty {
            lines.append("None of these \(advice.tried.count) changes meets more needs (each was tried by a checked re-solve):")
            lines += advice.tried.map { "  - \($0)" }
        } else {
            lines.append("Changes that would meet more needs (each verified by a re-solve from this timetable that passed the independent checker):")
            for s in advice.suggestions.prefix(6) {
                lines.append("  - \(s.change): meets \(s.sessionsRecovered) more session(s), \(s.unmetAfter) left unmet")
            }
            if advice.suggestions.count > 6 { lines.append("  (\(advice.suggestions.count - 6) more; --json lists all)") }
        }
    }
    return lines.joined(separator: "\n") + "\n"
}
