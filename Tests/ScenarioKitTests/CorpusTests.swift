import Foundation
import Testing
import ScenarioKit
import TimetableChecker
import TimetableFormat

// Real bad files, read through the same entry points as the command line. Each `NAME.ext` has a
// `NAME.expected` beside it: one line per problem exactly as `flexsched` prints it (file names without
// their folder), or one of the markers below for files that must be accepted.
// `FLEXSCHED_CORPUS_RECORD=1` rewrites the expected files from what the loaders say now; review the diff.

private let corpusDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus")
private let loadsMarker = "(loads)"
private let validMarker = "(loads; the checker finds no violation)"

struct CorpusFile: Sendable, CustomTestStringConvertible {
    var kind: String
    var name: String
    var url: URL { corpusDirectory.appendingPathComponent(kind).appendingPathComponent(name) }
    var expectedURL: URL { url.deletingPathExtension().appendingPathExtension("expected") }
    var testDescription: String { "\(kind)/\(name)" }
}

private func corpusFiles(_ kind: String) -> [CorpusFile] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: corpusDirectory.appendingPathComponent(kind).path)) ?? []
    return names.filter { !$0.hasSuffix(".expected") }.sorted().map { CorpusFile(kind: kind, name: $0) }
}

private func baseScenario() throws -> ValidatedScenario {
    try ScenarioLoader.load(path: corpusDirectory.appendingPathComponent("base-scenario.yaml").path)
}

/// Problems as printed, with the corpus folder cut from file names so the expectations do not depend
/// on where the repository is checked out.
private func printed(_ error: InputError) -> [String] {
    error.problems.map { problem in
        var shown = problem
        shown.file = URL(fileURLWithPath: problem.file).lastPathComponent
        return shown.description
    }
}

private func outcome(_ file: CorpusFile) throws -> [String] {
    do {
        switch file.kind {
        case "scenarios":
            _ = try ScenarioLoader.load(path: file.url.path)
            return [loadsMarker]
        case "changes":
            _ = try ScenarioChange.load(path: file.url.path).apply(to: try baseScenario())
            return [loadsMarker]
        default:
            let timetable = try Timetable.load(path: file.url.path)
            let violations = checkTimetable(timetable, against: try baseScenario()).map(\.description)
            return violations.isEmpty ? [validMarker] : violations
        }
    } catch let error as InputError {
        return printed(error)
    }
}

private func check(_ file: CorpusFile) throws {
    let actual = try outcome(file)
    if ProcessInfo.processInfo.environment["FLEXSCHED_CORPUS_RECORD"] != nil {
        try (actual.joined(separator: "\n") + "\n").write(to: file.expectedURL, atomically: true, encoding: .utf8)
        return
    }
    let recorded = try #require(try? String(contentsOf: file.expectedURL, encoding: .utf8), "\(file.expectedURL.lastPathComponent) is missing")
    let expected = recorded.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    #expect(actual == expected, "\(file.testDescription) now reads as:\n\(actual.joined(separator: "\n"))")
    if expected != [loadsMarker] && expected != [validMarker] {
        // Rejection is only useful if every line says where and what.
        #expect(!actual.isEmpty)
        #expect(!file.name.hasSuffix("-valid.yaml") && !file.name.hasSuffix("-valid.json"), "a file named *-valid must load")
    }
}

@Test(arguments: corpusFiles("scenarios")) func corpusScenario(_ file: CorpusFile) throws { try check(file) }
@Test(arguments: corpusFiles("changes")) func corpusChangeFile(_ file: CorpusFile) throws { try check(file) }
@Test(arguments: corpusFiles("timetables")) func corpusTimetable(_ file: CorpusFile) throws { try check(file) }

@Test func corpusHasNoOrphanExpectations() throws {
    for kind in ["scenarios", "changes", "timetables"] {
        let names = try FileManager.default.contentsOfDirectory(atPath: corpusDirectory.appendingPathComponent(kind).path)
        let stems = names.filter { !$0.hasSuffix(".expected") }.map { ($0 as NSString).deletingPathExtension }
        #expect(Set(stems).count == stems.count, "two inputs in \(kind) share a name and so an expected file")
        for expected in names where expected.hasSuffix(".expected") {
            #expect(stems.contains((expected as NSString).deletingPathExtension), "\(kind)/\(expected) has no input file")
        }
    }
    #expect(corpusFiles("scenarios").count >= 20)
}

@Test func unicodeNamesReadBackUnchanged() throws {
    let s = try ScenarioLoader.load(path: corpusDirectory.appendingPathComponent("scenarios/unicode-names.yaml").path)
    #expect(s.name == "École Saint-Exupéry — semaine A 🌱")
    #expect(s.students.map(\.name) == ["Zoë Ångström", "李雷", "محمد الأحمد", "🦊 Fox, the \"quick\" one"])
    #expect(s.teachers[0].subjects == ["matemáticas", "国语"])
    // What the writer produces must read back to the same week.
    #expect(try ScenarioLoader.parse(s.scenario.yamlText(), file: "again.yaml") == s)
}

/// 10,000 students, generated here rather than committed, load and validate (its speed is measured by
/// `flexsched-bench`, not asserted here: the suite runs on busy shared cores).
@Test func tenThousandStudentsLoadAndValidate() throws {
    let subjects = ["math", "reading", "science", "history", "art"]
    var lines = ["name: Ten thousand", "days: [mon, tue, wed, thu, fri]", "blocks:"]
    for b in 0..<8 { lines.append("  - {id: b\(b), start: \"\(8 + b):00\", end: \"\(8 + b):50\"}") }
    lines += ["modalities:", "  tutoring: {min: 1, max: 3}", "  small-group: {min: 3, max: 6, room-features: [collaboration]}",
              "  independent: {min: 2, max: 12, teacher: false, room-features: [quiet]}", "teachers:"]
    for t in 0..<400 {
        lines.append("  - {id: t\(t), name: Teacher \(t), subjects: [\(subjects[t % 5]), \(subjects[(t + 1) % 5])], unavailable: [mon.b1]}")
    }
    lines.append("rooms:")
    for r in 0..<200 {
        lines.append("  - {id: r\(r), capacity: \(4 + r % 20), features: [\(r % 2 == 0 ? "collaboration" : "quiet"), accessible]}")
    }
    lines.append("students:")
    for s in 0..<10_000 {
        lines += ["  - id: s\(s)", "    name: Élève \(s)", "    needs:",
                  "      - {subject: \(subjects[s % 5]), modality: tutoring, sessions: 2}",
                  "      - {subject: \(subjects[(s + 2) % 5]), modality: small-group, sessions: 3}",
                  "      - {subject: \(subjects[(s + 3) % 5]), modality: independent, sessions: 1}",
                  "    unavailable: [tue.b2, fri]"]
        if s % 10 == 0 { lines.append("    requires: [accessible]") }
    }
    let scenario = try ScenarioLoader.parse(lines.joined(separator: "\n"), file: "big.yaml")
    #expect(scenario.students.count == 10_000)
    #expect(scenario.students.allSatisfy { $0.needs.count == 3 })
}

/// The two-part bound is an additive key: timetables written before it read with none, and one
/// written with it reads back unchanged.
@Test func boundPartsAreAnAdditiveTimetableKey() throws {
    let old = Data(#"{"scenario": "s", "status": "feasible", "objective": 3, "bound": 0, "gap": 1, "sessions": [], "unmet": []}"#.utf8)
    let read = try JSONDecoder().decode(Timetable.self, from: old)
    #expect(read.bounds == nil && read.objective == 3)
    var timetable = read
    timetable.bounds = .init(unmetSessions: 2, unmetObjective: 2000, unmetSource: "teachers' weekly capacity", comfortScore: 40,
                             comfort: 30, comfortTerms: ["O.late-block"])
    let again = try JSONDecoder().decode(Timetable.self, from: try timetable.jsonData())
    #expect(again == timetable)
    #expect(again.bounds?.comfortGap == 0.25)
}
