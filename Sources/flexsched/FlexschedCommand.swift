import Advisor
import ArgumentParser
import Diagnosis
import Foundation
import Rules
import Reports
import ScenarioKit
import Scheduler
import Synchronization
import TimetableChecker
import TimetableFormat

struct Flexsched: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flexsched",
        abstract: "Weekly small-group and tutoring timetables for personalized-learning schools.",
        discussion: """
        A scenario file (YAML or JSON) describes the week: students' needs per subject and modality, \
        teachers, rooms and time blocks. `solve` turns it into a timetable that an independent checker \
        has verified against every hard rule; needs that cannot be met are listed with a reason.

        Exit status: 0 success, 1 a timetable breaks a rule (check) or the solve failed, 2 bad input or \
        a bad option.

        Start with:  flexsched validate Scenarios/example.yaml
                     flexsched solve Scenarios/midsize-week.yaml --out out/
        """,
        version: flexschedVersion,
        subcommands: [Validate.self, Solve.self, Check.self, WhatIf.self, Explain.self, Show.self, Export.self, Import.self, RulesCommand.self, Worker.self,
                      Serve.self, Schools.self, Users.self])
}

/// Prints the problems of a bad input file and exits with status 2, writing nothing.
func exitForBadInput(_ error: InputError) -> ExitCode {
    FileHandle.standardError.write(Data("error: bad input\n\(error.problems.map { "  \($0)" }.joined(separator: "\n"))\n".utf8))
    return ExitCode(2)
}

func parsePins(_ texts: [String]) throws -> [Pin] {
    try texts.map { text in
        guard let pin = Pin(parsing: text) else {
            throw ValidationError("--pin \(text): write teacher:ID, room:ID or student:ID")
        }
        return pin
    }
}

/// Both files a command reads, or exit 2 naming what is wrong with them.
func loadScenarioAndTimetable(_ scenario: String, _ timetable: String) throws -> (ValidatedScenario, Timetable) {
    do {
        return (try ScenarioLoader.load(path: scenario), try Timetable.load(path: timetable))
    } catch { throw exitForBadInput(error) }
}

/// Both files a command reads, with the timetable verified by the independent checker before anything
/// is shown or exported from it; a timetable that breaks a hard rule exits 1 with every violation.
func loadCheckedTimetable(_ scenario: String, _ timetable: String) throws -> (ValidatedScenario, CheckedTimetable) {
    let (loaded, table) = try loadScenarioAndTimetable(scenario, timetable)
    // Before the check, whose findings would only confuse when the timetable is another school's.
    if table.scenario != loaded.name {
        throw exitForBadInput(InputError(file: timetable, entity: "scenario",
                                         "the timetable was made for \"\(table.scenario)\", not for \"\(loaded.name)\" (\(scenario))"))
    }
    do {
        return (loaded, try CheckedTimetable.verify(table, against: loaded))
    } catch {
        printError("\(timetable) breaks \(error.violations.count) hard rule(s) of \(scenario); fix it (or solve again) first:\n"
                   + error.violations.map { "  \($0)" }.joined(separator: "\n"))
        throw ExitCode(1)
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
}

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a scenario file and print its size.",
        discussion: "Reports every problem at once, with file, line and entity; exits 2 if there is any.")

    @Argument(help: "Scenario file (YAML or JSON).") var scenario: String
    @Flag(help: "Print the summary as JSON.") var json = false

    func run() throws { print(try output(), terminator: "") }

    /// What `run` prints, so tests can read it.
    func output() throws -> String {
        let loaded: ValidatedScenario
        do { loaded = try ScenarioLoader.load(path: scenario) } catch {
            let exit = exitForBadInput(error)
            FileHandle.standardError.write(Data(Validate.warningsText(error.warnings).utf8))
            throw exit
        }
        let needs = loaded.students.reduce(0) { $0 + $1.needs.count }
        let sessions = loaded.students.reduce(0) { $0 + $1.needs.reduce(0) { $0 + $1.sessions } }
        let findings = diagnose(loaded)
        let warnings = loaded.warnings
        let size: [String: Int] = [
            "days": loaded.days.count, "blocks": loaded.blocks.count, "teachers": loaded.teachers.count,
            "rooms": loaded.rooms.count, "students": loaded.students.count, "needs": needs, "sessionsNeeded": sessions,
        ]
        if json {
            let inputWarnings = warnings.map { w -> [String: Any] in
                var entry: [String: Any] = ["file": w.file, "entity": w.entity, "message": w.message]
                if let line = w.line { entry["line"] = line }
                return entry
            }
            let data = try JSONSerialization.data(withJSONObject: ["scenario": loaded.name, "valid": true, "size": size, "warnings": diagnosisJSON(findings),
                                                                   "inputWarnings": inputWarnings], options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self) + "\n"
        }
        return """
            \(scenario): valid scenario "\(loaded.name)"
              \(loaded.days.count) day(s) x \(loaded.blocks.count) blocks, \(loaded.teachers.count) teachers, \(loaded.rooms.count) rooms
              \(loaded.students.count) students with \(needs) needs, \(sessions) sessions to schedule

            """ + Validate.warningsText(warnings) + diagnosisText(findings)
    }

    /// Likely typos under their own heading, one `file:line: entity: message` each; empty without any.
    /// `solve` prints the same on stderr.
    static func warningsText(_ warnings: [InputProblem]) -> String {
        guard !warnings.isEmpty else { return "" }
        return (["warnings (allowed, but probably not meant):"] + warnings.map { "  \($0)" }).joined(separator: "\n") + "\n"
    }
}

struct Solve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a timetable for a scenario with GLPK, check it, and report or write it.",
        discussion: """
        Starts from a constructive timetable, then lets GLPK re-optimise one day and a few activities at \
        a time. It stops at the first of: the gap target (--gap) reached, no further gain anywhere (a \
        full round of pieces of every width found nothing better), a pass of the search ending \
        --patience seconds after the last better timetable (only when given), and the time limit, \
        which is a hard ceiling. The \
        timetable records which one (stopReason: gap, patience, converged, time-limit, work-limit, or \
        optimal when the gap is closed). Progress (elapsed, unmet sessions, sub-problems solved) goes to \
        stderr as soon as a first timetable is built, then once a second, and a last line says why it \
        stopped. The result is verified by the independent checker before anything is printed or written.

        Under --max-subproblems the clock must not decide anything, so --patience is ignored there; \
        give --patience-subproblems N to stop after N sub-problems in a row without gain. Example: \
        `flexsched solve week.yaml --patience 20 --time-limit 120` ends the first pass that finishes \
        20 s after the last gain, and never runs more than 2 minutes in all.

        --threads N (default 2) solves up to N sub-problems at once, each on its own day and with its \
        own share of the week's remaining teacher and need limits, so their results always fit \
        together. Their results are kept in the order they were started and each stops on work, so \
        the same seed and N give the same timetable on a busy machine as on an idle one, unless the \
        time limit or the patience ends the run first (--max-subproblems makes that certain); \
        --threads 1 solves one sub-problem at a time.

        With --out DIR: writes DIR/timetable.json (timetable JSON v1), DIR/timetable.md (grids per \
        teacher, room and student) and DIR/timetable.html (the same to print, a page per day, teacher, \
        student and room; see `export html`). Without it: prints a summary (or the JSON with --json).
        """)

    @Argument(help: "Scenario file (YAML or JSON).") var scenario: String
    @Option(help: "Directory to write timetable.json, timetable.md and timetable.html into.") var out: String?
    @Option(parsing: .unconditional, help: "Wall-clock limit in seconds, counted from the start of the command; the checked timetable follows within about a second.",
            transform: NumericValue.positiveSeconds) var timeLimit: Double = 60
    @Option(parsing: .unconditional, help: "Stop once both proven relative gaps, unmet sessions and comfort, are at most this fraction (0 to 1).", transform: NumericValue.fraction)
    var gap: Double = 0
    @Option(parsing: .unconditional, help: ArgumentHelp("Stop at the end of a pass of the search once this many seconds have passed without a better timetable (default: none, the search stops when it finds nothing better; ignored under --max-subproblems).", valueName: "seconds"),
            transform: NumericValue.positiveSeconds)
    var patience: Double?
    @Option(parsing: .unconditional, help: ArgumentHelp("Stop once this many GLPK sub-problems in a row bring no better timetable (reproducible patience).", valueName: "n"),
            transform: NumericValue.positiveCount)
    var patienceSubproblems: Int?
    @Option(parsing: .unconditional, help: "Random seed of the search; the same seed gives the same timetable unless the clock stops the run (never under --max-subproblems).", transform: NumericValue.seed)
    var seed: UInt64 = 1
    @Option(parsing: .unconditional, help: "Work limit: at most this many GLPK sub-problems (for reproducible runs).", transform: NumericValue.count)
    var maxSubproblems: Int?
    @Option(parsing: .unconditional, help: ArgumentHelp("GLPK sub-problems solved at once, on different days (1: one at a time).", valueName: "n"),
            transform: NumericValue.positiveCount)
    var threads: Int = SolveOptions.defaultThreads
    @Flag(inversion: .prefixedNo, help: "GLPK's MIP presolver on sub-problems (off lets GLPK start from the current timetable).")
    var presolve = false
    @Flag(inversion: .prefixedNo, help: "GLPK's cutting planes (Gomory, MIR, cover, clique).") var cuts = true
    @Option(help: "Last week's (or the current) timetable: keep it wherever the scenario allows, changing as few student sessions as possible.")
    var baseline: String?
    @Option(help: "With --baseline: keep this person's sessions exactly (teacher:ID, room:ID or student:ID; repeatable).")
    var pin: [String] = []
    @Option(help: "Also write the whole week as one integer program (free MPS, GLPK's writer) for other MIP solvers.")
    var writeModel: String?
    @Flag(help: "Print the timetable JSON to stdout instead of a summary.") var json = false
    @Flag(help: "Show GLPK's own log.") var solverLog = false
    @Flag(help: "No progress lines on stderr.") var quiet = false
    @Flag(help: "Also show the solver's status, objective, bound and gap in the summary and progress lines, and each unmet need's full reason.") var verbose = false
    @Flag(help: "With --out: also write iCalendar files into DIR/calendars (see `export ics`).") var ics = false
    @OptionGroup(title: "Calendars (with --ics)") var privacy: StudentNamesOption

    func validate() throws {
        if ics && out == nil { throw ValidationError("--ics needs --out DIR") }
        if privacy.isGiven && !ics { throw ValidationError("--student-names is for the calendars of --ics; add --ics or leave it out") }
        _ = try parsePins(pin)
    }

    func run() throws {
        // The limit is the admin's wait: reading, validating and diagnosing come out of it too.
        let started = Date()
        let loaded: ValidatedScenario
        var options = SolveOptions()
        do {
            loaded = try ScenarioLoader.load(path: scenario)
            options.baseline = try baseline.map { path throws(InputError) in try Timetable.load(path: path) }
        } catch { throw exitForBadInput(error) }
        if ics { try requireTermForCalendars(loaded, file: scenario) }
        let findings = quiet ? nil : warnAboutShortfalls(loaded)
        if !quiet { FileHandle.standardError.write(Data(Validate.warningsText(loaded.warnings).utf8)) }
        options.pins = try parsePins(pin)
        options.timeLimit = max(0.1, timeLimit - Date().timeIntervalSince(started))
        options.relativeGap = gap
        options.patience = patience
        options.patienceSubproblems = patienceSubproblems
        options.seed = seed
        options.maxSubproblems = maxSubproblems
        options.threads = threads
        options.presolve = presolve
        options.cuts = cuts
        options.showSolverLog = solverLog
        let progress = quiet ? nil : Solve.progressPrinter(verbose: verbose) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        let checked: CheckedTimetable
        do {
            checked = try scheduleWeek(loaded, options: options, findings: findings, progress: progress)
        } catch {
            printError(error.description + (error.isInputProblem ? "" : "; nothing was written"))
            throw ExitCode(error.isInputProblem ? 2 : 1)
        }
        let timetable = checked.timetable
        let calendars = try out.flatMap { ics ? try solvedCalendars(loaded, checked, out: $0) : nil }
        // Only now: pins and the baseline are checked against the scenario by the solve, the calendars'
        // time zone and earlier export just above, and bad input (exit 2) must leave no file behind.
        if let writeModel {
            do {
                let size = try writeWholeWeekModel(loaded, to: writeModel)
                FileHandle.standardError.write(Data("wrote \(writeModel): \(size.columns) columns x \(size.rows) rows; unmet sessions = \(size.neededSessions) - sum of the first \(size.seatColumns) (x) columns; objective = model objective + \(String(format: "%.0f", size.constant))\n".utf8))
            } catch {
                printError(error.description)
                throw ExitCode(1)
            }
        }
        if let out {
            try writeFileAtomically(timetable.jsonData(), to: (out as NSString).appendingPathComponent("timetable.json"))
            try writeFileAtomically(Data(timetableMarkdown(checked, scenario: loaded.scenario).utf8),
                                    to: (out as NSString).appendingPathComponent("timetable.md"))
            try writeFileAtomically(Data(timetableHTML(checked, scenario: loaded.scenario).utf8),
                                    to: (out as NSString).appendingPathComponent("timetable.html"))
        }
        if json {
            FileHandle.standardOutput.write(try timetable.jsonData())
        } else {
            print(summaryText(checked, scenario: loaded.scenario, verbose: verbose))
            if let out { print("Wrote \(out)/timetable.json, \(out)/timetable.md and \(out)/timetable.html (checked: all hard rules hold).") }
        }
        if let calendars {
            let summary = try calendars.write()
            if !json { print(summary) }
        }
    }
}

extension Solve {
    /// Writes the first report, sent when construction ends, so the admin sees at once that work is
    /// under way; then one line a second, and the last one with why the search stopped.
    static func progressPrinter(verbose: Bool, write: @escaping @Sendable (String) -> Void) -> @Sendable (SolveProgress) -> Void {
        let firstReport = Mutex(true)
        return { p in
            let isFirst = firstReport.withLock { first in defer { first = false }; return first }
            guard isFirst || p.periodic || p.stopReason != nil else { return }
            write(progressLine(p, verbose: verbose))
        }
    }

    /// "[  3.0s] 12 sessions unmet, 4 sub-problems solved"; the solver's numbers only when asked for.
    static func progressLine(_ p: SolveProgress, verbose: Bool) -> String {
        let unmet = p.unmetSessions == 1 ? "1 session unmet" : "\(p.unmetSessions) sessions unmet"
        let solved = p.subproblems == 1 ? "1 sub-problem solved" : "\(p.subproblems) sub-problems solved"
        var line = String(format: "[%5.1fs] ", p.elapsed) + "\(unmet), \(solved)"
        if verbose { line += String(format: "; objective %.0f, bound %.0f, gap %.1f%%", p.objective, p.bound, p.gap * 100) }
        if let reason = p.stopReason { line += "; stopped: \(reason.plainText)" }
        return line
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify any timetable JSON against a scenario, rule by rule (see `flexsched rules`).",
        discussion: "Lists every violation; exits 1 if there is any, 2 if a file cannot be read.")

    @Argument(help: "Scenario file (YAML or JSON).") var scenario: String
    @Argument(help: "Timetable JSON v1 file.") var timetable: String
    @Flag(help: "Print the violations as JSON.") var json = false

    func run() throws {
        let (loaded, table) = try loadScenarioAndTimetable(scenario, timetable)
        let violations = checkTimetable(table, against: loaded)
        if json {
            let list = violations.map { ["rule": $0.rule.id, "name": $0.rule.name, "message": $0.message] }
            let data = try JSONSerialization.data(withJSONObject: ["valid": violations.isEmpty, "violations": list], options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else if violations.isEmpty {
            print("\(timetable): \(table.sessions.count) sessions, all \(RuleCatalogue.hardRules.count) hard rules hold (`flexsched rules` lists them)")
        } else {
            print("\(timetable): \(violations.count) violation(s)")
            for v in violations { print("  \(v)") }
        }
        if !violations.isEmpty { throw ExitCode(1) }
    }
}
