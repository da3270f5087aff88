import ArgumentParser
import Foundation
import Reports
import ScenarioKit
import TimetableChecker
import TimetableFormat

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print one teacher's, student's, room's or class's week from a timetable.",
        discussion: """
        Days as columns and blocks with their clock times as rows, with a break row where blocks leave \
        a pause; each cell shows the subject and modality, then the other people or the room. A double \
        block shows in each of its blocks ("(1/2)", "(2/2)"); fixed sessions show under their title, \
        marked "fixed", lessons under their title. A class's week shows its lessons and those of the \
        classes it belongs to (a Year 7 lesson is on 7A's week), never a member's personal sessions, and \
        ends with its unplaced lessons. A student's week ends with her unmet needs, the highest priority first. With \
        --list: one line per session, in the order they happen. The timetable is checked against the \
        scenario first; one that breaks a hard rule is refused (run `flexsched check` to see why).
        """)

    @Argument(help: "Scenario file (YAML or JSON).") var scenario: String
    @Argument(help: "Timetable JSON (v1 or v1.1) file of that scenario.") var timetable: String
    @Argument(help: "Whose week: teacher:ID, student:ID, room:ID or class:ID (the `id:` in the scenario file).") var who: String
    @Flag(help: "A compact list in time order instead of a grid.") var list = false

    func validate() throws {
        guard WeekOwner(parsing: who) != nil else {
            throw ValidationError("\(who): write teacher:ID, student:ID, room:ID or class:ID, with an id from the scenario file")
        }
    }

    func run() throws {
        let (loaded, checked) = try loadCheckedTimetable(scenario, timetable)
        let owner = WeekOwner(parsing: who)!
        let (kind, section, id) = switch owner {
        case .teacher(let id): ("teacher", "teachers", id)
        case .student(let id): ("student", "students", id)
        case .room(let id): ("room", "rooms", id)
        case .schoolClass(let id): ("class", "classes", id)
        }
        guard owner.exists(in: loaded.scenario) else {
            throw exitForBadInput(InputError(file: scenario, entity: section,
                                             "no \(kind) has the id `\(id)`; ids are the `id:` values under `\(section):` in this file"))
        }
        print(list ? weekList(checked, scenario: loaded.scenario, owner: owner) : weekGrid(checked, scenario: loaded.scenario, owner: owner),
              terminator: "")
    }
}
