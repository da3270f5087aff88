import ScenarioKit
import TimetableChecker
import TimetableFormat

/// A hybrid week every output layer renders: Year 7 with its classes 7A and 7B (members listed), a
/// year-wide assembly, a class's maths twice, a co-taught science for both classes, PE without a
/// room, and one student (Ana) with a personal flex session besides her lessons.
public let hybridScenarioYAML = """
name: Hybrid week
timezone: Europe/Berlin
term: {start: 2027-01-11, end: 2027-02-26}
days: [mon, tue, wed]
blocks:
  - {id: b1, start: "08:30", end: "09:15"}
  - {id: b2, start: "09:20", end: "10:05"}
  - {id: b3, start: "10:30", end: "11:15"}
modalities: {tutoring: {min: 1, max: 2}}
teachers:
  - {id: lee, name: Ms. Lee, subjects: [math, science]}
  - {id: kim, name: Mr. Kim, subjects: [english, pe]}
  - {id: ola, name: Ms. Ola, subjects: [science]}
rooms:
  - {id: r1, name: Room 1, capacity: 30}
  - {id: r2, name: Room 2, capacity: 30}
  - {id: hall, name: Great Hall, capacity: 90}
students:
  - {id: ana, name: Ana Alvarez, needs: [{subject: math, modality: tutoring, sessions: 1}]}
  - {id: ben, name: Ben Brown}
  - {id: cai, name: Cai Chen}
  - {id: dia, name: Dia Diaz}
classes:
  - {id: y7, name: Year 7, parts: [7a, 7b]}
  - {id: 7a, name: Class 7A, students: [ana, ben]}
  - {id: 7b, name: Class 7B, students: [cai, dia]}
lessons:
  - {id: assembly, title: Year 7 assembly, subject: pastoral, teachers: [ola], classes: [y7], sessions: 1, rooms: [hall]}
  - {id: math-7a, title: Maths 7A, subject: math, teachers: [lee], classes: [7a], sessions: 2}
  - {id: english-7b, title: English 7B, subject: english, teachers: [kim], classes: [7b], sessions: 1}
  - {id: science-7, title: Science lab 7, subject: science, teachers: [ola, lee], classes: [7a, 7b], sessions: 1}
  - {id: pe-7b, title: PE 7B, subject: pe, teachers: [kim], classes: [7b], sessions: 1, needs-room: false}
  - {id: drama-7a, title: Drama 7A, subject: drama, teachers: [kim], classes: [7a], sessions: 1}
"""

/// Every lesson placed except Drama 7A (left unplaced), and Ana's tutoring on Wednesday.
public func hybridTimetable() -> Timetable {
    func lesson(_ id: String, _ title: String, _ subject: String, _ day: String, _ block: String, _ teachers: [String],
                _ classes: [String], _ room: String?, _ students: [String]) -> Timetable.Session {
        Timetable.Session(lesson: id, title: title, subject: subject, day: day, block: block, length: 1, teachers: teachers,
                          classes: classes, room: room, students: students)
    }
    let year = ["ana", "ben", "cai", "dia"]
    return Timetable(scenario: "Hybrid week", status: .feasible, objective: 0, bound: 0, gap: 0, sessions: [
        lesson("assembly", "Year 7 assembly", "pastoral", "mon", "b1", ["ola"], ["y7"], "hall", year),
        lesson("math-7a", "Maths 7A", "math", "mon", "b2", ["lee"], ["7a"], "r1", ["ana", "ben"]),
        lesson("english-7b", "English 7B", "english", "mon", "b2", ["kim"], ["7b"], "r2", ["cai", "dia"]),
        lesson("math-7a", "Maths 7A", "math", "tue", "b1", ["lee"], ["7a"], "r1", ["ana", "ben"]),
        lesson("science-7", "Science lab 7", "science", "tue", "b2", ["ola", "lee"], ["7a", "7b"], "r2", year),
        lesson("pe-7b", "PE 7B", "pe", "wed", "b1", ["kim"], ["7b"], nil, ["cai", "dia"]),
        Timetable.Session(day: "wed", block: "b2", subject: "math", modality: "tutoring", teacher: "lee", room: "r1", students: ["ana"]),
    ], unmet: [], created: "2027-01-08T14:02:11Z")
}

/// The hybrid week, validated, with its timetable passed by the independent checker. `scienceTitle`
/// renames the co-taught science lesson in both (escaping tests give it a hostile title).
public func hybridWeek(scienceTitle: String? = nil) throws -> (ValidatedScenario, CheckedTimetable) {
    var scenario = try ScenarioLoader.parse(hybridScenarioYAML, file: "hybrid.yaml").scenario
    var timetable = hybridTimetable()
    if let scienceTitle {
        for i in scenario.lessons.indices where scenario.lessons[i].id == "science-7" { scenario.lessons[i].title = scienceTitle }
        for i in timetable.sessions.indices where timetable.sessions[i].lesson == "science-7" { timetable.sessions[i].title = scienceTitle }
    }
    let validated = try scenario.validated()
    return (validated, try checked(timetable, validated))
}
