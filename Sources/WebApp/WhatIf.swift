import Foundation
import Reports
import ScenarioKit
import Store
import TimetableChecker
import TimetableFormat

/// One change of a what-if request: a change file (v1.1 YAML) and the short name it is shown under.
public struct WhatIfChange: Sendable {
    public var name: String
    public var yaml: String

    public init(name: String, yaml: String) {
        self.name = name
        self.yaml = yaml
    }
}

/// A variant next to its baseline, with the numbers `flexsched whatif` prints for it.
public struct WhatIfVariant: Sendable {
    public var view: RunView
    public var unmetSessions: Int?
    public var objective: Double?
    /// Present once the variant has a checked timetable.
    public var diff: TimetableDiff?
    /// The students and teachers to tell, in the variant's names and clock times.
    public var notices: [TimetableDiff.Notice] = []
    public var headline: String?
}

/// A baseline run and every variant solved against it, newest first.
public struct WhatIfComparison: Sendable {
    public var baseline: RunView
    public var baselineUnmetSessions: Int
    public var variants: [WhatIfVariant]
}

/// What-if variants: a finished run solved again under changes, each compared with it.
public struct WhatIfService: Sendable {
    let store: Store
    let runs: RunService

    public static let maxChangesPerWhatIf = 8

    /// Queues one variant per change against a finished run. Every change is read and applied to
    /// the scenario first, and nothing is queued unless all of them are good; the problems of all
    /// the changes come back together.
    public func start(baselineRunID: Int64, changes: [WhatIfChange], timeLimit: Double, by user: UserRecord) async throws(ServiceError) -> [RunRecord] {
        try RunService.checkTimeLimit(timeLimit)
        guard (1...Self.maxChangesPerWhatIf).contains(changes.count) else {
            throw .badRequest("give between 1 and \(Self.maxChangesPerWhatIf) changes")
        }
        let (scenario, _, view) = try await runs.checkedTimetable(runID: baselineRunID, in: user.scope)
        guard view.run.state == .done, view.run.baselineRunID == nil else {
            throw .conflict("a what-if starts from a finished solve of the scenario; run \(baselineRunID) is \(view.run.baselineRunID == nil ? view.run.state.rawValue : "itself a what-if variant")")
        }
        var problems: [InputProblem] = []
        var names = Set<String>()
        for change in changes {
            let name = change.name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty, name.count <= 80 else {
                problems.append(InputProblem(file: "change", entity: "", message: "every change needs a name of 1 to 80 characters"))
                continue
            }
            guard names.insert(name).inserted else {
                problems.append(InputProblem(file: "\(name).yaml", entity: "", message: "two changes are named \(name); give each its own name"))
                continue
            }
            do { _ = try RunService.change(named: name, change.yaml).apply(to: scenario) } catch { problems += error.problems }
        }
        guard problems.isEmpty else { throw .invalid(problems) }
        let records = changes.map {
            RunRecord(scenarioVersionID: view.version.id!, requestedBy: user.id!, timeLimit: timeLimit, baselineRunID: baselineRunID,
                      changeName: $0.name.trimmingCharacters(in: .whitespacesAndNewlines), changeText: $0.yaml)
        }
        return try await runs.enqueue(records)
    }

    /// The baseline with each variant's state and, once solved, its diff against the baseline.
    public func comparison(baselineRunID: Int64, in scope: SchoolScope) async throws(ServiceError) -> WhatIfComparison {
        let (_, baseline, view) = try await runs.checkedTimetable(runID: baselineRunID, in: scope)
        let scenarioID = view.scenario.id!
        let records = try await stored("listing runs", { try await store.runs.list(scenarioID: scenarioID, in: scope) }).filter { $0.baselineRunID == baselineRunID }
        var variants: [WhatIfVariant] = []
        for record in records {
            let variantView = try await runs.view(record)
            guard record.timetable != nil else {
                variants.append(WhatIfVariant(view: variantView))
                continue
            }
            let scenario: ValidatedScenario, checked: CheckedTimetable
            do throws(ServiceError) {
                (scenario, checked, _) = try await runs.checkedTimetable(runID: record.id!, in: scope)
            } catch {
                // A variant whose stored timetable no longer checks is shown as such, beside the others.
                guard case .conflict = error else { throw error }
                variants.append(WhatIfVariant(view: variantView, headline: "its timetable fails the independent check"))
                continue
            }
            let timetable = checked.timetable
            let diff = TimetableDiff(from: baseline.timetable, to: timetable, scenario: scenario.scenario)
            variants.append(WhatIfVariant(view: variantView, unmetSessions: unmetSessions(timetable), objective: timetable.objective, diff: diff,
                                          notices: diff.notices(scenario: scenario.scenario).filter { $0.role != "room" },
                                          headline: resultHeadline(timetable, scenario: scenario.scenario)))
        }
        return WhatIfComparison(baseline: view, baselineUnmetSessions: unmetSessions(baseline.timetable), variants: variants)
    }
}
