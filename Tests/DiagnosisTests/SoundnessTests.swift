import Testing
import ScenarioKit
import ScenarioGenerator
import TimetableFormat
@testable import Diagnosis

// A planted timetable minus the sessions a change forbids is still a valid timetable of the changed
// scenario, so what it leaves unmet is achievable: no finding may claim more than that.

/// Unmet sessions of each (student, subject, modality) when only `sessions` are held.
func unmet(_ scenario: Scenario, _ sessions: [Timetable.Session]) -> [Shortfall] {
    scenario.students.flatMap { s in
        s.needs.map { n in
            let held = sessions.filter { $0.subject == n.subject && $0.modality == n.modality && $0.students.contains(s.id) }.count
            return Shortfall(student: s.id, subject: n.subject, modality: n.modality, sessions: n.sessions - held)
        }
    }
}

func expectNoFalseClaim(_ scenario: Scenario, _ sessions: [Timetable.Session], _ label: String) throws {
    let achievable = unmet(scenario, sessions)
    for finding in try diagnosed(scenario) {
        for claim in finding.shortfalls {
            let matching = achievable.filter {
                (claim.student == "*" || $0.student == claim.student) && (claim.subject == "*" || $0.subject == claim.subject)
                    && (claim.modality == "*" || $0.modality == claim.modality)
            }
            #expect(claim.sessions >= 1 && claim.sessions <= matching.reduce(0) { $0 + $1.sessions },
                    "\(label): \(finding.cause) claims \(claim) but a timetable leaves \(matching.map(\.sessions)) unmet: \(finding.message)")
        }
    }
}

@Test(arguments: Array(UInt64(1)...12))
func findingsNeverExceedWhatAPlantedTimetableMisses(seed: UInt64) throws {
    let g = generateScenario(.tiny(seed: seed))
    let planted = try #require(g.planted).sessions
    for teacher in g.scenario.teachers {
        var s = g.scenario
        s.teachers.removeAll { $0.id == teacher.id }
        try expectNoFalseClaim(s, planted.filter { $0.teacher != teacher.id }, "seed \(seed) without \(teacher.id)")
        s = g.scenario
        let day = s.days[0]
        s.teachers = s.teachers.map { var t = $0; if t.id == teacher.id { t.unavailable.append(.day(day)) }; return t }
        try expectNoFalseClaim(s, planted.filter { !($0.teacher == teacher.id && $0.day == day.rawValue) }, "seed \(seed) \(teacher.id) away")
    }
    for room in g.scenario.rooms {
        var s = g.scenario
        s.rooms = s.rooms.map { var r = $0; if r.id == room.id { r.unavailable.append(.block(s.days[0], s.blocks[0].id)) }; return r }
        try expectNoFalseClaim(s, planted.filter { !($0.room == room.id && $0.day == s.days[0].rawValue && $0.block == s.blocks[0].id) },
                           "seed \(seed) \(room.id) closed")
    }
}
