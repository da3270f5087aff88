import ScenarioKit
import TimetableChecker
import TimetableFormat

/// Reports and calendars take only timetables the independent checker has passed, so every fixture
/// here is checked first: a fixture that breaks a rule fails its test instead of being rendered.
/// Fixtures list their sessions; the unmet list is derived from them (the sessions each need still
/// lacks), as the solver derives it, so a fixture that drops a session stays a valid timetable.
public func checked(_ timetable: Timetable, _ scenario: Scenario) throws -> CheckedTimetable {
    var recounted = timetable
    recounted.unmet = scenario.students.flatMap { student in
        student.needs.compactMap { need -> Timetable.Unmet? in
            let held = timetable.sessions.count {
                $0.isFlex && $0.subject == need.subject && $0.modality == need.modality && $0.students.contains(student.id)
            }
            guard held < need.sessions else { return nil }
            let listed = timetable.unmet.first { $0.student == student.id && $0.subject == need.subject && $0.modality == need.modality }
            return Timetable.Unmet(student: student.id, subject: need.subject, modality: need.modality, missing: need.sessions - held,
                                   priority: need.priority, reason: listed?.reason ?? "not in this fixture", cause: listed?.cause,
                                   rules: listed?.rules)
        }
    }
    // Lessons the fixture leaves out are reported unplaced, as the solver reports them.
    recounted.unplaced = scenario.lessons.compactMap { lesson in
        let placed = timetable.sessions.count { $0.lesson == lesson.id }
        return placed < lesson.sessions ? Timetable.Unplaced(lesson: lesson.id, missing: lesson.sessions - placed, reason: "not in this fixture") : nil
    }
    if recounted.unplaced?.isEmpty == true { recounted.unplaced = nil }
    return try CheckedTimetable.verify(recounted, against: scenario)
}

public func checked(_ timetable: Timetable, _ scenario: ValidatedScenario) throws -> CheckedTimetable {
    try checked(timetable, scenario.scenario)
}
