import ScenarioKit

/// Teachers shared by a subject's modalities: each modality alone may fit their weekly limits while
/// all of them together cannot (every math teacher at max-per-week 4: tutoring fits, small groups
/// fit, not both), and `teacherCapacity` judges one modality at a time. Relaxed to seats per
/// teacher block, filled best first (a fractional knapsack), which no timetable can beat: a session
/// of a modality takes `length` blocks of one of the subject's teachers and seats at most its group.
func subjectTeacherCapacity(_ w: Week) -> [Found] {
    let led = w.activities.indices.filter { w.activities[$0].led && w.demand(w.activities[$0]).possible > 0 }
    var subjects: [String] = []
    for a in led where !subjects.contains(w.activities[a].subject) { subjects.append(w.activities[a].subject) }
    return subjects.compactMap { subject in
        let acts = led.filter { w.activities[$0].subject == subject && w.groupSeats(w.activities[$0]) > 0 }
        guard acts.count > 1 else { return nil }
        let teachers = Set(acts.flatMap { w.activities[$0].teachers }).sorted()
        let loads = teachers.map { w.teacherLoad($0) }
        let capacity = loads.reduce(0) { $0 + $1.load }
        let kinds = acts.map { a in
            let act = w.activities[a]
            return (act: act, seatsPerBlock: Double(w.groupSeats(act)) / Double(act.modality.length), seats: w.demand(act).possible)
        }
        var blocksLeft = Double(capacity), seated = 0.0
        for kind in kinds.sorted(by: { $0.seatsPerBlock > $1.seatsPerBlock }) where blocksLeft > 0 {
            let blocks = min(blocksLeft, Double(kind.seats) / kind.seatsPerBlock)
            seated += blocks * kind.seatsPerBlock
            blocksLeft -= blocks
        }
        let needed = kinds.reduce(0) { $0 + $1.seats }
        // Whole seats; the margin keeps the division's rounding from ever claiming one seat too few.
        let short = needed - Int((seated + 1e-6).rounded(.down))
        // Only what the modalities together prove beyond what each proves alone.
        let alone = acts.reduce(0) { sum, a in sum + max(0, w.demand(w.activities[a]).possible - seatFlow(w, a, teachers: true, rooms: false)) }
        guard short > alone else { return nil }
        let students = Set(acts.flatMap { w.activities[$0].needs.map { w.needs[$0].student } }).count
        let parts = kinds.map { "\(idAsWords($0.act.modality.id)) \($0.seats)" }.joined(separator: ", ")
        let blocksPerSession = kinds.contains { $0.act.modality.length > 1 } ? " (a double block takes two)" : ""
        return Found(
            "teacher-capacity",
            "\(plural(needed, "\(subject) session")) need a teacher (\(parts); \(plural(students, "student"))), but the "
                + "\(plural(teachers.count, "\(subject) teacher")) can lead at most \(plural(capacity, "block")) this week "
                + "(\(listed(loads.map(\.text)))), each session seating at most its group\(blocksPerSession): at least "
                + "\(plural(short, "\(subject) session")) cannot be met",
            [Shortfall(student: "*", subject: subject, modality: "*", sessions: short)], affected: students)
    }
}
