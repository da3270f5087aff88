import FlexschedTestSupport
import Foundation
import RosterImport
import ScenarioKit
import Testing

/// Issue 26: mistakes in three files are all reported in one run, each at its own file, line and
/// column; where the week template and a sheet disagree the sheet wins, with a warning.
@Suite struct ImportOnePassTests {
    func importFolder(_ folder: String) throws(InputError) -> ImportResult {
        try importSpreadsheets(week: folder + "/WEEK.yaml", needs: folder + "/needs.csv", teachers: folder + "/teachers.csv",
                               students: folder + "/students.csv", rooms: folder + "/rooms.csv", outputFile: folder + "/week.yaml")
    }

    @Test func mistakesInThreeFilesAreAllReportedInOneRunAtTheirOwnPlaces() throws {
        let (files, places) = try ImportMistakes.mistaken()
        let folder = try ImportMistakes.write(files)
        do {
            _ = try importFolder(folder)
            Issue.record("the import accepted five mistakes")
        } catch {
            let found = error.problems.map { ImportMistakes.place(file: $0.file, line: $0.line, column: $0.column) }
            #expect(Set(found) == places, "\(error)")
            #expect(found.count == places.count, "each mistake once: \(error)")
            // The day typed in the sheet is the sheet's, not the template's that also sets her limits.
            #expect(error.problems.contains { $0.message.contains("`fri`") && $0.file.hasSuffix("teachers.csv") })
            #expect(error.warnings.map { ImportMistakes.place(file: $0.file, line: $0.line, column: $0.column) } == [ImportMistakes.disagreement])
        }
        #expect(try run(["import", "csv", "--week", folder + "/WEEK.yaml", "--teachers", folder + "/teachers.csv", "--rooms", folder + "/rooms.csv",
                         "--students", folder + "/students.csv", "--needs", folder + "/needs.csv", "--out", folder + "/week.yaml"]) == 2)
        #expect(!FileManager.default.fileExists(atPath: folder + "/week.yaml"))
    }

    @Test func theSheetWinsOverTheWeekTemplateAndAWarningSaysSo() throws {
        let result = try importFolder(try ImportMistakes.write(try ImportMistakes.disagreeing()))
        #expect(result.scenario.scenario.teachers.first { $0.id == "okafor" }?.maxPerWeek == 3)
        let warnings = result.warnings
        #expect(warnings.map { ImportMistakes.place(file: $0.file, line: $0.line, column: $0.column) } == [ImportMistakes.disagreement])
        #expect(warnings.first?.message.contains("max-per-week is 3 here but 10 in the week template") == true, "\(warnings)")
    }
}

/// A week template that does not read in full still has its days, blocks and modalities judged
/// against: the sheets' mistakes come in the same run as the template's own.
@Test func aTemplateThatDoesNotReadStillJudgesTheSheets() throws {
    var (files, places) = try ImportMistakes.mistaken()
    // The block that ends too early is found only once the template reads; the term's date is read first.
    files["WEEK.yaml"] = files["WEEK.yaml"]!.replacingOccurrences(of: "start: 2027-01-11", with: "start: 2027-13-11")
    places = places.filter { !$0.hasPrefix("WEEK.yaml") }
    let folder = try ImportMistakes.write(files)
    do {
        _ = try importSpreadsheets(week: folder + "/WEEK.yaml", needs: folder + "/needs.csv", teachers: folder + "/teachers.csv",
                                   students: folder + "/students.csv", rooms: folder + "/rooms.csv", outputFile: folder + "/week.yaml")
        Issue.record("the import accepted a template that does not read")
    } catch {
        let found = error.problems.map { ImportMistakes.place(file: $0.file, line: $0.line, column: $0.column) }
        #expect(Set(found.filter { !$0.hasPrefix("WEEK.yaml") }) == places, "\(error)")
        #expect(found.filter { $0.hasPrefix("WEEK.yaml:13") }.count == 1, "the term's date, at its line: \(error)")
        #expect(found.count == places.count + 1, "\(error)")
    }
}
