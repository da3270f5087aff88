import Foundation
import ScenarioKit

/// The events of an earlier export, by UID, as they were written.
public struct PreviousExport: Sendable {
    struct Event: Sendable {
        var uid: String
        /// The event exactly as it was in the file (folded, CRLF), from BEGIN:VEVENT to END:VEVENT.
        var text: String
        /// Its unfolded lines without the stamping properties; see `EventDraft.contentLines`.
        var content: [String]
        var sequence: Int
        /// Relative path of the file, `/`-separated.
        var file: String
        var summary: String
        var start: String
    }

    var events: [String: Event]

    /// Properties that record when and how often an event was issued rather than what it is.
    static let stampProperties: Set<String> = ["UID", "DTSTAMP", "SEQUENCE", "LAST-MODIFIED"]

    /// The events of calendars kept elsewhere (a web app's published feeds), by relative path.
    public init(calendars: [(path: String, text: String)]) throws(InputError) {
        var events: [String: Event] = [:]
        for (path, text) in calendars {
            for e in try PreviousExport.parse(text, file: path) { events[e.uid] = e }
        }
        self.events = events
    }

    init(events: [String: Event]) { self.events = events }

    /// Reads every `.ics` file under `directory`. A missing folder or an unreadable file is bad input.
    public static func load(directory: String) throws(InputError) -> PreviousExport {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError(file: directory, "is not a folder of an earlier calendar export")
        }
        let files = (FileManager.default.enumerator(atPath: directory)?.allObjects as? [String] ?? [])
            .filter { $0.lowercased().hasSuffix(".ics") }.sorted()
        var events: [String: Event] = [:]
        var problems: [InputProblem] = []
        for relative in files {
            let path = (directory as NSString).appendingPathComponent(relative)
            do {
                for e in try parse(try readTextFile(path), file: relative) { events[e.uid] = e }
            } catch {
                problems += error.problems.map { var p = $0; p.file = path; return p }
            }
        }
        if !problems.isEmpty { throw InputError(problems) }
        return PreviousExport(events: events)
    }

    static func parse(_ text: String, file: String) throws(InputError) -> [Event] {
        guard text.hasPrefix("BEGIN:VCALENDAR") else { throw InputError(file: file, "is not an iCalendar file (no BEGIN:VCALENDAR)") }
        // Logical lines with the physical lines they came from, so an unchanged event can be copied byte for byte.
        var logical: [(line: String, physical: [Substring])] = []
        // "\r\n" is one Character in Swift, so line breaks are normalised before splitting.
        for line in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: true) {
            // Scalars, not Characters: see `ICalText.unfold`.
            if let first = line.unicodeScalars.first, first == " " || first == "\t", !logical.isEmpty {
                logical[logical.count - 1].line += String(line.unicodeScalars.dropFirst())
                logical[logical.count - 1].physical.append(line)
            } else {
                logical.append((String(line), [line]))
            }
        }
        var result: [Event] = []
        var current: [(line: String, physical: [Substring])]? = nil
        for entry in logical {
            if entry.line == "BEGIN:VEVENT" { current = [] }
            guard current != nil else { continue }
            current!.append(entry)
            if entry.line == "END:VEVENT" {
                let lines = current!
                current = nil
                let props = lines.map(\.line)
                func value(_ name: String) -> String? {
                    props.first { ICalText.propertyName($0) == name }.map(ICalText.propertyValue)
                }
                guard let uid = value("UID").map(ICalText.unescape), !uid.isEmpty else {
                    throw InputError(file: file, "has an event without UID")
                }
                result.append(Event(
                    uid: uid,
                    text: lines.flatMap(\.physical).map { $0 + "\r\n" }.joined(),
                    content: props.filter { !stampProperties.contains(ICalText.propertyName($0)) && !$0.hasPrefix("BEGIN:") && !$0.hasPrefix("END:") },
                    sequence: value("SEQUENCE").flatMap { Int($0) } ?? 0,
                    file: file,
                    summary: value("SUMMARY").map(ICalText.unescape) ?? "",
                    start: value("DTSTART") ?? ""))
            }
        }
        if current != nil { throw InputError(file: file, "ends inside an event (no END:VEVENT); was it cut short?") }
        return result
    }
}
