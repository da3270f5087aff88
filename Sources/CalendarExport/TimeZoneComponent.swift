import Foundation

/// VTIMEZONE (RFC 5545 §3.6.5) generated from the system's time-zone database.
///
/// One observance per actual transition: it is exact for the covered years even where a zone's rules
/// changed, and clients that know the TZID ignore the definition anyway. The observance in force
/// when the covered range begins is included too, so every instant in the range has an offset.
enum TimeZoneComponent {
    struct Observance: Hashable, Sendable {
        var daylight: Bool
        /// The instant the observance begins.
        var onset: Date
        var offsetFrom: Int
        var offsetTo: Int
        var name: String
    }

    /// Observances that give the zone's offset for every instant of the calendar years `years`
    /// (interpreted generously: from a day before the first year to a day after the last).
    static func observances(for zone: TimeZone, years: ClosedRange<Int>) -> [Observance] {
        let utc = TimeZone(secondsFromGMT: 0)!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utc
        let start = calendar.date(from: DateComponents(year: years.lowerBound, month: 1, day: 1))!.addingTimeInterval(-86_400)
        let end = calendar.date(from: DateComponents(year: years.upperBound + 1, month: 1, day: 1))!.addingTimeInterval(86_400)

        // Transitions from a while before `start` so the one in force at `start` is known; zones
        // with no transition in that window get a single fixed observance.
        var transitions: [Date] = []
        var cursor = start.addingTimeInterval(-3 * 366 * 86_400)
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < end {
            transitions.append(next)
            cursor = next
        }
        let inForce = transitions.last { $0 <= start }
        var result: [Observance] = []
        if inForce == nil {
            let offset = zone.secondsFromGMT(for: start)
            let daylight = zone.isDaylightSavingTime(for: start)
            // 1970 is a conventional "since forever" onset; the offset is the one at `start`.
            result.append(Observance(daylight: daylight, onset: Date(timeIntervalSince1970: -TimeInterval(offset)),
                                     offsetFrom: offset, offsetTo: offset, name: name(of: zone, daylight: daylight, offset: offset)))
        }
        for t in transitions where t >= (inForce ?? start) {
            let from = zone.secondsFromGMT(for: t.addingTimeInterval(-1))
            let to = zone.secondsFromGMT(for: t)
            let daylight = zone.isDaylightSavingTime(for: t)
            result.append(Observance(daylight: daylight, onset: t, offsetFrom: from, offsetTo: to,
                                     name: name(of: zone, daylight: daylight, offset: to)))
        }
        return result
    }

    static func lines(tzid: String, zone: TimeZone, years: ClosedRange<Int>) -> [ContentLine] {
        var lines = [ContentLine("BEGIN", "VTIMEZONE"), ContentLine("TZID", ICalText.escape(tzid))]
        for o in observances(for: zone, years: years) {
            let kind = o.daylight ? "DAYLIGHT" : "STANDARD"
            lines += [
                ContentLine("BEGIN", kind),
                // DTSTART of an observance is the wall-clock time just before the change (§3.6.5).
                ContentLine("DTSTART", ICalDate.wallClock(o.onset, offsetSeconds: o.offsetFrom)),
                ContentLine("TZOFFSETFROM", utcOffset(o.offsetFrom)),
                ContentLine("TZOFFSETTO", utcOffset(o.offsetTo)),
                // Foundation reports the zone `UTC` as `GMT`; keep the name the admin wrote.
                ContentLine.text("TZNAME", o.name == "GMT" && tzid.uppercased().hasSuffix("UTC") ? "UTC" : o.name),
                ContentLine("END", kind),
            ]
        }
        lines.append(ContentLine("END", "VTIMEZONE"))
        return lines
    }

    /// UTC-OFFSET value (§3.3.14): `+0100`, `-0500`, `+053000` when there are seconds.
    static func utcOffset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let a = abs(seconds)
        func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let hm = "\(sign)\(pad(a / 3600))\(pad(a % 3600 / 60))"
        return a % 60 == 0 ? hm : hm + pad(a % 60)
    }

    /// A short name such as `EST` or `CEST`. Foundation on Linux only knows abbreviations through
    /// CLDR, which has them for some locales only, so several are tried; a `GMT+1`-style name is
    /// used only when it matches the observance's real offset.
    static func name(of zone: TimeZone, daylight: Bool, offset: Int) -> String {
        let style: NSTimeZone.NameStyle = daylight ? .shortDaylightSaving : .shortStandard
        let candidates = ["en_US", "en_GB", "en_AU", "en_IN"].compactMap { zone.localizedName(for: style, locale: Locale(identifier: $0)) }
        if let named = candidates.first(where: { !$0.hasPrefix("GMT") && !$0.hasPrefix("UTC") && !$0.isEmpty }) { return named }
        if offset == 0 { return "GMT" }
        let sign = offset < 0 ? "-" : "+"
        let a = abs(offset)
        return a % 3600 == 0 ? "GMT\(sign)\(a / 3600)" : "GMT\(sign)\(a / 3600):\(a % 3600 / 60 < 10 ? "0" : "")\(a % 3600 / 60)"
    }
}
