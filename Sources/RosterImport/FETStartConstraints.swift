/// The starts FET allows single activities by their own hard time constraints (active, 100 %).
///
/// flexsched sees the sub-activities of a split FET activity as interchangeable sessions of one lesson,
/// but FET does not when one of them carries its own pin or allowed set: `export fet` must then lock
/// each session on the sub-activity whose constraints it meets. Only constraints on one activity's own
/// start are read here (a pairing with other activities would not be a matching any more).
struct FETStartConstraints {
    /// A slot is `day * hourCount + hour`, in FET's day and hour order.
    let hourCount: Int
    private let dayIndex: [String: Int]
    private let hourIndex: [String: Int]
    private let dayCount: Int
    /// Allowed starts by activity id; an id without an entry may start anywhere.
    private(set) var allowed: [Int: Set<Int>] = [:]
    /// The constraints behind each restriction (element and line), for messages.
    private(set) var sources: [Int: [String]] = [:]

    init(root: FETElement, days: [String], hours: [String], activities: [Int: FETElement]) {
        hourCount = hours.count
        dayCount = days.count
        dayIndex = Dictionary(days.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        hourIndex = Dictionary(hours.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let sets = StudentAtoms(root.child("Students_List"))
        for c in root.child("Time_Constraints_List")?.children ?? [] where c.isActive && (Double(c.value("Weight_Percentage") ?? "100") ?? 100) >= 100 {
            switch c.name {
            case "ConstraintActivityPreferredStartingTime":
                restrict(c, ids: [c.value("Activity_Id")], to: slots(day: c.value("Preferred_Day"), hour: c.value("Preferred_Hour")), activities)
            case "ConstraintActivityPreferredDay":
                restrict(c, ids: [c.value("Activity_Id")], to: slots(day: c.value("Preferred_Day"), hour: nil), activities)
            case "ConstraintActivityPreferredStartingTimes":
                restrict(c, ids: [c.value("Activity_Id")], to: startList(c), activities)
            case "ConstraintActivityPreferredTimeSlots":
                restrict(c, ids: [c.value("Activity_Id")], to: slotList(c), covering: true, activities)
            case "ConstraintSubactivitiesPreferredStartingTimes", "ConstraintSubactivitiesPreferredTimeSlots":
                let ids = activities.filter { Self.subactivityFilter(c, matches: $0.value, sets: sets) }.map { String($0.key) }
                let starts = c.name.hasSuffix("StartingTimes")
                restrict(c, ids: ids, to: starts ? startList(c) : slotList(c), covering: !starts, activities)
            default:
                continue
            }
        }
    }

    /// Narrows each activity's allowed starts; with `covering`, `found` lists time slots every hour of the
    /// activity must lie in (FET's time-slot constraints), otherwise starts.
    private mutating func restrict(_ c: FETElement, ids: [String?], to found: Set<Int>, covering: Bool = false, _ activities: [Int: FETElement]) {
        for text in ids {
            guard let id = Int(text ?? ""), let activity = activities[id] else { continue }
            var starts = found
            if covering {
                let length = max(1, Int(activity.value("Duration") ?? "1") ?? 1)
                starts = Set(found.filter { s in
                    s % hourCount + length <= hourCount && (0..<length).allSatisfy { found.contains(s + $0) }
                })
            }
            allowed[id] = allowed[id].map { $0.intersection(starts) } ?? starts
            sources[id, default: []].append("\(c.name) (line \(c.line))")
        }
    }

    /// The slots of one entry: a missing day or hour means every one, as FET reads it.
    private func slots(day: String?, hour: String?) -> Set<Int> {
        let ds = day.flatMap { $0.isEmpty ? nil : $0 }.map { dayIndex[$0].map { [$0] } ?? [] } ?? Array(0..<dayCount)
        let hs = hour.flatMap { $0.isEmpty ? nil : $0 }.map { hourIndex[$0].map { [$0] } ?? [] } ?? Array(0..<hourCount)
        return Set(ds.flatMap { d in hs.map { d * hourCount + $0 } })
    }

    private func startList(_ c: FETElement) -> Set<Int> {
        c.children("Preferred_Starting_Time").reduce(into: Set<Int>()) {
            $0.formUnion(slots(day: $1.value("Preferred_Starting_Day"), hour: $1.value("Preferred_Starting_Hour")))
        }
    }

    private func slotList(_ c: FETElement) -> Set<Int> {
        c.children("Preferred_Time_Slot").reduce(into: Set<Int>()) {
            $0.formUnion(slots(day: $1.value("Preferred_Day"), hour: $1.value("Preferred_Hour")))
        }
    }

    /// FET's filter of the Subactivities constraints: the component number (the sub-activity's place in
    /// its split activity, `Id - Activity_Group_Id + 1`; 1 for an activity that is not split), then the
    /// teacher, students (sharing any student), subject, activity tag and duration that are given.
    static func subactivityFilter(_ c: FETElement, matches a: FETElement, sets: StudentAtoms) -> Bool {
        guard let component = Int(c.value("Component_Number") ?? ""), let id = Int(a.value("Id") ?? "") else { return false }
        let group = Int(a.value("Activity_Group_Id") ?? "0") ?? 0
        guard group == 0 ? component == 1 : component == id - group + 1 else { return false }
        func given(_ key: String) -> String? { c.value(key).flatMap { $0.isEmpty ? nil : $0 } }
        if let t = given("Teacher_Name"), !a.values("Teacher").contains(t) { return false }
        if let s = given("Students_Name"), !a.values("Students").contains(where: { sets.share($0, s) }) { return false }
        if let s = given("Subject_Name"), a.value("Subject") != s { return false }
        if let t = given("Activity_Tag_Name"), !a.values("Activity_Tag").contains(t) { return false }
        if let d = given("Duration").flatMap({ Int($0) }), d >= 1, d != (Int(a.value("Duration") ?? "1") ?? 1) { return false }
        return true
    }
}

/// FET's student sets as the smallest sets below them (subgroups, or a group or year with nothing
/// below), so two sets share students exactly when their smallest sets meet.
struct StudentAtoms {
    private(set) var atoms: [String: Set<String>] = [:]

    init(_ list: FETElement?) {
        for year in list?.children("Year") ?? [] { _ = add(year, below: "Group") }
    }

    private mutating func add(_ set: FETElement, below: String?) -> Set<String> {
        guard let name = set.value("Name") else { return [] }
        var mine = Set<String>()
        if let below {
            for child in set.children(below) { mine.formUnion(add(child, below: below == "Group" ? "Subgroup" : nil)) }
        }
        if mine.isEmpty { mine = [name] }
        // FET names a set once however often it is listed: a subgroup under several groups is one set.
        atoms[name, default: []].formUnion(mine)
        return atoms[name]!
    }

    func share(_ a: String, _ b: String) -> Bool {
        guard let x = atoms[a], let y = atoms[b] else { return a == b }
        return !x.isDisjoint(with: y)
    }
}
