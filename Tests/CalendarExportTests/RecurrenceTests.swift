@testable import CalendarExport
import Foundation
import ScenarioKit
import Testing

@Suite struct Recurrence {
    let term = Term(start: date("2027-01-11"), end: date("2027-03-26"), skip: [date("2027-01-18"), date("2027-02-15"), date("2027-03-03")])

    @Test func localDateArithmetic() {
        #expect(date("2027-01-11").weekday == .mon)
        #expect(date("2027-03-26").weekday == .fri)
        #expect(date("2028-02-28").adding(days: 1) == date("2028-02-29"))
        #expect(date("2027-01-01").adding(days: -1) == date("2026-12-31"))
        #expect(date("2027-01-17").mondayOfWeek == date("2027-01-11"))
    }

    @Test func mondaysStartAtTheTermStartAndSkipHolidays() throws {
        let series = try #require(WeeklySeries(weekday: .mon, term: term))
        #expect(series.first == date("2027-01-11"))
        #expect(series.last == date("2027-03-22"))
        #expect(series.excluded == [date("2027-01-18"), date("2027-02-15")])
        #expect(series.dates.count == 11 - 2)
    }

    @Test func laterWeekdaysStartInTheFirstWeekAndEndOnOrBeforeTheTermEnd() throws {
        let wednesday = try #require(WeeklySeries(weekday: .wed, term: term))
        #expect(wednesday.first == date("2027-01-13"))
        #expect(wednesday.last == date("2027-03-24"))
        #expect(wednesday.excluded == [date("2027-03-03")])
        let friday = try #require(WeeklySeries(weekday: .fri, term: term))
        #expect(friday.last == date("2027-03-26"))
        #expect(friday.excluded.isEmpty)
        // A term starting on a Wednesday: its Monday sessions begin the following week.
        let midweek = Term(start: date("2027-01-13"), end: date("2027-01-29"))
        #expect(WeeklySeries(weekday: .mon, term: midweek)?.first == date("2027-01-18"))
        #expect(WeeklySeries(weekday: .mon, term: midweek)?.last == date("2027-01-25"))
    }

    @Test func skippedDatesAtEitherEndMoveTheSeriesInsteadOfExcludingTheFirstInstance() throws {
        let t = Term(start: date("2027-01-11"), end: date("2027-02-01"), skip: [date("2027-01-11"), date("2027-02-01")])
        let series = try #require(WeeklySeries(weekday: .mon, term: t))
        #expect(series.first == date("2027-01-18"))
        #expect(series.last == date("2027-01-25"))
        #expect(series.excluded.isEmpty)
    }

    @Test func weekdaysThatNeverHappenGiveNoSeries() {
        #expect(WeeklySeries(weekday: .sat, term: Term(start: date("2027-01-11"), end: date("2027-01-15"))) == nil)
        #expect(WeeklySeries(weekday: .mon, term: Term(start: date("2027-01-11"), end: date("2027-01-15"), skip: [date("2027-01-11")])) == nil)
    }

    @Test func untilIsTheLastInstanceInUTCAcrossDaylightSavingTime() throws {
        let block = Block(id: "b1", start: ClockTime(hour: 8, minute: 30), end: ClockTime(hour: 9, minute: 15))
        let zone = try #require(TimeZone(identifier: "America/New_York"))
        let series = try #require(WeeklySeries(weekday: .mon, term: term))
        let event = EventDraft(uid: "u", weekday: .mon, blocks: [block], date: series.first, series: series, summary: "s",
                               location: "l", description: "d", category: "c")
        let lines = event.contentLines(tzid: "America/New_York", zone: zone).map(\.rendered)
        // 2027-01-11 is EST (UTC-5); the last Monday, 2027-03-22, is already EDT (UTC-4).
        #expect(lines.contains("DTSTART;TZID=America/New_York:20270111T083000"))
        #expect(lines.contains("DTEND;TZID=America/New_York:20270111T091500"))
        #expect(lines.contains("RRULE:FREQ=WEEKLY;UNTIL=20270322T123000Z"))
        #expect(lines.filter { $0.hasPrefix("EXDATE") } == [
            "EXDATE;TZID=America/New_York:20270118T083000", "EXDATE;TZID=America/New_York:20270215T083000",
        ])
    }

    @Test func untilInBerlinAfterTheAutumnChange() throws {
        let zone = try #require(TimeZone(identifier: "Europe/Berlin"))
        let block = Block(id: "b2", start: ClockTime(hour: 10, minute: 0), end: ClockTime(hour: 10, minute: 45))
        let autumn = Term(start: date("2027-10-04"), end: date("2027-11-12"))
        let series = try #require(WeeklySeries(weekday: .fri, term: autumn))
        let event = EventDraft(uid: "u", weekday: .fri, blocks: [block], date: series.first, series: series, summary: "s",
                               location: "l", description: "d", category: "c")
        // 2027-11-12 10:00 CET (UTC+1), after the change on 2027-10-31.
        #expect(event.contentLines(tzid: "Europe/Berlin", zone: zone).map(\.rendered).contains("RRULE:FREQ=WEEKLY;UNTIL=20271112T090000Z"))
    }
}
