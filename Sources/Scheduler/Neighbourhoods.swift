import Foundation
import WeekIndex

extension Search {
    /// For each unmet need in turn (shuffled): one or two days on which the student could take it,
    /// with the activities that stand in its way, topped up at random within `budget` columns.
    mutating func repairNeighbourhoods(budget: Int) -> [Neighbourhood] {
        var short: [Instance.NeedRef] = []
        for (s, info) in instance.students.enumerated() {
            for (n, need) in info.needs.enumerated() where plan.done[s][n] < need.sessions {
                short.append(Instance.NeedRef(student: s, need: n))
            }
        }
        var hoods: [Neighbourhood] = []
        // Several tries per need, each around other days, since which day frees up is not known.
        // Higher priorities first; within one, in random order.
        let ordered = rng.shuffled(short + short + short).enumerated().sorted { x, y in
            let px = instance.students[x.element.student].needs[x.element.need].priority
            let py = instance.students[y.element.student].needs[y.element.need].priority
            return px != py ? px > py : x.offset < y.offset
        }.map(\.element)
        for ref in ordered {
            let s = ref.student
            let open = (0..<instance.dayCount).filter { d in
                plan.needDays[s][ref.need] & (1 << UInt64(d)) == 0
                    && instance.slots(ofDay: d).contains { instance.students[s].available[$0] }
            }
            guard !open.isEmpty else { continue }
            var days = [open[Int(rng.next() % UInt64(open.count))]]
            if instance.dayCount > 1, rng.next() % 2 == 0 {
                let other = Int(rng.next() % UInt64(instance.dayCount))
                if other != days[0] { days.append(other) }
            }
            hoods.append(piece(around: ref, days: days, budget: budget))
        }
        return hoods
    }

    /// The need's own activity, then what blocks it on `days` (the student's sessions, then the
    /// sessions holding its teachers), then anything, while the budget lasts.
    mutating func piece(around ref: Instance.NeedRef, days: [Int], budget: Int) -> Neighbourhood {
        let s = ref.student, act = instance.activities[instance.students[s].needs[ref.need].activity]
        var blocking: [Int] = []
        for d in days {
            for p in instance.slots(ofDay: d) where plan.studentAt[s][p] >= 0 {
                if let session = plan.sessions[plan.studentAt[s][p]] { blocking.append(session.activity) }
            }
        }
        for d in days {
            for p in instance.slots(ofDay: d) {
                for t in act.qualifiedTeachers where plan.teacherAt[t][p] >= 0 {
                    if let session = plan.sessions[plan.teacherAt[t][p]] { blocking.append(session.activity) }
                }
            }
        }
        var chosen = instance.students[s].needs[ref.need].activities
        var size = act.demand.count * instance.blocksPerDay * days.count
        for b in blocking + rng.shuffled(Array(instance.activities.indices)) where !chosen.contains(b) {
            let extra = instance.activities[b].demand.count * instance.blocksPerDay * days.count
            if size + extra > budget { continue }
            chosen.append(b)
            size += extra
        }
        // The lessons of her classes and of the teachers who could lead it may make way, within their day.
        let qualified = Set(act.qualifiedTeachers)
        let lessons = instance.lessons.indices.filter { l in
            instance.lessons[l].students.contains(s) || instance.lessons[l].teachers.contains(where: qualified.contains)
        }
        return Neighbourhood(days: days.sorted(), activities: chosen, lessons: lessons)
    }

    /// For each need meeting on two consecutive days (shuffled): one of the two days and a day it
    /// could move to that touches none of its other days, with what stands in the way, as in the repair.
    /// Single-day pieces cannot move a session to another day, and these repeats are most of the
    /// comfort score on planted weeks.
    mutating func repeatNeighbourhoods(budget: Int) -> [Neighbourhood] {
        var hoods: [Neighbourhood] = []
        var repeats: [(ref: Instance.NeedRef, day: Int)] = []
        for (s, info) in instance.students.enumerated() {
            for n in info.needs.indices {
                let mask = plan.needDays[s][n]
                for d in 0..<instance.dayCount where mask & (1 << UInt64(d)) != 0 {
                    if let next = instance.nextDay[d], mask & (1 << UInt64(next)) != 0 {
                        repeats.append((Instance.NeedRef(student: s, need: n), rng.next() % 2 == 0 ? d : next))
                    }
                }
            }
        }
        for (ref, from) in rng.shuffled(repeats) {
            let s = ref.student, a = instance.students[s].needs[ref.need].activity
            // A piece that cannot hold the need's own activity over both days within the budget is
            // too slow to help: on the planted L week such pieces had 2,500-4,000 columns and most
            // ran out of their second.
            guard instance.activities[a].demand.count * instance.blocksPerDay * 2 <= budget else { continue }
            let mask = plan.needDays[s][ref.need] & ~(1 << UInt64(from))
            func meets(_ d: Int?) -> Bool { d.map { mask & (1 << UInt64($0)) != 0 } ?? false }
            let open = (0..<instance.dayCount).filter { d in
                !meets(d) && d != from && instance.slots(ofDay: d).contains { instance.students[s].available[$0] }
            }
            let apart = open.filter { !meets(instance.nextDay[$0]) && !meets(instance.previousDay[$0]) }
            let targets = apart.isEmpty ? open : apart
            guard !targets.isEmpty else { continue }
            let to = targets[Int(rng.next() % UInt64(targets.count))]
            hoods.append(piece(around: ref, days: [from, to], budget: budget))
        }
        return hoods
    }

    /// For each activity one of whose students meets a need on consecutive days (shuffled): the whole
    /// week of it and of the other activities of its students' needs (level windows) while `budget`
    /// lasts, each only at the starts where it has sessions now, counted as students x sessions.
    /// GLPK then chooses anew which of the week's sessions each student joins, and who leads and hosts
    /// them, which no piece of one or two days and no move of one or two students can: a group at its
    /// minimum keeps its students, and a student who changes day must find a seat that day.
    mutating func regroupNeighbourhoods(budget: Int) -> [Neighbourhood] {
        // Re-solves leave regrouping out, as they leave out the comfort moves: a re-solve is about
        // what the change touches, and these pieces hold every session of the week.
        guard plan.baseline.assignments.isEmpty else { return [] }
        var starts: [Int: [Int]] = [:]
        for (_, session) in plan.activeSessions { starts[session.activity, default: []].append(session.slot) }
        func columns(_ a: Int) -> Int { instance.activities[a].demand.count * starts[a, default: []].count }
        var hoods: [Neighbourhood] = []
        for a in rng.shuffled(Array(instance.activities.indices)) {
            let act = instance.activities[a]
            var size = columns(a)
            guard size > 0, size <= budget, act.demand.contains(where: { instance.neighbouringPairs(in: plan.needDays[$0.student][$0.need]) > 0 }) else { continue }
            var chosen = [a]
            for need in act.demand {
                for b in instance.students[need.student].needs[need.need].activities where !chosen.contains(b) && size + columns(b) <= budget {
                    chosen.append(b)
                    size += columns(b)
                }
            }
            hoods.append(Neighbourhood(days: Array(0..<instance.dayCount), activities: chosen,
                                       starts: starts.filter { chosen.contains($0.key) }))
        }
        return hoods
    }

    /// Every day, with the activities shuffled and packed into pieces of about `budget` columns;
    /// pieces holding unmet demand come first.
    mutating func neighbourhoods(budget: Int) -> [Neighbourhood] {
        var byDay: [[Neighbourhood]] = []
        for d in rng.shuffled(Array(0..<instance.dayCount)) {
            var hoods: [Neighbourhood] = [], piece: [Int] = [], size = 0
            for a in rng.shuffled(Array(instance.activities.indices)) {
                let columns = instance.activities[a].demand.count * instance.blocksPerDay
                if !piece.isEmpty, size + columns > budget {
                    hoods.append(Neighbourhood(days: [d], activities: piece))
                    piece = []
                    size = 0
                }
                piece.append(a)
                size += columns
            }
            if !piece.isEmpty { hoods.append(Neighbourhood(days: [d], activities: piece)) }
            byDay.append(withLessons(hoods, day: d))
        }
        // Days taken in turn, so that threads find pieces on other days to the end of the pass: one
        // day's pieces after another left one thread idle for the whole of the last day's.
        let hoods = (0..<(byDay.map(\.count).max() ?? 0)).flatMap { i in byDay.compactMap { i < $0.count ? $0[i] : nil } }
        let unmet = Set(instance.activities.indices.filter { a in
            instance.activities[a].demand.contains { plan.remaining(student: $0.student, activity: a) > 0 }
        })
        return hoods.filter { !unmet.isDisjoint(with: $0.activities) } + hoods.filter { unmet.isDisjoint(with: $0.activities) }
    }

    /// Each lesson on day `d` joins the piece whose activities most of its students take part in, so
    /// GLPK can trade a lesson's block against their flex sessions; a lesson of no such students goes
    /// to the piece with the fewest lessons yet.
    func withLessons(_ hoods: [Neighbourhood], day d: Int) -> [Neighbourhood] {
        guard !hoods.isEmpty, !instance.lessons.isEmpty else { return hoods }
        var hoods = hoods
        let students = hoods.map { hood in Set(hood.activities.flatMap { instance.activities[$0].demand.map(\.student) }) }
        let today = Set(plan.lessonPlacements.compactMap { $0 }.filter { !$0.pinned && instance.day(of: $0.slot) == d }.map(\.lesson))
        for l in today.sorted() {
            let members = instance.lessons[l].students
            let i = hoods.indices.max { a, b in
                (members.count(where: students[a].contains), -hoods[a].lessons.count) < (members.count(where: students[b].contains), -hoods[b].lessons.count)
            }!
            hoods[i].lessons.append(l)
        }
        return hoods
    }
}
