import Foundation

/// The part of a scenario that a school's roster does not hold: the week's days and blocks, the ways
/// of learning, rooms, and settings for teachers the roster names. `flexsched import` merges it with
/// the roster (OneRoster or CSV sheets) and the needs into a scenario.
public struct WeekTemplate: Sendable {
    /// One entry of the template's `subjects` map: a subject as the roster writes it (OneRoster
    /// `subjects`, `subjectCodes` or `courseCode`) and the flexsched subject id it means.
    public struct SubjectMapping: Sendable, Hashable {
        public var rosterValue: String
        public var subject: String
        public var line: Int?
    }

    public var file: String
    /// A scenario without students; its teachers are settings to merge (empty `name` and `subjects`
    /// when the template leaves them to the roster).
    public var scenario: Scenario
    public var subjects: [SubjectMapping]
    /// Source lines of the template's entities, keyed as `Scenario.validationProblems` names them.
    public var lines: [String: Int]
    /// For a template read despite its problems (`ScenarioLoader.readWeekTemplate`), the keys that did
    /// not read in full, so other files are judged only against the parts that did. Empty otherwise.
    public var incomplete: Set<String> = []

    /// The flexsched subject for a roster value, matched ignoring case and surrounding spaces since
    /// SIS exports are inconsistent about both.
    public func subject(forRosterValue value: String) -> String? {
        let key = value.trimmingCharacters(in: .whitespaces).lowercased()
        return subjects.first { $0.rosterValue.trimmingCharacters(in: .whitespaces).lowercased() == key }?.subject
    }
}
