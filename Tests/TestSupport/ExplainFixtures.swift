import ScenarioKit

/// A hybrid week of two blocks a day with two lessons that cannot be placed in full:
/// - Science 7A may only use the lab, which is closed on Wednesday to Friday, and Mr. Kim, its teacher,
///   is away on Monday and Tuesday: neither of its 2 lessons has a start;
/// - Math 7B wants its 2 lessons 2 days apart, but Ms. Lee teaches only on Monday and Tuesday: one fits.
/// Around them, things that must not be suggested: Mr. Kim's weekly limit is far from reached, Ms. Ola
/// (English 7A) is away on Friday, Room 2 is closed on Monday while Room 1 is free, and 7B has no
/// lessons on Thursday, when Ms. Lee is away anyway. Two students have flex needs that can be met.
/// `labClosed` and `leeAway` (day lists) change the lab's closed days and Ms. Lee's days away.
public func lessonsExplainWeek(labClosed: String = "[wed, thu, fri]", leeAway: String = "[wed, thu, fri]") throws -> ValidatedScenario {
    try ScenarioLoader.parse(lessonsExplainYAML(labClosed: labClosed, leeAway: leeAway), file: "lessons-explain.yaml")
}

/// The YAML of `lessonsExplainWeek`, as a school would upload it.
public func lessonsExplainYAML(labClosed: String = "[wed, thu, fri]", leeAway: String = "[wed, thu, fri]") -> String {
    """
    name: lessons-explain
    days: [mon, tue, wed, thu, fri]
    blocks: [{id: b1, start: "09:00", end: "09:45"}, {id: b2, start: "10:00", end: "10:45"}]
    modalities: {tutoring: {min: 1, max: 2}}
    teachers:
      - {id: kim, name: Mr. Kim, subjects: [science], unavailable: [mon, tue], max-per-week: 8}
      - {id: lee, name: Ms. Lee, subjects: [math], unavailable: \(leeAway)}
      - {id: ola, name: Ms. Ola, subjects: [english], unavailable: [fri]}
    rooms:
      - {id: lab, name: Science Lab, capacity: 30, features: [lab], unavailable: \(labClosed)}
      - {id: r1, name: Room 1, capacity: 30}
      - {id: r2, name: Room 2, capacity: 30, unavailable: [mon]}
    students:
      - {id: ana, name: Ana P., needs: [{subject: english, modality: tutoring, sessions: 1}]}
      - {id: ben, name: Ben O.}
      - {id: cai, name: Cai L., needs: [{subject: math, modality: tutoring, sessions: 1}]}
      - {id: dia, name: Dia D.}
    classes:
      - {id: 7a, name: 7A, students: [ana, ben]}
      - {id: 7b, name: 7B, students: [cai, dia], unavailable: [thu]}
    lessons:
      - {id: sci-7a, title: Science 7A, subject: science, teachers: [kim], classes: [7a], sessions: 2, rooms: [lab]}
      - {id: math-7b, title: Math 7B, subject: math, teachers: [lee], classes: [7b], sessions: 2, min-days-apart: 2}
      - {id: eng-7a, title: English 7A, subject: english, teachers: [ola], classes: [7a], sessions: 2}
    """
}

