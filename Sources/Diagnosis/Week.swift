import ScenarioKit
import WeekIndex

/// One (subject, modality) that students need, with everything that could serve it.
struct Activity {
    let subject: String, modality: Modality
    let teachers: [Int]      // teach the subject (empty when the modality has no teacher)
    let rooms: [Int]         // have the modality's features and at least `min` seats
    var needs: [Int] = []    // indexes into `Week.needs`
    /// Needs of the same subject and modality in any activity. The Scheduler splits level bands into
    /// activities of their own, but the rule lets a level join neighbouring bands' groups, so who
    /// could group with whom is judged on all of them: a proof must hold for every valid timetable.
    var peers: [Int] = []
    var together: [Int] = [] // per slot: students of `peers` free with a teacher and a fitting room
    var label: String { "\(subject) \(modality.id)" }
    var led: Bool { modality.teacher }
    /// A bound on the sessions of all its students together (which of them go short is the solver's choice).
    func shortfall(_ n: Int) -> [Shortfall] { [Shortfall(student: "*", subject: subject, modality: modality.id, sessions: n)] }
}

/// One student's need and the slots that could hold one of its sessions, in narrowing stages.
struct NeedInfo {
    let student: Int, need: Need, activity: Int
    let rooms: [Int]             // rooms an activity session with her in it could use
    var withTeacher: [Bool] = [] // she is free and so is a qualified teacher (or none is needed)
    var open: [Bool] = []        // ... and a room that fits her too
    var groupable: [Bool] = []   // ... and at least `min` students with this need are open there
    var bound = 0                // sessions provably possible at most: one per day with a groupable slot
}

/// Scheduler's `Instance` (the one index of a scenario) with the needs in narrowing stages.
/// Slots are day-major as in the Instance; only which day a slot is on matters here.
struct Week {
    let instance: Instance
    var scenario: Scenario { instance.scenario }
    var dayCount: Int { instance.dayCount }
    var blockCount: Int { instance.blocksPerDay }
    let studentFree: [[Bool]], teacherFree: [[Bool]], roomFree: [[Bool]]
    var activities: [Activity] = []
    var needs: [NeedInfo] = []
    var slotCount: Int { instance.slotCount }

    init(_ instance: Instance) {
        let scenario = instance.scenario
        self.instance = instance
        (studentFree, teacherFree, roomFree) = (instance.students.map(\.available), instance.teachers.map(\.available),
                                                instance.rooms.map(\.available))
        activities = instance.activities.compactMap { act in
            scenario.modality(act.modality).map { m in
                Activity(subject: act.subject, modality: m, teachers: act.qualifiedTeachers, rooms: fittingRooms(m, requires: []))
            }
        }
        for (s, student) in scenario.students.enumerated() {
            for (n, need) in student.needs.enumerated() {
                let a = instance.students[s].needs[n].activity
                activities[a].needs.append(needs.count)
                needs.append(NeedInfo(student: s, need: need, activity: a, rooms: fittingRooms(activities[a].modality, requires: student.requires)))
            }
        }
        for i in needs.indices {
            let info = needs[i], act = activities[info.activity], free = studentFree[info.student]
            needs[i].withTeacher = (0..<slotCount).map { p in free[p] && (!act.led || act.teachers.contains { teacherFree[$0][p] }) }
            needs[i].open = (0..<slotCount).map { p in needs[i].withTeacher[p] && info.rooms.contains { roomFree[$0][p] } }
        }
        let family = Dictionary(grouping: needs.indices) { [needs[$0].need.subject, needs[$0].need.modality] }
        for a in activities.indices {
            activities[a].peers = family[[activities[a].subject, activities[a].modality.id]] ?? activities[a].needs
            let act = activities[a]
            activities[a].together = (0..<slotCount).map { p in act.peers.filter { needs[$0].open[p] }.count }
            for i in act.needs {
                needs[i].groupable = (0..<slotCount).map { needs[i].open[$0] && activities[a].together[$0] >= act.modality.min }
                needs[i].bound = unservable(i) ? 0 : min(needs[i].need.sessions, days(needs[i].groupable))
            }
        }
    }

    /// R2 and R4: a session's room has the modality's and every attendee's features and seats `min`.
    func fittingRooms(_ m: Modality, requires: [String]) -> [Int] {
        let wanted = Set(m.roomFeatures).union(requires)
        return scenario.rooms.indices.filter { wanted.isSubset(of: scenario.rooms[$0].features) && scenario.rooms[$0].capacity >= max(1, m.min) }
    }

    /// Needs that no timetable can serve at all; the other checks leave them to their own finding.
    func unservable(_ i: Int) -> Bool { untaught(i) || needs[i].rooms.isEmpty }
    func untaught(_ i: Int) -> Bool { activities[needs[i].activity].led && activities[needs[i].activity].teachers.isEmpty }

    func day(_ p: Int) -> Int { p / blockCount }
    func slots(ofDay d: Int) -> Range<Int> { d * blockCount ..< (d + 1) * blockCount }
    /// R5 allows one session of a need per day, so a need gets at most this many sessions.
    func days(_ usable: [Bool]) -> Int { usedDays(usable).count }
    func usedDays(_ usable: [Bool]) -> [Int] { (0..<dayCount).filter { d in slots(ofDay: d).contains { usable[$0] } } }

    /// Students one session of the activity can seat: its modality's max, within its largest room.
    func groupSeats(_ act: Activity) -> Int { min(act.modality.max, act.rooms.map { scenario.rooms[$0].capacity }.max() ?? 0) }

    /// Sessions a teacher can lead in the week: free blocks, capped per day and per week; and which cap bit.
    func teacherLoad(_ t: Int) -> (load: Int, text: String) {
        let teacher = scenario.teachers[t]
        let perDay = (0..<dayCount).map { d in slots(ofDay: d).filter { teacherFree[t][$0] }.count }
        let free = perDay.reduce(0, +), afterDay = perDay.reduce(0) { $0 + min($1, teacher.maxPerDay ?? $1) }
        let load = min(afterDay, teacher.maxPerWeek ?? afterDay)
        let why = load < afterDay ? " after max-per-week \(load)" : afterDay < free ? " after max-per-day \(teacher.maxPerDay ?? 0)" : ""
        return (load, "\(teacher.name) \(load)\(why)")
    }
}
