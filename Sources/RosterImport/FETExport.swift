import Foundation
import ScenarioKit
import TimetableChecker
import TimetableFormat

/// Where one FET activity is locked, in FET's own names.
public struct FETLock: Sendable, Hashable, Codable {
    public var activity: Int
    public var day: String
    public var hour: String
    /// Nil when flexsched gave the session no room (a FET activity without room constraints has none).
    public var room: String?
}

/// The original FET file with every active activity locked where a checked timetable has it.
public struct FETLockedFile: Sendable {
    /// The file to write: the original text, with the locks inserted before the constraint lists close.
    public var text: String
    /// Active activities of the original; every one has a time lock but those with neither teachers
    /// nor students (`warnings` names them).
    public var activities: Int
    public var locks: [FETLock]
    /// Sub-activities whose own hard start constraints no session of their lesson meets (the timetable
    /// breaks them, and FET will say so), and activities left unlocked.
    public var warnings: [String]

    public var roomLocks: Int { locks.filter { $0.room != nil }.count }
}

/// `flexsched export fet`: the original file, read again and mapped as `import fet` mapped it (so the
/// activities behind each lesson are known), plus a 100 % `ConstraintActivityPreferredStartingTime` for
/// every active activity and a 100 % `ConstraintActivityPreferredRoom` where the session has a room,
/// all permanently locked, as FET itself locks a timetable (`*_data_and_timetable.fet`). Refuses, naming
/// what, when the scenario or timetable does not come from this file, or when a lesson is unplaced.
public func lockedFET(original: String, scenario: ValidatedScenario, scenarioFile: String,
                      timetable: CheckedTimetable, timetableFile: String) throws(InputError) -> FETLockedFile {
    try lockFET(original: original, scenario: scenario.scenario, scenarioFile: scenarioFile, timetable: timetable.timetable, timetableFile: timetableFile)
}

/// The same for any timetable. Internal so that tests can lock a doctored timetable, one the checker
/// would refuse, and see FET reject it.
func lockFET(original: String, scenario: Scenario, scenarioFile: String, timetable: Timetable, timetableFile: String) throws(InputError) -> FETLockedFile {
    guard let data = FileManager.default.contents(atPath: original) else {
        throw InputError(file: original, FileManager.default.fileExists(atPath: original) ? "cannot be read" : "file not found")
    }
    guard let text = String(data: data, encoding: .utf8) else { throw InputError(file: original, "is not UTF-8 text; FET writes its files in UTF-8") }
    let root = try FETFile.parse(data, file: original)
    var mapper = FETMapper(file: original)
    guard let mapped = mapper.map(root), mapper.problems.isEmpty else {
        throw InputError(mapper.problems.map { p in var p = p; p.message += " (the original must import with `flexsched import fet`)"; return p })
    }
    var origin = FETOrigin(root: root, mapper: mapper, mapped: mapped, original: original)
    origin.compare(scenario, file: scenarioFile)
    let placed = origin.placements(timetable, file: timetableFile)
    guard origin.problems.isEmpty else { throw InputError(origin.problems) }
    let (locks, warnings) = origin.locks(placed)

    let newline = text.contains("\r\n") ? "\r\n" : "\n"
    // A lock the original already has (a pin at 100 %, FET's own lock) is not written again: FET would
    // skip it as a duplicate, with a message for each.
    let (times, rooms) = existingLocks(root)
    let timeXML = locks.filter { !times.contains("\($0.activity)|\($0.day)|\($0.hour)") }.map { timeLockXML($0, newline) }.joined()
    let spaceXML = locks.filter { $0.room != nil && !rooms.contains("\($0.activity)|\($0.room!)") }.map { roomLockXML($0, newline) }.joined()
    // Foundation drops a byte-order mark when it decodes; FET writes one in some files, and the rest of
    // the file is to stay byte for byte as it was.
    var out = data.starts(with: [0xEF, 0xBB, 0xBF]) && !text.hasPrefix("\u{FEFF}") ? "\u{FEFF}" + text : text
    insert(timeXML, list: "Time_Constraints_List", into: &out, newline: newline)
    insert(spaceXML, list: "Space_Constraints_List", into: &out, newline: newline)
    // What FET will read must still be a FET file (a name with markup in it, a list we failed to find).
    do { _ = try FETFile.parse(Data(out.utf8), file: original) } catch {
        throw InputError(file: original, "the locked file would not be well-formed XML (\(error.problems.map(\.message).joined(separator: "; "))); please report this")
    }
    return FETLockedFile(text: out, activities: origin.activeActivities.count, locks: locks, warnings: origin.unlocked + warnings)
}

/// The original file as `import fet` sees it, and the checks that a scenario and timetable come from it.
struct FETOrigin {
    let mapper: FETMapper
    let mapped: Scenario
    let original: String
    let days: [String]
    let hours: [String]
    let roomNames: [String: String]
    /// Active activities by id.
    let activeActivities: [Int: FETElement]
    let root: FETElement
    var problems: [InputProblem] = []
    /// Active activities no lesson stands for, which the locked file leaves to FET.
    var unlocked: [String] = []

    init(root: FETElement, mapper: FETMapper, mapped: Scenario, original: String) {
        self.root = root; self.mapper = mapper; self.mapped = mapped; self.original = original
        days = root.child("Days_List")?.children("Day").compactMap { $0.value("Name") } ?? []
        hours = root.child("Hours_List")?.children("Hour").compactMap { $0.value("Name") } ?? []
        roomNames = Dictionary(mapper.roomIds.map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var active: [Int: FETElement] = [:]
        for a in root.child("Activities_List")?.children("Activity") ?? [] where a.isActive {
            if let id = Int(a.value("Id") ?? "") { active[id] = a }
        }
        activeActivities = active
    }

    func lessonId(_ i: Int) -> String { "a\(mapper.activitiesOf[i][0])" }

    func activityList(_ i: Int) -> String {
        let ids = mapper.activitiesOf[i]
        return ids.count == 1 ? "FET activity \(ids[0])" : "FET activities \(ids.map(String.init).joined(separator: ", "))"
    }

    /// The scenario must be this file's import: the same lessons, each with its activities' sessions,
    /// length, teachers and classes, and the same week.
    mutating func compare(_ scenario: Scenario, file: String) {
        func problem(_ entity: String, _ message: String) {
            problems.append(InputProblem(file: file, entity: entity, message: message + "; import \(original) again (`flexsched import fet`) and solve that"))
        }
        if scenario.days != mapped.days || scenario.blocks.map(\.id) != mapped.blocks.map(\.id) {
            problem("days/blocks", "the week (\(scenario.days.count) days x \(scenario.blocks.count) blocks) is not the original's \(days.count) days x \(hours.count) hours")
        }
        let mine = Dictionary(scenario.lessons.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for (i, lesson) in mapped.lessons.enumerated() {
            guard let theirs = mine[lesson.id] else {
                problem("lessons[\(lesson.id)]", "there is no lesson \(lesson.id) (\(activityList(i)) of the original)")
                continue
            }
            if theirs.sessions != lesson.sessions || theirs.length != lesson.length {
                problem("lessons[\(lesson.id)]", "has \(theirs.sessions) session(s) of \(theirs.length) block(s), but \(activityList(i)) make \(lesson.sessions) of \(lesson.length)")
            } else if Set(theirs.teachers) != Set(lesson.teachers) || Set(theirs.classes) != Set(lesson.classes) {
                problem("lessons[\(lesson.id)]", "has other teachers or classes than \(activityList(i)) of the original")
            }
        }
        let known = Set(mapped.lessons.map(\.id))
        for lesson in scenario.lessons where !known.contains(lesson.id) {
            problem("lessons[\(lesson.id)]", "is no lesson of the original (lesson ids are `a` and the FET id of its first activity)")
        }
    }

    /// Each lesson's sessions as FET slots and rooms, in week order; problems for everything that cannot
    /// be locked in FET's terms.
    mutating func placements(_ timetable: Timetable, file: String) -> [Int: [(slot: Int, room: String?)]] {
        func problem(_ entity: String, _ message: String) { problems.append(InputProblem(file: file, entity: entity, message: message)) }
        var lessonIndex: [String: Int] = [:]
        for i in mapped.lessons.indices { lessonIndex[lessonId(i)] = i }
        var placed: [Int: [(slot: Int, room: String?)]] = [:]
        // Sessions per lesson, those with a problem of their own too, so that they are not also called unplaced.
        var count: [Int: Int] = [:]
        for (n, s) in timetable.sessions.enumerated() {
            let entity = "sessions[\(n)]"
            guard let id = s.lesson else { problem(entity, "is not a class lesson; a timetable of a FET import has only lessons"); continue }
            guard let i = lessonIndex[id] else { problem(entity, "lesson `\(id)` is not in \(original)"); continue }
            count[i, default: 0] += 1
            guard let day = Weekday(rawValue: s.day), day.ordinal < days.count else {
                problem(entity, "day `\(s.day)` has no FET name: \(original) has \(days.count) day(s)"); continue
            }
            guard let h = mapper.blockIds.firstIndex(of: s.block), h < hours.count else {
                problem(entity, "block `\(s.block)` has no FET name: \(original) has \(hours.count) hour(s), blocks h1..h\(hours.count)"); continue
            }
            var room: String?
            if let r = s.room {
                guard let name = roomNames[r] else { problem(entity, "room `\(r)` is not a (real) room of \(original)"); continue }
                room = name
            }
            placed[i, default: []].append((day.ordinal * hours.count + h, room))
        }
        var unplaced: [String] = []
        for (i, groups) in mapper.sessionsOf.enumerated() {
            let n = count[i] ?? 0
            if n < groups.count {
                unplaced.append("\(lessonId(i)) (\(mapped.lessons[i].title); \(activityList(i)): \(n) of \(groups.count) placed)")
            } else if n > groups.count {
                problem("lesson \(lessonId(i))", "has \(n) sessions, but \(activityList(i)) are only \(groups.count)")
            }
        }
        if !unplaced.isEmpty {
            let listed = unplaced.prefix(20).joined(separator: ", ") + (unplaced.count > 20 ? " and \(unplaced.count - 20) more" : "")
            problem("unplaced", "\(unplaced.count) lesson(s) are not fully placed: \(listed). FET would place those "
                    + "activities itself, so the locked file would prove nothing; solve again (a longer --time-limit) until every lesson is placed")
        }
        let empty = activeActivities.keys.filter { mapper.lessonOf[$0] == nil }.sorted()
        if !empty.isEmpty {
            // It binds no teacher and no class, so FET places it anywhere; the rest is still verified.
            unlocked.append("Activity \(empty.map(String.init).joined(separator: ", ")): active, with neither teachers nor students, "
                            + "so the scenario has no lesson for it; left unlocked for FET to place")
        }
        for i in placed.keys { placed[i]!.sort { $0.slot < $1.slot } }
        return placed
    }

    /// One lock per active activity. The sessions of a split lesson go to its sub-activities in week
    /// order, except where a sub-activity's own hard start constraints need another session: a bipartite
    /// matching (augmenting paths; a lesson has at most a handful of sessions).
    /// Activities FET starts together (merged into one lesson, `mergeSameStarts`) take one session
    /// together, and its room goes to the one of them with a room constraint.
    func locks(_ placed: [Int: [(slot: Int, room: String?)]]) -> ([FETLock], [String]) {
        let split = Set(mapper.sessionsOf.filter { $0.count > 1 }.flatMap { $0.joined() })
        let constraints = FETStartConstraints(root: root, days: days, hours: hours,
                                              activities: activeActivities.filter { split.contains($0.key) })
        var locks: [FETLock] = []
        var warnings: [String] = []
        for (i, groups) in mapper.sessionsOf.enumerated() {
            let sessions = placed[i] ?? []
            let ids = groups.map { $0[0] }
            let allowed = groups.map { group -> Set<Int>? in
                let sets = group.compactMap { constraints.allowed[$0] }
                return sets.isEmpty ? nil : sets.dropFirst().reduce(sets[0]) { $0.intersection($1) }
            }
            let (match, unmatched) = matchSessions(sessions.map(\.slot), allowed: allowed)
            for k in unmatched {
                let at = sessions.map { "\(days[$0.slot / hours.count]) \(hours[$0.slot % hours.count])" }.joined(separator: ", ")
                warnings.append("FET activity \(ids[k]) of lesson \(lessonId(i)): no session of the lesson (\(at)) meets its own hard start constraints "
                                + "(\(constraints.sources[ids[k]]?.joined(separator: ", ") ?? "")); FET will reject the locked file")
            }
            for (k, group) in groups.enumerated() {
                let s = sessions[match[k]]
                for id in group {
                    let room = group.count == 1 || mapper.activitiesWithRooms.contains(id) ? s.room : nil
                    locks.append(FETLock(activity: id, day: days[s.slot / hours.count], hour: hours[s.slot % hours.count], room: room))
                }
            }
        }
        return (locks.sorted { $0.activity < $1.activity }, warnings)
    }
}

/// Sessions (their start slots) to activities (their allowed starts, nil for any), one each. Activity
/// `k` gets the session `result[k]`; activities no allowed session is left for are listed in `unmatched`
/// and take the sessions that remain, in order, so every activity is still locked somewhere. Without
/// constraints activity k gets session k: sub-activities follow the week in id order.
func matchSessions(_ starts: [Int], allowed: [Set<Int>?]) -> (result: [Int], unmatched: [Int]) {
    var owner = [Int?](repeating: nil, count: starts.count)
    func fits(_ k: Int, _ s: Int) -> Bool { allowed[k]?.contains(starts[s]) ?? true }
    func augment(_ k: Int, _ seen: inout [Bool]) -> Bool {
        // A free session first, so that nobody is moved without need and week order holds where it can.
        if let s = starts.indices.first(where: { owner[$0] == nil && fits(k, $0) }) { owner[s] = k; return true }
        for s in starts.indices where !seen[s] && fits(k, s) {
            seen[s] = true
            if owner[s] == nil || augment(owner[s]!, &seen) { owner[s] = k; return true }
        }
        return false
    }
    var unmatched: [Int] = []
    for k in allowed.indices {
        var seen = [Bool](repeating: false, count: starts.count)
        if !augment(k, &seen) { unmatched.append(k) }
    }
    var result = [Int](repeating: 0, count: allowed.count)
    for (s, k) in owner.enumerated() { if let k { result[k] = s } }
    var free = starts.indices.filter { owner[$0] == nil }
    for k in unmatched { result[k] = free.removeFirst() }
    return (result, unmatched)
}

/// The original's active 100 % locks, as `id|day|hour` and `id|room`: what FET would take a new lock
/// for a duplicate of (it compares activity, day, hour or room, weight and active, not the rest).
private func existingLocks(_ root: FETElement) -> (times: Set<String>, rooms: Set<String>) {
    func hard(_ c: FETElement) -> Bool { c.isActive && Double(c.value("Weight_Percentage") ?? "") == 100 }
    let times = (root.child("Time_Constraints_List")?.children("ConstraintActivityPreferredStartingTime") ?? []).filter(hard)
        .map { "\($0.value("Activity_Id") ?? "")|\($0.value("Preferred_Day") ?? "")|\($0.value("Preferred_Hour") ?? "")" }
    let rooms = (root.child("Space_Constraints_List")?.children("ConstraintActivityPreferredRoom") ?? []).filter(hard)
        .map { "\($0.value("Activity_Id") ?? "")|\($0.value("Room") ?? "")" }
    return (Set(times), Set(rooms))
}

/// FET's escaping of names in its XML (`protect` in FET's sources).
func fetEscaped(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&apos;")
        .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
}

/// FET 6.8.5's own layout of the element (as in its `*_data_and_timetable.fet`), locked for good.
private func timeLockXML(_ lock: FETLock, _ nl: String) -> String {
    lockXML("ConstraintActivityPreferredStartingTime",
            [("Activity_Id", "\(lock.activity)"), ("Preferred_Day", lock.day), ("Preferred_Hour", lock.hour)], nl)
}

private func roomLockXML(_ lock: FETLock, _ nl: String) -> String {
    lockXML("ConstraintActivityPreferredRoom", [("Activity_Id", "\(lock.activity)"), ("Room", lock.room ?? "")], nl)
}

private func lockXML(_ name: String, _ fields: [(String, String)], _ nl: String) -> String {
    let rows = [("Weight_Percentage", "100")] + fields
        + [("Permanently_Locked", "true"), ("Active", "true"), ("Comments", "Locked by flexsched export fet")]
    return "<\(name)>\(nl)" + rows.map { "\t<\($0.0)>\(fetEscaped($0.1))</\($0.0)>\(nl)" }.joined() + "</\(name)>\(nl)"
}

/// Puts `xml` just before the list's closing tag, so everything else in the file stays as it was; a
/// list written empty (`<X/>`) or left out is written out in full.
private func insert(_ xml: String, list: String, into text: inout String, newline: String) {
    guard !xml.isEmpty else { return }
    if let close = text.range(of: "</\(list)>", options: .backwards) {
        // At the start of the closing tag's line when only whitespace precedes it, so the new elements start on a line of their own.
        var at = close.lowerBound
        let lineStart = text[..<at].lastIndex(where: \.isNewline).map { text.index(after: $0) } ?? text.startIndex
        if text[lineStart..<at].allSatisfy({ $0 == " " || $0 == "\t" }) { at = lineStart } else {
            text.insert(contentsOf: newline, at: at); at = text.range(of: "</\(list)>", options: .backwards)!.lowerBound
        }
        text.insert(contentsOf: xml, at: at)
    } else if let empty = text.range(of: "<\(list)\\s*/>", options: .regularExpression) {
        text.replaceSubrange(empty, with: "<\(list)>\(newline)\(xml)</\(list)>")
    } else if let end = text.range(of: "</fet>", options: .backwards) {
        text.insert(contentsOf: "<\(list)>\(newline)\(xml)</\(list)>\(newline)", at: end.lowerBound)
    }
}
