import Foundation
@testable import flexsched
import Rules
import Scheduler
import Testing
import TimetableChecker

private let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("README.md")

/// The README's rule table is what `flexsched rules --markdown` prints: a newcomer finds any rule's
/// model and check from it, and it cannot drift from the code.
@Test func readmeRuleTableMatchesTheCatalogue() throws {
    let text = try String(contentsOf: readme, encoding: .utf8)
    let modelled = Dictionary(ModelCatalogue.implementations.map { ($0.rule.id, $0) }, uniquingKeysWith: { a, _ in a })
    let checked = Dictionary(RuleCheck.all.map { ($0.rule.id, $0.location) } + TermMeasure.all.map { ($0.rule.id, $0.location) },
                             uniquingKeysWith: { a, _ in a })
    let table = rulesMarkdown(modelled: modelled, checked: checked)
    #expect(text.contains(table), "regenerate the README's table with `flexsched rules --markdown`")
    // Every file the table names exists.
    let root = readme.deletingLastPathComponent()
    for rule in RuleCatalogue.all {
        for location in [modelled[rule.id]?.location, checked[rule.id]].compactMap({ $0 }) {
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("Sources/" + location.fileID).path), "\(location)")
        }
    }
}
