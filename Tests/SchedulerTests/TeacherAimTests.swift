import ScenarioKit
import Scheduler
import Testing
import TimetableChecker
import TimetableFormat

/// Six one-to-one math sessions and two math teachers, who share them 3 and 3 without aims: aims of
/// 1 and 5 make it 1 and 5, and the checker's count of blocks over the aims agrees with the solver's.
@Test(arguments: [UInt64(1), 2, 3])
func aimsPerWeekEvenTheTeachersLoad(seed: UInt64) throws {
    let students = (1...6).map { "  - {id: s\($0), name: Student \($0), needs: [{subject: math, modality: tutoring, sessions: 1}]}" }
    let text = """
        name: Aims
        days: [mon]
        blocks:
        \((1...6).map { "  - {id: b\($0), start: \"\(String(format: "%02d", 7 + $0)):00\", end: \"\(String(format: "%02d", 7 + $0)):50\"}" }.joined(separator: "\n"))
        modalities:
          tutoring: {min: 1, max: 1, teacher: true}
        teachers:
          - {id: lee, name: Ms. Lee, subjects: [math], aim-per-week: 1}
          - {id: kim, name: Mr. Kim, subjects: [math], aim-per-week: 5}
        rooms:
          - {id: r1, name: Room 1, capacity: 2}
          - {id: r2, name: Room 2, capacity: 2}
        students:
        \(students.joined(separator: "\n"))
        """
    let scenario = try ScenarioLoader.parse(text, file: "aims.yaml")
    let timetable = try solveTimetable(scenario, options: workLimited(20, seed: seed))
    #expect(checkTimetable(timetable, against: scenario).isEmpty)
    #expect(timetable.unmet.isEmpty)
    let lee = timetable.sessions.count { $0.teacher == "lee" }, kim = timetable.sessions.count { $0.teacher == "kim" }
    #expect([lee, kim] == [1, 5], "seed \(seed): Ms. Lee \(lee), Mr. Kim \(kim)")
    #expect(timetable.stats?.terms?["O.teacher-over-aim"] == 0)
    #expect(measureObjective(timetable, against: scenario.scenario)["O.teacher-over-aim"] == 0)
}
