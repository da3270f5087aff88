// Benchmark harness: solves generated (planted) or given scenarios and prints, per scenario, its
// size, the largest GLPK model, time to the first checked timetable and to zero unmet sessions,
// the final unmet count, objective, bound, gap and peak memory.
//
//   swift run -c release flexsched-bench --whatif SCENARIO CHANGE.yaml ... [--time-limit SECONDS]
//     solves SCENARIO as the baseline, then re-solves under each change against it, and reports the
//     sessions changed against the sessions the change hits directly, and the time.
//   swift run -c release flexsched-bench [--sizes S,M,L,XL,XXL] [--time-limit SECONDS] [--seed N] [--peers]
//     --peers also writes each scenario's whole-week model (MPS) and runs HiGHS and CBC on it with the
//     same time limit (Benchmarks/peers.py; Benchmarks/run-peers.sh installs them).
//                                        [--max-subproblems N] [--presolve] [--features all|LIST] [--write-scenarios DIR] [SCENARIO.yaml ...]
// --features plants the scenario format v1.1 features in the generated scenarios: `all`, or names
// from fixed, priority, teacher, prefer-teacher, double-blocks, levels, apart, prefer-not joined by commas.
// --write-scenarios also saves each generated scenario as DIR/<size>.yaml, to rerun with flexsched.
// --over-subscribed cuts every teacher's max-per-week in the generated scenarios to two thirds of her
// planted load, so demand exceeds capacity and the unmet bound has work to do.
import Foundation
import Reports
import ScenarioGenerator
import ScenarioKit
import Scheduler
import TimetableChecker
import TimetableFormat

final class Timeline: @unchecked Sendable {
    private let lock = NSLock()
    private var firstTimetable: Double?
    private var zeroUnmet: Double?
    func record(_ p: SolveProgress) {
        lock.lock(); defer { lock.unlock() }
        if firstTimetable == nil { firstTimetable = p.elapsed }
        if zeroUnmet == nil, p.unmetSessions == 0 { zeroUnmet = p.elapsed }
    }
    var times: (Double?, Double?) { lock.lock(); defer { lock.unlock() }; return (firstTimetable, zeroUnmet) }
}

func peakMemoryMiB() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024  // Linux reports KiB
}

func fmt(_ value: Double?, _ format: String = "%.1f") -> String { value.map { String(format: format, $0) } ?? "-" }

var arguments = Array(CommandLine.arguments.dropFirst())
var sizes: [String] = []
var timeLimit = 60.0
var seed: UInt64?
var maxSubproblems: Int?
var files: [String] = []
var writeFolder: String?
var whatIf = false
var peers = false
var presolve = false
var overSubscribed = false
var features = GeneratorSpec.Features()
while !arguments.isEmpty {
    let arg = arguments.removeFirst()
    switch arg {
    case "--sizes": sizes = arguments.removeFirst().split(separator: ",").map { $0.uppercased() }
    case "--time-limit": timeLimit = Double(arguments.removeFirst()) ?? timeLimit
    case "--seed": seed = UInt64(arguments.removeFirst())
    case "--max-subproblems": maxSubproblems = Int(arguments.removeFirst())
    case "--write-scenarios": writeFolder = arguments.removeFirst()
    case "--whatif": whatIf = true
    case "--peers": peers = true
    case "--presolve": presolve = true
    case "--over-subscribed": overSubscribed = true
    case "--features":
        let text = arguments.isEmpty ? nil : arguments.removeFirst()
        guard let parsed = text.flatMap(GeneratorSpec.Features.init(parsing:)) else {
            let names = GeneratorSpec.Features.names.map(\.name).joined(separator: ", ")
            let given = text.map { "`\($0)` is not a feature list" } ?? "needs a value"
            FileHandle.standardError.write(Data("--features \(given): use `all`, or names from \(names) joined by commas\n".utf8))
            exit(2)
        }
        features = parsed
    case "-h", "--help":
        print("usage: flexsched-bench [--sizes S,M,L,XL,XXL] [--time-limit SECONDS] [--seed N] [--max-subproblems N] [--presolve] [--over-subscribed] [--features all|LIST] [--write-scenarios DIR] [SCENARIO ...]")
        exit(0)
    default: files.append(arg)
    }
}
if whatIf {
    exit(runWhatIfBenchmark(files, timeLimit: timeLimit))
}
if sizes.isEmpty && files.isEmpty { sizes = ["S", "M"] }

var cases: [(label: String, scenario: ValidatedScenario)] = []
for size in sizes {
    var spec: GeneratorSpec
    switch size {
    case "S": spec = .small
        spec.students = 30; spec.teachers = 6; spec.rooms = 4; spec.days = [.mon, .tue, .wed, .thu, .fri]
    case "M": spec = .medium
    case "L": spec = .large
    case "XL": spec = .xl
    case "XXL": spec = .xxl
    default: FileHandle.standardError.write(Data("unknown size \(size); use S, M, L, XL or XXL\n".utf8)); exit(2)
    }
    if let seed { spec.seed = seed }
    spec.planted = true
    spec.features = features
    let scenario: ValidatedScenario
    let generated = generateScenario(spec)
    do { scenario = try (overSubscribed ? generated.overSubscribed : generated.scenario).validated() } catch {
        FileHandle.standardError.write(Data("the generated \(size) scenario is invalid: \(error)\n".utf8)); exit(1)
    }
    if let writeFolder {
        try writeFileAtomically(Data(scenario.scenario.yamlText().utf8), to: "\(writeFolder)/\(size.lowercased()).yaml")
    }
    let planted = features.isEmpty ? "" : features == .all ? ", all features"
        : ", " + GeneratorSpec.Features.names.filter { features.contains($0.feature) }.map(\.name).joined(separator: "+")
    cases.append(("\(size) \(overSubscribed ? "over-subscribed" : "planted") seed \(spec.seed)\(planted)", scenario))
}
for file in files {
    do { cases.append((file, try ScenarioLoader.load(path: file))) } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8)); exit(2)
    }
}

print("time limit \(timeLimit) s per scenario\(maxSubproblems.map { ", at most \($0) GLPK sub-problems" } ?? ""), \(ProcessInfo.processInfo.activeProcessorCount) cores")
print("| scenario | students | needs | sessions | largest model (cols x rows) | sub-problems | first timetable s | zero unmet s | unmet | unmet bound | comfort | comfort bound | comfort gap | objective | bound | gap | total s | peak MiB | check |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
var failures = 0
var peerRows: [String] = []
for (label, scenario) in cases {
    var options = SolveOptions()
    options.timeLimit = timeLimit
    options.maxSubproblems = maxSubproblems
    options.presolve = presolve
    if let seed { options.seed = seed }
    let timeline = Timeline()
    let started = Date()
    let timetable: Timetable
    do { timetable = try solveTimetable(scenario, options: options) { timeline.record($0) } } catch {
        print("| \(label) | solve failed: \(error) |")
        failures += 1
        continue
    }
    let total = Date().timeIntervalSince(started)
    let violations = checkTimetable(timetable, against: scenario)
    if !violations.isEmpty { failures += 1 }
    let (first, zero) = timeline.times
    let stats = timetable.stats
    let needs = scenario.students.reduce(0) { $0 + $1.needs.count }
    print("| \(label) | \(scenario.students.count) | \(needs) | \(stats?.neededSessions ?? 0) | \(stats?.variables ?? 0) x \(stats?.rows ?? 0) | \(stats?.subproblems ?? 0) | \(fmt(first, "%.2f")) | \(fmt(zero, "%.2f")) | \(stats?.unmetSessions ?? -1) | \(timetable.bounds.map { "\($0.unmetSessions)" } ?? "-") | \(fmt(timetable.bounds?.comfortScore, "%.0f")) | \(fmt(timetable.bounds?.comfort, "%.0f")) | \(fmt(timetable.bounds.map { $0.comfortGap * 100 }))% | \(fmt(timetable.objective, "%.0f")) | \(fmt(timetable.bound, "%.0f")) | \(fmt(timetable.gap.map { $0 * 100 }))% | \(fmt(total)) | \(fmt(peakMemoryMiB(), "%.0f")) | \(violations.isEmpty ? "ok" : "\(violations.count) violations") |")
    if peers { peerRows.append(peerComparison(label, scenario, timetable, timeLimit: timeLimit)) }
}
if peers {
    print("\nSame scenarios, same time limit, flexsched's whole-week model (MPS) given to the peers:")
    print("Objectives here leave out the consecutive-days term, which the written model does not have.")
    print("| scenario | model cols x rows | flexsched unmet | flexsched objective | HiGHS unmet | HiGHS objective | HiGHS bound | CBC unmet | CBC objective | CBC bound |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    peerRows.forEach { print($0) }
}
exit(failures == 0 ? 0 : 1)
