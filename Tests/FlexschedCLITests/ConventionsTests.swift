import FlexschedTestSupport
import Foundation
@testable import flexsched
import Scheduler
import Testing

/// How `flexsched ARGUMENTS` ends when it stops while parsing (--version, an argument error): the exit status and the message, as `runCommandLine` prints them.
private func ending(_ arguments: [String]) -> (status: Int32, message: String)? {
    do {
        _ = try Flexsched.parseAsRoot(arguments)
        return nil
    } catch {
        return (exitStatus(for: error), Flexsched.fullMessage(for: error))
    }
}

@Suite struct CommandLineConventions {
    @Test func versionIsPrintedOnStdoutWithStatusZero() throws {
        let version = try #require(ending(["--version"]))
        #expect(version.status == 0 && version.message == "0.3.0")
        #expect(flexschedVersion == "0.3.0")
    }

    @Test(arguments: [["--help"], ["solve", "--help"], ["export", "ics", "-h"], ["help", "whatif"], []])
    func helpExitsZero(_ arguments: [String]) {
        // Help is a command of its own that parses fine, so it is run (it prints the help on stdout).
        #expect(runCommandLine(arguments) == 0)
    }

    @Test(arguments: [
        ["--bogus"], ["solve", "s.yaml", "--bogus"], ["frobnicate"],
        ["solve"], ["check", "s.yaml"], ["export", "ics", "s.yaml", "t.json"], ["solve", "s.yaml", "--out"],
        ["solve", "s.yaml", "--seed", "abc"], ["solve", "s.yaml", "--time-limit", "soon"], ["export", "ics", "s", "t", "--out", "o", "--student-names", "all"],
        ["rules", "--json", "--markdown"], ["solve", "s.yaml", "--ics"], ["solve", "s.yaml", "--pin", "lee"],
    ])
    func everyArgumentErrorExitsTwo(_ arguments: [String]) throws {
        let error = try #require(ending(arguments))
        #expect(error.status == 2, "\(arguments): \(error.message)")
        #expect(error.message.hasPrefix("Error: "))
    }

    @Test(arguments: [
        (["solve", "s.yaml", "--time-limit", "-3"], "'-3' is invalid for '--time-limit <time-limit>': must be a positive number of seconds"),
        (["solve", "s.yaml", "--time-limit=-3"], "'-3' is invalid for '--time-limit <time-limit>': must be a positive number of seconds"),
        (["solve", "s.yaml", "--time-limit", "0"], "'0' is invalid for '--time-limit <time-limit>': must be a positive number of seconds"),
        (["solve", "s.yaml", "--time-limit", "inf"], "'inf' is invalid for '--time-limit <time-limit>': must be a positive number of seconds"),
        (["solve", "s.yaml", "--time-limit", "nan"], "'nan' is invalid for '--time-limit <time-limit>': must be a positive number of seconds"),
        (["solve", "s.yaml", "--gap", "-0.5"], "'-0.5' is invalid for '--gap <gap>': must be a fraction from 0 to 1"),
        (["solve", "s.yaml", "--gap", "2"], "'2' is invalid for '--gap <gap>': must be a fraction from 0 to 1"),
        (["solve", "s.yaml", "--seed", "-3"], "'-3' is invalid for '--seed <seed>': must be a whole number from 0 to 18446744073709551615"),
        (["solve", "s.yaml", "--max-subproblems", "-1"], "'-1' is invalid for '--max-subproblems <max-subproblems>': must be a whole number, 0 or more"),
        (["solve", "s.yaml", "--patience", "0"], "'0' is invalid for '--patience <seconds>': must be a positive number of seconds"),
        (["solve", "s.yaml", "--patience-subproblems", "0"], "'0' is invalid for '--patience-subproblems <n>': must be a whole number, 1 or more"),
        (["whatif", "s.yaml", "--baseline", "t.json", "--change", "c.yaml", "--patience", "-1"], "'-1' is invalid for '--patience <seconds>': must be a positive number of seconds"),
        (["explain", "s.yaml", "t.json", "--trials", "-2"], "'-2' is invalid for '--trials <trials>': must be a whole number, 0 or more"),
        (["explain", "s.yaml", "t.json", "--seconds-per-trial", "-1"], "'-1' is invalid for '--seconds-per-trial <seconds-per-trial>': must be a positive number of seconds"),
        (["whatif", "s.yaml", "--baseline", "t.json", "--change", "c.yaml", "--time-limit", "-3"], "'-3' is invalid for '--time-limit <time-limit>': must be a positive number of seconds"),
    ])
    func badNumbersSayWhatTheOptionAccepts(_ arguments: [String], _ message: String) throws {
        let error = try #require(ending(arguments))
        #expect(error.status == 2)
        #expect(error.message.hasPrefix("Error: The value \(message)\n"), "\(error.message)")
    }

    @Test func goodNumbersStillParse() throws {
        let solve = try #require(try Flexsched.parseAsRoot(["solve", "s.yaml", "--time-limit", "0.5", "--gap", "1", "--seed", "0", "--max-subproblems", "0"]) as? Solve)
        #expect(solve.timeLimit == 0.5 && solve.gap == 1 && solve.seed == 0 && solve.maxSubproblems == 0)
        let explain = try #require(try Flexsched.parseAsRoot(["explain", "s.yaml", "t.json", "--trials=0", "--seconds-per-trial", "1e1"]) as? Explain)
        #expect(explain.trials == 0 && explain.secondsPerTrial == 10)
    }

    @Test func patienceOptionsParseAndTheHelpTeachesThem() throws {
        let solve = try #require(try Flexsched.parseAsRoot(["solve", "s.yaml", "--patience", "2.5", "--patience-subproblems", "7"]) as? Solve)
        #expect(solve.patience == 2.5 && solve.patienceSubproblems == 7)
        let defaults = try #require(try Flexsched.parseAsRoot(["solve", "s.yaml"]) as? Solve)
        #expect(defaults.patience == nil && defaults.patienceSubproblems == nil)
        let whatIf = try #require(try Flexsched.parseAsRoot(["whatif", "s.yaml", "--baseline", "t.json", "--change", "c.yaml"]) as? WhatIf)
        #expect(whatIf.patience == SolveOptions.baselinePatience && whatIf.patience < whatIf.timeLimit)
        let help = Flexsched.helpMessage(for: Solve.self, columns: 10_000)
        #expect(help.contains("--patience <seconds>") && help.contains("--patience-subproblems <n>"))
        #expect(help.contains("--patience is ignored") && help.contains("stopReason"))
        #expect(Flexsched.helpMessage(for: WhatIf.self).contains("--patience <seconds>"))
    }

    @Test func theBuiltProgramExitsAsTheReadmeSays() throws {
        let flexsched = try #require(builtFlexsched(), "no built flexsched next to the tests")
        let version = try runProcess(flexsched, ["--version"])
        #expect(version.status == 0 && version.stdout == "0.3.0\n" && version.stderr.isEmpty)
        let unknown = try runProcess(flexsched, ["solve", "s.yaml", "--bogus"])
        #expect(unknown.status == 2 && unknown.stdout.isEmpty && unknown.stderr.hasPrefix("Error: Unknown option '--bogus'"))
        let negative = try runProcess(flexsched, ["solve", "s.yaml", "--time-limit", "-3"])
        #expect(negative.status == 2 && negative.stderr.contains("must be a positive number of seconds"))
        let help = try runProcess(flexsched, ["--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: flexsched <subcommand>"))
        let completion = try runProcess(flexsched, ["--generate-completion-script", "bash"])
        #expect(completion.status == 0 && completion.stdout.hasPrefix("#!/bin/bash"))
        let missing = try runProcess(flexsched, ["check", "/nonexistent/s.yaml", "/nonexistent/t.json"])
        #expect(missing.status == 2 && missing.stderr.contains("error: bad input"))
        // A command's own status passes through: a rule violation is 1, a clean check 0.
        let dir = NSTemporaryDirectory() + "flexsched-conventions-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try """
            name: Two days
            days: [mon, tue]
            blocks: [{id: b1, start: "09:00", end: "09:45"}, {id: b2, start: "10:00", end: "10:45"}]
            modalities: {tutoring: {min: 1, max: 2}}
            teachers: [{id: lee, subjects: [math]}]
            rooms: [{id: r1, capacity: 2}]
            students: [{id: ana, needs: [{subject: math, modality: tutoring, sessions: 2}]}]
            """.write(toFile: dir + "/s.yaml", atomically: true, encoding: .utf8)
        func timetable(secondDay: String) -> String {
            let session = #"{"block": "b1", "subject": "math", "modality": "tutoring", "teacher": "lee", "room": "r1", "students": ["ana"]"#
            return #"{"scenario": "Two days", "status": "feasible", "unmet": [], "sessions": ["# + #"\#(session), "day": "mon"}, \#(session), "day": "\#(secondDay)"}]}"#
        }
        try timetable(secondDay: "tue").write(toFile: dir + "/good.json", atomically: true, encoding: .utf8)
        try timetable(secondDay: "mon").write(toFile: dir + "/broken.json", atomically: true, encoding: .utf8)
        #expect(try runProcess(flexsched, ["check", dir + "/s.yaml", dir + "/good.json"]).status == 0)
        #expect(try runProcess(flexsched, ["check", dir + "/s.yaml", dir + "/broken.json"]).status == 1)
    }
}
