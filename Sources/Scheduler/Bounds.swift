// Proven lower bounds on the objective, in two parts: sessions that must stay unmet, and the comfort
// score. Each argument is a relaxation: it drops rules, so no valid timetable can beat it. The README's
// "Bounds" section gives the proof sketch of each.
import Diagnosis
import Foundation
import GLPKBackend
import IntegerProgram
import Rules
import ScenarioKit
import TimetableFormat
import WeekIndex

package struct LowerBounds: Sendable {
    /// Every valid timetable leaves at least this many sessions unmet.
    package private(set) var unmetSessions = 0
    /// And pays at least this much for them, weighted by priority.
    package private(set) var unmetObjective = 0.0
    /// What proves `unmetSessions`, in words; nil when it is 0.
    package private(set) var unmetSource: String?
    /// Every valid timetable leaves at least this many lessons unplaced: the strongest of the
    /// pre-solve lesson findings (Diagnosis' `unplaced`), each a proof on its own.
    package private(set) var unplacedLessons = 0
    /// The comfort terms the comfort bound argues about.
    package static let comfortTerms: [Rule] = [.sameNeedNextDay, .lateBlock, .teacherContinuity, .preferredTeacher, .studentIdle, .teacherIdle]

    private let instance: Instance
    private let weights: ObjectiveWeights
    /// Per student and need: where a session of it could take place at all.
    private let reach: [[NeedReach]]
    /// Per student: the blocks other than the day's last that she is free in.
    private let freeBeforeLastBlock: [Int]
    /// Idle blocks between fixed sessions that no flexible session can fill, weighted, for everyone.
    private let idleBetweenFixedSessions: Double
    /// A re-solve's changes against its baseline that the changed scenario makes unavoidable, weighted.
    private var changesForced = 0.0
    /// When GLPK must have finished the relaxation's LPs; a bound not proven by then counts as 0.
    private let deadline: Date
    /// A cancelled run stops its LPs within half a second; their bounds then count as 0.
    private let isCancelled: (@Sendable () -> Bool)?

    /// The days on which one need of one student can have a session, in all and per teacher who could
    /// lead it (for a teacher-led need; a requested teacher is the only one).
    fileprivate struct NeedReach {
        var days: UInt64 = 0
        var teachers: [(teacher: Int, days: UInt64)] = []
    }

    /// `weights`: the week's true (lexicographic) weights; `timeLimit`: seconds for all of GLPK's LPs;
    /// `findings`: the scenario's pre-solve proofs (Diagnosis), the strongest of which also bounds the
    /// unmet sessions. Every argument for the bound is here, so validate's findings, the solve's
    /// bound and the summary's proven figures are one set of proofs.
    package init(_ instance: Instance, weights: ObjectiveWeights, timeLimit: Double = 20, findings: [Finding] = [],
                 isCancelled: (@Sendable () -> Bool)? = nil) {
        self.instance = instance
        self.weights = weights
        deadline = Date().addingTimeInterval(timeLimit)
        self.isCancelled = isCancelled
        reach = instance.students.indices.map { s in
            instance.students[s].needs.map { LowerBounds.reach(instance, student: s, need: $0) }
        }
        let last = instance.blocksPerDay - 1
        freeBeforeLastBlock = instance.students.map { student in
            (0..<instance.slotCount).count { student.available[$0] && instance.block(of: $0) != last }
        }
        // Lessons may fill the gaps between fixed sessions, so with lessons that argument does not hold.
        idleBetweenFixedSessions = instance.lessons.isEmpty ? LowerBounds.idleForcedByFixedSessions(instance, weights: weights) : 0
        boundUnmetSessions(proven: findings.max { $0.provenSessions < $1.provenSessions })
        unplacedLessons = findings.flatMap(\.unplaced).map(\.sessions).max() ?? 0
    }

    /// What the proven unplaced lessons cost: a term of its own, so it adds to every other bound.
    package var unplacedObjective: Double { weights[.unplacedLesson] * Double(unplacedLessons) }

    // MARK: Unmet sessions

    /// The time-free capacity relaxation, once per priority level: U(>= p), the unmet sessions of
    /// priority p or higher, is at least the LP's minimum. With weights W non-decreasing in priority,
    /// the weighted unmet cost sum_k W_k U_k = sum_j (W_pj - W_p(j-1)) U(>= pj) is then at least the same
    /// sum of the LP bounds.
    /// A pre-solve proof counts as a bound on every unmet session, whatever its priority.
    private mutating func boundUnmetSessions(proven: Finding?) {
        let present = ObjectiveWeights.unmetByPriority.filter { instance.sessionsByPriority[$0.0, default: 0] > 0 }
        let forced = LowerBounds.forcedUnmetSessions(instance), relaxed = capacityRelaxationMinimum(from: present.first?.0) ?? 0
        let everything = max(forced, relaxed, proven?.provenSessions ?? 0)
        unmetSessions = everything
        guard everything > 0 else { return }
        let rising = zip(present, present.dropFirst()).allSatisfy { weights[$0.1] <= weights[$1.1] }
        if rising {
            var previousWeight = 0.0
            for (j, (priority, rule)) in present.enumerated() {
                let count = j == 0 ? everything : capacityRelaxationMinimum(from: priority) ?? 0
                unmetObjective += (weights[rule] - previousWeight) * Double(count)
                previousWeight = weights[rule]
            }
        }
        unmetObjective = max(unmetObjective, weights.cheapestUnmet * Double(everything))
        if everything == forced {
            unmetSource = "students' free days and blocks"
        } else if let proven, everything > relaxed {
            unmetSource = proven.cause.replacingOccurrences(of: "-", with: " ")
        } else if (capacityRelaxationMinimum(from: present.first?.0, teachersLimited: false) ?? 0) < everything {
            unmetSource = "teachers' weekly capacity"
        } else {
            unmetSource = "rooms and group sizes"
        }
    }

    /// The fewest sessions of priority `lowest` or higher that a timetable can leave unmet when time is
    /// ignored: seats x[need, activity], sessions per activity and teacher, sessions per activity and
    /// room, all continuous. nil when GLPK does not prove the LP's optimum.
    ///
    /// Every timetable gives a feasible point (count its seats and sessions): a need gets at most its
    /// sessions and one a day on days it can be served; a student's blocks fit her free blocks and
    /// daily limits; a session seats between its modality's min and what its room and max allow; a
    /// teacher's blocks fit her weekly limit, free blocks and daily limits; a room's blocks fit its open
    /// blocks; a student is in each session at most once.
    private func capacityRelaxationMinimum(from lowest: Priority?, teachersLimited: Bool = true) -> Int? {
        guard let lowest else { return 0 }
        guard isCancelled?() != true else { return nil }
        let counted = Set(ObjectiveWeights.unmetByPriority.map(\.0).drop { $0 != lowest })
        var program = IntegerProgram()
        var seatsOf = [[(Int, Double)]](repeating: [], count: instance.activities.count)
        var studentsOf = [[(s: Int, column: Int)]](repeating: [], count: instance.activities.count)
        var needed = 0
        for (s, student) in instance.students.enumerated() {
            var blocks: [(Int, Double)] = []
            for (n, need) in student.needs.enumerated() {
                let days = reach[s][n].days.nonzeroBitCount
                let columns = need.activities.map { a in
                    program.addContinuous("x[\(s),\(n),\(a)]", upper: Double(need.sessions), cost: counted.contains(need.priority) ? -1 : 0)
                }
                if counted.contains(need.priority) { needed += need.sessions }
                program.addRow("need \(s),\(n)", columns.map { ($0, 1) }, upper: Double(min(need.sessions, days)))
                for (a, column) in zip(need.activities, columns) {
                    seatsOf[a].append((column, 1))
                    studentsOf[a].append((s, column))
                    blocks.append((column, Double(instance.activities[a].length)))
                }
            }
            let capacity = (0..<instance.dayCount).reduce(0) { sum, d in
                sum + min(student.maxPerDay, instance.slots(ofDay: d).count { student.available[$0] })
            }
            program.addRow("student \(s)", blocks, upper: Double(capacity))
        }
        program.objectiveConstant = Double(needed)
        let openBlocks = instance.rooms.map { room in (0..<instance.slotCount).count { room.available[$0] } }
        var teacherBlocks = [[(Int, Double)]](repeating: [], count: instance.teachers.count)
        var roomBlocks = [[(Int, Double)]](repeating: [], count: instance.rooms.count)
        for (a, act) in instance.activities.enumerated() where !act.demand.isEmpty {
            let length = Double(act.length)
            let rooms = act.fittingRooms.filter { openBlocks[$0] > 0 }
            let inRoom = rooms.map { program.addContinuous("room[\(a),\($0)]") }
            for (r, column) in zip(rooms, inRoom) { roomBlocks[r].append((column, length)) }
            let sessions = inRoom.map { ($0, 1.0) }
            program.addRow("seats \(a)", seatsOf[a] + zip(rooms, inRoom).map { ($1, -Double(instance.seats($0, activity: a))) }, upper: 0)
            program.addRow("min group \(a)", seatsOf[a] + sessions.map { ($0.0, -Double(act.min)) }, lower: 0)
            for (_, column) in studentsOf[a] {
                program.addRow("once per session \(column)", [(column, 1)] + sessions.map { ($0.0, -1) }, upper: 0)
            }
            if act.teacherLed {
                let led = act.qualifiedTeachers.map { program.addContinuous("teacher[\(a),\($0)]") }
                for (t, column) in zip(act.qualifiedTeachers, led) { teacherBlocks[t].append((column, length)) }
                program.addRow("led \(a)", led.map { ($0, 1) } + sessions.map { ($0.0, -1) }, lower: 0, upper: 0)
            }
        }
        for (t, teacher) in instance.teachers.enumerated() where !teacherBlocks[t].isEmpty {
            var capacity = (0..<instance.dayCount).reduce(0) { sum, d in
                sum + min(teacher.maxPerDay, instance.slots(ofDay: d).count { teacher.available[$0] })
            }
            if teachersLimited { capacity = min(capacity, teacher.maxPerWeek) } else { continue }
            program.addRow("teacher \(t)", teacherBlocks[t], upper: Double(capacity))
        }
        for r in instance.rooms.indices where !roomBlocks[r].isEmpty {
            program.addRow("room \(r)", roomBlocks[r], upper: Double(openBlocks[r]))
        }
        let seconds = deadline.timeIntervalSinceNow
        // Without GLPK's LP presolver: it ran 9 s on a 10,000-student week, silent and deaf to a
        // cancel, and the LP is as fast without it (2,000 and 5,000 students: 0.7 and 4.4 s against
        // 0.8 and 4.6 s with it).
        guard seconds > 0, let result = try? GLPKSolver.solve(program, options: MIPOptions(
                timeLimit: seconds, lpPresolve: false, isCancelled: isCancelled)),
              result.status == .optimal, let minimum = result.bound else { return nil }
        // Unmet sessions are whole: the LP's minimum rounds up, less a margin for the simplex's tolerances.
        return max(0, Int((minimum - 1e-3).rounded(.up)))
    }

    // MARK: Comfort

    /// The least comfort score of any valid timetable that gives need n of student s at least
    /// `done[s][n]` sessions; each term's argument stands alone, so their sum is a bound too.
    /// Consecutive days: a need's sessions fall on distinct days it can be served on, so they share at
    /// least the fewest neighbouring pairs any such set of days has. Late blocks: a session that avoids
    /// the last block uses only blocks before it, so a student with more blocks of sessions than free
    /// blocks before the last has at least the difference in late sessions. Teachers: one teacher
    /// leads at most one of a need's sessions a day, on the days she can lead it, and at most her
    /// weekly limit, so a need whose m sessions no single teacher can all lead has extra teachers, and
    /// one whose preferred teachers together cannot lead all m has the rest led by others. Idle blocks:
    /// those between someone's fixed sessions that no flexible session of hers can fill.
    package func comfort(done: [[Int]]) -> Double {
        comfortParts(done: done).reduce(0) { $0 + $1.cost }
    }

    /// `comfort(done:)` term by term: what every such timetable must have of each, and its cost.
    package func comfortParts(done: [[Int]]) -> [Timetable.BoundPart] {
        var late = 0, extraTeachers = 0, notPreferred = 0
        for (s, student) in instance.students.enumerated() {
            var blocks = 0
            for (n, need) in student.needs.enumerated() {
                let sessions = min(done[s][n], need.sessions)
                let length = instance.activities[need.activity].length
                blocks += sessions * length
                guard sessions > 0, !reach[s][n].teachers.isEmpty else { continue }
                let most = reach[s][n].teachers.map { reachable in
                    (reachable.teacher, min(sessions, reachable.days.nonzeroBitCount, instance.teachers[reachable.teacher].maxPerWeek / length))
                }
                var covered = 0, teachers = 0
                for (_, count) in most.sorted(by: { $0.1 > $1.1 }) where covered < sessions && count > 0 {
                    covered += count
                    teachers += 1
                }
                extraTeachers += max(0, teachers - 1)
                if !need.preferred.isEmpty {
                    notPreferred += max(0, sessions - most.reduce(0) { $0 + (need.preferred.contains($1.0) ? $1.1 : 0) })
                }
            }
            late += max(0, blocks - freeBeforeLastBlock[s])
        }
        func counted(_ term: Rule, _ count: Int) -> Timetable.BoundPart {
            Timetable.BoundPart(term: term.id, count: count, cost: weights[term] * Double(count))
        }
        let parts = [counted(.sameNeedNextDay, consecutivePairs(done: done)), counted(.lateBlock, late),
                     counted(.teacherContinuity, extraTeachers), counted(.preferredTeacher, notPreferred),
                     Timetable.BoundPart(term: "idle between fixed sessions", count: nil, cost: idleBetweenFixedSessions),
                     Timetable.BoundPart(term: "changes the scenario forces", count: nil, cost: changesForced)]
        return parts.filter { $0.cost > 0 }
    }

    /// The consecutive-days part of `comfort(done:)` alone, weighted: it adds to a bound on the
    /// other terms (GLPK's on the whole-week model, which leaves this term out).
    package func consecutiveDays(done: [[Int]]) -> Double { weights[.sameNeedNextDay] * Double(consecutivePairs(done: done)) }

    private func consecutivePairs(done: [[Int]]) -> Int {
        var pairs = 0
        var fewestPairs: [UInt64: [Int]] = [:]
        for (s, student) in instance.students.enumerated() {
            for (n, need) in student.needs.enumerated() {
                let mask = reach[s][n].days
                if fewestPairs[mask] == nil { fewestPairs[mask] = fewestNeighbouringPairs(on: mask) }
                pairs += fewestPairs[mask]![min(done[s][n], need.sessions, mask.nonzeroBitCount)]
            }
        }
        return pairs
    }

    /// Baseline seats, teachers and rooms that no session of the changed scenario can hold as they
    /// were, because the scenario forbids the very thing (the student can no longer come then or no
    /// longer has that need, the teacher is gone, away, unqualified or over a limit by the fixed
    /// sessions alone, the room is gone, closed or unfit): every valid timetable pays for each.
    mutating func countForcedChanges(_ baseline: Baseline) {
        let empty = Plan(instance)
        func sameNeed(_ a: Int) -> [Int] { instance.activities.indices.filter { instance.sameNeed($0, a) } }
        func teacherCanKeep(_ t: Int, _ a: Int, _ p: Int) -> Bool {
            instance.activities[a].qualifiedTeachers.contains(t) && empty.teacherFree(t, activity: a, slot: p)
        }
        func roomCanKeep(_ r: Int, _ a: Int, _ p: Int) -> Bool {
            instance.activities[a].fittingRooms.contains(r) && empty.roomFree(r, activity: a, slot: p)
        }
        var seats = Set<[Int]>()
        for (seat, staff) in baseline.assignments {
            let (s, p) = (seat.student, seat.slot)
            let keepable = sameNeed(seat.activity).contains { a in
                let act = instance.activities[a]
                guard empty.canSeat(s, activity: a, slot: p), let r = staff.room, roomCanKeep(r, a, p),
                      empty.mayJoin(s, Seating(activity: a, slot: p, teacher: staff.teacher, room: r, others: [])) else { return false }
                guard let t = staff.teacher else { return !act.teacherLed }
                return act.teacherLed && teacherCanKeep(t, a, p)
            }
            // The checker counts a seat per student, need and slot, whichever level window it was in.
            if !keepable, let need = sameNeed(seat.activity).first { seats.insert([s, p, need]) }
        }
        let teachers = baseline.teachers.count { staffing in
            !sameNeed(staffing.activity).contains { teacherCanKeep(staffing.resource, $0, staffing.slot) }
        }
        let rooms = baseline.rooms.count { staffing in !sameNeed(staffing.activity).contains { roomCanKeep(staffing.resource, $0, staffing.slot) } }
        changesForced = weights[.changedSeat] * Double(seats.count) + weights[.changedTeacher] * Double(teachers)
            + weights[.changedRoom] * Double(rooms)
    }

    /// Index m: the fewest calendar-neighbouring pairs among any m of the days in `mask`.
    private func fewestNeighbouringPairs(on mask: UInt64) -> [Int] {
        var fewest = [Int](repeating: .max, count: mask.nonzeroBitCount + 1)
        for subset in 0..<(UInt64(1) << UInt64(instance.dayCount)) where subset & mask == subset {
            let pairs = instance.neighbouringPairs(in: subset)
            fewest[subset.nonzeroBitCount] = min(fewest[subset.nonzeroBitCount], pairs)
        }
        return fewest
    }

    /// The most `comfort(done:)` falls when one need gets one session fewer: it leaves at most two
    /// neighbouring pairs, one late session of its length, one extra teacher and one session led by
    /// a teacher not preferred (the fixed sessions' idle blocks stay).
    private var comfortPerUnmetSession: Double {
        let longest = Double(instance.activities.map(\.length).max() ?? 1)
        return 2 * weights[.sameNeedNextDay] + longest * weights[.lateBlock] + weights[.teacherContinuity] + weights[.preferredTeacher]
    }

    /// A bound on the whole objective. For any timetable T with U(T) weighted unmet cost and c(T)
    /// unmet sessions: comfort(T) >= comfort(all met) - c(T) x perSession, and U(T) >= c(T) x
    /// cheapest, so U(T) + comfort(T) >= U(T) (1 - perSession / cheapest) + comfort(all met).
    package var objective: Double {
        let allMet = comfort(done: instance.students.map { $0.needs.map(\.sessions) })
        let cheapest = weights.cheapestUnmet
        guard cheapest > comfortPerUnmetSession else { return unmetObjective + unplacedObjective }
        return max(unmetObjective, unmetObjective * (1 - comfortPerUnmetSession / cheapest) + allMet) + unplacedObjective
    }

}

extension LowerBounds {
    /// Where need `need` of student `s` can have a session: a start its modality allows, the student
    /// free in every block of it, one room that fits it and her and is open throughout, and for a
    /// teacher-led need one teacher who may lead it (the requested one if any) free throughout.
    fileprivate static func reach(_ instance: Instance, student s: Int, need: Instance.NeedInfo) -> NeedReach {
        var found = NeedReach()
        var teacherDays: [Int: UInt64] = [:]
        for a in need.activities {
            let act = instance.activities[a]
            let teachers = act.teacherLed ? need.requested.map { [$0] } ?? act.qualifiedTeachers : []
            for p in 0..<instance.slotCount where act.canStart[p] {
                let run = instance.covered(a, from: p)
                guard run.allSatisfy({ instance.students[s].available[$0] }),
                      act.fittingRooms.contains(where: { r in instance.roomFits(r, activity: a, student: s) && run.allSatisfy { instance.rooms[r].available[$0] } })
                else { continue }
                let day = UInt64(1) << UInt64(instance.day(of: p))
                if !act.teacherLed { found.days |= day }
                for t in teachers where instance.teachers[t].maxPerDay >= act.length && run.allSatisfy({ instance.teachers[t].available[$0] }) {
                    found.days |= day
                    teacherDays[t, default: 0] |= day
                }
            }
        }
        found.teachers = teacherDays.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return found
    }

    /// Blocks between a person's first and last fixed session of a day that are not fixed and that no
    /// flexible session of hers could fill (she is away, or no session she may have can start so as
    /// to cover it): idle in every valid timetable, weighted.
    fileprivate static func idleForcedByFixedSessions(_ instance: Instance, weights: ObjectiveWeights) -> Double {
        func forced(fixedSlots: [Int], canFill: (Int, Set<Int>) -> Bool) -> Int {
            let busy = Set(fixedSlots)
            return (0..<instance.dayCount).reduce(0) { sum, d in
                let today = instance.slots(ofDay: d).filter(busy.contains)
                guard let first = today.first, let last = today.last, last > first + 1 else { return sum }
                return sum + ((first + 1)..<last).count { !busy.contains($0) && !canFill($0, busy) }
            }
        }
        /// Whether a session of `a` that fits `free` (and avoids `busy`) could cover slot `p`.
        func coverable(_ p: Int, _ a: Int, busy: Set<Int>, free: (Int) -> Bool) -> Bool {
            let length = instance.activities[a].length
            return (max(0, p - length + 1)...p).contains { start in
                instance.activities[a].canStart[start] && instance.covered(a, from: start).allSatisfy { free($0) && !busy.contains($0) }
            }
        }
        var studentIdle = 0, teacherIdle = 0
        for (s, student) in instance.students.enumerated() {
            let slots = instance.fixed.filter { $0.students.contains(s) }.flatMap(\.slots)
            guard !slots.isEmpty else { continue }
            let activities = student.needs.flatMap(\.activities)
            studentIdle += forced(fixedSlots: slots) { p, busy in
                activities.contains { coverable(p, $0, busy: busy) { student.available[$0] } }
            }
        }
        for (t, teacher) in instance.teachers.enumerated() {
            let slots = instance.fixed.filter { $0.teachers.contains(t) }.flatMap(\.slots)
            guard !slots.isEmpty else { continue }
            let activities = instance.activities.indices.filter { instance.activities[$0].teacherLed && instance.activities[$0].qualifiedTeachers.contains(t) }
            teacherIdle += forced(fixedSlots: slots) { p, busy in
                activities.contains { coverable(p, $0, busy: busy) { teacher.available[$0] } }
            }
        }
        return weights[.studentIdle] * Double(studentIdle) + weights[.teacherIdle] * Double(teacherIdle)
    }
}

extension LowerBounds {
    /// Sessions that no timetable can give: more sessions of a need than days on which the student and
    /// someone to serve it are free, or more sessions in all than her free blocks allow.
    static func forcedUnmetSessions(_ instance: Instance) -> Int {
        var total = 0
        for student in instance.students {
            var forced = 0, needed = 0
            for need in student.needs {
                let act = instance.activities[need.activity]
                let servable = (0..<instance.dayCount).filter { d in
                    instance.slots(ofDay: d).contains { p in
                        student.available[p] && act.fittingRooms.contains { instance.rooms[$0].available[p] }
                            && (!act.teacherLed || act.qualifiedTeachers.contains { instance.teachers[$0].available[p] })
                    }
                }.count
                forced += max(0, need.sessions - servable)
                needed += need.sessions
            }
            let capacity = (0..<instance.dayCount).reduce(0) { sum, d in
                sum + min(student.maxPerDay, instance.slots(ofDay: d).filter { student.available[$0] }.count)
            }
            total += max(forced, needed - capacity)
        }
        return total
    }
}
