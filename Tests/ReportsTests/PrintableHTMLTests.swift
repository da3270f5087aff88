import FlexschedTestSupport
import Foundation
import ScenarioKit
import TimetableFormat
import Testing
@testable import Reports

// The printable timetable read back by independent tools: Python's html5lib in strict mode (Debian
// python3-html5lib), and headless Chromium printing it to PDF, pages counted by pdfinfo (Debian
// poppler-utils). `.ci/run` installs them; outside CI a missing tool disables these tests, with the
// reason shown.

private let reader = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("HTML/read_html.py").path
private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

private let haveHTML5Lib = inCI || ((try? runProcess("/usr/bin/python3", ["-c", "import html5lib"]))?.status == 0)
private let chromium = findExecutable("chromium") ?? findExecutable("chromium-browser")
private let pdfinfo = findExecutable("pdfinfo")
private let haveBrowser = inCI || (chromium != nil && pdfinfo != nil)

/// A two-day week whose names hold everything markup reads (`<`, `&`, both quotes): a double-block
/// project, tutoring, an independent session, a fixed advisory, and two unmet needs, one mandated.
private func school() -> Scenario {
    func time(_ h: Int, _ m: Int) -> ClockTime { ClockTime(hour: h, minute: m) }
    return Scenario(
        name: "Maple <Grove> & \"Sons\"' week", timezone: "Europe/Dublin", days: [.mon, .tue],
        blocks: [Block(id: "b1", start: time(8, 30), end: time(9, 15)), Block(id: "b2", start: time(9, 15), end: time(10, 0)),
                 Block(id: "b3", start: time(10, 15), end: time(11, 0), breakBefore: true)],
        modalities: [Modality(id: "project", min: 1, max: 4, teacher: true, length: 2),
                     Modality(id: "tutoring", min: 1, max: 2, teacher: true),
                     Modality(id: "independent", min: 1, max: 8, teacher: false)],
        teachers: [Teacher(id: "lee", name: "Ms. <b>Lee</b> & \"Co\"", subjects: ["science", "reading"]),
                   Teacher(id: "kim", name: "Mr. O'Kim", subjects: ["math"])],
        rooms: [Room(id: "r1", name: "Room <1>", capacity: 4), Room(id: "hall", name: "Hall & Stage", capacity: 30)],
        students: [Student(id: "ana", name: "Ana <script>alert(1)</script>", needs: [Need(subject: "science", modality: "project", sessions: 1),
                                                                                  Need(subject: "math", modality: "independent", sessions: 1)]),
                   Student(id: "ben", name: "Ben \"Benny\" O'Neil", needs: [Need(subject: "science", modality: "project", sessions: 1),
                                                                           Need(subject: "math", modality: "tutoring", sessions: 2)]),
                   Student(id: "cy", name: "Cy & Co", needs: [Need(subject: "math", modality: "tutoring", sessions: 1),
                                                              Need(subject: "reading", modality: "tutoring", sessions: 2, priority: .mandated)])],
        groups: [StudentGroup(id: "grade6", students: ["ana", "ben"])],
        fixed: [FixedSession(id: "advisory", title: "Advisory <6> & 'friends'", day: .mon, block: "b3", teachers: ["lee", "kim"],
                             room: "hall", students: ["cy"], groups: ["grade6"])])
}

private func week() -> Timetable {
    Timetable(scenario: "Maple <Grove> & \"Sons\"' week", status: .feasible, objective: 1, bound: 0, gap: 1, sessions: [
        .init(day: "mon", block: "b1", length: 2, subject: "science", modality: "project", teacher: "lee", room: "r1", students: ["ana", "ben"]),
        .init(fixed: "advisory", title: "Advisory <6> & 'friends'", day: "mon", block: "b3", length: 1, teachers: ["lee", "kim"],
              room: "hall", students: ["cy", "ana", "ben"]),
        .init(day: "tue", block: "b2", subject: "math", modality: "tutoring", teacher: "kim", room: "r1", students: ["ben", "cy"]),
        .init(day: "tue", block: "b3", subject: "math", modality: "independent", teacher: nil, room: "hall", students: ["ana"]),
    ], unmet: [
        .init(student: "ben", subject: "math", modality: "tutoring", missing: 1, reason: "Mr. O'Kim is full <all week>", cause: "no-free-teacher"),
        .init(student: "cy", subject: "reading", modality: "tutoring", missing: 2, priority: .mandated,
              reason: "Ms. Lee & Mr. O'Kim are busy", cause: "no-free-teacher"),
    ])
}

private struct Cell: Decodable {
    var header: Bool
    var scope: String?
    var span: Int
    var text: String
    var sessions: [[String]]
    var classes: [[String]]
}

private struct Section: Decodable {
    var id: String?
    var heading: String
    var captions: [String]
    var tables: Int
    var items: [String]
    var rows: [[Cell]]

    var cells: [Cell] { rows.flatMap { $0 } }
    /// Every session box of the section, as its lines.
    var boxes: [[String]] { cells.flatMap(\.sessions) }
}

private struct Document: Decodable {
    var lang: String?
    var encoding: String
    var title: String?
    var ids: [String]
    var links: [String]
    var sections: [Section]
    var scripts: Int
    var external: [String?]

    func section(_ id: String) throws -> Section { try #require(sections.first { $0.id == id }, "no section \(id)") }
}

private func temporaryFile(_ name: String) -> String {
    let dir = NSTemporaryDirectory() + "flexsched-html-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir + "/" + name
}

/// The file as html5lib reads it in strict mode; the test fails on the first parse error.
private func parse(_ html: String) throws -> Document {
    let path = temporaryFile("timetable.html")
    try html.write(toFile: path, atomically: true, encoding: .utf8)
    let output = try runProcess("/usr/bin/python3", [reader, path])
    try #require(output.status == 0, "not valid HTML5 (html5lib strict; apt-get install python3-html5lib): \(output.stderr)")
    return try JSONDecoder().decode(Document.self, from: Data(output.stdout.utf8))
}

@Suite(.serialized) struct PrintableHTML {
    @Test(.enabled(if: haveHTML5Lib, "Python html5lib not found (apt-get install python3-html5lib); runs always in CI"))
    func isStrictHTML5AndShowsEverySessionOnEachOfItsPeoplesPages() throws {
        let scenario = school(), timetable = week()
        let doc = try parse(timetableHTML(try checked(timetable, scenario), scenario: scenario))
        #expect(doc.lang == "en")
        #expect(doc.encoding == "utf-8")
        // Names come back exactly as written: escaped, so none became markup.
        #expect(doc.title == "Timetable: " + scenario.name)
        #expect(doc.scripts == 0 && doc.external.isEmpty)

        let owners = scenario.teachers.map { "teacher-" + $0.id } + scenario.students.map { "student-" + $0.id } + scenario.rooms.map { "room-" + $0.id }
        #expect(doc.sections.map(\.id) == ["index"] + scenario.days.map { "day-" + $0.rawValue } + owners + ["unmet"])
        let index = try doc.section("index")
        for id in owners + ["unmet"] { #expect(doc.links.contains("#" + id), "no link to \(id) in the index") }
        // `#top` is HTML's own link to the top of the document, which shows every page again.
        for link in doc.links where link != "#top" { #expect(doc.ids.contains(String(link.dropFirst())), "\(link) leads nowhere") }
        for section in doc.sections.dropFirst() {
            #expect(section.captions.count == section.tables, "\(section.id ?? "?") has a table without a caption")
            for cell in section.cells where cell.header { #expect(cell.scope == "col" || cell.scope == "row", "\(cell.text) has no scope") }
        }
        #expect(try doc.section("teacher-lee").heading == "Teacher Ms. <b>Lee</b> & \"Co\"")
        #expect(try doc.section("student-ana").heading == "Student Ana <script>alert(1)</script>")

        func name(_ id: String?, _ all: [(id: String, name: String)]) -> String? { id.flatMap { id in all.first { $0.id == id }?.name } }
        let teachers = scenario.teachers.map { ($0.id, $0.name) }, rooms = scenario.rooms.map { ($0.id, $0.name) }
        for session in timetable.sessions {
            let what = session.fixed ? session.title! : session.subject.capitalized + " " + session.modality
            // The session's box on a page: its first line names it, the others whoever else is there.
            func shown(on page: String, with others: [String?]) throws {
                let boxes = try doc.section(page).boxes.filter { $0.first?.hasPrefix(what) == true }
                #expect(boxes.contains { box in others.compactMap { $0 }.allSatisfy { other in box.dropFirst().contains { $0.contains(other) } } },
                        "\(what) on \(session.day) is not on \(page) with \(others)")
            }
            for t in session.staff { try shown(on: "teacher-" + t, with: [name(session.room, rooms)]) }
            for st in session.students { try shown(on: "student-" + st, with: [name(session.teacher, teachers), name(session.room, rooms)]) }
            if let room = session.room { try shown(on: "room-" + room, with: [name(session.teacher, teachers)]) }
            try shown(on: "day-" + session.day, with: [name(session.teacher, teachers)])
        }
        // The double block is one cell over both its blocks.
        let project = try doc.section("teacher-lee").cells.filter { $0.sessions.first?.first?.hasPrefix("Science project") == true }
        #expect(project.map(\.span) == [2])

        // A student's page, which goes into her folder, names no other student.
        for student in scenario.students {
            let page = try doc.section("student-" + student.id)
            for other in scenario.students where other.id != student.id {
                #expect(!page.cells.contains { $0.text.contains(other.name) }, "\(student.id)'s page names \(other.id)")
            }
        }
        #expect(try doc.section("student-cy").items == ["mandated — Reading tutoring: 2 of 2 sessions unmet (Ms. Lee & Mr. O'Kim are busy)"])

        // Unmet needs: mandated first, with reason and cause, whatever the timetable's order.
        let unmet = try doc.section("unmet").rows.dropFirst().map { $0.map(\.text) }
        #expect(unmet == [["mandated", "Cy & Co", "Reading", "tutoring", "2", "Ms. Lee & Mr. O'Kim are busy", "no-free-teacher"],
                          ["normal", "Ben \"Benny\" O'Neil", "Math", "tutoring", "1", "Mr. O'Kim is full <all week>", "no-free-teacher"]])

        // Each modality reads without colour: its own border, and its name in every box.
        let key = index.items.filter { $0.hasSuffix("border") }
        #expect(key.count == scenario.modalities.count)
        #expect(Set(key.map { $0.split(separator: ",").last! }).count == key.count, "\(key)")
    }

    @Test(.enabled(if: haveBrowser, "chromium or pdfinfo not found (apt-get install chromium poppler-utils); runs always in CI"))
    func chromiumPrintsASectionAPageAndShowsATeachersPage() throws {
        let browser = try #require(chromium, "chromium is not installed; .ci/run installs it")
        let pages = try #require(pdfinfo, "pdfinfo is not installed; .ci/run installs poppler-utils")
        let scenario = school()
        let path = temporaryFile("timetable.html")
        try timetableHTML(try checked(week(), scenario), scenario: scenario).write(toFile: path, atomically: true, encoding: .utf8)
        let dir = (path as NSString).deletingLastPathComponent
        func headless(_ arguments: [String]) throws {
            // Its own profile, so runs in parallel do not share one; `timeout` so a stuck browser fails.
            let output = try runProcess("/usr/bin/timeout", ["120", browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                                             "--user-data-dir=\(dir)/profile"] + arguments)
            #expect(output.status == 0, "chromium \(arguments): \(output.stderr)")
        }
        try headless(["--no-pdf-header-footer", "--print-to-pdf=\(dir)/timetable.pdf", URL(fileURLWithPath: path).absoluteString])
        let info = try runProcess(pages, ["\(dir)/timetable.pdf"])
        let count = info.stdout.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) }
        // The index, a page per school day, per teacher, student and room, and the unmet needs.
        let expected = 1 + scenario.days.count + scenario.teachers.count + scenario.students.count + scenario.rooms.count + 1
        #expect(count == expected, "pdfinfo: \(info.stdout) \(info.stderr)")

        let artifacts = packageRoot.appendingPathComponent(".build/test-artifacts").path
        try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
        let screenshot = artifacts + "/timetable-teacher-lee.png"
        try? FileManager.default.removeItem(atPath: screenshot)
        try headless(["--window-size=1200,800", "--hide-scrollbars", "--screenshot=\(screenshot)",
                      URL(fileURLWithPath: path).absoluteString + "#teacher-lee"])
        // Opened at the anchor, the file shows that page alone. An empty white window compresses to
        // about 5 kB, a page of tables and text to several times that.
        let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 15_000, "no screenshot of a teacher's page at \(screenshot)")
    }
}

@Test func markupCharactersAreEscapedAndForbiddenOnesReplaced() {
    #expect(html("<b a=\"1\" b='2'>&amp;</b>") == "&lt;b a=&quot;1&quot; b=&#39;2&#39;&gt;&amp;amp;&lt;/b&gt;")
    let nonCharacter = String(Character(Unicode.Scalar(0xFDD0)!))
    #expect(html("tab\tnew\nline\u{7}bell" + nonCharacter) == "tab\tnew\nline\u{FFFD}bell\u{FFFD}")
    #expect(html("Zoë 🦊") == "Zoë 🦊")
}

/// WCAG 2 contrast of black text on every background the file gives a session (AA asks 4.5:1).
@Test func blackTextOnEveryModalityColourPassesWCAGAA() throws {
    func luminance(_ hex: Substring) -> Double {
        let value = Int(hex, radix: 16)!
        let channels = [value >> 16, (value >> 8) & 0xFF, value & 0xFF].map { Double($0) / 255 }
        let linear = channels.map { $0 <= 0.03928 ? $0 / 12.92 : pow(($0 + 0.055) / 1.055, 2.4) }
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    }
    var scenario = school()
    // Enough modalities to use every colour of the palette.
    scenario.modalities += (1...8).map { Modality(id: "extra\($0)", min: 1, max: 2, teacher: true) }
    let page = timetableHTML(try checked(week(), scenario), scenario: scenario)
    let backgrounds = page.split(separator: "background-color: #").dropFirst().map { $0.prefix(6) }
    #expect(backgrounds.count == scenario.modalities.count)
    for colour in Set(backgrounds) {
        #expect((luminance(colour) + 0.05) / 0.05 >= 4.5, "black on #\(colour)")
    }
}
