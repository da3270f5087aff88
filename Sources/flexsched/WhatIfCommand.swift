import Advisor
import ArgumentParser
import Foundation
import Reports
import ScenarioKit
import Scheduler
import TimetableChecker
import TimetableFormat

struct WhatIf: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "Re-solve a timetable under staffing or enrolment changes, moving as few people as possible.",
        discussion: """
        Each --change file (change file v1.1, YAML) is applied to the scenario on its own; the variants \
        are solved concurrently against the baseline timetable, keeping every baseline session the \
        change still allows. Among timetables with the fewest unmet needs, the one that changes the \
        fewest student sessions is preferred, then the fewest teacher and room changes. A variant \
        stops at its time limit or after --patience seconds without a better timetable, whichever \
        comes first.

        Change file keys (all optional): teachers-leave, teachers-unavailable, teachers-join, \
        rooms-close, students-leave, students-join, needs-change, fixed-remove, fixed-add. See README.md.

        With --out DIR, each variant gets DIR/<change-name>/ with scenario.yaml (the changed \
        scenario), timetable.json (checked against it), diff.md and diff.json (who is affected and \
        how). A side-by-side table of all variants, under a row for the current timetable, is printed \
        in any case, followed by each variant's outcome in plain words.
        """)

    @Argument(help: "Scenario file (YAML or JSON).") var scenario: String
    @Option(help: "The current timetable of the scenario (timetable JSON v1).") var baseline: String
    @Option(name: .customLong("change"), help: "A change file (repeatable; one variant each).") var changes: [String] = []
    @Option(help: "Directory for each variant's scenario, timetable and diff.") var out: String?
    @Option(parsing: .unconditional, help: "Wall-clock limit per variant, in seconds.", transform: NumericValue.positiveSeconds) var timeLimit: Double = 8
    @Option(parsing: .unconditional, help: ArgumentHelp("Stop a variant once this many seconds pass without a better timetable.", valueName: "seconds"),
            transform: NumericValue.positiveSeconds)
    var patience: Double = SolveOptions.baselinePatience
    @Option(help: "Keep this person's sessions exactly (teacher:ID, room:ID or student:ID; repeatable).") var pin: [String] = []
    @Flag(help: "Print the comparison as JSON.") var json = false

    func validate() throws {
        guard !changes.isEmpty else { throw ValidationError("give at least one --change file") }
        _ = try parsePins(pin)
    }

    struct Variant {
        var change: ScenarioChange
        var scenario: ValidatedScenario
    }

    func run() throws {
        let original: ValidatedScenario, current: Timetable
        var variants: [Variant] = []
        do {
            original = try ScenarioLoader.load(path: scenario)
            current = try Timetable.load(path: baseline)
            var names = Set<String>()
            for path in changes {
                var change = try ScenarioChange.load(path: path)
                while !names.insert(change.name).inserted { change.name += "-2" }
                variants.append(Variant(change: change, scenario: try change.apply(to: original)))
            }
        } catch { throw exitForBadInput(error) }
        let broken = checkTimetable(current, against: original)
        guard broken.isEmpty else {
            printError("\(baseline) is not a valid timetable of \(scenario):")
            for v in broken.prefix(10) { FileHandle.standardError.write(Data("  \(v)\n".utf8)) }
            throw ExitCode(2)
        }
        let pins = try parsePins(pin)
        let limit = timeLimit, patience = patience
        let scenarios = variants.map(\.scenario)
        let results = solveConcurrently(variants.count) { i in
            var options = SolveOptions()
            options.timeLimit = limit
            options.patience = patience
            options.baseline = current
            options.pins = pins
            // The variants already run side by side: the cores are shared out between them.
            options.threads = max(1, SolveOptions.defaultThreads / scenarios.count)
            let started = Date()
            return Result { () throws(SolveFailure) -> (Timetable, Double) in
                (try scheduleWeek(scenarios[i], options: options).timetable, Date().timeIntervalSince(started))
            }
        }
        var rows: [Row] = []
        for (i, variant) in variants.enumerated() {
            let timetable: Timetable, seconds: Double
            switch results[i] {
            case .success(let value): (timetable, seconds) = value
            case .failure(let error):
                printError("\(variant.change.name): \(error.description)")
                throw ExitCode(error.isInputProblem ? 2 : 1)
            }
            let diff = TimetableDiff(from: current, to: timetable, scenario: variant.scenario.scenario)
            rows.append(Row(name: variant.change.name, timetable: timetable, diff: diff, seconds: seconds, scenario: variant.scenario))
        }
        if let out {
            for row in rows {
                let folder = (out as NSString).appendingPathComponent(row.name)
                try writeFileAtomically(Data(row.scenario.scenario.yamlText().utf8), to: folder + "/scenario.yaml")
                try writeFileAtomically(row.timetable.jsonData(), to: folder + "/timetable.json")
                try writeFileAtomically(Data(row.diff.markdown(title: "What changes: \(row.name)", scenario: row.scenario.scenario).utf8), to: folder + "/diff.md")
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try writeFileAtomically(encoder.encode(row.diff), to: folder + "/diff.json")
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            FileHandle.standardOutput.write(try encoder.encode(rows.map(\.summary)))
        } else {
            print(WhatIf.comparisonTable(current: current, scenario: original.scenario, rows: rows))
        }
    }

    struct Row {
        var name: String
        var timetable: Timetable
        var diff: TimetableDiff
        var seconds: Double
        var scenario: ValidatedScenario

        struct Summary: Codable {
            var change: String, unmetSessions: Int, kept: Int, moved: Int, restaffed: Int, reroomed: Int, regrouped: Int
            var cancelled: Int, new: Int, peopleAffected: Int, busiestTeacher: Int, busiestTeacherName: String?
            var seconds: Double, gap: Double?
        }

        var summary: Summary {
            let busiest = busiestTeacher(timetable, scenario.scenario)
            return Summary(change: name, unmetSessions: unmetSessions(timetable), kept: diff.count(.kept),
                           moved: diff.count(.moved), restaffed: diff.count(.restaffed), reroomed: diff.count(.reroomed),
                           regrouped: diff.count(.regrouped), cancelled: diff.count(.cancelled), new: diff.count(.new),
                           peopleAffected: diff.peopleToNotify.count, busiestTeacher: busiest?.sessions ?? 0,
                           busiestTeacherName: busiest?.name, seconds: seconds, gap: timetable.gap)
        }
    }

    /// Every variant next to the current timetable, then each variant's outcome in plain words.
    static func comparisonTable(current: Timetable, scenario: Scenario, rows: [Row]) -> String {
        let header = ["change", "sessions", "unmet", "kept", "moved", "re-staffed", "re-roomed", "re-grouped", "cancelled", "new",
                      "people affected", "busiest teacher", "time s"]
        func label(_ name: String?, _ sessions: Int) -> String { name.map { "\($0) (\(sessions))" } ?? "-" }
        let busiestNow = busiestTeacher(current, scenario)
        let now = ["current", "\(current.sessions.count)", "\(unmetSessions(current))"]
            + Array(repeating: "-", count: 8) + [label(busiestNow?.name, busiestNow?.sessions ?? 0), "-"]
        let cells = [now] + rows.map { row in
            let s = row.summary
            return [s.change, "\(row.timetable.sessions.count)", "\(s.unmetSessions)", "\(s.kept)", "\(s.moved)", "\(s.restaffed)",
                    "\(s.reroomed)", "\(s.regrouped)", "\(s.cancelled)", "\(s.new)", "\(s.peopleAffected)",
                    label(s.busiestTeacherName, s.busiestTeacher), String(format: "%.1f", s.seconds)]
        }
        let widths = header.indices.map { c in ([header[c]] + cells.map { $0[c] }).map(\.count).max() ?? 0 }
        let leftAligned: Set = [0, header.firstIndex(of: "busiest teacher")!]
        func line(_ row: [String]) -> String {
            row.enumerated().map { c, text in
                leftAligned.contains(c) ? text.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - text.count) + text
            }.joined(separator: "  ")
        }
        let outcomes = rows.map { "\($0.name): \(resultHeadline($0.timetable, scenario: $0.scenario.scenario))" }
        return ([line(header)] + cells.map(line) + [""] + outcomes).joined(separator: "\n")
    }
}

/// The teacher with the most sessions, the first in the scenario's order among equals.
private func busiestTeacher(_ timetable: Timetable, _ scenario: Scenario) -> (name: String, sessions: Int)? {
    let load = Dictionary(grouping: timetable.sessions.compactMap(\.teacher), by: { $0 }).mapValues(\.count)
    let top = scenario.teachers.map { ($0, load[$0.id] ?? 0) }.max { $0.1 < $1.1 }
    return top.flatMap { t, n in n == 0 ? nil : (t.name.isEmpty ? t.id : t.name, n) }
}
