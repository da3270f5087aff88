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
//   --students 100,250,500 generates planted weeks of those sizes shaped like XL (a teacher per 10
//     students, 6 rooms per 100, 5 days of 8 blocks; the seed is the size, so 1000 is XL and 2000 XXL).
//   --gap G and --patience SECONDS are `flexsched solve`'s stops; --patience 0 turns patience off, so
//     every solve runs to its time limit (or its gap).
//   --cpsat also solves each scenario's exact whole-week model with CP-SAT (2 workers, same time
//     limit; Benchmarks/peers.py), decodes its solution with flexsched's decoder and checks it.
//     --cpsat-warm cold|warm|both: CP-SAT from nothing (the default), warm-started from flexsched's
//     timetable (every column of the model set from it, through CP-SAT's AddHint), or both in turn.
//     --cpsat-time-limit SECONDS gives CP-SAT its own limit (default: --time-limit, which then stays
//     flexsched's); --cpsat-workers N its workers (default 2).
//   --csv FILE appends one line per scenario: label, students, zero unmet s, objective, peak MiB,
//     total s, load average (for Benchmarks/scaling.py).
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
var studentCounts: [Int] = []
var relativeGap: Double?
var patience: Double??
var cpsat = false
var cpsatStarts: [CPSATStart] = [.cold]
var cpsatTimeLimit: Double?
var cpsatWorkers = 2
var csvFile: String?
var twoStep = false
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
    case "--students": studentCounts = arguments.removeFirst().split(separator: ",").compactMap { Int($0) }
    case "--gap": relativeGap = Double(arguments.removeFirst())
    case "--patience": patience = .some(Double(arguments.removeFirst()).flatMap { $0 > 0 ? $0 : nil })
    case "--cpsat": cpsat = true
    case "--cpsat-warm":
        let mode = arguments.isEmpty ? "" : arguments.removeFirst()
        guard let starts = mode == "both" ? CPSATStart.allCases : CPSATStart(rawValue: mode).map({ [$0] }) else {
            FileHandle.standardError.write(Data("--cpsat-warm takes cold, warm or both\n".utf8)); exit(2)
        }
        cpsatStarts = starts
    case "--cpsat-time-limit": cpsatTimeLimit = Double(arguments.removeFirst())
    case "--cpsat-workers": cpsatWorkers = Int(arguments.removeFirst()) ?? cpsatWorkers
    case "--csv": csvFile = arguments.removeFirst()
    case "--two-step": twoStep = true
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
        print("usage: flexsched-bench [--sizes S,M,L,XL,XXL] [--time-limit SECONDS] [--seed N] [--max-subproblems N] [--presolve] [--over-subscribed] [--students N,N] [--gap G] [--patience SECONDS] [--cpsat] [--cpsat-warm cold|warm|both] [--cpsat-time-limit SECONDS] [--cpsat-workers N] [--csv FILE] [--two-step] [--features all|LIST] [--write-scenarios DIR] [SCENARIO ...]")
        exit(0)
    default: files.append(arg)
    }
}
if whatIf {
    exit(runWhatIfBenchmark(files, timeLimit: timeLimit))
}
if sizes.isEmpty && files.isEmpty && studentCounts.isEmpty { sizes = ["S", "M"] }

var cases: [(label: String, scenario: ValidatedScenario)] = []
let specs: [(size: String, spec: GeneratorSpec)] = sizes.map { size in
    var spec: GeneratorSpec
    switch size {
    case "S": spec = .small
        spec.students = 30; spec.teachers = 6; spec.rooms = 4; spec.days = [.mon, .tue, .wed, .thu, .fri]
    case "M": spec = .medium
    case "L": spec = .large
    case "XL": spec = .xl
    case "XXL": spec = .xxl
    case "HS": spec = .hybridSmall
    case "HM": spec = .hybridMedium
    case "HL": spec = .hybridLarge
    default: FileHandle.standardError.write(Data("unknown size \(size); use S, M, L, XL, XXL, or HS, HM, HL (hybrid weeks)\n".utf8)); exit(2)
    }
    return (size, spec)
} + studentCounts.map { students in
    var spec = GeneratorSpec.xl
    spec.students = students
    spec.teachers = max(2, students / 10)
    spec.rooms = max(2, students * 6 / 100)
    spec.seed = UInt64(students)
    return ("\(students) students", spec)
}
for (size, var spec) in specs {
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
print("| scenario | students | needs | sessions | largest model (cols x rows) | sub-problems | first timetable s | zero unmet s | unmet | unmet bound | unmet gap | comfort | comfort bound | comfort gap | objective | bound | gap | stop | total s | peak MiB | load before | check |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
var failures = 0
var peerRows: [String] = []
var cpsatRows: [String] = []
var twoStepRows: [String] = []
var csvLines: [String] = []
for (label, scenario) in cases {
    var options = SolveOptions()
    options.timeLimit = timeLimit
    options.maxSubproblems = maxSubproblems
    options.presolve = presolve
    if let relativeGap { options.relativeGap = relativeGap }
    if let patience { options.patience = patience }
    if let seed { options.seed = seed }
    let loadBefore = loadAverage()
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
    let unmet = stats?.unmetSessions ?? -1
    let unmetGap = timetable.bounds.map { Double(unmet - $0.unmetSessions) / Double(max(unmet, 1)) * 100 }
    let check = violations.isEmpty ? "ok" : "\(violations.count) violations"
    print("| \(label) | \(scenario.students.count) | \(needs) | \(stats?.neededSessions ?? 0) | \(stats?.variables ?? 0) x \(stats?.rows ?? 0) | \(stats?.subproblems ?? 0) | \(fmt(first, "%.2f")) | \(fmt(zero, "%.2f")) | \(unmet) | \(timetable.bounds.map { "\($0.unmetSessions)" } ?? "-") | \(fmt(unmetGap))% | \(fmt(timetable.bounds?.comfortScore, "%.0f")) | \(fmt(timetable.bounds?.comfort, "%.0f")) | \(fmt(timetable.bounds.map { $0.comfortGap * 100 }))% | \(fmt(timetable.objective, "%.0f")) | \(fmt(timetable.bound, "%.0f")) | \(fmt(timetable.gap.map { $0 * 100 }))% | \(stats?.stopReason?.rawValue ?? "-") | \(fmt(total)) | \(fmt(peakMemoryMiB(), "%.0f")) | \(loadBefore) | \(check) |")
    csvLines.append([label, "\(scenario.students.count)", fmt(zero, "%.2f"), fmt(timetable.objective, "%.0f"), fmt(peakMemoryMiB(), "%.0f"),
                     fmt(total), "\(unmet)", loadBefore, check].joined(separator: ","))
    if peers { peerRows.append(peerComparison(label, scenario, timetable, timeLimit: timeLimit)) }
    if twoStep {
        do {
            let two = try solveTwoStep(scenario, options: options, timeLimit: timeLimit)
            let check = checkTimetable(two.timetable, against: scenario).isEmpty ? "ok" : "violations"
            let weights = SolveOptions().weights
            func summary(_ t: Timetable) -> String {
                let terms = measureObjective(t, against: scenario.scenario)
                return "\(terms["O.unplaced-lesson"] ?? 0) | \(["O.unmet-mandated", "O.unmet-high", "O.unmet", "O.unmet-low"].reduce(0) { $0 + (terms[$1] ?? 0) }) | \(fmt(comfortOf(terms, weights), "%.0f"))"
            }
            twoStepRows.append("| \(label) | \(summary(timetable)) | \(fmt(total)) | \(summary(two.timetable)) | \(fmt(two.lessonsSeconds)) + \(fmt(two.totalSeconds - two.lessonsSeconds)) | \(check) |")
        } catch {
            twoStepRows.append("| \(label) | two-step failed: \(error) |")
        }
    }
    for start in cpsat ? cpsatStarts : [] {
        let loadBeforeCPSAT = loadAverage()
        let (theirs, shape) = runCPSAT(scenario, timeLimit: cpsatTimeLimit ?? timeLimit, workers: cpsatWorkers,
                                       hint: start == .warm ? timetable : nil)
        let ours = "\(unmet) | \(comfortCell(timetable)) | \(fmt(timetable.objective, "%.0f")) | \(timetable.bounds.map { "\($0.unmetSessions)" } ?? "-"), \(fmt(timetable.bounds?.comfort, "%.0f")), \(fmt(timetable.bound, "%.0f")) | \(fmt(zero, "%.2f"))"
        let cell = theirs.unmet.map { "\($0)" } ?? "none (\(theirs.status))"
        let hint = start == .cold ? "-" : "\(fmt(theirs.hintObjective, "%.0f")) (\(theirs.hintViolations.map(String.init) ?? "-") rows broken)"
        cpsatRows.append("| \(label) | \(start.rawValue) | \(shape) | \(ours) | \(hint) | \(cell) | \(comfortCell(theirs.timetable)) | \(fmt(theirs.objective, "%.0f")) | \(fmt(theirs.bound, "%.0f")) | \(fmt(theirs.zeroUnmetSeconds, "%.2f")) (+\(fmt(theirs.readSeconds)) read) | \(theirs.status) | \(theirs.check) | \(fmt(theirs.peakMiB, "%.0f")) | \(loadBefore) / \(loadBeforeCPSAT) |")
    }
}
if let csvFile {
    let old = (try? String(contentsOfFile: csvFile, encoding: .utf8)) ?? ""
    try writeFileAtomically(Data((old + csvLines.map { $0 + "\n" }.joined()).utf8), to: csvFile)
}
if peers {
    print("\nSame scenarios, same time limit, flexsched's whole-week model (MPS) given to the peers:")
    print("| scenario | model cols x rows | flexsched unmet | flexsched objective | HiGHS unmet | HiGHS objective | HiGHS bound | CBC unmet | CBC objective | CBC bound |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    peerRows.forEach { print($0) }
}
if twoStep {
    print("\nOne joint solve against lessons first, then flex (each step flexsched; lessons pinned for step 2), same time limit in all:")
    print("| scenario | joint unplaced lessons | joint unmet sessions | joint comfort | joint s | two-step unplaced | two-step unmet | two-step comfort | two-step s (lessons + flex) | two-step check |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    twoStepRows.forEach { print($0) }
}
if cpsat {
    print("\nCP-SAT (\(cpsatWorkers) workers, \(fmt(cpsatTimeLimit ?? timeLimit, "%.0f")) s) on flexsched's exact whole-week model; its timetable decoded by flexsched and checked:")
    print("| scenario | CP-SAT start | model cols x rows | flexsched unmet | flexsched comfort (teacher continuity) | flexsched objective | flexsched bounds (unmet, comfort, objective) | flexsched zero unmet s | model objective at the hint | CP-SAT unmet | CP-SAT comfort (teacher continuity) | CP-SAT objective | CP-SAT bound (objective) | CP-SAT zero unmet s | CP-SAT status | CP-SAT check | CP-SAT peak MiB | load before (flexsched / CP-SAT) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    cpsatRows.forEach { print($0) }
}
exit(failures == 0 ? 0 : 1)
