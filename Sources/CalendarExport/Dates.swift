import Foundation
import ScenarioKit

// Date arithmetic on `LocalDate` goes through a UTC Gregorian calendar, where every day has 24 hours.
private let utcCalendar: Calendar = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(secondsFromGMT: 0)!
    return calendar
}()

extension LocalDate {
    var utcMidnight: Date {
        utcCalendar.date(from: DateComponents(year: year, month: month, day: day))!
    }

    init(utcMidnight date: Date) {
        let c = utcCalendar.dateComponents([.year, .month, .day], from: date)
        self.init(year: c.year!, month: c.month!, day: c.day!)
    }

    func adding(days: Int) -> LocalDate {
        LocalDate(utcMidnight: utcCalendar.date(byAdding: .day, value: days, to: utcMidnight)!)
    }

    var weekday: Weekday {
        // Foundation numbers Sunday 1 ... Saturday 7; Weekday starts on Monday.
        let sundayBased = utcCalendar.component(.weekday, from: utcMidnight)
        return Weekday.allCases[(sundayBased + 5) % 7]
    }

    /// The Monday of the ISO week holding this date.
    var mondayOfWeek: LocalDate { adding(days: -weekday.ordinal) }

    /// `YYYYMMDD`, the iCalendar DATE form.
    var compact: String { description.replacingOccurrences(of: "-", with: "") }
}

enum ICalDate {
    /// A local DATE-TIME without zone (used with a TZID parameter): `20270111T083000`.
    static func local(_ date: LocalDate, _ time: ClockTime) -> String {
        "\(date.compact)T\(pad(time.hour))\(pad(time.minute))00"
    }

    /// The instant of a wall-clock time in a zone. A time skipped by a daylight-saving jump resolves
    /// to the instant after the jump, as calendar clients do.
    static func instant(_ date: LocalDate, _ time: ClockTime, in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: date.year, month: date.month, day: date.day, hour: time.hour, minute: time.minute)
        return calendar.date(from: components)!
    }

    /// A UTC DATE-TIME: `20270111T133000Z`, whole seconds.
    static func utc(_ date: Date) -> String {
        let c = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let day = LocalDate(year: c.year!, month: c.month!, day: c.day!)
        return "\(day.compact)T\(pad(c.hour!))\(pad(c.minute!))\(pad(c.second!))Z"
    }

    /// The wall-clock DATE-TIME (`YYYYMMDDTHHMMSS`) of an instant at a fixed UTC offset.
    static func wallClock(_ date: Date, offsetSeconds: Int) -> String {
        String(utc(date.addingTimeInterval(TimeInterval(offsetSeconds))).dropLast())
    }

    /// Parses the `created` field of a timetable (ISO 8601, UTC or with an offset).
    static func parseISO8601(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    private static func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
}

/// The weekly occurrences of one weekday within a term, with the school's days off removed.
struct WeeklySeries: Hashable, Sendable {
    /// The first date that has the session: the first such weekday on or after the term start that is not skipped.
    var first: LocalDate
    /// The last date that has the session (on or before the term end, not skipped).
    var last: LocalDate
    /// Skipped dates strictly between `first` and `last` on this weekday, ascending.
    var excluded: [LocalDate]

    /// Every date the session takes place, ascending.
    var dates: [LocalDate] {
        stride(from: 0, through: Int((last.utcMidnight.timeIntervalSince(first.utcMidnight) / 86_400).rounded()), by: 7)
            .map { first.adding(days: $0) }
            .filter { !excluded.contains($0) }
    }

    /// `nil` when the weekday never falls in the term, or only on skipped dates.
    /// Skipped dates at either end move `first`/`last` instead of becoming exclusions, so the first
    /// instance is always a real one: some clients show DTSTART even when an EXDATE removes it.
    init?(weekday: Weekday, term: Term) {
        let skipped = Set(term.skip)
        var first = term.start.adding(days: (weekday.ordinal - term.start.weekday.ordinal + 7) % 7)
        while first <= term.end && skipped.contains(first) { first = first.adding(days: 7) }
        var last = term.end.adding(days: -((term.end.weekday.ordinal - weekday.ordinal + 7) % 7))
        while last >= first && skipped.contains(last) { last = last.adding(days: -7) }
        guard first <= last else { return nil }
        self.first = first
        self.last = last
        self.excluded = skipped.filter { $0.weekday == weekday && first < $0 && $0 < last }.sorted()
    }
}
