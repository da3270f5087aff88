import Foundation
import ScenarioKit
import TimetableFormat

/// A short plain-text overview of a timetable, for a terminal: status, needs met, unmet needs, loads.
public func summaryText(_ timetable: Timetable, scenario: Scenario) -> String {
    summaryLines(Lookup(scenario), timetable, listUnmet: true).joined(separator: "\n") + "\n"
}

/// A Markdown document: summary, then one weekly grid per teacher, room and student, then unmet needs.
public func timetableMarkdown(_ timetable: Timetable, scenario: Scenario) -> String {
    let look = Lookup(scenario)
    var out = ["# Timetable: \(scenario.name)", "", "## Summary", "", "```text"]
    // The unmet needs get their own section below, so the summary only counts them.
    out += summaryLines(look, timetable, listUnmet: false)
    out += ["```", ""]

    // Each session grouped once by teacher, room and student: a 1,000-student week has thousands of
    // sessions, and filtering them again for every person made this quadratic.
    var byTeacher: [String: [Timetable.Session]] = [:], byRoom: [String: [Timetable.Session]] = [:]
    var byStudent: [String: [Timetable.Session]] = [:]
    for session in timetable.sessions {
        if let t = session.teacher { byTeacher[t, default: []].append(session) }
        byRoom[session.room, default: []].append(session)
        for id in unique(session.students) { byStudent[id, default: []].append(session) }
    }
    out += ["## Teachers", ""]
    for t in scenario.teachers {
        let mine = byTeacher[t.id] ?? []
        out += grid(look, title: look.teacher(t.id), mine) { s in
            [subjectLabel(s), look.room(s.room), s.students.map(look.student).joined(separator: ", ")]
        }
    }
    out += ["## Rooms", ""]
    for r in scenario.rooms {
        let mine = byRoom[r.id] ?? []
        out += grid(look, title: look.room(r.id), mine) { s in
            [subjectLabel(s), s.teacher.map(look.teacher), plural(s.students.count, "student")].compactMap { $0 }
        }
    }
    out += ["## Students", ""]
    for st in scenario.students {
        let mine = byStudent[st.id] ?? []
        out += grid(look, title: look.student(st.id), mine) { s in
            [subjectLabel(s), s.teacher.map(look.teacher), look.room(s.room)].compactMap { $0 }
        }
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

private func summaryLines(_ look: Lookup, _ tt: Timetable, listUnmet: Bool) -> [String] {
    let s = look.scenario
    let gap = tt.gap.map { percent($0) } ?? "-"
    var out = [
        "Scenario   \(s.name)",
        "Status     \(tt.status.rawValue)",
        "Objective  \(number(tt.objective))   bound \(number(tt.bound))   gap \(gap)",
        "Sessions   \(tt.sessions.count)",
    ]
    // Modalities the scenario does not know still get a line, so the counts add up to the total.
    let modalityIds = s.modalities.map(\.id) + unique(tt.sessions.map(\.modality)).filter { s.modality($0) == nil }
    out += indent(textTable(nil, modalityIds.map { m in
        [m, "\(tt.sessions.filter { $0.modality == m }.count)"]
    }, rightAligned: [1]))

    let (met, needed) = needsMet(s, tt)
    let share = needed == 0 ? "n/a" : percent(Double(met) / Double(needed))
    out.append("Needs met  \(met) / \(needed) sessions (\(share))")
    out.append("")

    let unmet = sortedUnmet(look, tt.unmet)
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
    out += indent(textTable(["Teacher", "Sessions", "Max/week"], s.teachers.map { t in
        let n = tt.sessions.filter { $0.teacher == t.id }.count
        let over = t.maxPerWeek.map { n > $0 } ?? false
        return [look.teacher(t.id), "\(n)", t.maxPerWeek.map(String.init) ?? "-", over ? "over limit" : ""]
    }, rightAligned: [1, 2]))
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

private func grid(_ look: Lookup, title: String, _ sessions: [Timetable.Session],
                  cell: (Timetable.Session) -> [String]) -> [String] {
    let days = look.scenario.days
    let rows = look.scenario.blocks.map { b in
        ["\(b.start)-\(b.end)"] + days.map { d in
            // More than one session in a cell means a clash; show them all rather than hide one.
            sessions.filter { $0.block == b.id && Weekday(rawValue: $0.day.lowercased()) == d }
                .map { cell($0).joined(separator: " · ") }
                .joined(separator: "<br>")
        }
    }
    return ["### \(title)", ""] + markdownTable(["Time"] + days.map(dayLabel), rows) + [""]
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

private func textTable(_ header: [String]?, _ rows: [[String]], rightAligned: Set<Int>) -> [String] {
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

private func number(_ v: Double?) -> String {
    guard let v else { return "-" }
    return v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(format: "%.2f", v)
}

private func percent(_ fraction: Double) -> String { String(format: "%.1f%%", fraction * 100) }

private func plural(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }

private func dayLabel(_ d: Weekday) -> String { displaySubject(d.rawValue) }

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
    fileprivate func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}

/// Id-to-name lookups; an id the scenario does not know (a stale timetable) is shown as written.
private struct Lookup {
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

    func teacher(_ id: String) -> String { teachers[id] ?? id }
    func room(_ id: String) -> String { rooms[id] ?? id }
    func student(_ id: String) -> String { students[id] ?? id }
}
