import Foundation
import Reports
import ScenarioKit
import Scheduler
import TimetableChecker
import TimetableFormat

/// Baseline sessions the change itself makes impossible: a teacher, room or student who is gone or
/// unavailable then, or a student whose need disappeared. Everything else moving is the solver's doing.
func sessionsHitDirectly(_ baseline: Timetable, by changed: Scenario) -> Int {
    let teachers = Dictionary(uniqueKeysWithValues: changed.teachers.map { ($0.id, $0) })
    let rooms = Dictionary(uniqueKeysWithValues: changed.rooms.map { ($0.id, $0) })
    let students = Dictionary(uniqueKeysWithValues: changed.students.map { ($0.id, $0) })
    return baseline.sessions.filter { session in
        guard let day = Weekday(rawValue: session.day) else { return true }
        if let id = session.teacher {
            guard let t = teachers[id], isAvailable(t.unavailable, day: day, block: session.block) else { return true }
        }
        guard let r = session.room.flatMap({ rooms[$0] }), isAvailable(r.unavailable, day: day, block: session.block) else { return true }
        return session.students.contains { id in
            guard let s = students[id] else { return true }
            return !s.needs.contains { $0.subject == session.subject && $0.modality == session.modality }
                || !isAvailable(s.unavailable, day: day, block: session.block)
        }
    }.count
}

func runWhatIfBenchmark(_ files: [String], timeLimit: Double) -> Int32 {
    guard let scenarioFile = files.first, files.count > 1 else {
        print("usage: flexsched-bench --whatif SCENARIO CHANGE.yaml ... [--time-limit SECONDS]")
        return 2
    }
    do {
        let scenario = try ScenarioLoader.load(path: scenarioFile)
        var options = SolveOptions()
        options.timeLimit = 60
        let baseline = try solveTimetable(scenario, options: options)
        print("baseline: \(scenarioFile), \(baseline.sessions.count) sessions, \(baseline.stats?.unmetSessions ?? -1) unmet; time limit \(timeLimit) s per change")
        print("| change | sessions hit directly | sessions changed | moved | re-staffed | re-roomed | re-grouped | cancelled | new | people affected | unmet | time s | check |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        var failures: Int32 = 0
        for file in files.dropFirst() {
            let change = try ScenarioChange.load(path: file)
            let changed = try change.apply(to: scenario)
            var whatIf = SolveOptions()
            whatIf.timeLimit = timeLimit
            whatIf.patience = SolveOptions.baselinePatience
            whatIf.baseline = baseline
            let started = Date()
            let result = try solveTimetable(changed, options: whatIf)
            let seconds = Date().timeIntervalSince(started)
            let violations = checkTimetable(result, against: changed)
            if !violations.isEmpty { failures += 1 }
            let diff = TimetableDiff(from: baseline, to: result, scenario: changed.scenario)
            let changedCount = diff.sessions.filter { $0.kind != .kept }.count
            print("| \(change.name) | \(sessionsHitDirectly(baseline, by: changed.scenario)) | \(changedCount) | \(diff.count(.moved)) | \(diff.count(.restaffed)) | \(diff.count(.reroomed)) | \(diff.count(.regrouped)) | \(diff.count(.cancelled)) | \(diff.count(.new)) | \(diff.people.count) | \(result.stats?.unmetSessions ?? -1) | \(String(format: "%.1f", seconds)) | \(violations.isEmpty ? "ok" : "\(violations.count) violations") |")
        }
        return failures == 0 ? 0 : 1
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        return 2
    }
}
