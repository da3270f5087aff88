import ArgumentParser
import FlexschedTestSupport
import Foundation
import Synchronization
import Testing
import TimetableFormat
@testable import flexsched
@testable import Scheduler
import ScenarioKit

// A morning and an afternoon block with lunch between; reading is independent work in the library.
private let school = """
name: Show school
days: [wed]
blocks: [{id: am, start: "09:00", end: "09:45"}, {id: pm, start: "12:30", end: "13:15"}]
modalities: {tutoring: {min: 1, max: 2}, independent: {min: 1, max: 4, teacher: false}}
teachers: [{id: lee, name: Ms. Lee, subjects: [math]}]
rooms: [{id: r1, capacity: 2}, {id: lib, name: Library, capacity: 4}]
students:
  - {id: ana, needs: [{subject: math, modality: tutoring, sessions: 1}, {subject: reading, modality: independent, sessions: 1}]}
"""

private func solvedSchool() throws -> String {
    let dir = NSTemporaryDirectory() + "flexsched-show-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try school.write(toFile: dir + "/s.yaml", atomically: true, encoding: .utf8)
    #expect(try run(["solve", dir + "/s.yaml", "--out", dir, "--quiet", "--time-limit", "600", "--max-subproblems", "5"]) == 0)
    return dir
}

@Test func showPrintsAKnownPersonsWeekAndRefusesUnknownIds() throws {
    let dir = try solvedSchool()
    for who in ["teacher:lee", "student:ana", "room:r1"] {
        #expect(try run(["show", dir + "/s.yaml", dir + "/timetable.json", who]) == 0)
        #expect(try run(["show", dir + "/s.yaml", dir + "/timetable.json", who, "--list"]) == 0)
    }
    #expect(try run(["show", dir + "/s.yaml", dir + "/timetable.json", "teacher:walch"]) == 2)
    #expect(try run(["show", dir + "/s.yaml", dir + "/timetable.json", "room:lee"]) == 2)
    #expect(throws: (any Error).self) { try Flexsched.parseAsRoot(["show", "s.yaml", "t.json", "coach:lee"]) }
}

@Test func showRefusesATimetableThatBreaksTheScenario() throws {
    let dir = try solvedSchool()
    var table = try Timetable.load(path: dir + "/timetable.json")
    table.sessions.append(table.sessions[0])   // Ms. Lee twice in one block
    try table.jsonData().write(to: URL(fileURLWithPath: dir + "/broken.json"))
    #expect(try run(["show", dir + "/s.yaml", dir + "/broken.json", "teacher:lee"]) == 1)
}

@Test func progressStartsWhenConstructionEndsAndSpeaksPlainly() throws {
    let path = try solvedSchool() + "/s.yaml"
    let scenario = try ScenarioLoader.load(path: path)
    let reports = Mutex<[SolveProgress]>([]), printed = Mutex<[String]>([])
    let printer = Solve.progressPrinter(verbose: false) { line in printed.withLock { $0.append(line) } }
    var options = SolveOptions()
    options.timeLimit = 600
    options.maxSubproblems = 3
    let solved = try solveTimetable(scenario, options: options) { p in
        reports.withLock { $0.append(p) }
        printer(p)
    }
    // Finding 8: the old filter waited for 2 s, so a short solve showed no progress at all.
    let first = try #require(reports.withLock { $0.first })
    #expect(printed.withLock { $0.first } == Solve.progressLine(first, verbose: false))

    let p = SolveProgress(elapsed: 3, unmetSessions: 12, objective: 12072, bound: 0, subproblems: 4, periodic: true)
    #expect(Solve.progressLine(p, verbose: false) == "[  3.0s] 12 sessions unmet, 4 sub-problems solved")
    #expect(Solve.progressLine(p, verbose: true)
        == "[  3.0s] 12 sessions unmet, 4 sub-problems solved; objective 12072, bound 0, gap 100.0%")
    // The last report says why the search ended, and is printed even between heartbeats.
    let reason = try #require(solved.stats?.stopReason)
    #expect(reports.withLock { $0.last?.stopReason } == reason)
    #expect(reports.withLock { $0.dropLast().allSatisfy { $0.stopReason == nil } })
    #expect(printed.withLock { $0.last }?.hasSuffix("; stopped: \(reason.plainText)") == true)
}
