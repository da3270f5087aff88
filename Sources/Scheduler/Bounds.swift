// Proven lower bounds on the objective, in two parts: sessions that must stay unmet, and the comfort
// score. Each argument is a relaxation: it drops rules, so no valid timetable can beat it. The README's
// "Bounds" section gives the proof sketch of each.
import Foundation
import GLPKBackend
import IntegerProgram
import Rules
import ScenarioKit

package struct LowerBounds: Sendable {
    /// Every valid timetable leaves at least this many sessions unmet.
    package private(set) var unmetSessions = 0
    /// And pays at least this much for them, weighted by priority.
    package private(set) var unmetObjective = 0.0
    /// What proves `unmetSessions`, in words; nil when it is 0.
    package private(set) var unmetSource: String?
    /// The comfort terms the comfort bound argues about.
    package static let comfortTerms: [Rule] = [.sameNeedNextDay, .lateBlock]

    private let instance: Instance
    private let weights: ObjectiveWeights
    /// Per student and need: the days on which a session of it could take place at all.
    private let servableDays: [[UInt64]]
    /// Per student: the blocks other than the day's last that she is free in.
    private let freeBeforeLastBlock: [Int]
    /// When GLPK must have finished the relaxation's LPs; a bound not proven by then counts as 0.
    private let deadline: Date

    /// `weights`: the week's true (lexicographic) weights; `timeLimit`: seconds for all of GLPK's LPs.
    package init(_ instance: Instance, weights: ObjectiveWeights, timeLimit: Double = 20) {
        self.instance = instance
        self.weights = weights
        deadline = Date().addingTimeInterval(timeLimit)
        servableDays = instance.students.map { student in
            student.needs.map { need in
                (0..<instance.dayCount).reduce(UInt64(0)) { mask, d in
                    let servable = need.activities.contains { a in
                        let act = instance.activities[a]
                        return instance.slots(ofDay: d).contains { p in
                            student.available[p] && act.fittingRooms.contains { instance.rooms[$0].available[p] }
                                && (!act.teacherLed || act.qualifiedTeachers.contains { instance.teachers[$0].available[p] })
                        }
                    }
                    return servable ? mask | (1 << UInt64(d)) : mask
                }
            }
        }
        let last = instance.blocksPerDay - 1
        freeBeforeLastBlock = instance.students.map { student in
            (0..<instance.slotCount).count { student.available[$0] && instance.block(of: $0) != last }
        }
        boundUnmetSessions()
    }

    // MARK: Unmet sessions

    /// The time-free capacity relaxation, once per priority level: U(>= p), the unmet sessions of
    /// priority p or higher, is at least the LP's minimum. With weights W non-decreasing in priority,
    /// the weighted unmet cost sum_k W_k U_k = sum_j (W_pj - W_p(j-1)) U(>= pj) is then at least the same
    /// sum of the LP bounds.
    private mutating func boundUnmetSessions() {
        let present = ObjectiveWeights.unmetByPriority.filter { instance.sessionsByPriority[$0.0, default: 0] > 0 }
        let forced = forcedUnmetSessions(instance)
        let everything = max(forced, capacityRelaxationMinimum(from: present.first?.0) ?? 0)
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
        let counted = Set(ObjectiveWeights.unmetByPriority.map(\.0).drop { $0 != lowest })
        var program = IntegerProgram()
        var seatsOf = [[(Int, Double)]](repeating: [], count: instance.activities.count)
        var studentsOf = [[(s: Int, column: Int)]](repeating: [], count: instance.activities.count)
        var needed = 0
        for (s, student) in instance.students.enumerated() {
            var blocks: [(Int, Double)] = []
            for (n, need) in student.needs.enumerated() {
                let days = servableDays[s][n].nonzeroBitCount
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
        guard seconds > 0, let result = try? GLPKSolver.solve(program, options: MIPOptions(timeLimit: seconds)),
              result.status == .optimal, let minimum = result.bound else { return nil }
        // Unmet sessions are whole: the LP's minimum rounds up, less a margin for the simplex's tolerances.
        return max(0, Int((minimum - 1e-3).rounded(.up)))
    }

    // MARK: Comfort

    /// The least comfort score of any valid timetable that gives need n of student s at least
    /// `done[s][n]` sessions. Consecutive days: a need's sessions fall on distinct days it can be served
    /// on, so they share at least the fewest neighbouring pairs any such set of days has. Late blocks:
    /// a session that avoids the last block uses only blocks before it, so a student with more blocks
    /// of sessions than free blocks before the last has at least the difference in late sessions.
    package func comfort(done: [[Int]]) -> Double {
        var pairs = 0, late = 0
        var fewestPairs: [UInt64: [Int]] = [:]
        for (s, student) in instance.students.enumerated() {
            var blocks = 0
            for (n, need) in student.needs.enumerated() {
                let sessions = min(done[s][n], need.sessions)
                let mask = servableDays[s][n]
                if fewestPairs[mask] == nil { fewestPairs[mask] = fewestNeighbouringPairs(on: mask) }
                pairs += fewestPairs[mask]![min(sessions, mask.nonzeroBitCount)]
                blocks += sessions * instance.activities[need.activity].length
            }
            late += max(0, blocks - freeBeforeLastBlock[s])
        }
        return weights[.sameNeedNextDay] * Double(pairs) + weights[.lateBlock] * Double(late)
    }

    /// Index m: the fewest calendar-neighbouring pairs among any m of the days in `mask`.
    private func fewestNeighbouringPairs(on mask: UInt64) -> [Int] {
        var fewest = [Int](repeating: .max, count: mask.nonzeroBitCount + 1)
        for subset in 0..<(UInt64(1) << UInt64(instance.dayCount)) where subset & mask == subset {
            let pairs = instance.nextDay.enumerated().count { d, next in
                next.map { subset & (1 << UInt64(d)) != 0 && subset & (1 << UInt64($0)) != 0 } ?? false
            }
            fewest[subset.nonzeroBitCount] = min(fewest[subset.nonzeroBitCount], pairs)
        }
        return fewest
    }

    /// The most `comfort(done:)` falls when one need gets one session fewer: it leaves at most two
    /// neighbouring pairs and one late session of its length.
    private var comfortPerUnmetSession: Double {
        let longest = Double(instance.activities.map(\.length).max() ?? 1)
        return 2 * weights[.sameNeedNextDay] + longest * weights[.lateBlock]
    }

    /// A bound on the whole objective. For any timetable T with U(T) weighted unmet cost and c(T)
    /// unmet sessions: comfort(T) >= comfort(all met) - c(T) x perSession, and U(T) >= c(T) x
    /// cheapest, so U(T) + comfort(T) >= U(T) (1 - perSession / cheapest) + comfort(all met).
    package var objective: Double {
        let allMet = comfort(done: instance.students.map { $0.needs.map(\.sessions) })
        let cheapest = weights.cheapestUnmet
        guard cheapest > comfortPerUnmetSession else { return unmetObjective }
        return max(unmetObjective, unmetObjective * (1 - comfortPerUnmetSession / cheapest) + allMet)
    }

    /// Diagnosis' proofs, when one proves more unmet sessions than the relaxation.
    package mutating func raiseUnmetSessions(to count: Int, source: String) {
        guard count > unmetSessions else { return }
        unmetSessions = count
        unmetSource = source
        unmetObjective = max(unmetObjective, weights.cheapestUnmet * Double(count))
    }
}
