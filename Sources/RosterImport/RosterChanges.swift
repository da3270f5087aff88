import ScenarioKit

/// What a re-import changed, entity by entity, so an admin can see that a roster export only moved
/// what the school changed: ids are derived from the roster's own ids, so an unchanged person keeps
/// hers and shows up nowhere here.
public struct RosterChanges: Sendable, Equatable {
    public enum Kind: String, Sendable { case added, removed, changed }
    public struct Entry: Sendable, Equatable, CustomStringConvertible {
        public var kind: Kind
        /// `teacher`, `student` or `room`.
        public var what: String
        public var id: String
        public var detail: String
        public var description: String {
            let mark = switch kind { case .added: "+"; case .removed: "-"; case .changed: "~" }
            return "\(mark) \(what) \(id)\(detail.isEmpty ? "" : ": \(detail)")"
        }
    }

    public var entries: [Entry]

    public static func between(old: Scenario, new: Scenario) -> RosterChanges {
        var entries: [Entry] = []
        func compare<T>(_ what: String, _ before: [T], _ after: [T], id: (T) -> String, name: (T) -> String,
                        differences: (T, T) -> [String]) {
            let old = Dictionary(before.map { (id($0), $0) }, uniquingKeysWith: { a, _ in a })
            let new = Dictionary(after.map { (id($0), $0) }, uniquingKeysWith: { a, _ in a })
            for item in after where old[id(item)] == nil { entries.append(Entry(kind: .added, what: what, id: id(item), detail: name(item))) }
            for item in before where new[id(item)] == nil { entries.append(Entry(kind: .removed, what: what, id: id(item), detail: name(item))) }
            for item in after {
                guard let earlier = old[id(item)] else { continue }
                let changes = differences(earlier, item)
                if !changes.isEmpty { entries.append(Entry(kind: .changed, what: what, id: id(item), detail: changes.joined(separator: "; "))) }
            }
        }
        func field<V: Equatable>(_ label: String, _ a: V, _ b: V, _ show: (V) -> String) -> [String] {
            a == b ? [] : ["\(label) \(show(a)) -> \(show(b))"]
        }
        func words(_ list: [String]) -> String { list.isEmpty ? "none" : list.joined(separator: " ") }
        func slots(_ list: [SlotRef]) -> String { words(list.map(\.description)) }
        func limit(_ value: Int?) -> String { value.map(String.init) ?? "none" }

        compare("teacher", old.teachers, new.teachers, id: \.id, name: \.name) { a, b in
            field("name", a.name, b.name) { $0 } + field("subjects", a.subjects.sorted(), b.subjects.sorted(), words)
                + field("unavailable", a.unavailable, b.unavailable, slots) + field("max-per-day", a.maxPerDay, b.maxPerDay, limit)
                + field("max-per-week", a.maxPerWeek, b.maxPerWeek, limit) + field("max-days", a.maxDays, b.maxDays, limit)
                + field("max-in-a-row", a.maxInARow, b.maxInARow, limit) + field("aim-per-week", a.aimPerWeek, b.aimPerWeek, limit)
                + field("prefer-not", a.preferNot, b.preferNot, slots)
        }
        compare("student", old.students, new.students, id: \.id, name: \.name) { a, b in
            let needs = { (s: Student) in s.needs.map { "\($0.subject)/\($0.modality)×\($0.sessions)" }.sorted() }
            return field("name", a.name, b.name) { $0 }
                + (a.needs.sorted(by: needOrder) == b.needs.sorted(by: needOrder) ? [] : ["needs \(words(needs(a))) -> \(words(needs(b)))"])
                + field("unavailable", a.unavailable, b.unavailable, slots) + field("requires", a.requires, b.requires, words)
                + field("max-per-day", a.maxPerDay, b.maxPerDay, limit) + field("apart", a.apart, b.apart, words)
        }
        compare("room", old.rooms, new.rooms, id: \.id, name: \.name) { a, b in
            field("name", a.name, b.name) { $0 } + field("capacity", a.capacity, b.capacity) { String($0) }
                + field("features", a.features.sorted(), b.features.sorted(), words) + field("unavailable", a.unavailable, b.unavailable, slots)
        }
        return RosterChanges(entries: entries)
    }

    public var summary: String {
        if entries.isEmpty { return "no changes since the previous import" }
        let counts = [Kind.added, .removed, .changed].map { kind in "\(entries.filter { $0.kind == kind }.count) \(kind.rawValue)" }
        return "changes since the previous import: \(counts.joined(separator: ", "))\n" + entries.map { "  \($0)" }.joined(separator: "\n")
    }
}

private func needOrder(_ a: Need, _ b: Need) -> Bool { (a.subject, a.modality) < (b.subject, b.modality) }
