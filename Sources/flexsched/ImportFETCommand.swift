import ArgumentParser
import Foundation
import RosterImport
import ScenarioKit

struct ImportFET: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fet",
        abstract: "Build a scenario of class lessons from a FET file (.fet).",
        discussion: """
        FET's days, hours, teachers, rooms, student sets (years > groups > subgroups) and active \
        activities become days, 45-minute blocks from 08:00, teachers, rooms, nested classes and \
        lessons; a split activity becomes one lesson with several sessions. Constraints with a \
        scenario equivalent at their weight become its keys (see README, "Importing FET files"); \
        the others are listed by type and count, and the import still succeeds unless --strict.

        Example:
          flexsched import fet school.fet --out school.yaml
        """)

    @Argument(help: "The FET file (.fet, FET's XML).") var file: String
    @Option(help: "Scenario file to write.") var out: String
    @Flag(help: "Exit 2 without writing when a constraint cannot be carried over.") var strict = false
    @Flag(help: "Print the outcome as JSON on stdout.") var json = false

    struct Report: Encodable {
        struct Count: Encodable { var constraint: String; var count: Int }
        var written: Bool
        var out: String
        var teachers: Int, rooms: Int, classes: Int, lessons: Int, sessions: Int
        var unsupported: [Count]
        var warnings: [String]
        var problems: [String]
    }

    func run() throws {
        let result: FETImport
        do {
            result = try importFET(path: file, outputFile: out)
        } catch {
            if json { printJSON(Report(written: false, out: out, teachers: 0, rooms: 0, classes: 0, lessons: 0, sessions: 0, unsupported: [],
                                       warnings: [], problems: error.problems.map(\.description))) }
            throw exitForBadInput(error)
        }
        let scenario = result.scenario.scenario
        let write = !(strict && !result.unsupported.isEmpty)
        if write { try writeFileAtomically(Data(result.text.utf8), to: out) }
        let unsupportedLines = result.unsupported.map { "\($0.label): \($0.count)" }
        if json {
            printJSON(Report(written: write, out: out, teachers: scenario.teachers.count, rooms: scenario.rooms.count,
                             classes: scenario.classes.count, lessons: scenario.lessons.count,
                             sessions: scenario.lessons.reduce(0) { $0 + $1.sessions },
                             unsupported: result.unsupported.map { Report.Count(constraint: $0.label, count: $0.count) },
                             warnings: result.warnings.map(\.description), problems: write ? [] : unsupportedLines))
        }
        for w in result.warnings { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
        if !write {
            throw exitForBadInput(InputError(result.unsupported.map {
                InputProblem(file: file, entity: $0.label, message: "\($0.count) active constraint\($0.count == 1 ? "" : "s") with no scenario equivalent (--strict)")
            }))
        }
        if !result.unsupported.isEmpty {
            FileHandle.standardError.write(Data("warning: constraints not carried over (no scenario equivalent at their weight):\n\(unsupportedLines.map { "  \($0)" }.joined(separator: "\n"))\n".utf8))
        }
        if !json {
            print("Wrote \(out): \(scenario.teachers.count) teachers, \(scenario.rooms.count) rooms, \(scenario.classes.count) classes, "
                  + "\(scenario.lessons.count) lessons (\(scenario.lessons.reduce(0) { $0 + $1.sessions }) sessions a week).")
        }
    }

    private func printJSON(_ report: Report) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        if let data = try? encoder.encode(report) { print(String(decoding: data, as: UTF8.self)) }
    }
}
