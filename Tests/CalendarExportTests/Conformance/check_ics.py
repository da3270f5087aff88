"""Independent reading of flexsched's .ics files with the Python `icalendar` library.

Usage: python3 check_ics.py FILE.ics...
Prints one JSON object: {"icalendar": version, "files": {path: {"errors": [...], "events": [...]}}}.
Each event lists its occurrences as "YYYY-MM-DD HH:MM-HH:MM" wall-clock times in its TZID, expanded
here with python-dateutil and checked against the file's own VTIMEZONE and the zoneinfo database.
"""
import datetime as dt
import json
import sys
import zoneinfo

import icalendar
from dateutil.rrule import rrulestr


def raw_problems(data):
    problems = []
    if b"\r\n" not in data or data.replace(b"\r\n", b"").find(b"\n") >= 0 or data.replace(b"\r\n", b"").find(b"\r") >= 0:
        problems.append("line ends are not all CRLF")
    for number, line in enumerate(data.split(b"\r\n"), 1):
        if len(line) > 75:
            problems.append(f"line {number} has {len(line)} octets")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {number} splits a UTF-8 character")
    return problems


def naive_local(value, zone):
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(zone).replace(tzinfo=None)
    return value


def tzid_of(prop):
    return prop.params.get("TZID")


def exdates(event):
    found = event.get("EXDATE")
    if found is None:
        return []
    lists = found if isinstance(found, list) else [found]
    return [(d.dt, tzid_of(l)) for l in lists for d in l.dts]


checked_years = set()


def check_file(path):
    data = open(path, "rb").read()
    errors = raw_problems(data)
    cal = icalendar.Calendar.from_ical(data)
    for component in cal.walk():
        for error in getattr(component, "errors", []) or []:
            errors.append(f"{component.name}: {error}")
    if str(cal.get("VERSION")) != "2.0":
        errors.append("VERSION is not 2.0")
    for key in ("PRODID", "NAME", "X-WR-CALNAME"):
        if not cal.get(key):
            errors.append(f"calendar has no {key}")
    for key in ("METHOD",):
        if key in cal:
            errors.append(f"calendar has {key}")
    timezones = {}
    for vtz in cal.walk("VTIMEZONE"):
        tzid = str(vtz["TZID"])
        if tzid in timezones:
            errors.append(f"VTIMEZONE {tzid} twice")
        timezones[tzid] = vtz
    used = set()
    events = []
    for event in cal.walk("VEVENT"):
        for key in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            if key not in event:
                errors.append(f"event without {key}")
        for key in ("ORGANIZER", "ATTENDEE", "METHOD"):
            if key in event:
                errors.append(f"event has {key}")
        tzid = tzid_of(event["DTSTART"])
        used.add(tzid)
        zone = zoneinfo.ZoneInfo(tzid)
        start = naive_local(event.decoded("DTSTART"), zone)
        end = naive_local(event.decoded("DTEND"), zone)
        if tzid_of(event["DTEND"]) != tzid:
            errors.append("DTEND has another TZID than DTSTART")
        occurrences = [start]
        if "RRULE" in event:
            rule = event["RRULE"]
            until = rule.get("UNTIL")[0]
            if not (isinstance(until, dt.datetime) and until.utcoffset() == dt.timedelta(0)):
                errors.append("UNTIL is not in UTC")
            # Recurrence is on local time (RFC 5545 3.3.10), so expand naive wall-clock times.
            text = rule.to_ical().decode()
            text = ";".join(p for p in text.split(";") if not p.startswith("UNTIL="))
            local_until = until.astimezone(zone).replace(tzinfo=None)
            occurrences = list(rrulestr(text, dtstart=start).between(start, local_until, inc=True))
        excluded = set()
        for value, ex_tzid in exdates(event):
            if ex_tzid != tzid:
                errors.append("EXDATE has another TZID than DTSTART")
            if type(value) is not type(event.decoded("DTSTART")):
                errors.append("EXDATE has another value type than DTSTART")
            excluded.add(naive_local(value, zone))
        missing = excluded - set(occurrences)
        if missing:
            errors.append(f"EXDATE not on an occurrence: {sorted(map(str, missing))}")
        occurrences = [o for o in occurrences if o not in excluded]
        vtz = timezones.get(tzid)
        if vtz is not None and hasattr(vtz, "to_tz"):
            # Newer versions return the database zone for a known TZID unless told to build one
            # from the VTIMEZONE's own observances, which is what is under test here.
            try:
                own = vtz.to_tz(lookup_tzid=False)
            except TypeError:
                own = vtz.to_tz()
            for o in occurrences:
                for moment in (o, o + (end - start)):
                    if own.utcoffset(moment) != zone.utcoffset(moment):
                        errors.append(f"VTIMEZONE gives {own.utcoffset(moment)} at {moment}, tz database {zone.utcoffset(moment)}")
            if occurrences and tzid not in checked_years:
                checked_years.add(tzid)
                # Every day of the covered years, at noon, not only the event times.
                day = dt.datetime(occurrences[0].year, 1, 1, 12)
                while day.year <= occurrences[-1].year:
                    if own.utcoffset(day) != zone.utcoffset(day):
                        errors.append(f"VTIMEZONE gives {own.utcoffset(day)} on {day:%Y-%m-%d}, tz database {zone.utcoffset(day)}")
                    day += dt.timedelta(days=1)
        duration = end - start
        events.append({
            "uid": str(event["UID"]),
            "summary": str(event.get("SUMMARY")),
            "location": str(event.get("LOCATION")),
            "description": str(event.get("DESCRIPTION")),
            "categories": [str(c) for c in event.get("CATEGORIES").cats] if event.get("CATEGORIES") else [],
            "sequence": int(event.get("SEQUENCE", 0)),
            "occurrences": [f"{o:%Y-%m-%d %H:%M}-{(o + duration):%H:%M}" for o in occurrences],
        })
    if used - set(timezones):
        errors.append(f"TZID without VTIMEZONE: {sorted(used - set(timezones))}")
    if set(timezones) - used and events:
        errors.append(f"VTIMEZONE not used: {sorted(set(timezones) - used)}")
    return {"errors": errors, "events": events}


def main():
    result = {"icalendar": icalendar.__version__, "vtimezone_checked": hasattr(icalendar.Timezone, "to_tz"), "files": {}}
    for path in sys.argv[1:]:
        try:
            result["files"][path] = check_file(path)
        except Exception as error:  # a file the library cannot read at all is a failure, reported per file
            result["files"][path] = {"errors": [f"{type(error).__name__}: {error}"], "events": []}
    json.dump(result, sys.stdout)


main()
