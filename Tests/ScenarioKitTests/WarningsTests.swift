import Testing
@testable import ScenarioKit

private let school = """
name: Typos
days: [mon, tue]
blocks: [{id: b1, start: "09:00", end: "09:45"}]
modalities:
  tutoring: {min: 1, max: 2}
  small-group: {min: 2, max: 4, room-features: [collaboration]}
teachers:
  - {id: lee, subjects: [math, reading]}
  - {id: kim, subjects: [maths]}
rooms:
  - {id: r1, capacity: 4, features: [collaboration, accessible]}
  - {id: r2, capacity: 4, features: [acessible, projector]}
students:
  - {id: ana, requires: [accessible], needs: [{subject: math, modality: tutoring, sessions: 1}]}
  - {id: ben, needs: [{subject: reading, modality: small-group, sessions: 1}]}
  - {id: cy, requires: [quiet-corner], needs: []}
"""

@Test func likelyTyposAreWarningsWithTheirLinesAndSuggestions() throws {
    let scenario = try ScenarioLoader.parse(school, file: "s.yaml")
    #expect(scenario.warnings.map(\.description) == [
        "s.yaml:9: teachers[kim]: teaches `maths`, which no student needs — did you mean `math`?",
        "s.yaml:12: rooms[r2]: has the feature `acessible`, which no modality or student asks for — did you mean `accessible`?",
        "s.yaml:12: rooms[r2]: has the feature `projector`, which no modality or student asks for",
        "s.yaml:16: students[cy]: requires `quiet-corner`, which no room has",
    ])
}

@Test func aRequirementThatLeavesANeedRoomlessIsAnErrorNotAlsoAWarning() {
    let text = school.replacingOccurrences(of: "requires: [accessible]", with: "requires: [acessibl]")
    do {
        _ = try ScenarioLoader.parse(text, file: "s.yaml")
        Issue.record("accepted a need no room can take")
    } catch {
        #expect(error.problems.map(\.description) == [
            "s.yaml:14: students[ana].needs[math/tutoring]: no room has all of [acessibl] that tutoring and this student require; add the feature to a room — `acessibl`: did you mean `acessible`?",
        ])
        #expect(!error.warnings.contains { $0.entity == "students[ana]" })
    }
}

@Test func suggestionsOnlyWhenClose() {
    #expect(closestMatch(to: "maths", among: ["math", "art"]) == "math")
    #expect(closestMatch(to: "Math", among: ["math"]) == "math")
    #expect(closestMatch(to: "quite", among: ["quiet"]) == "quiet", "a swap of neighbours is one edit")
    #expect(closestMatch(to: "walch", among: ["lee", "walsh", "kim"]) == "walsh")
    #expect(closestMatch(to: "physics", among: ["math", "art", "reading"]) == nil)
    #expect(closestMatch(to: "ab", among: ["xy"]) == nil, "short words need a near-exact match")
    #expect(closestMatch(to: "math", among: ["math"]) == nil, "a word is not its own typo")
}

@Test func aScenarioBuiltInCodeHasWarningsWithoutLines() throws {
    let scenario = try Scenario(name: "In code", timezone: "UTC", days: [.mon], blocks: [Block(id: "b1", start: .init(hour: 9, minute: 0), end: .init(hour: 10, minute: 0))],
                                modalities: [Modality(id: "tutoring", min: 1, max: 1, teacher: true)],
                                teachers: [Teacher(id: "t", name: "T", subjects: ["math", "art"])], rooms: [Room(id: "r", name: "R", capacity: 1)],
                                students: [Student(id: "s", name: "S", needs: [Need(subject: "math", modality: "tutoring", sessions: 1)])]).validated()
    #expect(scenario.warnings.map(\.description) == ["<scenario>: teachers[t]: teaches `art`, which no student needs"])
}

/// Fixed sessions are never moved, so one that puts students kept apart together is only a warning,
/// but one for every such pair, naming the session's line and the `apart`'s line: Ana and Ben
/// through a group (named on both sides: one pair), Ana and Cy listed directly.
@Test func fixedSessionsThatPutApartStudentsTogetherAreWarnedPairByPair() throws {
    let text = """
        name: Advisories
        days: [mon]
        blocks: [{id: b1, start: "09:00", end: "09:45"}, {id: b2, start: "10:00", end: "10:45"}]
        modalities:
          tutoring: {min: 1, max: 2}
        teachers:
          - {id: lee, name: Ms. Lee, subjects: [math]}
        rooms:
          - {id: r1, capacity: 4}
        students:
          - {id: ana, name: Ana, apart: [ben, cy], needs: [{subject: math, modality: tutoring, sessions: 1}]}
          - {id: ben, name: Ben, apart: [ana], needs: []}
          - {id: cy, name: Cy, needs: []}
          - {id: dee, name: Dee, needs: []}
        groups:
          homeroom: [ana, ben, dee]
        fixed:
          - {id: adv-1, title: Advisory 1, day: mon, block: b1, groups: [homeroom]}
          - {id: adv-2, title: Advisory 2, day: mon, block: b2, students: [cy, ana], teachers: [lee]}
        """
    let scenario = try ScenarioLoader.parse(text, file: "a.yaml")
    #expect(scenario.warnings.map(\.description) == [
        "a.yaml:18: fixed[adv-1]: puts Ana and Ben together in Advisory 1, though Ana's `apart` (line 11) keeps them apart; move one of them to another session or drop the `apart`",
        "a.yaml:19: fixed[adv-2]: puts Ana and Cy together in Advisory 2, though Ana's `apart` (line 11) keeps them apart; move one of them to another session or drop the `apart`",
    ])
}
