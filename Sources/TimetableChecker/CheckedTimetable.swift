import ScenarioKit
import TimetableFormat

/// A timetable the independent checker has accepted against a scenario. Only `verify` makes one, so
/// whatever takes a `CheckedTimetable` (files, reports, calendars, the web) cannot be handed an
/// unchecked timetable by mistake.
public struct CheckedTimetable: Sendable {
    public let timetable: Timetable

    /// The timetable if it breaks no hard rule, otherwise every violation.
    public static func verify(_ timetable: Timetable, against scenario: Scenario) throws(CheckFailure) -> CheckedTimetable {
        let violations = checkTimetable(timetable, against: scenario)
        guard violations.isEmpty else { throw CheckFailure(violations: violations) }
        return CheckedTimetable(timetable: timetable)
    }
}

public struct CheckFailure: Error, Sendable, CustomStringConvertible {
    public let violations: [Violation]
    public var description: String {
        "the timetable breaks \(violations.count) hard rule(s): " + violations.prefix(5).map(\.description).joined(separator: "; ")
    }
}

extension CheckedTimetable {
    public static func verify(_ timetable: Timetable, against scenario: ValidatedScenario) throws(CheckFailure) -> CheckedTimetable {
        try verify(timetable, against: scenario.scenario)
    }
}
