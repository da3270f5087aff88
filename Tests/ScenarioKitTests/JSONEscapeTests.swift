import Foundation
import Testing
@testable import ScenarioKit

/// JSON as Python's `json.dumps` writes it by default (`ensure_ascii`): every character past ASCII as
/// `\uXXXX`, and one past the Basic Multilingual Plane as a surrogate pair, `\ud83c\udf89` for 🎉.
func asciiJSONString(_ text: String) -> String {
    var out = "\""
    for unit in text.utf16 {
        switch unit {
        case 0x22: out += "\\\""
        case 0x5C: out += "\\\\"
        case 0x20..<0x7F: out += String(UnicodeScalar(UInt8(unit)))
        default: out += String(format: "\\u%04x", unit)
        }
    }
    return out + "\""
}

/// A small week whose teachers, room and students are named in `names`, as JSON.
func scenarioJSON(name: String, teachers: [String], student: String) -> String {
    let teacherList = teachers.enumerated().map { #"{"id": "t\#($0.offset)", "name": \#(asciiJSONString($0.element)), "subjects": ["math"]}"# }
    return """
    {"name": \(asciiJSONString(name)), "days": ["mon"],
     "blocks": [{"id": "b1", "start": "08:00", "end": "08:50"}],
     "modalities": {"tutoring": {"min": 1, "max": 2, "teacher": true}},
     "teachers": [\(teacherList.joined(separator: ", "))],
     "rooms": [{"id": "r1", "name": \(asciiJSONString("Salle 🎨 𠮷")), "capacity": 4}],
     "students": [{"id": "s1", "name": \(asciiJSONString(student)), "needs": [{"subject": "math", "modality": "tutoring", "sessions": 1}]}]}
    """
}

/// Names in five scripts, and characters beyond the Basic Multilingual Plane (emoji, a rare Han character).
let scriptNames = ["Αλέξανδρος Παπαδόπουλος", "Дмитрий Иванов", "فاطمة الزهراء", "अनन्या शर्मा", "王芳", "𠮷田 さくら"]

@Test func jsonWithSurrogatePairEscapesReadsAsTheCharacters() throws {
    let text = scenarioJSON(name: "Week 🎉 of 🧑🏽‍🏫", teachers: scriptNames, student: "Zoë 👩‍🔬")
    #expect(text.contains(#"\ud83c\udf89"#), "written as json.dumps writes it: \(text.prefix(80))")
    let loaded = try ScenarioLoader.parse(text, file: "week.json")
    #expect(loaded.scenario.name == "Week 🎉 of 🧑🏽‍🏫")
    #expect(loaded.scenario.teachers.map(\.name) == scriptNames)
    #expect(loaded.scenario.students.map(\.name) == ["Zoë 👩‍🔬"])
    #expect(loaded.scenario.rooms.map(\.name) == ["Salle 🎨 𠮷"])
}

@Test func theIssuesOwnExampleReads() throws {
    let text = #"{"name": "\ud83c\udf89", "days": ["mon"], "blocks": [{"id": "b1", "start": "08:00", "end": "08:50"}], "#
        + #""modalities": {"tutoring": {"min": 1, "max": 2}}, "teachers": [{"id": "lee", "subjects": ["math"]}], "rooms": [{"id": "r1", "capacity": 4}], "students": []}"#
    #expect(try ScenarioLoader.parse(text, file: "party.json").scenario.name == "🎉")
}

@Test func anEscapedBackslashBeforeUStaysText() throws {
    // `\\ud83c` in JSON is a backslash followed by the letters "ud83c", not an escape.
    let text = #"{"name": "C:\\ud83c\\udf89 and \"\ud83c\udf89\"", "days": ["mon"], "blocks": [{"id": "b1", "start": "08:00", "end": "08:50"}], "#
        + #""modalities": {"tutoring": {"min": 1, "max": 2}}, "teachers": [{"id": "lee", "subjects": ["math"]}], "rooms": [{"id": "r1", "capacity": 4}], "students": []}"#
    #expect(try ScenarioLoader.parse(text, file: "path.json").scenario.name == #"C:\ud83c\udf89 and "🎉""#)
}

@Test func surrogateEscapesOutsideJSONAreLeftToTheYAMLReader() {
    // YAML's single-quoted scalars take backslashes literally: nothing is rewritten in a YAML file.
    #expect(JSONEscapes.yamlReadable("name: '\\ud83c\\udf89'\n") == "name: '\\ud83c\\udf89'\n")
}

@Test func aLoneSurrogateIsAProblemWithItsLine() {
    let text = "{\"name\": \"broken\",\n \"days\": [\"\\ud83c\"]}"
    do {
        _ = try ScenarioLoader.parse(text, file: "lone.json")
        Issue.record("accepted a lone surrogate")
    } catch {
        #expect(error.problems.first?.line == 2, "\(error.problems.map(\.description))")
    }
}
