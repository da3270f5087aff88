import Foundation
import Rules
import ScenarioKit
import Scheduler
import TimetableChecker
import TimetableFormat

/// What runs flexsched's written model through CP-SAT, and what it found.
struct CPSATRun {
    var status = "not run"
    var unmet: Int?
    var timetable: Timetable?
    var objective: Double?
    var bound: Double?
    var zeroUnmetSeconds: Double?
    var readSeconds: Double?
    var peakMiB: Double?
    var check = "-"
    /// Warm runs: the model's objective at the hint (flexsched's timetable) and the rows it breaks.
    var hintObjective: Double?
    var hintViolations: Int?
}

/// How CP-SAT starts: from nothing, from flexsched's timetable (`--cpsat-warm`), or both, one after the other.
enum CPSATStart: String, CaseIterable {
    case cold, warm
}

/// What a timetable's teacher continuity term costs (the written model has it since issue 28; the
/// column shows it beside each comfort score).
func continuityCost(_ timetable: Timetable) -> Double {
    ObjectiveWeights()[.teacherContinuity] * (timetable.stats?.terms?[Rule.teacherContinuity.id] ?? 0)
}

/// "comfort score (teacher continuity part)" for the side-by-side table.
func comfortCell(_ timetable: Timetable?) -> String {
    guard let timetable else { return "-" }
    return String(format: "%.0f (%.0f)", comfortScore(timetable), continuityCost(timetable))
}

/// A timetable's comfort score: its objective less what its unmet sessions cost, from its term counts.
func comfortScore(_ timetable: Timetable) -> Double {
    let unmet = Set(RuleCatalogue.objectiveTerms.filter { $0.id.hasPrefix("O.unmet") }.map(\.id))
    let weights = ObjectiveWeights()
    return RuleCatalogue.objectiveTerms.filter { !unmet.contains($0.id) }.reduce(0) { sum, term in
        sum + weights[term] * (timetable.stats?.terms?[term.id] ?? 0)
    }
}

/// Writes the scenario's exact whole-week model, has Benchmarks/peers.py solve it with CP-SAT
/// (`workers` workers) for `timeLimit` seconds, warm-started from `hint` (flexsched's timetable, every
/// column of the model set from it) when there is one, then decodes CP-SAT's solution with
/// flexsched's own decoder and gives it to the independent checker: a timetable that fails the check
/// counts as failed, not as CP-SAT's result.
func runCPSAT(_ scenario: ValidatedScenario, timeLimit: Double, workers: Int, hint: Timetable?) -> (run: CPSATRun, model: String) {
    var run = CPSATRun()
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flexsched-cpsat-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = folder.appendingPathComponent("model.mps").path
    let solutionFile = folder.appendingPathComponent("solution.json").path
    let size: (columns: Int, rows: Int, neededSessions: Int, seatColumns: Int, constant: Double)
    do { size = try writeWholeWeekModel(scenario, to: model) } catch {
        run.status = "cannot write the model: \(error)"
        return (run, "-")
    }
    let shape = "\(size.columns) x \(size.rows)"
    var arguments = [model, String(timeLimit), String(size.neededSessions), String(size.seatColumns),
                     "--constant", String(size.constant), "--solvers", "cpsat", "--solution", solutionFile, "--workers", String(workers)]
    if let hint {
        let hintFile = folder.appendingPathComponent("hint.json").path
        guard let values = wholeWeekStartValues(scenario, timetable: hint),
              let data = try? JSONSerialization.data(withJSONObject: values) else {
            run.status = "flexsched's timetable does not fit the model"
            return (run, shape)
        }
        FileManager.default.createFile(atPath: hintFile, contents: data)
        arguments += ["--hint", hintFile]
    }
    let results = runPeersScript(arguments)
    guard let result = results["CP-SAT"] else {
        run.status = "no answer from peers.py"
        return (run, shape)
    }
    run.status = result["status"] as? String ?? "?"
    run.bound = result["bound"] as? Double
    run.zeroUnmetSeconds = result["zero_unmet_seconds"] as? Double
    run.readSeconds = result["read_seconds"] as? Double
    run.peakMiB = result["peak_mib"] as? Double
    run.hintObjective = result["hint_objective"] as? Double
    run.hintViolations = result["hint_violations"] as? Int
    guard let data = FileManager.default.contents(atPath: solutionFile),
          let values = try? JSONSerialization.jsonObject(with: data) as? [String: Double] else { return (run, shape) }
    guard let timetable = decodeWholeWeekSolution(scenario, values: values) else {
        run.check = "cannot split into groups"
        return (run, shape)
    }
    let violations = checkTimetable(timetable, against: scenario)
    guard violations.isEmpty else {
        run.check = "FAILED: \(violations.count) violations"
        return (run, shape)
    }
    run.check = "ok"
    run.unmet = timetable.stats?.unmetSessions
    run.objective = timetable.objective
    run.timetable = timetable
    return (run, shape)
}

/// Runs Benchmarks/peers.py with `arguments`; its JSON lines by solver name.
func runPeersScript(_ arguments: [String]) -> [String: [String: Any]] {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("peers.py").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script] + arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    var results: [String: [String: Any]] = [:]
    do {
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
               let solver = object["solver"] as? String {
                results[solver] = object
            }
        }
    } catch {
        FileHandle.standardError.write(Data("cannot run \(script): \(error)\n".utf8))
    }
    return results
}

/// The 1, 5 and 15 minute load averages, as `uptime` prints them.
func loadAverage() -> String {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "-" }
    return text.split(separator: " ").prefix(3).joined(separator: " ")
}
