import Foundation
import ScenarioKit
import Store
import Synchronization
import TimetableChecker

/// Rendered answers by private token (calendars, personal pages), so a poll costs a dictionary
/// lookup. Emptied whenever what a token opens changes (publication, rotation, revocation, a new
/// version that renames someone).
final class TokenCache<Entry: Sendable>: Sendable {
    private let entries = Mutex([String: Entry]())

    func entry(_ token: String) -> Entry? {
        entries.withLock { $0[token] }
    }

    /// Only tokens that open something: a scan of random tokens must not grow the cache.
    func remember(_ token: String, _ entry: Entry) {
        entries.withLock { $0[token] = entry }
    }

    func clear() { entries.withLock { $0.removeAll() } }
}

/// A published calendar as its feed serves it.
struct CalendarEntry: Sendable {
    var body: Data
    var etag: String
}

/// A run's stored timetable, read and passed by the independent checker once, with the grid parts
/// its pages show. It stands only for the exact stored text it was made from: each read compares
/// the text in the database with it, so nothing unchecked is ever served.
final class CheckedRun: Sendable {
    let text: String
    let versionID: Int64
    let changeText: String?
    let scenario: ValidatedScenario
    let checked: CheckedTimetable
    /// The HTML of grids already drawn, by page path (`teachers/lee`, `days/mon`).
    private let grids = Mutex([String: GridPage]())

    init(text: String, versionID: Int64, changeText: String?, scenario: ValidatedScenario, checked: CheckedTimetable) {
        self.text = text
        self.versionID = versionID
        self.changeText = changeText
        self.scenario = scenario
        self.checked = checked
    }

    func stands(for run: RunRecord) -> Bool {
        run.scenarioVersionID == versionID && run.changeText == changeText && run.timetable == text
    }

    func grid(_ path: String, draw: () -> GridPage) -> GridPage {
        if let drawn = grids.withLock({ $0[path] }) { return drawn }
        let drawn = draw()
        grids.withLock { $0[path] = drawn }
        return drawn
    }
}

/// The parts of a grid page that depend only on the timetable.
struct GridPage: Sendable {
    var heading: String
    var grid: String
    /// A person's, room's or class's week day by day, for narrow screens (nil for a day of the school).
    var days: String?
    var legend: String
    var styles: String
}

/// The most recently read runs' checked timetables (a school looks at a few runs at a time).
final class CheckedRuns: Sendable {
    private let runs = Mutex([(id: Int64, run: CheckedRun)]())
    private let kept = 16

    func entry(_ id: Int64, for record: RunRecord) -> CheckedRun? {
        runs.withLock { all in all.first { $0.id == id && $0.run.stands(for: record) }?.run }
    }

    func remember(_ id: Int64, _ run: CheckedRun) {
        runs.withLock { all in
            all.removeAll { $0.id == id }
            all.insert((id, run), at: 0)
            if all.count > kept { all.removeLast(all.count - kept) }
        }
    }
}
