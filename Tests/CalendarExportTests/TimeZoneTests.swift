@testable import CalendarExport
import Foundation
import ScenarioKit
import Testing

@Suite struct VTimezone {
    private func rendered(_ id: String, _ years: ClosedRange<Int>) -> [String] {
        TimeZoneComponent.lines(tzid: id, zone: TimeZone(identifier: id)!, years: years).map(\.rendered)
    }

    @Test func newYorkHasTheRuleInForceAtTheStartAndEveryChangeOfTheYear() {
        #expect(rendered("America/New_York", 2027...2027) == [
            "BEGIN:VTIMEZONE", "TZID:America/New_York",
            "BEGIN:STANDARD", "DTSTART:20261101T020000", "TZOFFSETFROM:-0400", "TZOFFSETTO:-0500", "TZNAME:EST", "END:STANDARD",
            "BEGIN:DAYLIGHT", "DTSTART:20270314T020000", "TZOFFSETFROM:-0500", "TZOFFSETTO:-0400", "TZNAME:EDT", "END:DAYLIGHT",
            "BEGIN:STANDARD", "DTSTART:20271107T020000", "TZOFFSETFROM:-0400", "TZOFFSETTO:-0500", "TZNAME:EST", "END:STANDARD",
            "END:VTIMEZONE",
        ])
    }

    @Test func berlinObservancesStartAtTheLocalTimeBeforeTheChange() {
        let lines = rendered("Europe/Berlin", 2027...2028)
        // 01:00 UTC is 03:00 CEST before the autumn change and 02:00 CET before the spring one.
        #expect(lines.filter { $0.hasPrefix("DTSTART") } == [
            "DTSTART:20261025T030000", "DTSTART:20270328T020000", "DTSTART:20271031T030000",
            "DTSTART:20280326T020000", "DTSTART:20281029T030000",
        ])
        #expect(lines.filter { $0.hasPrefix("TZOFFSETTO") }.count == 5)
        #expect(lines.contains("TZOFFSETTO:+0200"))
    }

    @Test func zonesWithoutChangesGetOneFixedObservance() {
        #expect(rendered("UTC", 2027...2027) == [
            "BEGIN:VTIMEZONE", "TZID:UTC", "BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:+0000",
            "TZOFFSETTO:+0000", "TZNAME:UTC", "END:STANDARD", "END:VTIMEZONE",
        ])
        let kolkata = rendered("Asia/Kolkata", 2027...2027)
        #expect(kolkata.contains("TZOFFSETTO:+0530"))
        #expect(kolkata.filter { $0 == "BEGIN:STANDARD" }.count == 1)
        #expect(!kolkata.contains("BEGIN:DAYLIGHT"))
    }

    @Test func offsetsFormat() {
        #expect(TimeZoneComponent.utcOffset(-18000) == "-0500")
        #expect(TimeZoneComponent.utcOffset(37800) == "+1030")
        #expect(TimeZoneComponent.utcOffset(0) == "+0000")
        #expect(TimeZoneComponent.utcOffset(-(3600 + 1800 + 7)) == "-013007")
    }

    /// The observances must give the database's offset at every hour of the covered years.
    @Test(arguments: ["America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "America/Santiago", "Africa/Casablanca",
                      "Asia/Tokyo", "Europe/London", "Pacific/Chatham"])
    func observancesAgreeWithTheDatabaseAtEveryHour(_ id: String) throws {
        let zone = try #require(TimeZone(identifier: id))
        let observances = TimeZoneComponent.observances(for: zone, years: 2026...2028)
        #expect(observances == observances.sorted { $0.onset < $1.onset })
        let start = ICalDate.instant(date("2026-01-01"), ClockTime(minutes: 0), in: zone)
        let end = ICalDate.instant(date("2028-12-31"), ClockTime(hour: 23, minute: 0), in: zone)
        var t = start
        var mismatches: [String] = []
        while t <= end {
            let observance = observances.last { $0.onset <= t }
            if observance?.offsetTo != zone.secondsFromGMT(for: t) { mismatches.append(ICalDate.utc(t)) }
            t.addTimeInterval(3600)
        }
        #expect(mismatches.isEmpty, "\(id): wrong offset at \(mismatches.prefix(5))")
        for (a, b) in zip(observances, observances.dropFirst()) {
            #expect(a.offsetTo == b.offsetFrom, "\(id): observances do not chain at \(b.onset)")
        }
    }
}
