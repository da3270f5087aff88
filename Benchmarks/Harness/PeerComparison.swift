import Foundation
import ScenarioKit
import Scheduler
import TimetableFormat

/// Writes the scenario's whole-week model and runs Benchmarks/peers.py (HiGHS, CBC) on it; returns
/// one Markdown row with flexsched's result beside theirs.
func peerComparison(_ label: String, _ scenario: ValidatedScenario, _ ours: Timetable, timeLimit: Double) -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flexsched-peers-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = folder.appendingPathComponent("model.mps").path
    let size: (columns: Int, rows: Int, neededSessions: Int, seatColumns: Int, constant: Double)
    do { size = try writeWholeWeekModel(scenario, to: model) } catch { return "| \(label) | \(error) |" }
    let results = runPeersScript([model, String(timeLimit), String(size.neededSessions), String(size.seatColumns),
                                  "--constant", String(size.constant), "--solvers", "highs,cbc"])
    func cell(_ solver: String, _ key: String) -> String {
        guard let entry = results[solver] else { return "-" }
        if let number = entry[key] as? Double { return String(format: "%.0f", number) }
        if let number = entry[key] as? Int { return "\(number)" }
        if key == "unmet" { return (entry["status"] as? String).map { "none (\($0))" } ?? "-" }
        return "-"
    }
    let unmet = ours.stats?.unmetSessions ?? -1
    return "| \(label) | \(size.columns) x \(size.rows) | \(unmet) | \(String(format: "%.0f", ours.objective ?? .nan)) | "
        + "\(cell("HiGHS", "unmet")) | \(cell("HiGHS", "objective")) | \(cell("HiGHS", "bound")) | "
        + "\(cell("CBC", "unmet")) | \(cell("CBC", "objective")) | \(cell("CBC", "bound")) |"
}
