import ScenarioKit
import TimetableChecker
import TimetableFormat

/// The timetable as one printable HTML5 file: an index, the school's week one page per day (rooms
/// down, times across), one page per teacher, student, room and class, then the unmet needs and
/// unplaced lessons. It has no
/// scripts and loads nothing else, so it prints the same from an email attachment or a USB stick.
/// Opened at one page's anchor (`#teacher-lee`), it shows and prints that page alone.
///
/// Every modality has a colour and a border style, and every session names its modality, so a
/// black-and-white copy reads like the colour one. A student's page names no other student: it is
/// the page that goes into her folder (as a student's calendar does), and a class's page shows only
/// its lessons, so it can hang on the classroom door. Teachers' pages name whom
/// they teach; a room's page names the students of an independent session, as the Markdown report
/// does, since no teacher answers for them there; the school's days give head counts.
public func timetableHTML(_ checked: CheckedTimetable, scenario: Scenario) -> String {
    let timetable = checked.timetable, grids = HTMLGrids(checked, scenario: scenario)
    let look = grids.look
    let title = "Timetable: \(scenario.name)"

    var out = ["<!DOCTYPE html>", "<html lang=\"en\">", "<head>", "<meta charset=\"utf-8\">",
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
               "<title>\(html(title))</title>", "<style>", pageStyle + grids.styleSheet, "</style>", "</head>", "<body>"]

    let teachers = scenario.teachers.map { WeekOwner.teacher($0.id) }
    let students = scenario.students.map { WeekOwner.student($0.id) }
    let rooms = scenario.rooms.map { WeekOwner.room($0.id) }
    let classes = scenario.classes.map { WeekOwner.schoolClass($0.id) }

    out += ["<section class=\"page\" id=\"index\">", "<h1>\(html(title))</h1>",
            "<p>\(html(resultHeadline(timetable, scenario: scenario)))</p>",
            "<p class=\"back\">A name below shows only that page, to read or print it alone; "
                + "<a href=\"#top\">every page</a> brings them all back.</p>",
            "<h2>Key</h2>", grids.legend]
    out += ["<nav aria-label=\"Contents\">", "<h2>School week</h2>", "<ul class=\"names\">"]
    out += scenario.days.map { "<li><a href=\"#day-\($0.rawValue)\">\(dayLabel($0))</a></li>" }
    out.append("</ul>")
    let sections = [("Teachers", teachers), ("Students", students), ("Rooms", rooms)] + (classes.isEmpty ? [] : [("Classes", classes)])
    for (heading, owners) in sections {
        out += ["<h2>\(heading)</h2>", "<ul class=\"names\">"]
        out += owners.map { "<li>\(link(look, $0))</li>" }
        out.append("</ul>")
    }
    out += ["<h2><a href=\"#unmet\">Unmet needs</a></h2>"]
    if !scenario.lessons.isEmpty { out.append("<h2><a href=\"#unplaced\">Unplaced lessons</a></h2>") }
    out += ["</nav>", "</section>"]

    for day in scenario.days {
        out += ["<section class=\"page\" id=\"day-\(day.rawValue)\">", "<h2>\(dayLabel(day)): the whole school</h2>", grids.day(day),
                backLink, "</section>"]
    }
    for owner in teachers + students + rooms + classes {
        out += ["<section class=\"page\" id=\"\(html(anchor(owner)))\">", "<h2>\(ownerHeading(look, owner))</h2>", grids.week(of: owner),
                backLink, "</section>"]
    }
    out += unmetPage(look, timetable)
    if !scenario.lessons.isEmpty { out += unplacedPage(look, timetable) }
    out += ["</body>", "</html>", ""]
    return out.joined(separator: "\n")
}

/// The printable file's grids one at a time, as escaped HTML fragments: what the web app's pages
/// show, drawn by the same code as the file. Put `styleSheet` in a `<style>` element beside them.
public struct HTMLGrids {
    let look: Lookup
    let timetable: Timetable
    let byOwner: [WeekOwner: [Timetable.Session]]
    let styles: ModalityStyles
    let timeline: [WeekRow]

    public init(_ checked: CheckedTimetable, scenario: Scenario) {
        look = Lookup(scenario)
        timetable = checked.timetable
        byOwner = sessionsByOwner(timetable, scenario)
        styles = ModalityStyles(scenario, timetable)
        timeline = weekRows(look.blocks)
    }

    /// The grids' rules and each modality's colour and border.
    public var styleSheet: String { gridStyle + styles.css }

    /// Each modality's look in words, so that the grids read without colour.
    public var legend: String {
        (["<ul class=\"key\">"] + styles.legend.map { "<li><span class=\"s \($0.className)\">\(html($0.label))</span> \(html($0.description))</li>" }
            + ["</ul>"]).joined(separator: "\n")
    }

    /// One day of the whole school: rooms down, times across, head counts instead of names.
    public func day(_ day: Weekday) -> String {
        schoolDay(look, day, timetable.sessions.filter { Weekday(rawValue: $0.day.lowercased()) == day }, timeline, styles)
            .joined(separator: "\n")
    }

    /// A teacher's, student's, room's or class's week; a student's names no other student, and a
    /// class's shows only lessons.
    public func week(of owner: WeekOwner) -> String {
        ownerWeek(look, owner, byOwner[owner] ?? [], timeline, styles, timetable).joined(separator: "\n")
    }

    /// "Teacher Ms. Lee", with the kind set apart.
    public func heading(_ owner: WeekOwner) -> String { ownerHeading(look, owner) }
}

// MARK: - Pages

/// A session and which of its blocks a grid cell shows.
private typealias Entry = (session: Timetable.Session, part: Int)

/// One day of the whole school: a row per room (and one for sessions without a room), the blocks
/// across, so that a school with many rooms runs on over pages instead of shrinking columns.
private func schoolDay(_ look: Lookup, _ day: Weekday, _ sessions: [Timetable.Session], _ timeline: [WeekRow],
                       _ styles: ModalityStyles) -> [String] {
    let known = Set(look.scenario.rooms.map(\.id))
    // Rooms the scenario does not know (a stale timetable) still get a row, so no session is lost.
    var roomIds: [String?] = look.scenario.rooms.map(\.id)
    for s in sessions { if let room = s.room, !known.contains(room), !roomIds.contains(room) { roomIds.append(room) } }
    if sessions.contains(where: { $0.room == nil }) { roomIds.append(nil) }
    let cells = look.cells(sessions)
    let header = timeline.map { row -> String in
        switch row {
        case .block(let b): "<th scope=\"col\">\(b.start)–\(b.end)</th>"
        case .pause(let from, let to): "<th scope=\"col\" class=\"pause\"><span class=\"visually-hidden\">break \(from)–\(to)</span></th>"
        }
    }
    var out = ["<table class=\"day\">",
               "<caption>\(html("Every session on \(dayLabel(day)), \(plural(sessions.count, "session")): rooms down, times across"))</caption>",
               "<thead><tr><th scope=\"col\">Room</th>" + header.joined() + "</tr></thead>", "<tbody>"]
    for room in roomIds {
        let lane = laneCells(timeline) { block in (cells[GridCell(day: day, block: block.id)] ?? []).filter { $0.session.room == room } }
        let name = room.map(look.room) ?? "No room"
        out.append("<tr><th scope=\"row\">\(html(name))</th>" + timeline.indices.compactMap { i in
            if case .pause = timeline[i] { return "<td class=\"pause\"></td>" }
            return lane[i].map { cellHTML($0, span: "colspan", styles) { s, part in schoolParts(look, s, part: part, showingRoom: false) } }
        }.joined() + "</tr>")
    }
    return out + ["</tbody>", "</table>"]
}

/// A teacher's, student's or room's week: days across, blocks down, a break row where the day pauses.
private func ownerWeek(_ look: Lookup, _ owner: WeekOwner, _ mine: [Timetable.Session], _ timeline: [WeekRow],
                       _ styles: ModalityStyles, _ timetable: Timetable) -> [String] {
    let days = look.scenario.days
    let cells = look.cells(mine)
    let lanes = days.map { day in laneCells(timeline) { cells[GridCell(day: day, block: $0.id)] ?? [] } }
    var out = ["<table class=\"week\">", "<caption>\(html(weekTitle(look, owner, mine, withID: false)))</caption>",
               "<thead><tr><th scope=\"col\">Time</th>" + days.map { "<th scope=\"col\">\(dayLabel($0))</th>" }.joined() + "</tr></thead>",
               "<tbody>"]
    for (i, row) in timeline.enumerated() {
        switch row {
        case .block(let b):
            out.append("<tr><th scope=\"row\">\(b.start)–\(b.end)</th>" + lanes.compactMap { lane in
                lane[i].map { cellHTML($0, span: "rowspan", styles) { s, part in sessionParts(look, for: owner, s, part: part) } }
            }.joined() + "</tr>")
        case .pause(let from, let to):
            out.append("<tr class=\"pause\"><th scope=\"row\">\(from)–\(to)</th><td colspan=\"\(days.count)\">break</td></tr>")
        }
    }
    out += ["</tbody>", "</table>"]
    let (heading, missing) = switch owner {
    case .student(let id): ("Unmet needs", studentUnmet(look, timetable, student: id))
    case .schoolClass(let id): ("Unplaced lessons", unplacedLessonLines(look, timetable, forClass: id))
    default: ("", [String]())
    }
    if !missing.isEmpty { out += ["<h3>\(heading)</h3>", "<ul>"] + missing.map { "<li>\(html($0))</li>" } + ["</ul>"] }
    return out
}

private func ownerHeading(_ look: Lookup, _ owner: WeekOwner) -> String {
    let (kind, name) = switch owner {
    case .teacher(let id): ("Teacher", look.teacher(id))
    case .student(let id): ("Student", look.student(id))
    case .room(let id): ("Room", look.room(id))
    case .schoolClass(let id): ("Class", look.schoolClass(id))
    }
    return "<span class=\"kind\">\(kind)</span> \(html(name))"
}

/// Every unmet need in the order to act on them, mandated services first, each with its reason.
private func unmetPage(_ look: Lookup, _ timetable: Timetable) -> [String] {
    var out = ["<section class=\"page\" id=\"unmet\">", "<h2>Unmet needs</h2>"]
    let unmet = sortedUnmet(look, timetable.unmet)
    if unmet.isEmpty {
        let (met, needed) = needsMet(look.scenario, timetable)
        return out + ["<p>\(met == needed ? "Every need is met." : "The timetable lists no unmet needs.")</p>", backLink, "</section>"]
    }
    let priority = showsPriority(look, unmet)
    let header = (priority ? ["Priority"] : []) + ["Student", "Subject", "Modality", "Missing", "Reason", "Cause"]
    let missing = unmet.reduce(0) { $0 + $1.missing }
    // A stale timetable may name a student the scenario no longer has: no page, so no link.
    let known = Set(look.scenario.students.map(\.id))
    out += ["<table class=\"unmet\">",
            "<caption>\(html("\(plural(unmet.count, "need")), \(plural(missing, "session")) missing, highest priority first"))</caption>",
            "<thead><tr>" + header.map { "<th scope=\"col\">\($0)</th>" }.joined() + "</tr></thead>", "<tbody>"]
    for u in unmet {
        let student = known.contains(u.student) ? link(look, .student(u.student)) : html(look.student(u.student))
        let cells = [student, html(displaySubject(u.subject)), html(u.modality), "\(u.missing)", html(u.reason),
                     html(u.cause ?? "")]
        out.append("<tr" + (u.priority == .mandated ? " class=\"mandated\"" : "") + ">"
            + (priority ? "<th scope=\"row\">\(html(u.priority.rawValue))</th>" : "") + cells.map { "<td>\($0)</td>" }.joined() + "</tr>")
    }
    return out + ["</tbody>", "</table>", backLink, "</section>"]
}

/// Lessons placed fewer times than asked, in the scenario's order, each with its reason.
private func unplacedPage(_ look: Lookup, _ timetable: Timetable) -> [String] {
    let lines = unplacedLessonLines(look, timetable)
    return ["<section class=\"page\" id=\"unplaced\">", "<h2>Unplaced lessons</h2>"]
        + (lines.isEmpty ? ["<p>Every lesson is placed.</p>"] : ["<ul>"] + lines.map { "<li>\(html($0))</li>" } + ["</ul>"])
        + [backLink, "</section>"]
}

private let backLink = "<p class=\"back\"><a href=\"#index\">Back to the index</a></p>"

private func anchor(_ owner: WeekOwner) -> String {
    switch owner {
    case .teacher(let id): "teacher-\(id)"
    case .student(let id): "student-\(id)"
    case .room(let id): "room-\(id)"
    case .schoolClass(let id): "class-\(id)"
    }
}

private func link(_ look: Lookup, _ owner: WeekOwner) -> String {
    "<a href=\"#\(html(anchor(owner)))\">\(html(look.name(of: owner)))</a>"
}

// MARK: - Cells

/// A grid cell: its sessions, and how many blocks of the timeline it covers.
private struct LaneCell {
    var entries: [Entry]
    var span: Int
}

/// The cells of one lane of a grid (a day of a week, a room of a day) by timeline index. A session
/// that alone fills consecutive blocks with no break between becomes one cell over all of them
/// (the indices it covers have no cell); anything else, a clash or a run cut by a break, shows in
/// each block with which part it is, as the Markdown grids do. Breaks have no cell.
private func laneCells(_ timeline: [WeekRow], _ entries: (Block) -> [Entry]) -> [Int: LaneCell] {
    var result: [Int: LaneCell] = [:]
    var i = 0
    while i < timeline.count {
        guard case .block(let block) = timeline[i] else { i += 1; continue }
        let here = entries(block)
        var span = 1
        if here.count == 1, here[0].part == 0, here[0].session.length > 1 {
            let session = here[0].session
            while span < session.length, i + span < timeline.count, case .block(let next) = timeline[i + span],
                  case let there = entries(next), there.count == 1, there[0].session == session, there[0].part == span {
                span += 1
            }
            if span < session.length { span = 1 }
        }
        result[i] = LaneCell(entries: here, span: span)
        i += span
    }
    return result
}

/// A cell spanning `span` blocks shows a multi-block session once ("Math project (2 blocks)"); a
/// single block of it says which part it is ("(1/2)").
private func cellHTML(_ cell: LaneCell, span attribute: String, _ styles: ModalityStyles,
                      parts: (Timetable.Session, _ part: Int?) -> [String]) -> String {
    let open = cell.span > 1 ? "<td \(attribute)=\"\(cell.span)\">" : "<td>"
    return open + cell.entries.map { entry in
        let lines = parts(entry.session, cell.span > 1 ? nil : entry.part)
        return "<div class=\"s \(styles.className(entry.session))\">" + lines.enumerated().map { i, line in
            i == 0 ? "<p class=\"what\">\(html(line))</p>" : "<p>\(html(line))</p>"
        }.joined() + "</div>"
    }.joined() + "</td>"
}

// MARK: - Styles

/// Colour and border per modality, in the scenario's order. The border styles differ in black and
/// white; the light backgrounds keep black text far above WCAG AA contrast (each is at least 15:1).
struct ModalityStyles {
    struct Key { var className, label, description: String }

    private static let colours = [("#dbeafe", "blue"), ("#fef3c7", "yellow"), ("#dcfce7", "green"), ("#fce7f3", "pink"),
                                  ("#ede9fe", "violet"), ("#ffedd5", "orange"), ("#cffafe", "cyan"), ("#f5f5f4", "grey")]
    private static let borders = [("2px solid", "solid border"), ("2px dashed", "dashed border"), ("3px dotted", "dotted border"),
                                  ("4px double", "double border")]

    private var classes: [String: String] = [:]
    private(set) var legend: [Key] = []
    private(set) var css = ""

    init(_ scenario: Scenario, _ timetable: Timetable) {
        var rules: [String] = []
        for (i, modality) in scenario.modalities.enumerated() {
            let (colour, colourName) = Self.colours[i % Self.colours.count]
            let (border, borderName) = Self.borders[i % Self.borders.count]
            // Past the fourth modality the border styles repeat, so a wide left edge tells them apart.
            let wide = (i / Self.borders.count) % 2 == 1
            classes[modality.id] = "m\(i)"
            rules.append(".m\(i) { background-color: \(colour); border: \(border) #222;\(wide ? " border-left-width: 8px;" : "") }")
            legend.append(Key(className: "m\(i)", label: modality.id,
                              description: "\(colourName), \(borderName)\(wide ? " with a wide left edge" : "")"))
        }
        if timetable.sessions.contains(where: { $0.isFlex && classes[$0.modality] == nil }) {
            legend.append(Key(className: "other", label: "other", description: "white, thin border: a modality this scenario does not define"))
        }
        if timetable.sessions.contains(where: \.fixed) {
            legend.append(Key(className: "fixed", label: "fixed", description: "grey stripes, thick black border, “(fixed)” after the title"))
        }
        if timetable.sessions.contains(where: \.isLesson) {
            legend.append(Key(className: "lesson", label: "lesson", description: "white, black border with a wide left edge, the lesson’s title"))
        }
        css = rules.joined(separator: "\n") + "\n"
    }

    func className(_ session: Timetable.Session) -> String {
        if session.isLesson { return "lesson" }
        return session.fixed ? "fixed" : classes[session.modality] ?? "other"
    }
}

/// Landscape pages with a margin that suits both A4 and US Letter; one section per printed page.
/// Backgrounds are printed (`print-color-adjust`), but nothing depends on them.
private let pageStyle = """
    @page { size: landscape; margin: 10mm; }
    html { font: 9pt/1.25 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #000; background: #fff;
           -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    body { margin: 0; }
    h1 { font-size: 16pt; margin: 0 0 6pt; }
    h2 { font-size: 13pt; margin: 0 0 4pt; }
    h3 { font-size: 10pt; margin: 6pt 0 2pt; }
    a { color: #0645ad; }
    ul.names { columns: 14em; margin: 0 0 6pt; }
    /* Opened at a page's link (timetable.html#student-ana), the file shows and prints that page alone. */
    body:has(section.page:target) section.page:not(:target) { display: none; }
    @media print {
      section.page + section.page { break-before: page; }
      .back { display: none; }
    }
    @media screen {
      section.page { max-width: 60em; margin: 0 auto; padding: 1em; border-bottom: 3px solid #999; }
    }

    """

/// The grids, the key and the unmet table, in the printable file and on the web app's pages alike.
private let gridStyle = """
    .kind { font-weight: normal; color: #333; }
    ul.key { list-style: none; padding: 0; }
    ul.key li { margin: 3pt 0; }
    ul.key .s { display: inline-block; min-width: 9em; margin-right: 4pt; }
    table { width: 100%; border-collapse: collapse; table-layout: fixed; }
    caption { text-align: left; padding: 0 0 3pt; color: #222; }
    th, td { border: 1px solid #666; padding: 2px; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
    thead th { background: #e7e7e7; }
    table.week th[scope=row], table.week thead th:first-child { width: 6.5em; font-weight: normal; }
    table.day { font-size: 8pt; }
    table.day th[scope=row], table.day thead th:first-child { width: 8em; }
    .pause { background: #f2f2f2; color: #333; text-align: center; font-size: 7.5pt; padding: 0; }
    th.pause, td.pause { width: 1.2em; }
    tr { break-inside: avoid; }
    .s { padding: 1px 3px; margin: 1px 0; break-inside: avoid; }
    .s p { margin: 0; }
    .s .what { font-weight: bold; }
    .fixed { background: repeating-linear-gradient(135deg, #e4e4e4 0 5px, #fff 5px 10px); border: 3px solid #000; }
    .other { background: #fff; border: 1px solid #222; }
    .lesson { background: #fff; border: 2px solid #000; border-left-width: 8px; }
    tr.mandated { font-weight: bold; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }

    """

// MARK: - Escaping

/// Text and attribute values safe in HTML: the five markup characters as references, and characters
/// HTML forbids in a document (controls other than whitespace, noncharacters) as U+FFFD.
func html(_ text: String) -> String {
    var out = ""
    out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
        case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.properties.isNoncharacterCodePoint:
            out += "\u{FFFD}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}
