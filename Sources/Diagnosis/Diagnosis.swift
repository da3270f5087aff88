import Rules
import WeekIndex
import ScenarioKit

/// Sessions of needs that no timetable can schedule. `student` (or `subject`, `modality`) is `"*"` when
/// the bound is on a sum: the unmet sessions of all matching needs together are at least `sessions`
/// (for example a subject's teachers are too few: which students go short is the solver's choice).
public struct Shortfall: Sendable, Hashable {
    public var student: String; public var subject: String; public var modality: String; public var sessions: Int
    public init(student: String, subject: String, modality: String, sessions: Int) {
        self.student = student; self.subject = subject; self.modality = modality; self.sessions = sessions
    }
}

/// Class lessons (v1.2) that no timetable can place in full: every valid timetable leaves at least
/// `sessions` of the listed lessons' sessions unplaced, together (one id: that lesson alone; several:
/// which of them go short is the solver's choice).
public struct LessonShortfall: Sendable, Hashable {
    public var lessons: [String]
    public var sessions: Int
    public init(lessons: [String], sessions: Int) { self.lessons = lessons; self.sessions = sessions }
}

/// One capacity argument. Each finding is a proof on its own; the shortfalls of different findings
/// may count the same missing sessions, so they are lower bounds, not to be added across findings.
public struct Finding: Sendable, Hashable {
    public var cause: String          // stable code, e.g. "teacher-capacity"
    public var message: String        // plain language, with the numbers and names
    public var shortfalls: [Shortfall] // the needs this finding proves short, and by how much (a lower bound)
    /// The lessons this finding proves unplaced (`LessonFindings.swift`); empty for findings on needs.
    public var unplaced: [LessonShortfall]
    public init(cause: String, message: String, shortfalls: [Shortfall], unplaced: [LessonShortfall] = []) {
        self.cause = cause; self.message = message; self.shortfalls = shortfalls; self.unplaced = unplaced
    }
    /// The catalogue rules that bind, by id: the same vocabulary as `flexsched rules` and `check`.
    public var rules: [String] { ShortfallCause.rules(for: cause).map(\.id) }
}

/// Every need the scenario's capacities prove cannot be fully met, before any solve. Findings that
/// prove a mandated service short come first (they say so and by how much); then by cause (the cause
/// touching the most students first), then by students affected. `index` is the scenario's week
/// index, built with the rule catalogue's pools (`Instance(scenario)` from Scheduler; Advisor's
/// `diagnose(scenario)` does that).
package func diagnose(_ index: Instance) -> [Finding] {
    let week = Week(index)
    var found = noTeacher(week) + noSuitableRoom(week) + noCommonFreeBlock(week) + groupCannotForm(week)
        + teacherCapacity(week) + subjectTeacherCapacity(week) + roomCapacity(week) + studentFreeBlocks(week) + studentDailyLimit(week)
        + lessonFindings(index.scenario)
    let mandated = found.map { provenMandatedShortfall($0.finding, index.scenario) }
    for i in found.indices where mandated[i] > 0 {
        found[i].finding.message = "mandated services short: at least \(plural(mandated[i], "mandated session")) cannot be met. " + found[i].finding.message
    }
    let byCause = Dictionary(found.map { ($0.finding.cause, $0.affected) }, uniquingKeysWith: +)
    let key = { (i: Int) in (mandated[i] > 0 ? 0 : 1, -byCause[found[i].finding.cause]!, found[i].finding.cause, -found[i].affected, found[i].finding.message) }
    return found.indices.sorted { key($0) < key($1) }.map { found[$0].finding }
}

/// Mandated sessions a finding proves unmet: those of a named mandated need, and of a sum over many
/// needs whatever its other needs can absorb (the solver leaves lower priorities short first).
func provenMandatedShortfall(_ finding: Finding, _ scenario: Scenario) -> Int {
    func matches(_ pattern: String, _ value: String) -> Bool { pattern == "*" || pattern == value }
    return finding.shortfalls.reduce(0) { sum, short in
        var mandated = 0, other = 0
        for student in scenario.students where matches(short.student, student.id) {
            for need in student.needs where matches(short.subject, need.subject) && matches(short.modality, need.modality) {
                if need.priority == .mandated { mandated += need.sessions } else { other += need.sessions }
            }
        }
        return sum + min(mandated, max(0, short.sessions - other))
    }
}

/// A finding and how many students it touches (its sort key).
struct Found {
    var finding: Finding, affected: Int
    init(_ cause: String, _ message: String, _ shortfalls: [Shortfall], unplaced: [LessonShortfall] = [], affected: Int? = nil) {
        finding = Finding(cause: cause, message: message, shortfalls: shortfalls, unplaced: unplaced)
        self.affected = affected ?? Set(shortfalls.map(\.student)).count
    }
}

func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

/// Names in a message; long lists end in "and N more" so a warning stays one readable paragraph.
func listed(_ items: [String], limit: Int = 8) -> String {
    (items.count <= limit ? items : items.prefix(limit) + ["and \(items.count - limit) more"]).joined(separator: "; ")
}

extension Week {
    func shortfall(_ i: Int, _ sessions: Int) -> Shortfall {
        Shortfall(student: scenario.students[needs[i].student].id, subject: needs[i].need.subject, modality: needs[i].need.modality, sessions: sessions)
    }
    func studentName(_ i: Int) -> String { scenario.students[needs[i].student].name }
}

extension Finding {
    /// Unmet sessions this finding proves in all: its shortfalls add up when no two can count the
    /// same need, else only the largest counts.
    public var provenSessions: Int {
        func overlap(_ x: String, _ y: String) -> Bool { x == "*" || y == "*" || x == y }
        let disjoint = shortfalls.indices.allSatisfy { i in
            shortfalls.indices.allSatisfy { j in
                i >= j || !(overlap(shortfalls[i].student, shortfalls[j].student) && overlap(shortfalls[i].subject, shortfalls[j].subject)
                    && overlap(shortfalls[i].modality, shortfalls[j].modality))
            }
        }
        return disjoint ? shortfalls.reduce(0) { $0 + $1.sessions } : shortfalls.map(\.sessions).max() ?? 0
    }
}
