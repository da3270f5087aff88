import ArgumentParser
import Foundation
import RosterImport
import ScenarioKit
import TimetableChecker
import TimetableFormat

struct ExportFET: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fet",
        abstract: "Write the original FET file with every activity locked where the timetable has it, and optionally let FET verify it.",
        discussion: """
        For a scenario imported with `flexsched import fet`: reads the original .fet again, maps it as the \
        import did (so it knows which FET activities make each lesson), and writes it unchanged but for a \
        100 % ConstraintActivityPreferredStartingTime for every active activity and a 100 % \
        ConstraintActivityPreferredRoom for every session with a room, all permanently locked, as FET \
        locks a timetable itself. The sessions of a split lesson go to its sub-activities in week order, \
        except where a sub-activity has its own hard start constraints in the original: it gets a session \
        they allow.

        Refused (exit 2, nothing written): a timetable that the checker rejects, a scenario or timetable \
        that does not come from this FET file, a lesson not fully placed (FET would place it itself, and \
        the verification would prove nothing), a day or block with no FET name.

        --verify then runs FET's own generator on the locked file (`fet-cl --inputfile=OUT \
        --timelimitseconds=T --htmllevel=0`, stopped after --fet-deadline seconds, since on a locked file \
        with a clash FET runs on past its limit) and accepts only if FET prints `Simulation successful` \
        and places every activity exactly where it is locked. FET gives way to a constraint below 100 % \
        only by chance, so the hard constraints are verified on a copy with those switched off; the \
        locked file itself, run again, gives FET's count of soft conflicts. Rejected: exit 1 with \
        FET's words.

        Example:
          flexsched import fet school.fet --out school.yaml
          flexsched solve school.yaml --out out
          flexsched export fet school.yaml out/timetable.json --original school.fet --out out/school-locked.fet --verify
        """)

    @Argument(help: "Scenario file imported from the FET file.") var scenario: String
    @Argument(help: "Timetable JSON of that scenario.") var timetable: String
    @Option(help: "The FET file the scenario was imported from.") var original: String
    @Option(help: "The locked FET file to write.") var out: String
    @Flag(help: "Run fet-cl on the written file and report FET's verdict (exit 1 if FET rejects it).") var verify = false
    @Flag(help: "Print the outcome as JSON on stdout.") var json = false
    @Option(help: "With --verify: fet-cl's own --timelimitseconds (default: 60).", transform: NumericValue.positiveCount) var fetTimeLimit = 60
    @Option(help: "With --verify: stop fet-cl after this many seconds (default: its time limit + 30).", transform: NumericValue.positiveSeconds)
    var fetDeadline: Double?
    @Option(help: "With --verify: the fet-cl to run (default: fet-cl on PATH).") var fetCl: String?

    struct Report: Encodable {
        var original: String
        var out: String
        var written: Bool
        var activities: Int
        var locked: Int
        var roomsLocked: Int
        /// accepted, rejected, or not-run (without --verify).
        var verdict: String
        var fetMessage: String?
        var softConflicts: Double?
        var fetSeconds: Double?
        var misplaced: [String]
        var warnings: [String]
        var problems: [String]
    }

    func validate() throws {
        if URL(fileURLWithPath: out).standardizedFileURL.resolvingSymlinksInPath() == URL(fileURLWithPath: original).standardizedFileURL.resolvingSymlinksInPath() {
            throw ValidationError("--out is the original FET file; write the locked file elsewhere, so the original stays as it is")
        }
        if !verify, fetDeadline != nil || fetCl != nil {
            throw ValidationError("--fet-deadline and --fet-cl are for --verify; add --verify or leave them out")
        }
    }

    func run() throws {
        var report = Report(original: original, out: out, written: false, activities: 0, locked: 0, roomsLocked: 0, verdict: "not-run",
                            misplaced: [], warnings: [], problems: [])
        let locked: FETLockedFile
        do {
            let (loaded, checked) = try checkedInput(scenario, timetable)
            locked = try lockedFET(original: original, scenario: loaded, scenarioFile: scenario, timetable: checked, timetableFile: timetable)
        } catch {
            report.problems = error.problems.map(\.description)
            if json { printJSON(report) }
            throw exitForBadInput(error)
        }
        // Before anything is written: --verify without FET is bad input, not a half-done export.
        var fetCl: String?
        if verify {
            fetCl = FETVerifier.findFetCl(self.fetCl)
            if fetCl == nil {
                let error = InputError(file: self.fetCl ?? "fet-cl", entity: "--verify",
                                       "\(self.fetCl.map { "`\($0)` is not an executable" } ?? "fet-cl is not on PATH"); install FET (Debian: apt-get install fet) or give --fet-cl PATH")
                report.problems = error.problems.map(\.description)
                if json { printJSON(report) }
                throw exitForBadInput(error)
            }
        }
        try writeFileAtomically(Data(locked.text.utf8), to: out)
        report.written = true
        report.activities = locked.activities
        report.locked = locked.locks.count
        report.roomsLocked = locked.roomLocks
        report.warnings = locked.warnings
        for w in locked.warnings { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
        if !json { print("Wrote \(out): \(locked.locks.count) of \(locked.activities) active activities locked in time, \(locked.roomLocks) in a room.") }
        guard let fetCl else {
            if json { printJSON(report) }
            return
        }
        let verdict = try FETVerifier.verifyHardThenSoft(file: out, locks: locked.locks, fetCl: fetCl, timeLimit: fetTimeLimit,
                                             deadline: fetDeadline ?? Double(fetTimeLimit + 30))
        report.verdict = verdict.accepted ? "accepted" : "rejected"
        report.fetMessage = verdict.message
        report.softConflicts = verdict.softConflicts
        report.fetSeconds = (verdict.seconds * 100).rounded() / 100
        report.misplaced = verdict.misplaced
        if json { printJSON(report) }
        if verdict.accepted {
            if !json {
                print("FET accepts it: every activity placed where locked, in \(String(format: "%.1f", verdict.seconds)) s; "
                      + "soft conflicts (FET's count): \(verdict.softConflicts.map { String($0) } ?? "not reported").")
            }
        } else {
            printError("FET rejects \(out): \(verdict.message)" + verdict.misplaced.prefix(20).map { "\n  \($0)" }.joined())
            throw ExitCode(1)
        }
    }

    private func printJSON(_ report: Report) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if let data = try? encoder.encode(report) { print(String(decoding: data, as: UTF8.self)) }
    }
}

/// As `loadCheckedTimetable`, the timetable verified by the independent checker before anything is
/// exported from it, but every refusal is an `InputError` (exit 2, and listed under --json): for
/// `export fet` a timetable that breaks a rule is input it refuses, like a timetable of another file.
private func checkedInput(_ scenario: String, _ timetable: String) throws(InputError) -> (ValidatedScenario, CheckedTimetable) {
    let loaded = try ScenarioLoader.load(path: scenario)
    let table = try Timetable.load(path: timetable)
    if table.scenario != loaded.name {
        throw InputError(file: timetable, entity: "scenario", "the timetable was made for \"\(table.scenario)\", not for \"\(loaded.name)\" (\(scenario))")
    }
    do {
        return (loaded, try CheckedTimetable.verify(table, against: loaded))
    } catch {
        throw InputError(error.violations.map {
            InputProblem(file: timetable, entity: "hard rule", message: "\($0); the checker refuses the timetable against \(scenario), so it is not exported (solve again)")
        })
    }
}
