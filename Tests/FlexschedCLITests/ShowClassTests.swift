import FlexschedTestSupport
import Foundation
import Testing

@Test func showPrintsAClassWeekAndRefusesAnUnknownClass() throws {
    let (_, checked) = try hybridWeek()
    let dir = NSTemporaryDirectory() + "flexsched-show-class-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try hybridScenarioYAML.write(toFile: dir + "/s.yaml", atomically: true, encoding: .utf8)
    try checked.timetable.jsonData().write(to: URL(fileURLWithPath: dir + "/t.json"))
    for who in ["class:7a", "class:y7", "teacher:ola", "student:ana", "room:hall"] {
        #expect(try run(["show", dir + "/s.yaml", dir + "/t.json", who]) == 0)
        #expect(try run(["show", dir + "/s.yaml", dir + "/t.json", who, "--list"]) == 0)
    }
    #expect(try run(["show", dir + "/s.yaml", dir + "/t.json", "class:8a"]) == 2)
    #expect(try run(["show", dir + "/s.yaml", dir + "/t.json", "class:ana"]) == 2)
}
