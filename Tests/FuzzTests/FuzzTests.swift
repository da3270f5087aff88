import Advisor
import Foundation
import SeededRandom
import Testing
import ScenarioGenerator
import ScenarioKit
import Scheduler
import TimetableChecker
import TimetableFormat

// Random damage to valid files, and the promise every reader makes about it: no trap, no hang, and
// either a clear error (what the command line turns into exit 2) or a timetable the independent
// checker accepts. `FLEXSCHED_FUZZ_COUNT` sets the number of mutated scenarios (2,000 by default,
// see README "Robustness"); `FLEXSCHED_FUZZ_SEED` shifts every seed to explore other cases.

private let environment = ProcessInfo.processInfo.environment
private let caseCount = environment["FLEXSCHED_FUZZ_COUNT"].flatMap { Int($0) } ?? 2000
private let seedOffset = environment["FLEXSCHED_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0
/// Chunks let Swift Testing spread the cases over the cores while each seed stays reproducible.
private let chunkSize = 100
/// A hang detector, not a speed check: cases take about a second, and this must never fire on a
/// loaded 2-core machine.
private let caseLimit = Duration.seconds(120)

private var chunks: [Range<Int>] {
    stride(from: 0, to: caseCount, by: chunkSize).map { $0..<min($0 + chunkSize, caseCount) }
}

/// Cheap solves: the point is that every accepted scenario reaches a checked timetable, not a good one.
private var fuzzSolveOptions: SolveOptions {
    var options = SolveOptions()
    options.timeLimit = 1
    options.subproblemTimeLimit = 0.25
    options.repairTimeLimit = 0.125
    options.maxSubproblems = 3
    return options
}

// MARK: mutations

/// Values that have broken, or could break, a reader: bounds, beyond-Int64, non-numbers, YAML specials.
private let hostileValues = [
    "0", "-1", "1", "101", "10000", "10001", "9223372036854775807", "99999999999999999999999", "-9223372036854775809",
    "1.5", "1e9", "0x10", "NaN", ".inf", "x", "\"\"", "~", "null", "true", "[]", "{}", "[1, 2]", "\"08:30\"", "25:00",
    "mon", "mon.b1", "zoë", "李雷", "🦊", "a b", "a/b", "../x", "'quoted'", "\"esc\\u00e9\"", "&anchor x", "*nowhere",
]
private let injections = [
    "é", "李", "🦊", "\u{200B}", "\u{00A0}", "\u{202E}", "\u{FEFF}", "\t", ":", ": ", "#", "{", "}", "[", "]", ",", "\"", "'",
    "&a ", "*a", "- ", "? ", "|", ">", "%", "@", "`", "\\", "\r", "\u{85}", "\u{2028}", "\n", "  ", "---\n", "...\n",
]
private let dayLists = ["[]", "[mon, mon]", "[sun]", "[mon, tue, wed, thu, fri, sat, sun]", "[fri, mon]", "[Mon]", "[monday]", "mon"]
private let times = ["\"00:00\"", "\"23:59\"", "\"24:00\"", "\"8:5\"", "\"08:30\"", "\"09:20\"", "\"12:00\"", "830", "\"08:30:00\""]

private struct Mutator {
    var rng: SplitMix64

    mutating func mutate(_ text: String) -> String {
        var text = text
        for _ in 0..<rng.int(1...3) { text = mutateOnce(text) }
        return text
    }

    /// Changes that keep the file well-formed and mostly valid, so that a good share of cases reach the
    /// solver with scenarios it has not seen: tight rooms, few days, strict limits, big groups.
    mutating func mutateGently(_ text: String) -> String {
        var lines = text.components(separatedBy: "\n")
        for _ in 0..<rng.int(1...4) {
            let i = rng.int(0...(lines.count - 1))
            switch rng.int(0...6) {
            case 0: lines[i] = replacing(pattern: "sessions: [0-9]+", in: lines[i], with: "sessions: \(rng.int(1...6))")
            case 1: lines[i] = replacing(pattern: "capacity: [0-9]+", in: lines[i], with: "capacity: \(rng.int(1...12))")
            case 2:
                if let m = lines.indices.filter({ lines[$0].contains("min:") }).randomElement(using: &rng) {
                    lines[m] = replacing(pattern: "min: [0-9]+", in: lines[m], with: "min: \(rng.int(1...4))")
                }
            case 3:
                if let d = lines.firstIndex(where: { $0.hasPrefix("days:") }) {
                    lines[d] = "days: " + rng.pick(["[mon]", "[mon, tue]", "[mon, tue, wed, thu, fri]", "[sat, sun]"])
                }
            case 4:
                let extra = rng.pick(["    unavailable: [mon]", "    unavailable: [mon.b1]", "    max-per-day: 1", "    needs: []"])
                if let s = lines.indices.filter({ lines[$0].hasPrefix("    name:") }).randomElement(using: &rng) {
                    lines.insert(extra, at: s + 1)
                }
            case 5:
                lines[i] = lines[i].replacingOccurrences(of: "teacher: true", with: "teacher: false")
                    .replacingOccurrences(of: "max-per-week: ", with: "max-per-week: 1")
            default:
                // A need dropped, or a student renamed.
                if lines[i].hasPrefix("      - {subject:") { lines.remove(at: i) }
                else if lines[i].hasPrefix("  - id: ") { lines[i] += "x\(rng.int(0...9))" }
            }
        }
        return lines.joined(separator: "\n")
    }

    private mutating func mutateOnce(_ text: String) -> String {
        var lines = text.components(separatedBy: "\n")
        guard !lines.isEmpty else { return text }
        let i = rng.int(0...(lines.count - 1))
        switch rng.int(0...15) {
        case 0: lines.remove(at: i)
        case 1: lines.insert(lines[i], at: i)
        case 2: lines.swapAt(i, rng.int(0...(lines.count - 1)))
        case 3: lines[i] = replacing(numberIn: lines[i], with: rng.pick(hostileValues))
        case 4: lines[i] = replacing(valueIn: lines[i], with: rng.pick(hostileValues))
        case 5: return renamingId(in: text)
        case 6: lines[i] = droppingKey(from: lines[i])
        case 7: lines[i] = inserting(rng.pick(injections), into: lines[i])
        case 8: return truncated(text)
        case 9:
            if let d = lines.firstIndex(where: { $0.hasPrefix("days:") }) { lines[d] = "days: " + rng.pick(dayLists) }
        case 10:
            if let b = lines.indices.filter({ lines[$0].contains("start:") }).randomElement(using: &rng) {
                lines[b] = replacing(pattern: #"(start|end): "?[0-9:]+"?"#, in: lines[b], with: "$1: " + rng.pick(times))
            }
        case 11:
            if let m = lines.indices.filter({ lines[$0].contains("min:") }).randomElement(using: &rng) {
                lines[m] = replacing(pattern: "min: [0-9]+", in: lines[m], with: "min: \(rng.int(4...20))")
            }
        case 12: lines[i] = swappingValues(in: lines[i])
        case 13:
            let flips = [("teacher: true", "teacher: false"), ("teacher: false", "teacher: true"),
                         ("sessions: ", "sessions: 1"), ("capacity: ", "capacity: 1")]
            let (from, to) = rng.pick(flips)
            lines[i] = lines[i].replacingOccurrences(of: from, with: to)
        case 14:
            // Structural additions that are valid YAML: new availability, accommodations and limits.
            let extra = rng.pick(["    unavailable: [mon]", "    unavailable: [tue.b2, wed]", "    requires: [accessible]",
                                  "    requires: [no-such-feature]", "    max-per-day: 1", "    needs: []"])
            if let s = lines.indices.filter({ lines[$0].hasPrefix("  - id:") }).randomElement(using: &rng) {
                lines.insert(extra, at: s + 1)
            }
        default:
            // Indentation moves a key into a neighbouring mapping, or out of it.
            lines[i] = rng.chance(0.5) || !lines[i].hasPrefix("  ") ? "  " + lines[i] : String(lines[i].dropFirst(2))
        }
        return lines.joined(separator: "\n")
    }

    private mutating func replacing(numberIn line: String, with value: String) -> String {
        let ranges = matches(#"-?[0-9]+"#, in: line)
        guard let r = ranges.randomElement(using: &rng) else { return line }
        return line.replacingCharacters(in: r, with: value)
    }

    private mutating func replacing(valueIn line: String, with value: String) -> String {
        let ranges = matches(#"(?<=: )[^,}\]]+"#, in: line)
        guard let r = ranges.randomElement(using: &rng) else { return line }
        return line.replacingCharacters(in: r, with: value)
    }

    private mutating func swappingValues(in line: String) -> String {
        let ranges = matches(#"(?<=: )[^,}\]\[{]+"#, in: line)
        guard ranges.count >= 2 else { return line }
        let a = ranges[0], b = ranges[rng.int(1...(ranges.count - 1))]
        var swapped = line
        swapped.replaceSubrange(b, with: line[a])
        swapped.replaceSubrange(a, with: line[b])
        return swapped
    }

    /// Collisions (an id given to another entity) and ids a file name cannot carry.
    private mutating func renamingId(in text: String) -> String {
        let ids = matches(#"(?<=id: )[^,}\s]+"#, in: text)
        guard ids.count >= 2, let target = ids.randomElement(using: &rng) else { return text }
        let other = String(text[ids.randomElement(using: &rng)!])
        let name = rng.chance(0.6) ? other : rng.pick(["zoë", "a b", "a/b", "\"\"", ".x", "🦊", String(repeating: "x", count: 70)])
        return text.replacingCharacters(in: target, with: name)
    }

    private mutating func droppingKey(from line: String) -> String {
        let keys = matches(#",? ?[a-z-]+: [^,}]*"#, in: line)
        guard let r = keys.randomElement(using: &rng) else { return line }
        return line.replacingCharacters(in: r, with: "")
    }

    private mutating func inserting(_ junk: String, into line: String) -> String {
        let at = line.index(line.startIndex, offsetBy: rng.int(0...line.count))
        return line.replacingCharacters(in: at..<at, with: junk)
    }

    /// Cut at any byte, including inside a multi-byte character, the way an interrupted copy does.
    private mutating func truncated(_ text: String) -> String {
        let bytes = Array(text.utf8)
        return String(decoding: bytes.prefix(rng.int(0...bytes.count)), as: UTF8.self)
    }

    private mutating func replacing(pattern: String, in line: String, with template: String) -> String {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return line }
        return regex.stringByReplacingMatches(in: line, range: NSRange(line.startIndex..., in: line), withTemplate: template)
    }
}

private func matches(_ pattern: String, in text: String) -> [Range<String.Index>] {
    guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
    return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range, in: text) }
}

// MARK: outcomes

/// What the command line shows for exit 2: at least one problem, each naming the file and saying what is
/// wrong, and any line it cites one that an editor shows for `text` (LF ends a line; an empty file has line 1).
private func expectClearError(_ error: InputError, file: String, text: String, _ context: @autoclosure () -> String) {
    #expect(!error.problems.isEmpty, "an InputError without problems for \(context())")
    let feeds = text.unicodeScalars.filter { $0 == "\n" }.count
    let lastLine = text.unicodeScalars.last == "\n" ? feeds : feeds + 1
    for problem in error.problems {
        #expect(problem.file == file, "\(problem) names the wrong file (\(context()))")
        #expect(!problem.message.trimmingCharacters(in: .whitespaces).isEmpty, "a problem without a message (\(context()))")
        if let line = problem.line {
            #expect((1...lastLine).contains(line), "\(problem) points outside the file's \(lastLine) line(s) (\(context()))")
        }
    }
}

/// Solves, explains and checks as the commands do (hard rules and every objective term measured
/// again); a scenario the loader accepted must never make that fail.
private func expectCheckedTimetable(_ scenario: ValidatedScenario, _ context: @autoclosure () -> String) -> Timetable? {
    do {
        let timetable = try scheduleWeek(scenario, options: fuzzSolveOptions).timetable
        let violations = checkTimetable(timetable, against: scenario)
        #expect(violations.isEmpty, "\(context()): the checker rejects the timetable:\n\(violations.map(\.description).joined(separator: "\n"))")
        return timetable
    } catch {
        Issue.record("\(context()): an accepted scenario failed to solve: \(error)")
        return nil
    }
}

private struct Tally: Sendable {
    var accepted = 0, rejected = 0
}

private func fuzzScenario(_ index: Int) -> Tally {
    let seed = UInt64(index) &+ seedOffset
    // Every other case starts from a week with every v1.1 feature, so their keys get mutated too.
    let spec = GeneratorSpec.tiny(seed: seed % 97 + 1)
    let base = generateScenario(seed % 2 == 1 ? spec.withAllFeatures : spec).scenario
    var mutator = Mutator(rng: SplitMix64(seed: seed &* 0x9E37_79B9 &+ 17))
    let text = index % 3 == 0 ? mutator.mutateGently(base.yamlText()) : mutator.mutate(base.yamlText())
    let file = "fuzz-\(seed).yaml"
    let context = "case \(index) (FLEXSCHED_FUZZ_SEED=\(seedOffset)); mutated file:\n\(text)"
    let scenario: ValidatedScenario
    do {
        scenario = try ScenarioLoader.parse(text, file: file)
    } catch {
        expectClearError(error, file: file, text: text, context)
        return Tally(rejected: 1)
    }
    // Whatever was accepted must survive the writer: what-if runs write changed scenarios back out.
    #expect((try? ScenarioLoader.parse(scenario.scenario.yamlText(), file: file)) == scenario, "\(context): does not read back after yamlText()")
    guard let timetable = expectCheckedTimetable(scenario, context) else { return Tally(accepted: 1) }
    if index % 4 == 0 { fuzzTimetableFile(timetable, scenario: scenario.scenario, seed: seed) }
    return Tally(accepted: 1)
}

/// How a hang report names a case, so it can be run again.
private func caseName(_ kind: String, _ index: Int) -> String {
    "\(kind) \(index) (seed \(UInt64(index) &+ seedOffset); FLEXSCHED_FUZZ_SEED=\(seedOffset) FLEXSCHED_FUZZ_COUNT=\(caseCount))"
}

@Test(arguments: chunks) func mutatedScenariosGiveAClearErrorOrACheckedTimetable(_ cases: Range<Int>) {
    let outcomes = runWatched(cases, limit: caseLimit, describe: { caseName("case", $0) }) { index in
        let started = ContinuousClock.now
        let outcome = fuzzScenario(index)
        if environment["FLEXSCHED_FUZZ_VERBOSE"] != nil {
            print("fuzz case \(index): \(outcome.accepted == 1 ? "solved" : "rejected") in \(ContinuousClock.now - started)")
        }
        return outcome
    }
    guard let outcomes else { return }
    let tally = Tally(accepted: outcomes.reduce(0) { $0 + $1.accepted }, rejected: outcomes.reduce(0) { $0 + $1.rejected })
    // Both paths must be exercised, or the mutations have drifted into only breaking (or never breaking) files.
    if cases.count >= 50 {
        #expect(tally.accepted * 10 >= cases.count, "only \(tally.accepted) of \(cases.count) mutated scenarios were accepted")
        #expect(tally.rejected * 10 >= cases.count, "only \(tally.rejected) of \(cases.count) mutated scenarios were rejected")
    }
}

// MARK: change files and timetable files

/// A change touching every key, built from the scenario's own ids so unmutated it mostly applies.
private func changeText(for scenario: Scenario, rng: inout SplitMix64) -> String {
    var lines: [String] = []
    let teachers = scenario.teachers.map(\.id), rooms = scenario.rooms.map(\.id), students = scenario.students
    let day = scenario.days.first?.rawValue ?? "mon", block = scenario.blocks.first?.id ?? "b1"
    if teachers.count > 1 { lines.append("teachers-leave: [\(teachers[0])]") }
    if let t = teachers.last { lines.append("teachers-unavailable: {\(t): [\(day).\(block)]}") }
    let subject = scenario.teachers.last?.subjects.first ?? "math"
    lines.append("teachers-join: [{id: newt, name: Ms. Néw, subjects: [\(subject)], unavailable: [\(day)]}]")
    if let r = rooms.first { lines.append("rooms-close: {\(r): \(rng.chance(0.5) ? "all" : "[\(day)]")}") }
    if students.count > 2 { lines.append("students-leave: [\(students[1].id)]") }
    let modality = scenario.modalities.first?.id ?? "tutoring"
    lines.append("students-join: [{id: newbie, name: Zoë N., needs: [{subject: \(subject), modality: \(modality), sessions: 1}]}]")
    if let s = students.first, let need = s.needs.first {
        lines.append("needs-change:")
        lines.append("  - {student: \(s.id), subject: \(need.subject), modality: \(need.modality), sessions: \(rng.int(0...3))}")
    }
    return lines.joined(separator: "\n") + "\n"
}

@Test(arguments: 0..<max(1, caseCount / 10)) func mutatedChangeFilesGiveAClearErrorOrAScenarioThatSolves(_ index: Int) {
    _ = runWatched(index..<index + 1, limit: caseLimit, describe: { caseName("change case", $0) }, fuzzChangeFile)
}

private func fuzzChangeFile(_ index: Int) {
    let seed = UInt64(index) &+ seedOffset
    guard let base = try? generateScenario(.tiny(seed: seed % 97 + 1)).scenario.validated() else {
        Issue.record("the generator made an invalid scenario for seed \(seed)")
        return
    }
    var rng = SplitMix64(seed: seed ^ 0xC4A_4E6E)
    let original = changeText(for: base.scenario, rng: &rng)
    var mutator = Mutator(rng: rng)
    let text = index % 5 == 0 ? original : mutator.mutate(original)
    let file = "change-\(seed).yaml"
    let context = "change case \(index) (FLEXSCHED_FUZZ_SEED=\(seedOffset)); change file:\n\(text)"
    let changed: ValidatedScenario
    do {
        changed = try ScenarioChange.parse(text, file: file, name: "change").apply(to: base)
    } catch {
        expectClearError(error, file: file, text: text, context)
        return
    }
    // A change may leave needs nobody can serve; the solver reports them unmet, it must not fail.
    _ = expectCheckedTimetable(changed, context)
}

/// Damages a solved timetable's JSON and reads it back the way `check` and `whatif --baseline` do.
private func fuzzTimetableFile(_ timetable: Timetable, scenario: Scenario, seed: UInt64) {
    guard let data = try? timetable.jsonData(), let json = String(data: data, encoding: .utf8) else {
        Issue.record("a solved timetable cannot be written as JSON")
        return
    }
    var mutator = Mutator(rng: SplitMix64(seed: seed ^ 0x7157_AB1E))
    let text = mutator.mutate(json)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("flexsched-fuzz-\(getpid())-\(seed).json").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
        Issue.record("cannot write \(path)")
        return
    }
    do {
        let loaded = try Timetable.load(path: path)
        // Any content is fine for the checker; it only has to answer without trapping.
        _ = checkTimetable(loaded, against: scenario)
    } catch {
        expectClearError(error, file: path, text: text,
                         "timetable of seed \(seed); file:\n\(text)")
    }
}
