import ScenarioKit

/// A finished import: the scenario file's text and the scenario it reads back as.
public struct ImportResult: Sendable {
    public var text: String
    public var scenario: ValidatedScenario
}

/// Reads inputs one file at a time but reports every file's problems together, so an admin fixing a
/// sheet does not discover the needs file's problems only on the next run.
struct ProblemCollector {
    var problems: [InputProblem] = []

    mutating func attempt<T>(_ read: () throws(InputError) -> T) -> T? {
        do { return try read() } catch { problems += error.problems; return nil }
    }
}

/// `flexsched import csv`: teachers, students and (optionally) rooms sheets, a week template and a
/// needs sheet. Nothing is returned unless every file is right.
public func importSpreadsheets(week: String, needs: String, teachers: String, students: String, rooms: String?,
                               outputFile: String) throws(InputError) -> ImportResult {
    var collector = ProblemCollector()
    let template = collector.attempt { () throws(InputError) in try ScenarioLoader.loadWeekTemplate(path: week) }
    let needsSheet = collector.attempt { () throws(InputError) in try CSVTable.read(path: needs) }
    let teacherSheet = collector.attempt { () throws(InputError) in try CSVTable.read(path: teachers) }
    let studentSheet = collector.attempt { () throws(InputError) in try CSVTable.read(path: students) }
    let roomSheet = rooms.flatMap { path in collector.attempt { () throws(InputError) in try CSVTable.read(path: path) } }
    var roster: ImportedRoster?
    if let teacherSheet, let studentSheet, rooms == nil || roomSheet != nil {
        roster = collector.attempt { () throws(InputError) in
            try SpreadsheetRoster.read(teachers: teacherSheet, rooms: roomSheet, students: studentSheet)
        }
    }
    guard collector.problems.isEmpty, let template, let needsSheet, let roster else {
        if roster == nil, let template, let needsSheet { collector.problems += ScenarioAssembly.needsProblems(needsSheet, week: template) }
        throw InputError(collector.problems)
    }
    let (text, scenario) = try ScenarioAssembly.scenarioText(week: template, roster: roster, needs: needsSheet, outputFile: outputFile,
                                                             command: "flexsched import csv")
    return ImportResult(text: text, scenario: scenario)
}
