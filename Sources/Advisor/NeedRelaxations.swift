import ScenarioKit
import Scheduler
import TimetableFormat
import WeekIndex

// Explain's candidate changes for unmet needs, chosen from what binds in this timetable, so that no
// trial is spent on a change that cannot help and no advice names a limit that does not stop anyone:
// - a teacher at her weekly limit is offered only a higher weekly limit: another day, or a higher
//   daily limit, gives her nothing she may use;
// - a teacher below it is offered her days away, and her daily limit only if some day reaches it;
// - a colleague is offered the subject only while she has blocks left under her own weekly limit;
// - a limit is tried no higher than the blocks she can be at school in the week.
// Teachers alike in everything the rules read are one candidate ("any one of"), tried once.

/// The candidates, the needs of the highest priority first (mandated services are what the school
/// must answer for), then the most missed sessions; smallest changes first, one more teacher last.
func needRelaxations(_ validated: ValidatedScenario, _ timetable: Timetable, _ unmet: [Timetable.Unmet]) -> [Relaxation] {
    let scenario = validated.scenario, instance = Instance(validated), plan = Plan(rebuilding: timetable, instance)
    var small: [Relaxation] = [], large: [Relaxation] = []
    // Ties by name, never by the dictionary's (per-instance) order.
    let groups = Dictionary(grouping: unmet) { "\($0.subject)\u{0}\($0.modality)" }
        .map { (key: $0.key, value: $0.value, missing: $0.value.reduce(0) { $0 + $1.missing },
                rank: $0.value.map(\.priority.rank).max() ?? 0) }
        .sorted { ($1.rank, $1.missing, $0.key) < ($0.rank, $0.missing, $1.key) }
    let students = Dictionary(scenario.students.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let atWeeklyLimit = scenario.teachers.indices.map { plan.teacherWeekLoad[$0] >= instance.teachers[$0].maxPerWeek }
    for (_, needs, missing, _) in groups {
        let subject = needs[0].subject
        guard let modality = scenario.modality(needs[0].modality) else { continue }
        if modality.teacher {
            let qualified = scenario.teachers.indices.filter { scenario.teachers[$0].subjects.contains(subject) }
            for alike in interchangeable(qualified, scenario) where atWeeklyLimit[alike[0]] {
                let t = alike[0]
                guard let limit = scenario.teachers[t].maxPerWeek else { continue }
                let most = min(limit + missing, instance.teachers[t].available.count(where: { $0 }))
                guard most > limit else { continue }
                let group = Interchange(setting: "max-per-week", subject: subject, from: limit,
                                        names: alike.map { scenario.teachers[$0].name })
                small.append(Relaxation(key: "max-per-week \(scenario.teachers[t].id)", values: (limit + 1)...most,
                                        describe: { group.text(to: $0) }, interchange: group,
                                        apply: { var s = scenario; s.teachers[t].maxPerWeek = $0; return s }))
            }
            for t in qualified where !atWeeklyLimit[t] {
                let teacher = scenario.teachers[t]
                for day in Set(teacher.unavailable.map(\.weekday)).sorted() {
                    var s = scenario
                    s.teachers[t].unavailable.removeAll { $0.weekday == day }
                    small.append(Relaxation("make \(teacher.name) available on \(day.longName)", s))
                }
                if let limit = teacher.maxPerDay, limit < scenario.blocks.count, plan.teacherDayLoad[t].contains(where: { $0 >= limit }) {
                    small.append(Relaxation(key: "max-per-day \(teacher.id)", values: (limit + 1)...scenario.blocks.count,
                                            describe: { "raise \(teacher.name)'s max-per-day from \(limit) to \($0)" },
                                            apply: { var s = scenario; s.teachers[t].maxPerDay = $0; return s }))
                }
            }
            for (t, teacher) in scenario.teachers.enumerated() where !teacher.subjects.contains(subject) && !atWeeklyLimit[t] {
                var s = scenario
                s.teachers[t].subjects.append(subject)
                small.append(Relaxation("let \(teacher.name) also teach \(subject)", s))
            }
            var s = scenario
            let blocks = min(missing, instance.slotCount)
            let id = uniqueId("extra-\(subject)", taken: Set(scenario.teachers.map(\.id)))
            s.teachers.append(Teacher(id: id, name: "another \(subject) teacher", subjects: [subject], maxPerWeek: blocks))
            large.append(Relaxation("add a \(subject) teacher for \(blocks) block(s) a week", s))
        }
        for (r, room) in scenario.rooms.enumerated() where Set(modality.roomFeatures).isSubset(of: room.features) {
            for day in Set(room.unavailable.map(\.weekday)).sorted() {
                var s = scenario
                s.rooms[r].unavailable.removeAll { $0.weekday == day }
                small.append(Relaxation("open \(room.name) on \(day.longName)", s))
            }
            if room.capacity < modality.max {
                small.append(Relaxation(key: "capacity \(room.id)", values: (room.capacity + 1)...modality.max,
                                        describe: { "seat \($0) in \(room.name) (now \(room.capacity))" },
                                        apply: { var s = scenario; s.rooms[r].capacity = $0; return s }))
            }
        }
        // A feature that the modality or an unmet student needs, added to a room that lacks it.
        let wanted = Set(modality.roomFeatures).union(needs.flatMap { students[$0.student]?.requires ?? [] })
        for feature in wanted.sorted() {
            for (r, room) in scenario.rooms.enumerated() where !room.features.contains(feature) {
                var s = scenario
                s.rooms[r].features.append(feature)
                small.append(Relaxation("add \(feature) to \(room.name)", s))
            }
        }
    }
    return small + large
}

/// A change that any one of several teachers could take ("raise any one of 3 math teachers'
/// max-per-week from 4 to 6"): one line, whichever the admin picks.
struct Interchange: Sendable, Hashable {
    var setting: String
    var subject: String
    var from: Int
    var names: [String]

    func text(to value: Int) -> String {
        guard names.count > 1 else { return "raise \(names[0])'s \(setting) from \(from) to \(value)" }
        return "raise any one of \(names.count) \(subject) teachers' \(setting) from \(from) to \(value) (\(names.joined(separator: ", ")))"
    }
}

/// The teachers among `teachers` alike in everything a rule reads (subjects, days away, limits), in
/// scenario order: raising one's limit does what raising another's would.
private func interchangeable(_ teachers: [Int], _ scenario: Scenario) -> [[Int]] {
    var groups: [[Int]] = []
    for t in teachers {
        let a = scenario.teachers[t]
        if let g = groups.firstIndex(where: { group in
            let b = scenario.teachers[group[0]]
            return Set(a.subjects) == Set(b.subjects) && Set(a.unavailable) == Set(b.unavailable)
                && a.maxPerDay == b.maxPerDay && a.maxPerWeek == b.maxPerWeek && Set(a.preferNot) == Set(b.preferNot)
        }) {
            groups[g].append(t)
        } else {
            groups.append([t])
        }
    }
    return groups
}

private func uniqueId(_ base: String, taken: Set<String>) -> String {
    let clean = String(base.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" })
    var id = clean, n = 2
    while taken.contains(id) { id = "\(clean)-\(n)"; n += 1 }
    return id
}
