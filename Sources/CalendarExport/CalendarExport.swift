import Foundation
import ScenarioKit
import TimetableChecker
import TimetableFormat

/// Which calendars name the students of a session (`--student-names`). A student's own calendar
/// never names classmates, whatever the setting: it says how many others share the session.
public enum StudentNames: String, CaseIterable, Sendable {
    /// Teachers see whom they teach; room and school calendars give head counts.
    case teachersOnly = "teachers-only"
    /// Teachers', room and school calendars name the students.
    case everyone
    /// Head counts in every calendar.
    case none
}

/// iCalendar export of a timetable: one calendar per teacher, student, room and class, and one for
/// the whole school. The result is deterministic: the same inputs give the same bytes.
public enum CalendarExport {
    public struct Options: Sendable {
        public var kinds: Set<CalendarKind> = Set(CalendarKind.allCases)
        /// Places single events in the week holding this date instead of recurring over the term.
        public var weekOf: LocalDate?
        public var studentNames = StudentNames.teachersOnly
        /// Also give a calendar to owners without any session (a feed must answer with a valid,
        /// empty calendar rather than nothing); their files are still listed in `Result.empty`.
        public var keepEmptyCalendars = false
        public init() {}
    }

    public struct File: Sendable {
        /// Relative to the output folder, `/`-separated.
        public var path: String
        public var data: Data
        public var kind: CalendarKind
        /// The teacher's, student's, room's or class's id; nil for the school calendar.
        public var ownerID: String?
        public var eventCount: Int
    }

    /// An event of the previous export that the new one no longer has.
    public struct RemovedEvent: Sendable, Hashable {
        public var uid: String
        public var file: String
        public var summary: String
        public var start: String
    }

    public struct Result: Sendable {
        public var files: [File]
        /// Calendars not written because their owner has no session, for example `teacher kim (Mr. Kim)`.
        public var empty: [String]
        public var added = 0, changed = 0, unchanged = 0
        public var removed: [RemovedEvent] = []
    }

    /// Builds every calendar. `stamp` becomes DTSTAMP (and LAST-MODIFIED of changed events); pass
    /// the timetable's creation time so repeated exports are identical. With `previous`, events
    /// whose content changed get SEQUENCE one higher than before, unchanged ones are copied as they
    /// were, and events that are gone are reported.
    public static func export(scenario validated: ValidatedScenario, scenarioFile: String = "<scenario>", timetable checked: CheckedTimetable,
                              timetableFile: String = "<timetable>", options: Options, stamp: Date, previous: PreviousExport? = nil)
        throws(InputError) -> Result {
        let scenario = validated.scenario, timetable = checked.timetable
        guard let zone = TimeZone(identifier: scenario.timezone) else {
            throw InputError(file: scenarioFile, entity: "timezone", "unknown time zone `\(scenario.timezone)`")
        }
        let placement: Placement
        let years: ClosedRange<Int>
        if let weekOf = options.weekOf {
            let monday = weekOf.mondayOfWeek
            placement = .week(monday: monday, skip: Set(scenario.term?.skip ?? []))
            years = monday.year...monday.adding(days: 6).year
        } else if let term = scenario.term {
            placement = .term(term)
            years = term.start.year...term.end.year
        } else {
            throw InputError(file: scenarioFile, entity: "term",
                             "the scenario has no `term`, so there are no dates to put sessions on; add a term or give --week-of YYYY-MM-DD")
        }
        if timetable.scenario != scenario.name {
            throw InputError(file: timetableFile, entity: "scenario",
                             "the timetable was made for \"\(timetable.scenario)\", not for \"\(scenario.name)\"")
        }

        let builder = EventBuilder(scenario: scenario, placement: placement, studentNames: options.studentNames)
        let drafts = try builder.calendars(timetable, kinds: options.kinds, file: timetableFile)
        let timezone = TimeZoneComponent.lines(tzid: scenario.timezone, zone: zone, years: years)
        let stampText = ICalDate.utc(stamp)
        var result = Result(files: [], empty: [])
        var written = Set<String>()
        for draft in drafts {
            if draft.events.isEmpty {
                result.empty.append(draft.owner)
                if !options.keepEmptyCalendars { continue }
            }
            var text = header(title: draft.title, tzid: scenario.timezone).map { ICalText.fold($0.rendered) }.joined()
            text += timezone.map { ICalText.fold($0.rendered) }.joined()
            for event in draft.events {
                written.insert(event.uid)
                let content = event.contentLines(tzid: scenario.timezone, zone: zone)
                let old = previous?.events[event.uid]
                if let old, old.content == content.map(\.rendered) {
                    result.unchanged += 1
                    text += old.text
                    continue
                }
                if old == nil { result.added += 1 } else { result.changed += 1 }
                let sequence = old.map { $0.sequence + 1 } ?? 0
                var lines = [
                    ContentLine("BEGIN", "VEVENT"),
                    .text("UID", event.uid),
                    ContentLine("DTSTAMP", stampText),
                    ContentLine("LAST-MODIFIED", stampText),
                    ContentLine("SEQUENCE", String(sequence)),
                ]
                lines += content
                lines.append(ContentLine("END", "VEVENT"))
                text += lines.map { ICalText.fold($0.rendered) }.joined()
            }
            text += ICalText.fold("END:VCALENDAR")
            result.files.append(File(path: draft.path, data: Data(text.utf8), kind: draft.kind, ownerID: draft.ownerID,
                                     eventCount: draft.events.count))
        }
        if let previous {
            let kinds = options.kinds
            result.removed = previous.events.values
                .filter { !written.contains($0.uid) && kinds.contains(kind(ofPath: $0.file)) }
                .map { RemovedEvent(uid: $0.uid, file: $0.file, summary: $0.summary, start: $0.start) }
                .sorted { ($0.file, $0.start, $0.uid) < ($1.file, $1.start, $1.uid) }
        }
        return result
    }

    /// The DTSTAMP for a timetable: its `created` time. `nil` when it has none; malformed is bad input.
    public static func stamp(of timetable: Timetable, file: String) throws(InputError) -> Date? {
        guard let created = timetable.created else { return nil }
        guard let date = ICalDate.parseISO8601(created) else {
            throw InputError(file: file, entity: "created", "`\(created)` is not an ISO 8601 time such as 2027-01-08T14:02:11Z")
        }
        return Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    private static func header(title: String, tzid: String) -> [ContentLine] {
        [
            ContentLine("BEGIN", "VCALENDAR"),
            ContentLine("VERSION", "2.0"),
            .text("PRODID", "-//flexsched//Timetable Calendars 1.0//EN"),
            ContentLine("CALSCALE", "GREGORIAN"),
            .text("NAME", title),
            .text("X-WR-CALNAME", title),
            .text("X-WR-TIMEZONE", tzid),
        ]
    }

    /// `teachers/lee.ics` -> teachers; also below an extra folder, as in `calendars/teachers/lee.ics`.
    private static func kind(ofPath path: String) -> CalendarKind {
        let parts = path.split(separator: "/")
        return parts.count >= 2 ? CalendarKind(rawValue: String(parts[parts.count - 2])) ?? .school : .school
    }
}
