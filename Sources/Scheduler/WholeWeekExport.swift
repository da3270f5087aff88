import Foundation
import GLPKBackend
import IntegerProgram
import ScenarioKit
import TimetableFormat
import WeekIndex

/// The whole week as one integer program, written in free MPS by GLPK's own writer, so other MIP
/// solvers can be run on exactly flexsched's formulation. Column `x[s,a,p]` = 1 seats student `s`
/// (scenario order) in activity `a` at slot `p`, and the x columns come first; unmet sessions =
/// needed sessions - sum of x. The objective is the one in the README less `constant`, the cost
/// of meeting nothing (1000 x needed sessions when every need is `normal`), every term exact: the
/// columns `v[s,a,p,t]` (her group is teacher t's) and `u[t,a,p,r]` (t's group meets in room r) say
/// who leads whom, which teacher continuity and preferred teachers need (`TeacherSeats.swift`).
public func writeWholeWeekModel(_ scenario: ValidatedScenario, to path: String) throws(SolveFailure)
    -> (columns: Int, rows: Int, neededSessions: Int, seatColumns: Int, constant: Double) {
    let model = WholeWeekModel(scenario)
    do {
        try GLPKSolver.writeMPS(model.program, to: path)
    } catch {
        throw SolveFailure(description: "cannot write the model: \(error)")
    }
    return (model.program.columns.count, model.program.rows.count, model.model.instance.totalSessionsNeeded, model.seatColumns,
            model.constant)
}

/// Another solver's solution of the model `writeWholeWeekModel` wrote, by column name (only the x, y,
/// w, v and u columns are read), decoded into sessions the way flexsched decodes GLPK's, with every term
/// measured on the result. Nil when the solution cannot be split into groups. Not checked: the
/// caller hands it to the independent checker like any other timetable.
package func decodeWholeWeekSolution(_ scenario: ValidatedScenario, values: [String: Double]) -> Timetable? {
    let whole = WholeWeekModel(scenario)
    let model = whole.model
    let columns = model.program.columns.map { values[glpkName($0.name, fallback: "")] ?? 0 }
    guard let sessions = model.decode(columns) else { return nil }
    var plan = model.base
    for session in sessions { plan.add(session) }
    let instance = model.instance, terms = plan.terms
    let weights = ObjectiveWeights().lexicographic(instance)
    return Timetable(
        scenario: scenario.name, status: .feasible, objective: terms.total(weights), bound: nil, gap: nil,
        sessions: timetableSessions(plan), unmet: unmetNeeds(plan), created: ISO8601DateFormatter().string(from: Date()),
        stats: .init(seconds: 0, unmetSessions: terms.unmetSessions, neededSessions: instance.totalSessionsNeeded,
                     variables: whole.program.columns.count, rows: whole.program.rows.count, subproblems: 0, terms: terms.byId,
                     stopReason: nil),
        bounds: nil)
}

/// Values for every column of the model `writeWholeWeekModel` writes, by column name, that reproduce
/// `timetable` (a solver's warm start); nil when its sessions do not fit the model.
package func wholeWeekStartValues(_ scenario: ValidatedScenario, timetable: Timetable) -> [String: Double]? {
    let model = WholeWeekModel(scenario).model
    let plan = Plan(rebuilding: timetable, model.instance)
    guard let values = model.startValues(for: plan.activeSessions.map(\.session)) else { return nil }
    return Dictionary(zip(model.program.columns.map { glpkName($0.name, fallback: "") }, values), uniquingKeysWith: { a, _ in a })
}

/// The whole-week model with the seat columns first (solvers that drop the names, as HiGHS does,
/// still find them by position) and no objective constant (MPS readers disagree on its sign).
private struct WholeWeekModel {
    let model: NeighbourhoodModel
    let program: IntegerProgram
    let seatColumns: Int
    /// The objective of meeting nothing, left out of the written model.
    let constant: Double

    init(_ scenario: ValidatedScenario) {
        let instance = Instance(scenario)
        let hood = Neighbourhood(days: Array(0..<instance.dayCount), activities: Array(instance.activities.indices))
        model = NeighbourhoodModel(base: Plan(instance), hood: hood, weights: ObjectiveWeights().lexicographic(instance), seatsByTeacher: true)
        let built = model.program
        let seats = built.columns.indices.filter { built.columns[$0].name.hasPrefix("x[") }
        var program = built.reordered(columns: seats + built.columns.indices.filter { !built.columns[$0].name.hasPrefix("x[") })
        constant = program.objectiveConstant
        program.objectiveConstant = 0
        self.program = program
        seatColumns = seats.count
    }
}
