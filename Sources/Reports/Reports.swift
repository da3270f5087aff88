import Foundation
import Rules
import ScenarioKit
import TimetableChecker
import TimetableFormat

/// A short plain-text overview of a timetable, for a terminal: what was scheduled and why the search
/// stopped, then needs met, unmet needs and loads. `verbose` adds the solver's status, objective, bound and gap.
public func summaryText(_ checked: CheckedTimetable, scenario: Scenario, verbose: Bool = false) -> String {
    summaryLines(Lookup(scenario), checked.timetable, listUnmet: true, verbose: verbose).joined(separator: "\n") + "\n"
}

/// Sessions the timetable leaves unmet, over every student and need.
public func unmetSessions(_ timetable: Timetable) -> Int { timetable.unmet.reduce(0) { $0 + $1.missing } }

/// The outcome in an admin's words: unmet sessions first, with what is proven about them, then the
/// comfort score against its proven bound, then how long the search ran and why it stopped.
/// `unmetHint` follows the count of unmet sessions when they are listed nearby.
public func resultHeadline(_ timetable: Timetable, scenario: Scenario, unmetHint: String? = nil) -> String {
    let (met, needed) = needsMet(scenario, timetable)
    let bounds = timetable.bounds
    var sentences: [String]
    if needed == 0 {
        sentences = ["No sessions to schedule."]
    } else if timetable.status == .noSolution {
        sentences = ["No timetable found: none of the \(plural(needed, "session")) could be scheduled."]
    } else {
        let proof = unmetProof(unmet: needed - met, bounds)
        let count = met == needed ? (needed == 1 ? "The 1 session is met" : "All \(needed) sessions met")
            : "\(needed - met) of \(plural(needed, "session")) unmet"
        let best = met == needed && timetable.status == .optimal ? " — proven best possible" : ""
        sentences = [count + best + proof + (met == needed ? "" : unmetHint.map { "; \($0)" } ?? "") + "."]
        if let bounds, timetable.status != .optimal || met < needed { sentences.append(comfortSentence(bounds)) }
    }
    if let lessons = lessonSentence(scenario, timetable) { sentences.append(lessons) }
    if let stats = timetable.stats {
        let took = duration(stats.seconds)
        sentences.append(stats.stopReason.map { "Stopped after \(took): \($0.plainText)." } ?? "Took \(took).")
    }
    return sentences.joined(separator: " ")
}

/// What the bound says about the unmet sessions, with its source; nothing when it proves none.
private func unmetProof(unmet: Int, _ bounds: Timetable.ProvenBounds?) -> String {
    guard unmet > 0, let bounds, bounds.unmetSessions > 0 else { return "" }
    let source = bounds.unmetSource.map { " (\($0))" } ?? ""
    return bounds.unmetSessions >= unmet ? " — proven the fewest possible\(source)"
        : " — at least \(bounds.unmetSessions) must be\(source)"
}

/// "Comfort score 383, at least 290 — within 25 %": the gap rounded up, so it never reads better than
/// it is. A wider gap says nothing an admin can use, so then the sentence says what the bound is made
/// of: what every timetable must have.
private func comfortSentence(_ bounds: Timetable.ProvenBounds) -> String {
    let score = number(bounds.comfortScore)
    if bounds.comfortGap <= 1e-9 { return "Comfort score \(score) — proven best possible." }
    if bounds.comfort <= 0 { return "Comfort score \(score) (lower is better; no lower bound proven)." }
    let within = Int((bounds.comfortGap * 100 - 1e-9).rounded(.up))
    guard within > looseGapPercent else { return "Comfort score \(score), at least \(number(bounds.comfort)) — within \(within) %." }
    let parts = (bounds.comfortParts ?? []).map { part in
        let name = RuleCatalogue.all.first { $0.id == part.term }?.name ?? part.term
        return part.count.map { "\($0) × \(name)" } ?? "\(name) (\(number(part.cost)))"
    }
    let proof = bounds.comfortFromModel == true || parts.isEmpty ? "GLPK's bound on the week's model proves at least \(number(bounds.comfort))"
        : "every timetable has \(parts.joined(separator: ", ")), \(number(bounds.comfort)) in all"
    return "Comfort score \(score) (lower is better); \(proof), too far below to say how close this is."
}

/// Above this gap a percentage teaches nothing (`Benchmarks/README.md`, "Proven bounds").
let looseGapPercent = 25

/// Tenths of a second matter only for short runs.
private func duration(_ seconds: Double) -> String {
    seconds < 10 ? String(format: "%.1f s", seconds) : "\(Int(seconds.rounded())) s"
}

/// A Markdown document: summary, then one weekly grid per teacher, room and student, then unmet needs.
public func timetableMarkdown(_ checked: CheckedTimetable, scenario: Scenario) -> String {
    let timetable = checked.timetable, look = Lookup(scenario)
    var out = ["# Timetable: \(scenario.name)", "", "## Summary", "", "```text"]
    // The unmet needs get their own section below, so the summary only counts them.
    out += summaryLines(look, timetable, listUnmet: false, verbose: false)
    out += ["```", ""]

    // The school's fixed sessions together, as the week the flexible ones were fitted around.
    let fixed = timetable.sessions.filter(\.fixed)
    if !fixed.isEmpty {
        out += ["## Fixed sessions", ""]
        out += grid(look, title: nil, fixed) { session, part in schoolParts(look, session, part: part, showingRoom: true) }
    }

    let byOwner = sessionsByOwner(timetable, scenario)
    func grids(_ title: String, _ owner: WeekOwner) -> [String] {
        grid(look, title: title, byOwner[owner] ?? []) { session, part in sessionParts(look, for: owner, session, part: part) }
    }
    out += ["## Teachers", ""]
    for t in scenario.teachers { out += grids(look.teacher(t.id), .teacher(t.id)) }
    out += ["## Rooms", ""]
    for r in scenario.rooms { out += grids(look.room(r.id), .room(r.id)) }
    out += ["## Students", ""]
    for st in scenario.students { out += grids(look.student(st.id), .student(st.id)) }
    if !scenario.classes.isEmpty {
        out += ["## Classes", ""]
        for k in scenario.classes { out += grids(look.schoolClass(k.id), .schoolClass(k.id)) }
    }

    out += ["## Unmet needs", ""]
    let unmet = sortedUnmet(look, timetable.unmet)
    if unmet.isEmpty {
        let (met, needed) = needsMet(scenario, timetable)
        out += [met == needed ? "Every need is met." : "The timetable lists no unmet needs.", ""]
    } else {
        let (header, rows) = unmetTable(look, unmet)
        out += markdownTable(header, rows)
        out.append("")
    }
    if !scenario.lessons.isEmpty {
        let unplaced = unplacedLessonLines(look, timetable)
        out += ["## Unplaced lessons", ""] + (unplaced.isEmpty ? ["Every lesson is placed."] : unplaced.map { "- " + $0 }) + [""]
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
    let flexible = tt.sessions.filter(\.isFlex), lessons = tt.sessions.count(where: \.isLesson)
    let fixed = tt.sessions.count - flexible.count - lessons
    let modalityIds = s.modalities.map(\.id) + unique(flexible.map(\.modality)).filter { s.modality($0) == nil }
    out += indent(textTable(nil, modalityIds.map { m in
        [m, "\(flexible.filter { $0.modality == m }.count)"]
    } + (lessons == 0 ? [] : [["lessons", "\(lessons)"]]) + (fixed == 0 ? [] : [["fixed", "\(fixed)"]]), rightAligned: [1]))

    let (met, needed) = needsMet(s, tt)
    let share = needed == 0 ? "n/a" : percent(Double(met) / Double(needed))
    out.append("Needs met  \(met) / \(needed) sessions (\(share))")
    out.append("")

    if unmet.isEmpty {
        // A timetable without sessions (no solution) lists nothing unmet, yet meets nothing either.
        out.append(met == needed ? "Unmet needs: none" : "Unmet needs: none listed")
    } else if listUnmet {
        out.append("Unmet needs")
        out += indent(unmetSummaryLines(look, unmet, verbose: verbose))
    } else {
        let missing = unmet.reduce(0) { $0 + $1.missing }
        out.append("Unmet needs: \(plural(unmet.count, "need")), \(plural(missing, "session")) missing (listed below)")
    }
    out.append("")
    let unplaced = unplacedLessonLines(look, tt)
    if listUnmet, !unplaced.isEmpty { out += ["Unplaced lessons"] + indent(unplaced) + [""] }

    out.append("Teacher load")
    out += indent(teacherLoadLines(look, tt))
    out.append("")

    // Blocks rather than sessions: a double block fills two of a room's open slots.
    out.append("Room use")
    out += indent(textTable(["Room", "Blocks", "Open slots", "Use"], s.rooms.map { r in
        let n = tt.sessions.filter { $0.room == r.id }.reduce(0) { $0 + $1.length }
        let open = s.days.reduce(0) { acc, d in
            acc + s.blocks.filter { isAvailable(r.unavailable, day: d, block: $0.id) }.count
        }
        return [look.room(r.id), "\(n)", "\(open)", open == 0 ? "-" : percent(Double(n) / Double(open))]
    }, rightAligned: [1, 2, 3]))
    return out
}

/// Each teacher's blocks against both load limits, which count blocks (a double block is two, and
/// fixed sessions count too), then how evenly the week is spread among them.
private func teacherLoadLines(_ look: Lookup, _ tt: Timetable) -> [String] {
    let s = look.scenario
    var perDay: [String: [Weekday: Int]] = [:], perWeek: [String: Int] = [:]
    for session in tt.sessions {
        for t in unique(session.staff) {
            perWeek[t, default: 0] += session.length
            if let day = Weekday(rawValue: session.day.lowercased()) { perDay[t, default: [:]][day, default: 0] += session.length }
        }
    }
    var weekly: [Int] = []
    let rows = s.teachers.map { t in
        let n = perWeek[t.id] ?? 0
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
    var lines = textTable(["Teacher", "Blocks", "Max/week", "Busiest day", "Max/day"], rows, rightAligned: [1, 2, 3, 4])
    if !weekly.isEmpty {
        let sorted = weekly.sorted(), middle = sorted.count / 2
        let median = sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
        lines.append("Spread: min \(sorted[0]), median \(median == median.rounded() ? String(Int(median)) : String(format: "%.1f", median)), max \(sorted[sorted.count - 1]) blocks per teacher")
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

/// A Markdown week grid, under `### title` when there is one. `parts` says what a session means to
/// this grid's owner in one of its blocks (`part` 0 is the first block of a double block).
private func grid(_ look: Lookup, title: String?, _ sessions: [Timetable.Session],
                  parts: (Timetable.Session, _ part: Int?) -> [String]) -> [String] {
    let days = look.scenario.days
    let cells = look.cells(sessions)
    let rows = weekRows(look.blocks).map { row in
        switch row {
        case .block(let b):
            return ["\(b.start)-\(b.end)"] + days.map { d in
                // More than one session in a cell means a clash; show them all rather than hide one.
                (cells[GridCell(day: d, block: b.id)] ?? []).map { parts($0.session, $0.part).joined(separator: " · ") }
                    .joined(separator: "<br>")
            }
        case .pause(let from, let to):
            return ["\(from)-\(to)"] + days.map { _ in "break" }
        }
    }
    return (title.map { ["### \($0)", ""] } ?? []) + markdownTable(["Time"] + days.map(dayLabel), rows) + [""]
}

/// Each session under every teacher, room, student and class it involves, grouped once: a
/// 1,000-student week has thousands of sessions, and filtering them again for every person made
/// reports quadratic.
func sessionsByOwner(_ timetable: Timetable, _ scenario: Scenario) -> [WeekOwner: [Timetable.Session]] {
    var result: [WeekOwner: [Timetable.Session]] = [:]
    for session in timetable.sessions {
        for t in unique(session.staff) { result[.teacher(t), default: []].append(session) }
        if let room = session.room { result[.room(room), default: []].append(session) }
        for id in unique(session.students) { result[.student(id), default: []].append(session) }
        for id in gridClasses(of: session, scenario) { result[.schoolClass(id), default: []].append(session) }
    }
    return result
}

/// Whose week a grid or list shows. A class's week holds only its lessons (and those of the
/// classes it belongs to), never a member's personal sessions.
public enum WeekOwner: Sendable, Hashable {
    case teacher(String), student(String), room(String), schoolClass(String)

    /// `teacher:ID`, `student:ID`, `room:ID` or `class:ID`.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[1].isEmpty else { return nil }
        switch parts[0] {
        case "teacher": self = .teacher(parts[1])
        case "student": self = .student(parts[1])
        case "room": self = .room(parts[1])
        case "class": self = .schoolClass(parts[1])
        default: return nil
        }
    }
}

/// What a session means to its owner: the activity, then the other parties. A room shows the students
/// of an independent session by name, since no teacher is there to answer for them. Fixed sessions
/// (a whole grade's advisory, say) give a head count instead of a roll call. `part` places a grid
/// cell within a multi-block session; a list (nil) shows the session once.
func sessionParts(_ look: Lookup, for owner: WeekOwner, _ s: Timetable.Session, part: Int?) -> [String] {
    let label = activityLabel(s, part: part)
    if s.isLesson { return lessonParts(look, for: owner, s, label: label) }
    let names = s.students.map(look.student).joined(separator: ", ")
    let headcount = plural(s.students.count, "student")
    if s.fixed {
        switch owner {
        case .teacher(let me):
            let others = s.staff.filter { $0 != me }.map(look.teacher)
            return [label] + (others.isEmpty ? [] : ["with " + others.joined(separator: ", ")]) + [s.room.map(look.room), headcount].compactMap { $0 }
        case .student:
            return [label, s.staff.isEmpty ? nil : s.staff.map(look.teacher).joined(separator: ", "), s.room.map(look.room)].compactMap { $0 }
        case .room, .schoolClass:
            return [label, s.staff.isEmpty ? nil : s.staff.map(look.teacher).joined(separator: ", "), headcount].compactMap { $0 }
        }
    }
    return switch owner {
    case .teacher:
        [label, s.room.map(look.room), names].compactMap { $0 }
    case .student:
        [label, s.teacher.map(look.teacher), s.room.map(look.room)].compactMap { $0 }
    case .room:
        [label, s.teacher.map(look.teacher), s.teacher == nil ? names : headcount].compactMap { $0 }
    case .schoolClass:
        [label, s.teacher.map(look.teacher), s.room.map(look.room)].compactMap { $0 }
    }
}

/// A session in a grid of the whole school: what, who leads it, where (unless the grid's rows are
/// rooms), how many. A head count rather than names, as in the school's calendar; a lesson names
/// its classes, whose members the scenario may not list.
func schoolParts(_ look: Lookup, _ s: Timetable.Session, part: Int?, showingRoom: Bool) -> [String] {
    let who = s.isLesson ? (s.classes ?? []).map(look.schoolClass).joined(separator: ", ") : plural(s.students.count, "student")
    return [activityLabel(s, part: part), s.staff.isEmpty ? nil : s.staff.map(look.teacher).joined(separator: ", "),
            showingRoom ? s.room.map(look.room) : nil, who].compactMap { $0 }
}

/// "Math tutoring"; "Advisory 6 (fixed)" for a fixed session; a lesson's title ("Maths 7A"); a
/// double block's grid cells say which half they are ("Math project (1/2)"), and a list line says
/// how long it runs ("(2 blocks)").
func activityLabel(_ s: Timetable.Session, part: Int?) -> String {
    let name = s.isFlex ? "\(displaySubject(s.subject)) \(s.modality)" : s.heading
    var notes = s.fixed ? ["fixed"] : []
    if s.length > 1 { notes.append(part.map { "\($0 + 1)/\(s.length)" } ?? "\(s.length) blocks") }
    return notes.isEmpty ? name : "\(name) (\(notes.joined(separator: ", ")))"
}

/// A block of one day in a week grid.
struct GridCell: Hashable {
    var day: Weekday
    var block: String
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

/// Subjects are written lower-case in scenarios (`math`); reports show `Math`.
func displaySubject(_ subject: String) -> String { subject.prefix(1).uppercased() + subject.dropFirst() }

private func unique(_ items: [String]) -> [String] {
    var seen = Set<String>()
    return items.filter { seen.insert($0).inserted }
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
    /// The scenario's blocks in time order, and each one's place in it.
    let blocks: [Block]
    private let blockIndex: [String: Int]
    private let teachers: [String: String], rooms: [String: String], students: [String: String], classes: [String: String]

    init(_ s: Scenario) {
        scenario = s
        blocks = s.blocksInTimeOrder
        blockIndex = Dictionary(blocks.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        func names(_ pairs: [(String, String)]) -> [String: String] {
            Dictionary(pairs.filter { !$0.1.isEmpty }, uniquingKeysWith: { a, _ in a })
        }
        teachers = names(s.teachers.map { ($0.id, $0.name) })
        rooms = names(s.rooms.map { ($0.id, $0.name) })
        students = names(s.students.map { ($0.id, $0.name) })
        classes = names(s.classes.map { ($0.id, $0.name) })
    }

    /// The blocks a session fills, in time order. Whether the run may cross a break is the checker's
    /// question; a report shows what the timetable says, cut at the end of the day.
    func run(of s: Timetable.Session) -> ArraySlice<Block> {
        guard let first = blockIndex[s.block] else { return [] }
        return blocks[first..<min(blocks.count, first + max(1, s.length))]
    }

    /// Every grid cell the sessions fill, each with the sessions there in their given order and which
    /// of its blocks the cell is.
    func cells(_ sessions: [Timetable.Session]) -> [GridCell: [(session: Timetable.Session, part: Int)]] {
        var result: [GridCell: [(session: Timetable.Session, part: Int)]] = [:]
        for s in sessions {
            guard let day = Weekday(rawValue: s.day.lowercased()) else { continue }
            for (part, block) in run(of: s).enumerated() { result[GridCell(day: day, block: block.id), default: []].append((s, part)) }
        }
        return result
    }

    /// "Tue 08:30–09:15"; a double block runs from its first block's start to its last block's end.
    func slot(_ s: Timetable.Session) -> String {
        let dayName = Weekday(rawValue: s.day.lowercased()).map(dayLabel) ?? s.day
        let run = run(of: s)
        guard let first = run.first, let last = run.last else { return "\(dayName) \(s.block)" }
        return "\(dayName) \(first.start)–\(last.end)"
    }

    /// Sorts sessions by the week's order of days, then by the block's place in the day; unknown ids last.
    func chronological(_ a: Timetable.Session, _ b: Timetable.Session) -> Bool {
        func key(_ s: Timetable.Session) -> (Int, Int, Int) {
            let day = Weekday(rawValue: s.day.lowercased())
            return (day.flatMap { scenario.days.firstIndex(of: $0) } ?? .max, day?.ordinal ?? .max, blockIndex[s.block] ?? .max)
        }
        return key(a) < key(b)
    }

    func name(of owner: WeekOwner) -> String {
        switch owner {
        case .teacher(let id): teacher(id)
        case .student(let id): student(id)
        case .room(let id): room(id)
        case .schoolClass(let id): schoolClass(id)
        }
    }

    func teacher(_ id: String) -> String { teachers[id] ?? id }
    func room(_ id: String) -> String { rooms[id] ?? id }
    func student(_ id: String) -> String { students[id] ?? id }
    func schoolClass(_ id: String) -> String { classes[id] ?? id }
}
