import ArgumentParser
import Foundation
import Rules
import Scheduler
import TimetableChecker

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List every hard rule and objective term, with where it is modelled and searched, and where it is checked.",
        discussion: """
        The same ids appear in `check` violations, unmet reasons and explanations. Hard rules hold in \
        every timetable flexsched writes; objective terms are weighted (lower is better).

        Example:  flexsched rules | grep R4
        """)

    @Flag(help: "Print the catalogue as JSON.") var json = false
    @Flag(help: "Print the catalogue as the README's Markdown table (files without line numbers).") var markdown = false

    func validate() throws {
        if json && markdown { throw ValidationError("choose one of --json and --markdown") }
    }

    func run() throws {
        let modelled = Dictionary(ModelCatalogue.implementations.map { ($0.rule.id, $0) }, uniquingKeysWith: { a, _ in a })
        let checked = Dictionary(RuleCheck.all.map { ($0.rule.id, $0.location) } + TermMeasure.all.map { ($0.rule.id, $0.location) },
                                 uniquingKeysWith: { a, _ in a })
        if json {
            let entries: [[String: Any]] = RuleCatalogue.all.map { rule in
                var entry: [String: Any] = ["id": rule.id, "name": rule.name, "intent": rule.intent, "kind": rule.kind.rawValue]
                if let weight = rule.weight { entry["weight"] = weight }
                if let model = modelled[rule.id] {
                    entry["model"] = model.location.description
                    entry["mechanisms"] = model.mechanisms
                    entry["search"] = model.location.description
                    entry["searchMechanisms"] = model.searchMechanisms
                }
                if let check = checked[rule.id] { entry["check"] = check.description }
                return entry
            }
            let data = try JSONSerialization.data(withJSONObject: entries, options: [.sortedKeys, .prettyPrinted])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        if markdown {
            print(rulesMarkdown(modelled: modelled, checked: checked))
            return
        }
        for kind in [Rule.Kind.hard, .objective] {
            print(kind == .hard ? "Hard rules (every timetable satisfies them):" : "\nObjective terms (lower is better):")
            for rule in RuleCatalogue.all where rule.kind == kind {
                let weight = rule.weight.map { " (weight \(Int($0)))" } ?? ""
                print("  \(rule.id)  \(rule.name)\(weight)")
                print("      \(rule.intent)")
                if let model = modelled[rule.id] {
                    print("      modelled: \(model.location)  [\(model.mechanisms.joined(separator: "; "))]")
                    print("      searched: \(model.location)  [\(model.searchMechanisms.joined(separator: "; "))]")
                }
                if let check = checked[rule.id] { print("      checked:  \(check)") }
            }
        }
    }
}

/// The README's rule table. Files only: line numbers would make the README stale at every edit.
func rulesMarkdown(modelled: [String: RuleImplementation], checked: [String: CodeLocation]) -> String {
    func file(_ location: CodeLocation?) -> String { location.map { "`Sources/\($0.fileID)`" } ?? "-" }
    var lines = ["| id | name | weight | modelled and searched in | how | searched as | checked in |", "|---|---|---|---|---|---|---|"]
    for rule in RuleCatalogue.all {
        let model = modelled[rule.id]
        let how = model?.mechanisms.map { $0.hasPrefix("by construction") ? "by construction" : $0 }.joined(separator: ", ") ?? "-"
        let search = model?.searchMechanisms.map { $0.hasPrefix("by construction") ? "by construction" : $0 }.joined(separator: "; ") ?? "-"
        lines.append("| `\(rule.id)` | \(rule.name) | \(rule.weight.map { String(Int($0)) } ?? "hard") | \(file(model?.location)) | \(how) | \(search) | \(file(checked[rule.id])) |")
    }
    return lines.joined(separator: "\n")
}
