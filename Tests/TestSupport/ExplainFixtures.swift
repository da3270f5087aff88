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


/// The over-subscribed week of issue 26, small: 4 days of 4 blocks (two before noon, two after).
/// Every math teacher is at `max-per-week: 4`; Mr. Brennan, Ms. Cho and Mr. Diaz are alike (also
/// `max-per-day: 3`), Ms. Haddad is away in the afternoons, so she can be at school 8 blocks a week.
/// 24 students need a math session, 16 can have one. Two IEP students need 2 mandated reading
/// sessions together, and Ms. Ortiz, their only reading teacher, may teach 1 block a week.
/// What cannot help: another day or a higher daily limit for a teacher at her weekly limit, a
/// colleague at hers taking the subject, a weekly limit above the blocks the teacher can be there.
public func overSubscribedMathWeek() throws -> ValidatedScenario {
    try ScenarioLoader.parse(overSubscribedMathYAML, file: "over-subscribed.yaml")
}

public let overSubscribedMathYAML: String = {
    let afternoons = ["mon", "tue", "wed", "thu"].flatMap { ["\($0).b3", "\($0).b4"] }.joined(separator: ", ")
    let math = (1...24).map {
        "  - {id: m\($0), name: Math Student \($0), needs: [{subject: math, modality: tutoring, sessions: 1}]}"
    }
    return """
    name: over-subscribed
    days: [mon, tue, wed, thu]
    blocks:
      - {id: b1, start: "08:30", end: "09:20"}
      - {id: b2, start: "09:30", end: "10:20"}
      - {id: b3, start: "13:00", end: "13:50"}
      - {id: b4, start: "14:00", end: "14:50"}
    modalities: {tutoring: {min: 1, max: 1}, small-group: {min: 1, max: 2}}
    teachers:
      - {id: brennan, name: Mr. Brennan, subjects: [math], max-per-week: 4, max-per-day: 3}
      - {id: cho, name: Ms. Cho, subjects: [math], max-per-week: 4, max-per-day: 3}
      - {id: diaz, name: Mr. Diaz, subjects: [math], max-per-week: 4, max-per-day: 3}
      - {id: haddad, name: Ms. Haddad, subjects: [math], max-per-week: 4, unavailable: [\(afternoons)]}
      - {id: ortiz, name: Ms. Ortiz, subjects: [reading], max-per-week: 1}
    rooms:
      - {id: r1, name: Room 1, capacity: 2}
      - {id: r2, name: Room 2, capacity: 2}
      - {id: r3, name: Room 3, capacity: 2}
      - {id: r4, name: Room 4, capacity: 2}
      - {id: r5, name: Room 5, capacity: 2}
    students:
      - {id: iep1, name: Ivy E., needs: [{subject: reading, modality: small-group, sessions: 2, priority: mandated}]}
      - {id: iep2, name: Ian E., needs: [{subject: reading, modality: small-group, sessions: 2, priority: mandated}]}
    \(math.joined(separator: "\n"))
    """
}()
