import ArgumentParser
import Foundation
import Reports
import ScenarioKit

struct ExportHTML: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "html",
        abstract: "Write the timetable as one printable HTML file: the school's days, every teacher, student and room.",
        discussion: """
        Writes DIR/timetable.html, one self-contained file (no scripts, nothing loaded from elsewhere): \
        an index with links, the whole school day by day (rooms down, times across), one page per \
        teacher, student and room, and the unmet needs with their reasons, mandated ones first. Print \
        it from any browser, landscape: each section starts a new page. A student's page names no \
        other student, so it can go into her folder. Modalities have a colour and a border style, so \
        black-and-white copies read the same. The timetable is checked against the scenario first; one \
        that breaks a hard rule is refused with every violation (exit 1); unreadable input exits 2.

        Example:  flexsched export html Scenarios/example.yaml out/timetable.json --out out/
        """)

    @Argument(help: "Scenario file (YAML or JSON).") var scenario: String
    @Argument(help: "Timetable JSON (v1 or v1.1) file of that scenario.") var timetable: String
    @Option(help: "Directory to write timetable.html into.") var out: String

    func run() throws {
        let (loaded, checked) = try loadCheckedTimetable(scenario, timetable)
        let path = (out as NSString).appendingPathComponent("timetable.html")
        try writeFileAtomically(Data(timetableHTML(checked, scenario: loaded.scenario).utf8), to: path)
        print("Wrote \(path) (checked: all hard rules hold).")
    }
}
