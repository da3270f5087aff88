import Testing
@testable import ScenarioKit

private func printed(_ text: String, file: String = "bad.yaml") -> [String] {
    do {
        _ = try ScenarioLoader.parse(text, file: file)
        return []
    } catch {
        return error.problems.map(\.description)
    }
}

private let fiveMistakes = """
name: Five mistakes
days: [mon, tue]
blocks:
  - {id: b1, start: "08:00", end: "08:50"}
  - {id: b2, start: "9.00", end: "09:50"}
modalities:
  tutoring: {min: 1, max: 2}
teachers:
  - {id: walsh, name: Mrs. Walsh, subjects: [math], unavailable: [wed, tue.b2]}
rooms:
  - {id: r1, capacity: 2}
  - {id: r2, capacity: -3}
students:
  - id: ana
    needs:
      - {subject: math, modality: tutorin, sessions: 2}
  - {id: ana, needs: []}
"""

@Test func aBadBlockTimeNoLongerHidesFourOtherMistakes() {
    // The block with the bad time is left out but its id is still known, so `tue.b2` is no complaint;
    // the room left out does not make every need "roomless" either.
    #expect(printed(fiveMistakes) == [
        "bad.yaml:5: blocks[b2].start: `9.00` is not a time of day; write it as HH:MM, for example 08:30",
        "bad.yaml:9: teachers[walsh]: unavailable `wed` names a day that is not in `days`",
        "bad.yaml:12: rooms[r2].capacity: -3 is out of range; use a number from 1 to 10000",
        "bad.yaml:16: students[ana].needs[math/tutorin]: modality `tutorin` is not defined in `modalities` (defined: tutoring) — did you mean `tutoring`?",
        "bad.yaml:17: students[ana]: the id `ana` is used twice among students (lines 14 and 17); ids must be unique",
    ])
}

@Test func duplicateIdsNameEveryLine() {
    let text = fiveMistakes.replacingOccurrences(of: "\"9.00\"", with: "\"09:00\"")
        .replacingOccurrences(of: "  - {id: r2, capacity: -3}", with: "  - {id: r1, capacity: 3}\n  - {id: r1, capacity: 4}")
    #expect(printed(text).contains("bad.yaml:12: rooms[r1]: the id `r1` is used 3 times among rooms (lines 11, 12 and 13); ids must be unique"))
    #expect(printed(text).filter { $0.contains("is used") }.count == 2, "one complaint per repeated id")
}

@Test func problemsComeInFileOrderWithLinelessOnesLast() throws {
    // The reader finds `capacity: -3` (line 12) before validation finds the day (line 9) and the
    // duplicate (line 17); the admin reads them in file order.
    let lines = printed(fiveMistakes)
    #expect(lines.map { Int($0.split(separator: ":")[1])! } == [5, 9, 12, 16, 17])
    let unsorted = [InputProblem(file: "f", entity: "a", message: "no line 1"), InputProblem(file: "f", line: 9, entity: "b", message: "x"),
                    InputProblem(file: "f", line: 2, entity: "c", message: "y"), InputProblem(file: "f", entity: "d", message: "no line 2"),
                    InputProblem(file: "f", line: 2, entity: "e", message: "z")]
    #expect(unsorted.sortedByLine().map(\.entity) == ["c", "e", "b", "a", "d"])
}

@Test func entitiesAreNamedByIdOrByTheirPositionCountedFromOne() {
    let text = fiveMistakes.replacingOccurrences(of: "  - {id: b2, start: \"9.00\", end: \"09:50\"}",
                                                 with: "  - {start: \"9.00\", end: \"09:50\"}")
    let lines = printed(text)
    #expect(lines.contains("bad.yaml:5: block 2: missing `id`"))
    #expect(lines.contains("bad.yaml:5: block 2.start: `9.00` is not a time of day; write it as HH:MM, for example 08:30"))
    // With one block id unknown, `tue.b2` might be it: no guess.
    #expect(!lines.contains { $0.contains("tue.b2") })
    #expect(printed(fiveMistakes.replacingOccurrences(of: "max: 2", with: "max: two"))
        .contains("bad.yaml:7: modalities[tutoring].max: expected a whole number, found `two`"))
}

@Test func aTabInTheIndentationSaysUseSpaces() {
    let text = fiveMistakes.replacingOccurrences(of: "  tutoring: {min: 1, max: 2}", with: "\ttutoring: {min: 1, max: 2}")
    #expect(printed(text) == ["bad.yaml:7: is not valid YAML or JSON: this line is indented with a tab; indent with spaces, not tabs"])
}

@Test func commonYAMLSlipsGetPlainAdvice() {
    #expect(printed("name: \"Open\ndays: [mon]\n") == [
        "bad.yaml:2: is not valid YAML or JSON: a quoted value is never closed; add the missing closing quote (\" or ')",
    ])
    #expect(printed("name: A\ndays: [mon, tue\nblocks: []\n").first?
        .hasSuffix("a `[` list is not closed with `]`, or a `,` is missing between its items") == true)
    #expect(printed("name: A\n  days: [mon]\n").first?.contains("put values that contain `: ` in quotes") == true)
    // What is not recognised keeps libyaml's words.
    #expect(printed("%$#@! not a scenario\n") == ["bad.yaml:1: is not valid YAML or JSON: while scanning a directive: could not find expected directive name"])
}

@Test func aDayMisspeltOrWrittenOutSuggestsItsShortForm() {
    let lines = printed(fiveMistakes.replacingOccurrences(of: "days: [mon, tue]", with: "days: [mon, tus]")
        .replacingOccurrences(of: "\"9.00\"", with: "\"09:00\""))
    // With `days` only partly read, `wed` is no longer judged against it.
    #expect(lines.prefix(1) == ["bad.yaml:2: days: `tus` is not a day; use mon, tue, wed, thu, fri, sat or sun — did you mean `tue`?"])
    #expect(weekdayMeant(by: "Friday") == .fri)
    #expect(weekdayMeant(by: "thurs") == .thu)
    #expect(weekdayMeant(by: "lunch") == nil)
}

@Test func theOnlyTeacherOfASubjectWithATypoGetsAnErrorThatPointsAtIt() throws {
    let text = fiveMistakes.replacingOccurrences(of: "\"9.00\"", with: "\"09:00\"").replacingOccurrences(of: "wed, ", with: "")
        .replacingOccurrences(of: "capacity: -3", with: "capacity: 3").replacingOccurrences(of: "tutorin,", with: "tutoring,")
        .replacingOccurrences(of: "  - {id: ana, needs: []}", with: "").replacingOccurrences(of: "[math]", with: "[maths]")
    do {
        _ = try ScenarioLoader.parse(text, file: "bad.yaml")
        Issue.record("accepted a need nobody teaches")
    } catch {
        #expect(error.problems.map(\.description) == [
            "bad.yaml:16: students[ana].needs[math/tutoring]: no teacher teaches `math`; add it to a teacher's `subjects` or change the need — did you mean `maths`?",
        ])
        #expect(error.warnings.map(\.description) == ["bad.yaml:9: teachers[walsh]: teaches `maths`, which no student needs — did you mean `math`?"])
    }
}
