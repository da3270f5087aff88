import Foundation
import ScenarioKit

extension Timetable.Unmet {
    /// Unmet needs in the order to act on them, the one order of every list (solve's JSON, reports,
    /// CSV, pages, API): mandated services first, then high, normal and low priority; within one,
    /// by student name, subject and modality. Names compare as people read them (case and accents aside).
    public static func priorityOrdered(_ unmet: [Timetable.Unmet], scenario: Scenario) -> [Timetable.Unmet] {
        let names = Dictionary(scenario.students.map { ($0.id, $0.name.isEmpty ? $0.id : $0.name) }, uniquingKeysWith: { a, _ in a })
        func name(_ u: Timetable.Unmet) -> String { names[u.student] ?? u.student }
        return unmet.enumerated().sorted { a, b in
            let (x, y) = (a.element, b.element)
            if x.priority != y.priority { return x.priority > y.priority }
            let byName = name(x).compare(name(y), options: [.caseInsensitive, .diacriticInsensitive])
            if byName != .orderedSame { return byName == .orderedAscending }
            return (x.student, x.subject, x.modality, a.offset) < (y.student, y.subject, y.modality, b.offset)
        }.map(\.element)
    }
}
