import Testing
@testable import ScenarioKit

// Every case starts from a valid scenario and changes one thing, so the problem it asserts is the only cause.
private let valid = """
name: Bad inputs
timezone: Europe/Berlin
days: [mon, tue]
blocks:
  - {id: b1, start: "08:00", end: "08:50"}
  - {id: b2, start: "09:00", end: "09:50"}
modalities:
  tutoring: {min: 1, max: 2, teacher: true}
  study: {min: 1, max: 8, teacher: false}
teachers:
  - {id: lee, subjects: [math], unavailable: [tue.b2], max-per-day: 4}
rooms:
  - {id: r1, capacity: 4}
students:
  - id: ana
    needs:
      - {subject: math, modality: tutoring, sessions: 2}
    unavailable: [mon]
"""

struct BadInput: Sendable, CustomTestStringConvertible {
    var label: String
    var find: String
    var replace: String
    /// nil when the problem is about the whole file or the parser cannot know the line.
    var line: Int?
    var entity: String
    var message: String

    var testDescription: String { label }

    var text: String {
        precondition(valid.contains(find), "`\(find)` is not in the valid scenario")
        return valid.replacingOccurrences(of: find, with: replace)
    }
}

private let corpus: [BadInput] = [
    // Structure: what the reader finds while walking the YAML.
    BadInput(label: "string where a number is expected", find: "capacity: 4", replace: "capacity: four",
             line: 13, entity: "rooms[r1].capacity", message: "expected a whole number, found `four`"),
    BadInput(label: "fraction where a whole number is expected", find: "sessions: 2", replace: "sessions: 1.5",
             line: 17, entity: "students[ana].needs[math/tutoring].sessions", message: "expected a whole number, found `1.5`"),
    BadInput(label: "word where a boolean is expected", find: "teacher: false", replace: "teacher: maybe",
             line: 9, entity: "modalities[study].teacher", message: "expected true or false, found `maybe`"),
    BadInput(label: "scalar where a list is expected", find: "days: [mon, tue]", replace: "days: mon",
             line: 3, entity: "days", message: "expected a list, found the value `mon`"),
    BadInput(label: "nothing where a list is expected", find: "days: [mon, tue]", replace: "days:",
             line: 3, entity: "days", message: "expected a list, found nothing"),
    BadInput(label: "list where a mapping is expected", find: "  - {id: r1, capacity: 4}", replace: "  - [r1, 4]",
             line: 13, entity: "room 1", message: "expected a mapping of `key: value` pairs, found a list"),
    BadInput(label: "typo in a teacher key", find: "max-per-day: 4", replace: "max_per_day: 4",
             line: 11, entity: "teachers[lee].max_per_day", message: "unknown key `max_per_day`; expected one of"),
    BadInput(label: "typo in a top-level key", find: "timezone: Europe/Berlin", replace: "timezon: Europe/Berlin",
             line: 2, entity: "timezon", message: "unknown key `timezon`"),
    BadInput(label: "missing required key", find: "  - {id: r1, capacity: 4}", replace: "  - {id: r1}",
             line: 13, entity: "rooms[r1]", message: "missing `capacity`"),
    BadInput(label: "unknown day in days", find: "days: [mon, tue]", replace: "days: [mon, tus]",
             line: 3, entity: "days", message: "`tus` is not a day; use mon, tue, wed, thu, fri, sat or sun — did you mean `tue`?"),
    BadInput(label: "malformed unavailable entry", find: "unavailable: [mon]", replace: "unavailable: [mon.]",
             line: 18, entity: "students[ana].unavailable", message: "`mon.` is not a day or day.block"),
    BadInput(label: "time that is not a time", find: "end: \"08:50\"", replace: "end: \"8:70\"",
             line: 5, entity: "blocks[b1].end", message: "`8:70` is not a time of day"),
    BadInput(label: "zero sessions", find: "sessions: 2", replace: "sessions: 0",
             line: 17, entity: "students[ana].needs[math/tutoring].sessions", message: "0 is out of range; use a number from 1 to 100"),
    BadInput(label: "negative capacity", find: "capacity: 4", replace: "capacity: -4",
             line: 13, entity: "rooms[r1].capacity", message: "-4 is out of range"),
    BadInput(label: "zero group size", find: "min: 1, max: 2", replace: "min: 0, max: 2",
             line: 8, entity: "modalities[tutoring].min", message: "0 is out of range"),
    BadInput(label: "large number", find: "capacity: 4", replace: "capacity: 100000",
             line: 13, entity: "rooms[r1].capacity", message: "100000 is out of range; use a number from 1 to 10000"),
    BadInput(label: "number too large for any integer", find: "capacity: 4", replace: "capacity: 99999999999999999999999",
             line: 13, entity: "rooms[r1].capacity", message: "99999999999999999999999 is out of range; use a number from 1 to 10000"),

    // Meaning: what validation finds once the file has been read.
    BadInput(label: "duplicate room id", find: "  - {id: r1, capacity: 4}", replace: "  - {id: r1, capacity: 4}\n  - {id: r1, capacity: 2}",
             line: 14, entity: "rooms[r1]", message: "the id `r1` is used twice among rooms"),
    BadInput(label: "duplicate student id", find: "    unavailable: [mon]", replace: "    unavailable: [mon]\n  - {id: ana}",
             line: 19, entity: "students[ana]", message: "the id `ana` is used twice among students"),
    BadInput(label: "duplicate day", find: "days: [mon, tue]", replace: "days: [mon, tue, mon]",
             line: 3, entity: "days", message: "`mon` is listed twice"),
    BadInput(label: "id with a space", find: "id: r1", replace: "id: room one",
             line: 13, entity: "rooms[room one]", message: "contains a space"),
    BadInput(label: "id with a slash", find: "id: lee", replace: "id: lee/2",
             line: 11, entity: "teachers[lee/2]", message: "contains `/`"),
    BadInput(label: "min larger than max", find: "min: 1, max: 2", replace: "min: 3, max: 2",
             line: 8, entity: "modalities[tutoring]", message: "min (3) is larger than max (2)"),
    BadInput(label: "unavailable day not in days", find: "unavailable: [mon]", replace: "unavailable: [fri]",
             line: 15, entity: "students[ana]", message: "unavailable `fri` names a day that is not in `days`"),
    BadInput(label: "unavailable block not in blocks", find: "unavailable: [tue.b2]", replace: "unavailable: [tue.b7]",
             line: 11, entity: "teachers[lee]", message: "unavailable `tue.b7` names block `b7`, which is not in `blocks`"),
    BadInput(label: "overlapping blocks", find: "start: \"09:00\"", replace: "start: \"08:30\"",
             line: 6, entity: "blocks[b2]", message: "overlaps block `b1` (08:00-08:50)"),
    BadInput(label: "long block overlapping a later one", find: "end: \"08:50\"", replace: "end: \"12:00\"",
             line: 6, entity: "blocks[b2]", message: "overlaps block `b1` (08:00-12:00)"),
    BadInput(label: "block ending before it starts", find: "end: \"09:50\"", replace: "end: \"08:55\"",
             line: 6, entity: "blocks[b2]", message: "ends at 08:55, not after it starts at 09:00"),
    BadInput(label: "need for an undefined modality", find: "modality: tutoring", replace: "modality: tutorin",
             line: 17, entity: "students[ana].needs[math/tutorin]", message: "modality `tutorin` is not defined in `modalities`"),
    BadInput(label: "need for a subject no teacher teaches", find: "subject: math", replace: "subject: physics",
             line: 17, entity: "students[ana].needs[physics/tutoring]", message: "no teacher teaches `physics`"),
    BadInput(label: "unknown timezone", find: "Europe/Berlin", replace: "Mars/Olympus_Mons",
             line: 2, entity: "timezone", message: "`Mars/Olympus_Mons` is not an IANA time zone"),
]

private func problems(in text: String) -> [InputProblem] {
    do {
        _ = try ScenarioLoader.parse(text, file: "bad.yaml")
        return []
    } catch {
        return error.problems
    }
}

@Test(arguments: corpus) func badScenarioIsRejectedWithItsProblem(_ bad: BadInput) {
    let found = problems(in: bad.text)
    #expect(found.contains { $0.file == "bad.yaml" && $0.line == bad.line && $0.entity == bad.entity && $0.message.contains(bad.message) },
            "expected bad.yaml:\(bad.line.map(String.init) ?? "-"): \(bad.entity): …\(bad.message)…, got:\n\(InputError(found))")
    // One change should cause one complaint, not a cascade the admin has to untangle.
    #expect(found.count == 1, "got:\n\(InputError(found))")
}

@Test func everyBlockOverlappingALongBlockIsReported() {
    let text = valid
        .replacingOccurrences(of: "end: \"08:50\"", with: "end: \"12:00\"")
        .replacingOccurrences(of: "  - {id: b2, start: \"09:00\", end: \"09:50\"}",
                              with: "  - {id: b2, start: \"09:00\", end: \"09:50\"}\n  - {id: b3, start: \"10:00\", end: \"10:50\"}")
    #expect(problems(in: text).map(\.description) == [
        "bad.yaml:6: blocks[b2]: overlaps block `b1` (08:00-12:00); blocks must not overlap",
        "bad.yaml:7: blocks[b3]: overlaps block `b1` (08:00-12:00); blocks must not overlap",
    ])
}

@Test func theUnchangedScenarioIsValid() throws {
    let s = try ScenarioLoader.parse(valid, file: "good.yaml")
    #expect(s.timezone == "Europe/Berlin")
    #expect(s.students[0].unavailable == [.day(.mon)])
}

@Test func malformedYAMLNamesTheLine() {
    let found = problems(in: valid.replacingOccurrences(of: "days: [mon, tue]", with: "days: [mon, tue"))
    #expect(found.count == 1)
    #expect(found.first?.file == "bad.yaml")
    #expect(found.first?.line == 4, "the parser notices the missing `]` where the next key starts")
    #expect(found.first?.message.contains("is not valid YAML or JSON") == true)
}

@Test func truncatedFileIsReportedNotTrapped() {
    // Cut mid flow mapping, and mid key, the way an interrupted copy leaves a file.
    for cut in ["  - {id: b1, start: \"08:", "    need"] {
        let prefix = String(valid[..<valid.range(of: cut)!.upperBound])
        let found = problems(in: prefix)
        #expect(!found.isEmpty, "a file cut at `\(cut)` was accepted")
        #expect(found.allSatisfy { $0.file == "bad.yaml" })
    }
}

@Test func noProblemCitesALinePastTheEnd() {
    // libyaml puts the end of a cut file on a line after the last one, and also starts lines at a lone
    // CR, NEL and LS, which editors do not; a file cut anywhere must still be cited within its lines.
    for lineBreak in ["", "\r", "\u{85}", "\u{2028}"] {
        let text = valid.replacingOccurrences(of: "blocks:", with: "blocks:\(lineBreak)")
        for end in text.unicodeScalars.indices {
            let cut = String(text.unicodeScalars[..<end])
            let feeds = cut.unicodeScalars.filter { $0 == "\n" }.count
            let lastLine = cut.unicodeScalars.last == "\n" ? feeds : feeds + 1
            for problem in problems(in: cut) where !(1...lastLine).contains(problem.line ?? 1) {
                Issue.record("\(problem) is past line \(lastLine) of \(cut.debugDescription)")
            }
        }
    }
}

@Test func emptyFileSaysSo() {
    for text in ["", "\n\n", "# only a comment\n"] {
        let found = problems(in: text)
        #expect(found.map(\.message) == ["the file is empty"], "for \(text.debugDescription)")
        #expect(found.first?.line == 1)
    }
}

@Test func topLevelMustBeAMapping() {
    let found = problems(in: "- just\n- a list\n")
    #expect(found.count == 1)
    #expect(found.first?.message.contains("expected a mapping") == true)
}

@Test func duplicateKeyInAMappingIsRejected() {
    let found = problems(in: "name: A\n" + valid)
    #expect(found.map(\.description) == ["bad.yaml:1: is not valid YAML or JSON: the key `name` appears more than once in the same mapping"])
}

@Test func everyProblemIsReportedInOnePass() {
    let text = valid
        .replacingOccurrences(of: "capacity: 4", with: "capacity: four")
        .replacingOccurrences(of: "max-per-day: 4", with: "max_per_day: 4")
        .replacingOccurrences(of: "days: [mon, tue]", with: "days: [mon, tus]")
    #expect(problems(in: text).map(\.entity) == ["days", "teachers[lee].max_per_day", "rooms[r1].capacity"])
}

@Test func jsonFormIsAccepted() throws {
    let json = """
    {
      "name": "Bad inputs",
      "timezone": "Europe/Berlin",
      "days": ["mon", "tue"],
      "blocks": [{"id": "b1", "start": "08:00", "end": "08:50"}, {"id": "b2", "start": "09:00", "end": "09:50"}],
      "modalities": {"tutoring": {"min": 1, "max": 2, "teacher": true}, "study": {"min": 1, "max": 8, "teacher": false}},
      "teachers": [{"id": "lee", "subjects": ["math"], "unavailable": ["tue.b2"], "max-per-day": 4}],
      "rooms": [{"id": "r1", "capacity": 4}],
      "students": [{"id": "ana", "needs": [{"subject": "math", "modality": "tutoring", "sessions": 2}], "unavailable": ["mon"]}]
    }
    """
    let fromJSON = try ScenarioLoader.parse(json, file: "s.json")
    let fromYAML = try ScenarioLoader.parse(valid, file: "s.yaml")
    #expect(fromJSON == fromYAML)
}

@Test func jsonFormReportsProblemsToo() {
    let json = """
    {
      "name": "J", "days": ["mon"],
      "blocks": [{"id": "b1", "start": "08:00", "end": "08:50"}],
      "modalities": {"tutoring": {"min": 1, "max": 2}},
      "teachers": [{"id": "lee", "subjects": ["math"]}],
      "rooms": [{"id": "r1", "capacity": "4 seats"}],
      "students": []
    }
    """
    do {
        _ = try ScenarioLoader.parse(json, file: "s.json")
        Issue.record("accepted a capacity of \"4 seats\"")
    } catch {
        #expect(error.problems.map(\.description) == ["s.json:6: rooms[r1].capacity: expected a whole number, found `4 seats`"])
    }
}
