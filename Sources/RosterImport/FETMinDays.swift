import ScenarioKit

/// One MinDaysBetweenActivities: every two of its activities lie at least `days` days apart.
struct MinDaysConstraint: Sendable {
    var activities: Set<Int>
    var days: Int
    var hard: Bool
}

/// FET's min days as lesson keys. A scenario holds days apart per lesson, and a `series` holds each
/// two of its lessons apart by the larger of their two values, so a set of lessons linked by
/// min-days constraints is carried over exactly when some value per lesson gives every pair what
/// FET asks of it, no more and no less. FET's Namibian schools ask it of a split activity whose first
/// part must lie two days from the others, which lie one day apart: values 2 and 1.
extension FETMapper {
    mutating func applyMinDays(_ x: inout ConstraintContext) {
        for members in linkedLessons(x) {
            let constraints = x.minDays.filter { c in members.contains { l in activitiesOf[l].contains(where: c.activities.contains) } }
            // Parts of one split activity that could not be split (a pinned part) may differ.
            guard members.allSatisfy({ l in constraints.allSatisfy { c in Set(activitiesOf[l]).isSubset(of: c.activities) || !activitiesOf[l].contains(where: c.activities.contains) } }) else {
                unsupported["MinDaysBetweenActivities over some parts of a split activity with a pinned part", default: 0] += constraints.count
                continue
            }
            for hard in [true, false] where constraints.contains(where: { $0.hard == hard }) {
                // A preference is measured against the hard days too: a pair the hard rule already
                // keeps apart that far never breaks it.
                let counted = hard ? constraints.filter(\.hard) : constraints
                guard let values = daysApart(members, counted, x) else {
                    unsupported["MinDaysBetweenActivities asking days apart of linked lessons that no days per lesson give (at \(hard ? "100 %" : "weight below 100 %"))", default: 0]
                        += constraints.count(where: { $0.hard == hard })
                    continue
                }
                for (l, v) in zip(members, values) {
                    if hard { x.lessons[l].minDaysApart = v } else { x.lessons[l].preferDaysApart = v }
                    if members.count > 1 { x.lessons[l].series = x.lessons[members[0]].id }
                }
            }
        }
    }

    /// Lessons linked by min-days constraints, each set sorted, in the order of their first lesson.
    private func linkedLessons(_ x: ConstraintContext) -> [[Int]] {
        var parent = Array(x.lessons.indices)
        func root(_ i: Int) -> Int { var i = i; while parent[i] != i { i = parent[i] }; return i }
        var touched = Set<Int>()
        for c in x.minDays {
            let ls = Set(c.activities.compactMap { lessonOf[$0] }).sorted()
            touched.formUnion(ls)
            for l in ls.dropFirst() { parent[root(l)] = root(ls[0]) }
        }
        return Dictionary(grouping: touched.sorted(), by: root).values.map { $0.sorted() }.sorted { $0[0] < $1[0] }
    }

    /// Days apart per member such that every two sessions of the members lie as far apart as the
    /// constraints ask (0 where none asks), or nil when no such values exist. The largest values
    /// that ask no pair for more are the only candidates worth trying: any that work are no larger.
    private func daysApart(_ members: [Int], _ constraints: [MinDaysConstraint], _ x: ConstraintContext) -> [Int]? {
        func asked(_ l: Int, _ m: Int) -> Int {
            constraints.filter { c in activitiesOf[l].contains(where: c.activities.contains) && activitiesOf[m].contains(where: c.activities.contains) }
                .map(\.days).max() ?? 0
        }
        let values = members.map { l -> Int in
            if x.lessons[l].sessions > 1 { return asked(l, l) }
            return members.filter { $0 != l }.map { asked(l, $0) }.min() ?? 0
        }
        for (i, l) in members.enumerated() {
            for (j, m) in members.enumerated() where j > i {
                guard max(values[i], values[j]) == asked(l, m) else { return nil }
            }
        }
        return values
    }
}
