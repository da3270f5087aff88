import ScenarioKit

extension Suggestion {
    /// The suggestion as a change file (v1.2) on `original`, so that it can be queued as a what-if
    /// variant and read like any uploaded change: each teacher it alters leaves and joins again under
    /// her id with the new settings, a new teacher joins. Nil when it changes anything a change file
    /// cannot say (a room's seats, features or days, a lesson), or nothing at all.
    public func changeFile(from original: Scenario) -> String? {
        let changed = scenario.scenario
        var plain = changed
        plain.teachers = original.teachers
        guard plain == original else { return nil }
        let before = Dictionary(original.teachers.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let altered = changed.teachers.filter { before[$0.id] != $0 }
        let gone = original.teachers.filter { old in !changed.teachers.contains { $0.id == old.id } }
        guard gone.isEmpty, !altered.isEmpty else { return nil }
        let leaving = altered.filter { before[$0.id] != nil }.map(\.id)
        var lines = ["# \(change)"]
        if !leaving.isEmpty { lines.append("teachers-leave: [\(leaving.joined(separator: ", "))]") }
        lines.append("teachers-join:")
        lines += altered.map { "  - \($0.yamlFlow)" }
        return lines.joined(separator: "\n") + "\n"
    }
}
