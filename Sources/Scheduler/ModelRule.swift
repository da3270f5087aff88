import Rules
import ScenarioKit
import WeekIndex

/// A filter kept in a struct rather than directly as an array element: an array stores closures in
/// their most generic form, and each call then went through a thunk that copied the whole `Plan`
/// (a third of the time spent building a 1,000-student week went there).
struct PlanFilter: Sendable {
    let allows: @Sendable (_ plan: Plan, _ i: Int, _ a: Int, _ p: Int) -> Bool
}

/// One catalogue entry's part of the model: which columns it leaves out, which rows it adds, what it
/// costs, and (for objective terms) how the timetable's value of it is measured. A column exists only
/// where every entry's filters allow it, so nothing is left out without a rule id to show for it.
struct ModelRule: Sendable {
    typealias Activity = Instance.Activity

    let rule: Rule
    let location: CodeLocation
    /// Static pools: who may ever take part in an activity (computed once per instance).
    var teacherQualifies: (@Sendable (_ t: Int, _ teacher: Instance.TeacherInfo, _ activity: Activity) -> Bool)?
    var roomQualifies: (@Sendable (_ room: Instance.RoomInfo, _ activity: Activity) -> Bool)?
    /// Filters given the fixed part of the timetable: may student `s` take a seat in a session of `a`
    /// starting at slot `p`, teacher `t` lead it, room `r` host it.
    var seatAllowed: (@Sendable (_ plan: Plan, _ s: Int, _ a: Int, _ p: Int) -> Bool)?
    var teacherAllowed: (@Sendable (_ plan: Plan, _ t: Int, _ a: Int, _ p: Int) -> Bool)?
    var roomAllowed: (@Sendable (_ plan: Plan, _ r: Int, _ a: Int, _ p: Int) -> Bool)?
    /// Group-level rules, for every phase of the search: may student `s` sit in `session` beside its
    /// students (who do not include her), with its teacher and room? Seat filters say whether she is
    /// free then; this says whether this group, teacher and room may have her.
    var joinAllowed: (@Sendable (_ plan: Plan, _ s: Int, _ seating: Seating) -> Bool)?
    /// What of the seating `joinAllowed` reads besides the student: it is not asked while a part it
    /// reads is not there yet (no room chosen, nobody else in the group), when it cannot refuse.
    var joinReads: Seating.Parts = []
    /// Whole-session rules (group size, a teacher where the modality has one): may a session of this
    /// shape exist at all?
    var shapeAllowed: (@Sendable (_ plan: Plan, _ session: PlannedSession) -> Bool)?
    /// Class lessons. Static pools: may room `r` ever host lesson `l`; may a lesson of `l` ever start at `p`.
    var lessonRoomQualifies: (@Sendable (_ instance: Instance, _ l: Int, _ r: Int) -> Bool)?
    var lessonStartQualifies: (@Sendable (_ instance: Instance, _ l: Int, _ p: Int) -> Bool)?
    /// Given the rest of the plan: may a lesson of `l` start at `p` (its people and classes free,
    /// their limits, its spacing), and may room `r` host it there.
    var lessonAllowed: (@Sendable (_ plan: Plan, _ l: Int, _ p: Int) -> Bool)?
    var lessonRoomAllowed: (@Sendable (_ plan: Plan, _ r: Int, _ l: Int, _ p: Int) -> Bool)?
    /// Objective terms: cost of a lesson of `l` starting at `q` in room `r` in a GLPK piece, already weighted.
    var lessonCost: (@Sendable (_ model: NeighbourhoodModel, _ l: Int, _ q: Int, _ r: Int?) -> Double)?
    /// Rows over the model's columns.
    var rows: (@Sendable (_ model: inout NeighbourhoodModel) -> Void)?
    /// Objective terms: cost per unit of a column, already multiplied by the term's weight.
    var seatCost: (@Sendable (_ model: NeighbourhoodModel, _ s: Int, _ a: Int, _ p: Int) -> Double)?
    var teacherCost: (@Sendable (_ model: NeighbourhoodModel, _ t: Int, _ a: Int, _ p: Int) -> Double)?
    var roomCost: (@Sendable (_ model: NeighbourhoodModel, _ r: Int, _ a: Int, _ p: Int) -> Double)?
    /// Objective terms: the part of the term one student, teacher or room holds (see `TermShare`).
    /// Summed over every key it is the term's count on the whole timetable; a move is scored by the
    /// shares of the keys it touches.
    var share: TermShare?
    /// Where a rule holds by construction rather than through columns or rows (ids that exist, the
    /// unmet list derived from the plan), the place that guarantees it.
    var byConstruction: String?

    init(_ rule: Rule, fileID: String = #fileID, line: Int = #line) {
        self.rule = rule
        location = CodeLocation(fileID: fileID, line: line)
    }

    /// How the entry takes part in the model, for `flexsched rules`.
    var mechanisms: [String] {
        var parts: [String] = []
        if teacherQualifies != nil || roomQualifies != nil || lessonRoomQualifies != nil || lessonStartQualifies != nil {
            parts.append("candidate pools")
        }
        if seatAllowed != nil || teacherAllowed != nil || roomAllowed != nil || lessonAllowed != nil || lessonRoomAllowed != nil {
            parts.append("column filter")
        }
        if rows != nil { parts.append("rows") }
        if seatCost != nil || teacherCost != nil || roomCost != nil || lessonCost != nil { parts.append("column costs") }
        if share != nil { parts.append("measured on the whole timetable") }
        if let byConstruction { parts.append(byConstruction) }
        return parts
    }

    /// How the entry takes part in the search's phases (construction, reseating, comfort moves,
    /// roll-forward, decoding), for `flexsched rules`: the same declaration as its model.
    var searchMechanisms: [String] {
        var parts: [String] = []
        if teacherQualifies != nil || roomQualifies != nil { parts.append("who may ever serve it") }
        if seatAllowed != nil || teacherAllowed != nil || roomAllowed != nil { parts.append("may a seat, teacher or room be used then") }
        if lessonRoomQualifies != nil || lessonStartQualifies != nil { parts.append("where and when a lesson may ever be") }
        if lessonAllowed != nil || lessonRoomAllowed != nil { parts.append("may a lesson start there now") }
        if joinAllowed != nil { parts.append("may a student join this group") }
        if shapeAllowed != nil { parts.append("may a session of this shape exist") }
        if let share {
            let changes = PlanChange.allCases.filter(share.changedBy.contains).map { "\($0)" }
            parts.append("move delta per \(share.scope.description), changed by \(changes.joined(separator: ", "))")
        }
        if parts.isEmpty, let byConstruction { parts.append(byConstruction) }
        return parts
    }

    /// Every entry, hard rules then objective terms, in catalogue order.
    static let all: [ModelRule] = [
        knownIds, sessionLength,
        groupTooSmall, groupTooLarge, levelSpread,
        teacherPresence, teacherSubject, teacherUnavailable, teacherDoubleBooked, teacherDailyLimit, teacherWeeklyLimit,
        teacherDaysLimit, teacherInARow, requestedTeacher,
        roomClosed, roomFeatures, accommodations, roomDoubleBooked,
        studentUnavailable, studentDoubleBooked, studentDailyLimit, needOncePerDay, needNotExceeded, unmetReported,
        keptApart,
        studentHasNeed,
        fixedKept,
        lessonKept, lessonCount, lessonPinned, lessonLength, classDoubleBooked, classUnavailable, classDailyLimit, lessonRoom, lessonRoomSize,
        lessonDaysApart, lessonOnlyAt, lessonEndsDay,
        unplacedLesson, unmetMandated, unmetHigh, unmetSession, unmetLow,
        studentIdle, teacherIdle, lateBlock, sameNeedNextDay, preferredTeacher, teacherContinuity, preferNot,
        teacherOverAim, classIdle, lessonOffPreferred, lessonAvoidedTime, lessonDaysApartPreferred,
        changedSeat, changedTeacher, changedRoom, changedLesson,
    ]

    /// The static pools of every entry together, for building the week index.
    static let pools = Instance.Pools(
        teacherQualifies: { t, teacher, activity in all.allSatisfy { $0.teacherQualifies?(t, teacher, activity) ?? true } },
        roomQualifies: { room, activity in all.allSatisfy { $0.roomQualifies?(room, activity) ?? true } })

    static let seatFilters = all.compactMap { $0.seatAllowed.map(PlanFilter.init) }
    static let teacherFilters = all.compactMap { $0.teacherAllowed.map(PlanFilter.init) }
    static let roomFilters = all.compactMap { $0.roomAllowed.map(PlanFilter.init) }
    // Wrapped one by one, as the filters above: mapped through a key path, each call went through a
    // reabstraction thunk that copied the whole `Plan` (construction of the 1,000-student week took
    // 8 s instead of 1.8 s).
    /// The join filters that can refuse, by which parts a seating has (`Seating.Parts.rawValue`):
    /// construction asks them for every student of every group it tries.
    static let joinFiltersByParts: [[JoinFilter]] = (0..<4).map { parts in
        all.compactMap { entry in
            entry.joinAllowed.flatMap { Seating.Parts(rawValue: parts).isSuperset(of: entry.joinReads) ? JoinFilter(allows: $0) : nil }
        }
    }
    static let shared = all.filter { $0.share != nil }
    static let lessonFilters = all.compactMap { $0.lessonAllowed.map(LessonFilter.init) }
    static let lessonRoomFilters = all.compactMap { $0.lessonRoomAllowed.map(LessonRoomFilter.init) }
}

/// As `PlanFilter`, for lessons.
struct LessonFilter: Sendable {
    let allows: @Sendable (_ plan: Plan, _ l: Int, _ p: Int) -> Bool
}

struct LessonRoomFilter: Sendable {
    let allows: @Sendable (_ plan: Plan, _ r: Int, _ l: Int, _ p: Int) -> Bool
}

/// As `PlanFilter`, for `joinAllowed`.
struct JoinFilter: Sendable {
    let allows: @Sendable (_ plan: Plan, _ s: Int, _ seating: Seating) -> Bool
}

/// Where each catalogue entry is modelled, for `flexsched rules` and the README's rule table.
public struct RuleImplementation: Sendable {
    public let rule: Rule
    public let location: CodeLocation
    /// How it takes part: "column filter", "rows", "column costs", or what guarantees it by construction.
    public let mechanisms: [String]
    /// How the search's phases ask it; its code is in the same declaration as the model's.
    public let searchMechanisms: [String]
}

public enum ModelCatalogue {
    public static var implementations: [RuleImplementation] {
        ModelRule.all.map {
            RuleImplementation(rule: $0.rule, location: $0.location, mechanisms: $0.mechanisms, searchMechanisms: $0.searchMechanisms)
        }
    }
}

extension Instance {
    /// The week index with the catalogue's pools: the one every phase of the search and every proof works on.
    package init(_ validated: ValidatedScenario) {
        self.init(validated, pools: ModelRule.pools)
        let index = self
        let canStart = lessons.indices.map { l in
            (0..<slotCount).map { p in ModelRule.all.allSatisfy { $0.lessonStartQualifies?(index, l, p) ?? true } }
        }
        let rooms = lessons.indices.map { l in
            index.rooms.indices.filter { r in ModelRule.all.allSatisfy { $0.lessonRoomQualifies?(index, l, r) ?? true } }
                .sorted { (index.rooms[$0].capacity, $0) < (index.rooms[$1].capacity, $1) }
        }
        for l in lessons.indices {
            lessons[l].canStart = canStart[l]
            lessons[l].rooms = lessons[l].needsRoom ? rooms[l] : []
        }
    }
}
