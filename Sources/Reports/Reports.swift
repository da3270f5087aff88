import Foundation
import ScenarioKit
import TimetableFormat

/// A short plain-text overview of a timetable, for a terminal: what was scheduled and why the search
/// stopped, then needs met, unmet needs and loads. `verbose` adds the solver's status, objective, bound and gap.
public func summaryText(_ timetable: Timetable, scenario: Scenario, verbose: Bool = false) -> String {
    summaryLines(Lookup(scenario), timetable, listUnmet: true, verbose: verbose).joined(separator: "\n") + "\n"
}

/// The outcome in an admin's words: how many sessions were scheduled, then how long the search ran
/// and why it stopped. `unmetHint` follows the count of unscheduled sessions when they are listed nearby.
public func resultHeadline(_ timetable: Timetable, scenario: Scenario, unmetHint: String? = nil) -> String {
    let (met, needed) = needsMet(scenario, timetable)
    var sentences: [String]
    if needed == 0 {
        sentences = ["No sessions to schedule."]
    } else if timetable.status == .noSolution {
        sentences = ["No timetable found: none of the \(plural(needed, "session")) could be scheduled."]
    } else if met == needed {
        sentences = [needed == 1 ? "The 1 session is scheduled." : "All \(needed) sessions scheduled."]
    } else {
        sentences = ["\(needed - met) of \(plural(needed, "session")) could not be scheduled" + (unmetHint.map { "; \($0)" } ?? "") + "."]
    }
    if let stats = timetable.stats {
        let took = duration(stats.seconds)
        sentences.append(stats.stopReason.map { "Stopped after \(took): \($0.plainText)." } ?? "Took \(took).")
    }
    return sentences.joined(separator: " ")
}

/// Tenths of a second matter only for short runs.
private func duration(_ seconds: Double) -> String {
    seconds < 10 ? String(format: "%.1f s", seconds) : "\(Int(seconds.rounded())) s"
}

/// A Markdown document: summary, then one weekly grid per teacher, room and student, then unmet needs.
public func timetableMarkdown(_ timetable: Timetable, scenario: Scenario) -> String {
    let look = Lookup(scenario)
    var out = ["# Timetable: \(scenario.name)", "", "## Summary", "", "```text"]
    // The unmet needs get their own section below, so the summary only counts them.
    out += summaryLines(look, timetable, listUnmet: false, verbose: false)
    out += ["```", ""]

    // Each session grouped once by teacher, room and student: a 1,000-student week has thousands of
    // sessions, and filtering them again for every person made this quadratic.
    var byTeacher: [String: [Timetable.Session]] = [:], byRoom: [String: [Timetable.Session]] = [:]
    var byStudent: [String: [Timetable.Session]] = [:]
    for session in timetable.sessions {
        if let t = session.teacher { byTeacher[t, default: []].append(session) }
        if let room = session.room { byRoom[room, default: []].append(session) }
        for id in unique(session.students) { byStudent[id, default: []].append(session) }
    }
    out += ["## Teachers", ""]
    for t in scenario.teachers {
        let mine = byTeacher[t.id] ?? []
        out += grid(look, title: look.teacher(t.id), mine, owner: .teacher(t.id))
    }
    out += ["## Rooms", ""]
    for r in scenario.rooms {
        let mine = byRoom[r.id] ?? []
        out += grid(look, title: look.room(r.id), mine, owner: .room(r.id))
    }
    out += ["## Students", ""]
    for st in scenario.students {
        let mine = byStudent[st.id] ?? []
        out += grid(look, title: look.student(st.id), mine, owner: .student(st.id))
    }

    out += ["## Unmet needs", ""]
    let unmet = sortedUnmet(look, timetable.unmet)
    if unmet.isEmpty {
        let (met, needed) = needsMet(scenario, timetable)
        out += [met == needed ? "Every need is met." : "The timetable lists no unmet needs.", ""]
    } else {
        out += markdownTable(["Student", "Subject", "Modality", "Missing", "Reason"], unmet.map { u in
            [look.student(u.student), displaySubject(u.subject), u.modality, "\(u.missing)", u.reason]
        })
        out.append("")
    }
    return out.joined(separator: "\n")
}

// MARK: - Summary

private func summaryLines(_ look: Lookup, _ tt: Timetable, listUnmet: Bool, verbose: Bool) -> [String] {
    let s = look.scenario
    let unmet = sortedUnmet(look, tt.unmet)
    var out = [resultHeadline(tt, scenario: s, unmetHint: unmet.isEmpty ? nil : "see why below"), "", "Scenario   \(s.name)"]
    if verbose {
        let gap = tt.gap.map { percent($0) } ?? "-"
        out += ["Status     \(tt.status.rawValue)", "Objective  \(number(tt.objective))   bound \(number(tt.bound))   gap \(gap)"]
    }
    out.append("Sessions   \(tt.sessions.count)")
    // Modalities the scenario does not know still get a line, so the counts add up to the total.
    let modalityIds = s.modalities.map(\.id) + unique(tt.sessions.map(\.modality)).filter { s.modality($0) == nil }
    out += indent(textTable(nil, modalityIds.map { m in
        [m, "\(tt.sessions.filter { $0.modality == m }.count)"]
    }, rightAligned: [1]))

    let (met, needed) = needsMet(s, tt)
    let share = needed == 0 ? "n/a" : percent(Double(met) / Double(needed))
    out.append("Needs met  \(met) / \(needed) sessions (\(share))")
    out.append("")

    if unmet.isEmpty {
        // A timetable without sessions (no solution) lists nothing unmet, yet meets nothing either.
        out.append(met == needed ? "Unmet needs: none" : "Unmet needs: none listed")
    } else if listUnmet {
        out.append("Unmet needs")
        out += indent(textTable(["Student", "Subject", "Modality", "Missing", "Reason"], unmet.map { u in
            [look.student(u.student), displaySubject(u.subject), u.modality, "\(u.missing)", u.reason]
        }, rightAligned: [3]))
    } else {
        let missing = unmet.reduce(0) { $0 + $1.missing }
        out.append("Unmet needs: \(plural(unmet.count, "need")), \(plural(missing, "session")) missing (listed below)")
    }
    out.append("")

    out.append("Teacher load")
    out += indent(teacherLoadLines(look, tt))
    out.append("")

    out.append("Room use")
    out += indent(textTable(["Room", "Sessions", "Open slots", "Use"], s.rooms.map { r in
        let n = tt.sessions.filter { $0.room == r.id }.count
        let open = s.days.reduce(0) { acc, d in
            acc + s.blocks.filter { isAvailable(r.unavailable, day: d, block: $0.id) }.count
        }
        return [look.room(r.id), "\(n)", "\(open)", open == 0 ? "-" : percent(Double(n) / Double(open))]
    }, rightAligned: [1, 2, 3]))
    return out
}

/// Each teacher's sessions against both load limits, then how evenly the week is spread among them.
private func teacherLoadLines(_ look: Lookup, _ tt: Timetable) -> [String] {
    let s = look.scenario
    var perDay: [String: [Weekday: Int]] = [:]
    for session in tt.sessions {
        guard let t = session.teacher, let day = Weekday(rawValue: session.day.lowercased()) else { continue }
        perDay[t, default: [:]][day, default: 0] += 1
    }
    var weekly: [Int] = []
    let rows = s.teachers.map { t in
        let n = tt.sessions.filter { $0.teacher == t.id }.count
        weekly.append(n)
        // The earliest of equally busy days, so the table does not depend on dictionary order.
        let busiest = (perDay[t.id] ?? [:]).sorted { ($0.value, -$0.key.ordinal) > ($1.value, -$1.key.ordinal) }.first
        var notes: [String] = []
        if let max = t.maxPerWeek, n > max { notes.append("over weekly limit") }
        if let max = t.maxPerDay, let busiest, busiest.value > max { notes.append("over daily limit") }
        return [look.teacher(t.id), "\(n)", t.maxPerWeek.map(String.init) ?? "-",
                busiest.map { "\($0.value) (\(dayLabel($0.key)))" } ?? "0", t.maxPerDay.map(String.init) ?? "-",
                notes.joined(separator: ", ")]
    }
    var lines = textTable(["Teacher", "Sessions", "Max/week", "Busiest day", "Max/day"], rows, rightAligned: [1, 2, 3, 4])
    if !weekly.isEmpty {
        let sorted = weekly.sorted(), middle = sorted.count / 2
        let median = sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
        lines.append("Spread: min \(sorted[0]), median \(median == median.rounded() ? String(Int(median)) : String(format: "%.1f", median)), max \(sorted[sorted.count - 1]) sessions per teacher")
    }
    return lines
}

/// Sessions attended per learning-plan line, capped at what the line asks for, so extra sessions
/// of one need cannot hide a shortfall in another.
func needsMet(_ s: Scenario, _ tt: Timetable) -> (met: Int, needed: Int) {
    struct Key: Hashable { var student, subject, modality: String }
    var attended: [Key: Int] = [:]
    for session in tt.sessions {
        for st in session.students {
            attended[Key(student: st, subject: session.subject, modality: session.modality), default: 0] += 1
        }
    }
    var asked: [Key: Int] = [:]
    for st in s.students {
        for n in st.needs { asked[Key(student: st.id, subject: n.subject, modality: n.modality), default: 0] += n.sessions }
    }
    let met = asked.reduce(0) { $0 + min($1.value, attended[$1.key] ?? 0) }
    return (met, asked.values.reduce(0, +))
}

// MARK: - Grids

private func grid(_ look: Lookup, title: String, _ sessions: [Timetable.Session], owner: WeekOwner) -> [String] {
    let days = look.scenario.days
    let rows = weekRows(look.scenario.blocks).map { row in
        switch row {
        case .block(let b):
            return ["\(b.start)-\(b.end)"] + days.map { d in
                // More than one session in a cell means a clash; show them all rather than hide one.
                sessions.filter { $0.block == b.id && Weekday(rawValue: $0.day.lowercased()) == d }
                    .map { sessionParts(look, for: owner, $0).joined(separator: " · ") }
                    .joined(separator: "<br>")
            }
        case .pause(let from, let to):
            return ["\(from)-\(to)"] + days.map { _ in "break" }
        }
    }
    return ["### \(title)", ""] + markdownTable(["Time"] + days.map(dayLabel), rows) + [""]
}

/// Whose week a grid or list shows.
public enum WeekOwner: Sendable, Hashable {
    case teacher(String), student(String), room(String)
}

/// What a session means to its owner: the activity, then the other parties. A room shows the students
/// of an independent session by name, since no teacher is there to answer for them.
func sessionParts(_ look: Lookup, for owner: WeekOwner, _ s: Timetable.Session) -> [String] {
    switch owner {
    case .teacher:
        [subjectLabel(s), look.room(s.room), s.students.map(look.student).joined(separator: ", ")]
    case .student:
        [subjectLabel(s), s.teacher.map(look.teacher), look.room(s.room)].compactMap { $0 }
    case .room:
        [subjectLabel(s), s.teacher.map(look.teacher),
         s.teacher == nil ? s.students.map(look.student).joined(separator: ", ") : plural(s.students.count, "student")]
            .compactMap { $0 }
    }
}

enum WeekRow: Equatable {
    case block(Block)
    case pause(from: ClockTime, to: ClockTime)
}

/// A few minutes between blocks is the walk to the next room; a longer gap is a break (lunch, recess).
let shortestBreakMinutes = 15

/// The blocks in order, with a break row wherever consecutive blocks leave a real pause.
func weekRows(_ blocks: [Block]) -> [WeekRow] {
    var rows: [WeekRow] = []
    for (i, block) in blocks.enumerated() {
        if i > 0, block.start.minutes - blocks[i - 1].end.minutes >= shortestBreakMinutes {
            rows.append(.pause(from: blocks[i - 1].end, to: block.start))
        }
        rows.append(.block(block))
    }
    return rows
}

private func markdownTable(_ header: [String], _ rows: [[String]]) -> [String] {
    func line(_ cells: [String]) -> String { "| " + cells.map(escapeCell).joined(separator: " | ") + " |" }
    return [line(header), "|" + header.map { _ in " --- |" }.joined()] + rows.map(line)
}

/// A literal `|` would end the cell and a newline would end the row.
func escapeCell(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
}

// MARK: - Text helpers

func textTable(_ header: [String]?, _ rows: [[String]], rightAligned: Set<Int>) -> [String] {
    let all = (header.map { [$0] } ?? []) + rows
    let columns = all.map(\.count).max() ?? 0
    let widths = (0..<columns).map { c in all.map { $0.count > c ? $0[c].count : 0 }.max() ?? 0 }
    return all.map { row in
        row.enumerated().map { c, text in
            let pad = String(repeating: " ", count: widths[c] - text.count)
            return rightAligned.contains(c) ? pad + text : text + pad
        }.joined(separator: "  ").trimmingTrailingSpaces()
    }
}

private func indent(_ lines: [String]) -> [String] { lines.map { "  " + $0 } }

func number(_ v: Double?) -> String {
    guard let v else { return "-" }
    // Rounded to what is shown first, so that floating-point dust (a bound of 3e-12) reads as 0.
    let shown = (v * 100).rounded() / 100
    return shown == shown.rounded() && abs(shown) < 1e15 ? String(Int(shown)) : String(format: "%.2f", shown)
}

func percent(_ fraction: Double) -> String { String(format: "%.1f%%", fraction * 100) }

func plural(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }

func dayLabel(_ d: Weekday) -> String { displaySubject(d.rawValue) }

private func subjectLabel(_ s: Timetable.Session) -> String { "\(displaySubject(s.subject)) \(s.modality)" }

/// Subjects are written lower-case in scenarios (`math`); reports show `Math`.
func displaySubject(_ subject: String) -> String { subject.prefix(1).uppercased() + subject.dropFirst() }

private func unique(_ items: [String]) -> [String] {
    var seen = Set<String>()
    return items.filter { seen.insert($0).inserted }
}

private func sortedUnmet(_ look: Lookup, _ unmet: [Timetable.Unmet]) -> [Timetable.Unmet] {
    let order = Dictionary(look.scenario.students.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    // Enumerated so that lines of one student keep the timetable's order.
    return unmet.enumerated().sorted { a, b in
        (order[a.element.student] ?? .max, a.offset) < (order[b.element.student] ?? .max, b.offset)
    }.map(\.element)
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}

/// Id-to-name lookups; an id the scenario does not know (a stale timetable) is shown as written.
struct Lookup {
    let scenario: Scenario
    private let teachers: [String: String], rooms: [String: String], students: [String: String]

    init(_ s: Scenario) {
        scenario = s
        func names(_ pairs: [(String, String)]) -> [String: String] {
            Dictionary(pairs.filter { !$0.1.isEmpty }, uniquingKeysWith: { a, _ in a })
        }
        teachers = names(s.teachers.map { ($0.id, $0.name) })
        rooms = names(s.rooms.map { ($0.id, $0.name) })
        students = names(s.students.map { ($0.id, $0.name) })
    }

    /// "Tue 08:30–09:15".
    func slot(day: String, block: String) -> String {
        let dayName = Weekday(rawValue: day.lowercased()).map(dayLabel) ?? day
        let time = scenario.blocks.first { $0.id == block }.map { "\($0.start)–\($0.end)" } ?? block
        return "\(dayName) \(time)"
    }

    /// Sorts sessions by weekday, then by the block's place in the day; unknown ids last.
    func chronological(_ a: Timetable.Session, _ b: Timetable.Session) -> Bool {
        func key(_ s: Timetable.Session) -> (Int, Int) {
            (Weekday(rawValue: s.day.lowercased())?.ordinal ?? .max, scenario.blocks.firstIndex { $0.id == s.block } ?? .max)
        }
        return key(a) < key(b)
    }

    func teacher(_ id: String) -> String { teachers[id] ?? id }
    func room(_ id: String?) -> String { id.map { rooms[$0] ?? $0 } ?? "no room" }
    func student(_ id: String) -> String { students[id] ?? id }
}
