import Testing
@testable import ScenarioKit

@Test func parsesTimesQuotedOrNot() throws {
    let yaml = """
    name: T
    days: [mon]
    blocks:
      - {id: b1, start: 8:30, end: "09:20"}
    modalities: {tutoring: {min: 1, max: 3, teacher: true}}
    teachers: [{id: lee, subjects: [math]}]
    rooms: [{id: r1, capacity: 4}]
    students: [{id: ana, needs: [{subject: math, modality: tutoring, sessions: 1}]}]
    """
    let s = try ScenarioLoader.parse(yaml, file: "t.yaml")
    #expect(s.blocks[0].start == ClockTime(hour: 8, minute: 30))
    #expect(s.blocks[0].end == ClockTime(hour: 9, minute: 20))
}
