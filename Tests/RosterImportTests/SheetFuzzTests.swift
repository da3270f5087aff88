import Foundation
import ScenarioKit
import SeededRandom
import Testing
@testable import RosterImport

private let template = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Scenarios/csv-template").standardized
private let sheets = ["WEEK.yaml", "teachers.csv", "rooms.csv", "students.csv", "needs.csv"]
private let fuzzCount = ProcessInfo.processInfo.environment["FLEXSCHED_CSV_FUZZ_COUNT"].flatMap(Int.init) ?? 250
private let fuzzSeed = ProcessInfo.processInfo.environment["FLEXSCHED_FUZZ_SEED"].flatMap(UInt64.init) ?? 0

/// Lines as an editor shows them: CR, LF and CRLF each end one.
private func lineCount(_ text: String) -> Int {
    var lines = 1, afterCR = false
    for scalar in text.unicodeScalars {
        if scalar == "\r" || (scalar == "\n" && !afterCR) { lines += 1 }
        afterCR = scalar == "\r"
    }
    return lines
}

/// Damage as hands and spreadsheet programs do it: stray quotes and separators, line breaks of every
/// kind, byte-order marks in the middle, cut cells, doubled or swapped rows, a truncated file.
private func mutate(_ text: String, _ rng: inout SplitMix64) -> String {
    var scalars = Array(text.unicodeScalars)
    let noise: [String] = ["\"", ",", ";", "\t", "\n", "\r", "\r\n", "\u{FEFF}", " ", "=", "-1", "99999999999999999999", "é", "\u{0}", "x"]
    for _ in 0..<rng.int(1...3) {
        guard !scalars.isEmpty else { break }
        let at = rng.int(0...(scalars.count - 1))
        switch rng.int(0...4) {
        case 0: scalars.removeSubrange(at..<min(scalars.count, at + rng.int(1...12)))
        case 1: scalars.insert(contentsOf: rng.pick(noise).unicodeScalars, at: at)
        case 2: scalars = Array(scalars[..<at])
        case 3:
            var lines = String(String.UnicodeScalarView(scalars)).components(separatedBy: "\n")
            let i = rng.int(0...(lines.count - 1)), j = rng.int(0...(lines.count - 1))
            if rng.chance(0.5) { lines.swapAt(i, j) } else { lines.insert(lines[i], at: j) }
            scalars = Array(lines.joined(separator: "\n").unicodeScalars)
        default: scalars[at] = rng.pick(noise).unicodeScalars.first!
        }
    }
    return String(String.UnicodeScalarView(scalars))
}

@Test func damagedSheetsGetClearErrorsOrImport() throws {
    let directory = NSTemporaryDirectory() + "flexsched-sheet-fuzz-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let originals = try sheets.map { try String(contentsOf: template.appendingPathComponent($0), encoding: .utf8) }
    var accepted = 0, rejected = 0
    for index in 0..<fuzzCount {
        var rng = SplitMix64(seed: UInt64(index) &+ fuzzSeed &* 1_000_003)
        // Mostly the CSV sheets; the template's YAML has its own fuzzing in FuzzTests.
        let damaged = rng.chance(0.1) ? 0 : rng.int(1...(sheets.count - 1))
        var texts = originals
        texts[damaged] = mutate(texts[damaged], &rng)
        let paths = sheets.map { directory + "/\($0)" }
        for (path, text) in zip(paths, texts) { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) }
        let context = "case \(index) (seed \(fuzzSeed)), \(sheets[damaged]):\n\(texts[damaged])"
        do {
            _ = try importSpreadsheets(week: paths[0], needs: paths[4], teachers: paths[1], students: paths[3], rooms: paths[2],
                                       outputFile: directory + "/out.yaml")
            accepted += 1
        } catch {
            rejected += 1
            #expect(!error.problems.isEmpty, "no problems for \(context)")
            for problem in error.problems {
                guard let file = paths.firstIndex(of: problem.file) else {
                    Issue.record("\(problem) names no input file; \(context)")
                    continue
                }
                #expect(!problem.message.isEmpty)
                if let line = problem.line {
                    #expect((1...lineCount(texts[file])).contains(line), "\(problem) points outside the file; \(context)")
                }
                if let column = problem.column { #expect(column >= 1 && problem.line != nil, "\(problem); \(context)") }
            }
        }
    }
    // Both outcomes must occur, or the mutations are not testing what they claim to.
    #expect(accepted > fuzzCount / 20 && rejected > fuzzCount / 4, "accepted \(accepted), rejected \(rejected)")
}
