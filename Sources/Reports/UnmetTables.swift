import ScenarioKit
import TimetableFormat

/// Unmet needs in the order to act on them (`Timetable.Unmet.priorityOrdered`).
func sortedUnmet(_ look: Lookup, _ unmet: [Timetable.Unmet]) -> [Timetable.Unmet] {
    Timetable.Unmet.priorityOrdered(unmet, scenario: look.scenario)
}

/// Whether unmet lists name priorities: when the scenario gives any need one, or the timetable has
/// an unmet need of one. A v1 week, where every need is normal, reads as it always did.
func showsPriority(_ look: Lookup, _ unmet: [Timetable.Unmet]) -> Bool {
    look.scenario.students.contains { $0.needs.contains { $0.priority != .normal } } || unmet.contains { $0.priority != .normal }
}

/// The unmet-needs table of the summary and the Markdown report, rows already sorted: each reason in
/// full, or, given the groups (`short`), only what is the row's own and the rule that binds.
func unmetTable(_ look: Lookup, _ unmet: [Timetable.Unmet], short groups: [Timetable.Unmet.Group]? = nil) -> (header: [String], rows: [[String]]) {
    let priority = showsPriority(look, unmet)
    let header = (priority ? ["Priority"] : []) + ["Student", "Subject", "Modality", "Missing", "Reason"]
    let short = Dictionary((groups ?? []).flatMap(\.rows).map { ($0.need, $0) }, uniquingKeysWith: { a, _ in a })
    return (header, unmet.map { u in
        let reason = short[u]?.short ?? u.reason
        return (priority ? [u.priority.rawValue] : []) + [look.student(u.student), displaySubject(u.subject), u.modality, "\(u.missing)", reason]
    })
}

/// The summary's unmet needs: what a group's reasons share said once, then the table with each row's
/// own clause and rule; `verbose` gives every row its full reason instead.
func unmetSummaryLines(_ look: Lookup, _ unmet: [Timetable.Unmet], verbose: Bool) -> [String] {
    let groups = Timetable.Unmet.grouped(unmet)
    let shared: [String] = verbose ? [] : groups.filter { !$0.shared.isEmpty }.map { group in
        let priority = group.priority == .normal ? "" : ", \(group.priority.rawValue)"
        return "\(displaySubject(group.subject)) \(group.modality)\(priority) (\(group.rows.count) unmet): \(group.shared.joined(separator: "; "))"
    }
    let (header, rows) = unmetTable(look, unmet, short: verbose ? nil : groups)
    return shared + textTable(header, rows, rightAligned: [header.firstIndex(of: "Missing")!])
}
