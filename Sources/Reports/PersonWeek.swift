import ScenarioKit
import TimetableChecker
import TimetableFormat

/// One teacher's, student's, room's or class's week for a terminal: days as columns, blocks with clock times
/// as rows (and break rows), each cell the activity and the other parties on lines of their own.
/// A double block fills each of its blocks. A student's week ends with her unmet needs, a class's
/// with its unplaced lessons.
public func weekGrid(_ checked: CheckedTimetable, scenario: Scenario, owner: WeekOwner) -> String {
    let timetable = checked.timetable, look = Lookup(scenario)
    let mine = sessions(of: owner, in: timetable, scenario)
    let cells = look.cells(mine)
    let header = ["Time"] + scenario.days.map(dayLabel)
    let rows: [[[String]]] = weekRows(look.blocks).map { row in
        switch row {
        case .block(let b):
            return [["\(b.start)–\(b.end)"]] + scenario.days.map { d in
                (cells[GridCell(day: d, block: b.id)] ?? [])
                    .flatMap { sessionParts(look, for: owner, $0.session, part: $0.part).flatMap { wrapList($0, width: cellWidth) } }
            }
        case .pause(let from, let to):
            return [["\(from)–\(to)"]] + scenario.days.map { _ in ["break"] }
        }
    }
    let widths = header.indices.map { c in
        ([header[c].count] + rows.flatMap { $0[c].map(\.count) }).max() ?? 0
    }
    func line(_ cells: [String]) -> String {
        zip(cells, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: " | ")
            .trimmingTrailingSpaces()
    }
    let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-")
    var out = [weekTitle(look, owner, mine), "", line(header), rule]
    for row in rows {
        let height = max(1, row.map(\.count).max() ?? 0)
        for i in 0..<height { out.append(line(row.map { i < $0.count ? $0[i] : "" })) }
        out.append(rule)
    }
    return (out + unmetLines(look, timetable, owner)).joined(separator: "\n") + "\n"
}

/// The same week as a compact list, one session a line in the order they happen.
public func weekList(_ checked: CheckedTimetable, scenario: Scenario, owner: WeekOwner) -> String {
    let timetable = checked.timetable, look = Lookup(scenario)
    let mine = sessions(of: owner, in: timetable, scenario).sorted(by: look.chronological)
    let lines = mine.map { "\(look.slot($0))  \(sessionParts(look, for: owner, $0, part: nil).joined(separator: " · "))" }
    return ([weekTitle(look, owner, mine), ""] + lines + unmetLines(look, timetable, owner)).joined(separator: "\n") + "\n"
}

/// A student's unmet needs, the highest priority first, or a class's unplaced lessons, after a
/// blank line; nothing for anyone else or when nothing is missing.
private func unmetLines(_ look: Lookup, _ timetable: Timetable, _ owner: WeekOwner) -> [String] {
    let (heading, lines) = switch owner {
    case .student(let id): ("Unmet needs", studentUnmet(look, timetable, student: id))
    case .schoolClass(let id): ("Unplaced lessons", unplacedLessonLines(look, timetable, forClass: id))
    default: ("", [String]())
    }
    return lines.isEmpty ? [] : ["", heading] + lines.map { "  " + $0 }
}

/// One line per unmet need of a student, the highest priority first. The priority leads each line
/// when the scenario uses priorities: "mandated — Reading tutoring: 2 of 3 sessions unmet (no
/// reading teacher is free when Ana is)".
func studentUnmet(_ look: Lookup, _ timetable: Timetable, student id: String) -> [String] {
    let mine = timetable.unmet.filter { $0.student == id }
    guard !mine.isEmpty else { return [] }
    let priority = showsPriority(look, timetable.unmet)
    let needs = look.scenario.students.first { $0.id == id }?.needs ?? []
    return sortedUnmet(look, mine).map { u in
        let asked = needs.filter { $0.subject == u.subject && $0.modality == u.modality }.reduce(0) { $0 + $1.sessions }
        let count = asked >= u.missing ? "\(u.missing) of \(plural(asked, "session"))" : plural(u.missing, "session")
        return (priority ? "\(u.priority.rawValue) — " : "") + "\(displaySubject(u.subject)) \(u.modality): \(count) unmet (\(u.reason))"
    }
}

extension WeekOwner {
    /// Whether the scenario knows this teacher, student, room or class.
    public func exists(in scenario: Scenario) -> Bool {
        switch self {
        case .teacher(let id): scenario.teachers.contains { $0.id == id }
        case .student(let id): scenario.students.contains { $0.id == id }
        case .room(let id): scenario.rooms.contains { $0.id == id }
        case .schoolClass(let id): scenario.schoolClass(id) != nil
        }
    }
}

/// Wide enough for "Science small-group", narrow enough for five days on a terminal.
private let cellWidth = 24

func sessions(of owner: WeekOwner, in timetable: Timetable, _ scenario: Scenario) -> [Timetable.Session] {
    timetable.sessions.filter { s in
        switch owner {
        case .teacher(let id): s.staff.contains(id)
        case .student(let id): s.students.contains(id)
        case .room(let id): s.room == id
        case .schoolClass(let id): gridClasses(of: s, scenario).contains(id)
        }
    }
}

/// "Ms. Lee (teacher lee): 5 sessions a week": the id is what the command line's `--teacher` takes.
/// Pages and the printable file leave it out (`withID` false): their readers know people by name.
func weekTitle(_ look: Lookup, _ owner: WeekOwner, _ sessions: [Timetable.Session], withID: Bool = true) -> String {
    let count = "\(plural(sessions.count, "session")) a week"
    guard withID else { return "\(look.name(of: owner)): \(count)" }
    let name = switch owner {
    case .teacher(let id): "\(look.teacher(id)) (teacher \(id))"
    case .student(let id): "\(look.student(id)) (student \(id))"
    case .room(let id): "\(look.room(id)) (room \(id))"
    case .schoolClass(let id): "\(look.schoolClass(id)) (class \(id))"
    }
    return "\(name): \(count)"
}

/// Breaks a comma-separated list (a group of students) into lines of at most `width` characters
/// where it can; a single longer item keeps its own line.
private func wrapList(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    for item in text.components(separatedBy: ", ") {
        if let last = lines.last, last.count + 2 + item.count <= width {
            lines[lines.count - 1] = last + ", " + item
        } else {
            if !lines.isEmpty { lines[lines.count - 1] += "," }
            lines.append(item)
        }
    }
    return lines
}
