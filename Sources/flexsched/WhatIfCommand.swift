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
        Each --change file (change file v1, YAML) is applied to the scenario on its own; the variants \
        are solved concurrently against the baseline timetable, keeping every baseline session the \
        change still allows. Among timetables with the fewest unmet needs, the one that changes the \
        fewest student sessions is preferred, then the fewest teacher and room changes.

        Change file keys (all optional): teachers-leave, teachers-unavailable, teachers-join, \
        rooms-close, students-leave, students-join, needs-change. See README.md.

        With --out DIR, each variant gets DIR/<change-name>/ with scenario.yaml (the changed \
        scenario), timetable.json (checked against it), diff.md and diff.json (who is affected and \
        how). A side-by-side table of all variants is printed in any case.
        """)

    @Argument(help: "Scenario file (YAML or JSON).") var scenario: String
    @Option(help: "The current timetable of the scenario (timetable JSON v1).") var baseline: String
    @Option(name: .customLong("change"), help: "A change file (repeatable; one variant each).") var changes: [String] = []
    @Option(help: "Directory for each variant's scenario, timetable and diff.") var out: String?
    @Option(parsing: .unconditional, help: "Wall-clock limit per variant, in seconds.", transform: NumericValue.positiveSeconds) var timeLimit: Double = 8
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
        let limit = timeLimit
        let scenarios = variants.map(\.scenario)
        let results = solveConcurrently(variants.count) { i in
            var options = SolveOptions()
            options.timeLimit = limit
            options.baseline = current
            options.pins = pins
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
                try writeFileAtomically(Data(row.diff.markdown(title: "What changes: \(row.name)").utf8), to: folder + "/diff.md")
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
            print(comparisonTable(rows))
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
            var cancelled: Int, new: Int, peopleAffected: Int, busiestTeacher: Int, seconds: Double, gap: Double?
        }

        var summary: Summary {
            let load = Dictionary(grouping: timetable.sessions.compactMap(\.teacher), by: { $0 }).values.map(\.count).max() ?? 0
            return Summary(change: name, unmetSessions: timetable.unmet.reduce(0) { $0 + $1.missing }, kept: diff.count(.kept),
                           moved: diff.count(.moved), restaffed: diff.count(.restaffed), reroomed: diff.count(.reroomed),
                           regrouped: diff.count(.regrouped), cancelled: diff.count(.cancelled), new: diff.count(.new),
                           peopleAffected: diff.people.count, busiestTeacher: load, seconds: seconds, gap: timetable.gap)
        }
    }

    func comparisonTable(_ rows: [Row]) -> String {
        let header = ["change", "unmet", "kept", "moved", "re-staffed", "re-roomed", "re-grouped", "cancelled", "new",
                      "people affected", "busiest teacher", "time s", "gap"]
        let cells = rows.map(\.summary).map { s in
            [s.change, "\(s.unmetSessions)", "\(s.kept)", "\(s.moved)", "\(s.restaffed)", "\(s.reroomed)", "\(s.regrouped)",
             "\(s.cancelled)", "\(s.new)", "\(s.peopleAffected)", "\(s.busiestTeacher)", String(format: "%.1f", s.seconds),
             s.gap.map { String(format: "%.1f%%", $0 * 100) } ?? "-"]
        }
        let widths = header.indices.map { c in ([header[c]] + cells.map { $0[c] }).map(\.count).max() ?? 0 }
        func line(_ row: [String]) -> String {
            row.enumerated().map { c, text in
                c == 0 ? text.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - text.count) + text
            }.joined(separator: "  ")
        }
        return ([line(header)] + cells.map(line)).joined(separator: "\n")
    }
}
