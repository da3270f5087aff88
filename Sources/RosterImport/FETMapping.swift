import Foundation
import ScenarioKit

/// A FET file as a scenario v1.2, with what could not be carried over.
public struct FETImport: Sendable {
    public var text: String
    public var scenario: ValidatedScenario
    /// Constraints with no scenario equivalent (at their weight), by label, with how many.
    public var unsupported: [(label: String, count: Int)]
    /// Items skipped for a reason the admin should know (an activity with neither teacher nor students).
    public var warnings: [InputProblem]
}

/// `flexsched import fet`: FET's days, hours, teachers, rooms, student sets and activities become a
/// week of class lessons; each constraint with a scenario equivalent becomes its key. Nothing is
/// returned unless the result reads back and validates.
public func importFET(path: String, outputFile: String) throws(InputError) -> FETImport {
    let root = try FETFile.read(path: path)
    var mapper = FETMapper(file: path)
    let scenario = mapper.map(root)
    guard mapper.problems.isEmpty, let scenario else { throw InputError(mapper.problems) }
    var header = ["# Imported by `flexsched import fet` from \(URL(fileURLWithPath: path).lastPathComponent); edit the FET file and import again rather than this file.",
                  "# FET hours have no clock times: blocks h1..h\(scenario.blocks.count) are consecutive 45-minute blocks from 08:00.",
                  "# FET's days become \(scenario.days.map(\.rawValue).joined(separator: ", ")) in order; lesson ids are `a` and the FET id of the lesson's first activity."]
    if !mapper.unsupported.isEmpty {
        header.append("# Not carried over (no scenario equivalent at their weight):")
        header += mapper.unsupportedList.map { "#   \($0.label): \($0.count)" }
    }
    let text = header.joined(separator: "\n") + "\n" + scenario.yamlText()
    do {
        let validated = try ScenarioLoader.parse(text, file: outputFile)
        return FETImport(text: text, scenario: validated, unsupported: mapper.unsupportedList, warnings: mapper.warnings)
    } catch {
        throw InputError(error.problems.map { problem in
            var p = problem
            p.message += " (in the scenario imported from \(path))"
            return p
        })
    }
}

struct FETMapper {
    let file: String
    var problems: [InputProblem] = []
    var warnings: [InputProblem] = []
    var unsupported: [String: Int] = [:]

    var dayIds: [String: Weekday] = [:]
    var hourIds: [String: Int] = [:]
    var blockIds: [String] = []
    var teacherIds: [String: String] = [:]
    var idleTeachers: Set<String> = []
    var roomIds: [String: String] = [:]
    var classIds: [String: String] = [:]
    /// FET activity id -> index of its lesson.
    var lessonOf: [Int: Int] = [:]
    /// Activities of each lesson, in id order.
    var activitiesOf: [[Int]] = []

    init(file: String) { self.file = file }

    var unsupportedList: [(label: String, count: Int)] {
        unsupported.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    mutating func problem(_ element: FETElement?, _ entity: String, _ message: String) {
        problems.append(InputProblem(file: file, line: element?.line, entity: entity, message: message))
    }

    static func id(_ name: String) -> String { OneRoster.safeId(name) }

    mutating func map(_ root: FETElement) -> Scenario? {
        let days = root.child("Days_List")?.children("Day").compactMap { $0.value("Name") } ?? []
        if days.isEmpty || days.count > Weekday.allCases.count {
            problem(root.child("Days_List") ?? root, "Days_List", "FET's \(days.count) days cannot be a week of 1 to 7 days")
        }
        for (name, day) in zip(days, Weekday.allCases) { dayIds[name] = day }
        let hours = root.child("Hours_List")?.children("Hour").compactMap { $0.value("Name") } ?? []
        // 45-minute blocks from 08:00 must end by midnight.
        if hours.isEmpty || hours.count > 21 {
            problem(root.child("Hours_List") ?? root, "Hours_List", "FET's \(hours.count) hours cannot be 1 to 21 blocks of 45 minutes from 08:00")
        }
        let blocks = hours.prefix(21).enumerated().map { i, _ in
            Block(id: "h\(i + 1)", start: ClockTime(minutes: 8 * 60 + 45 * i), end: ClockTime(minutes: 8 * 60 + 45 * (i + 1)))
        }
        for (i, name) in hours.enumerated() where i < 21 { hourIds[name] = i }
        blockIds = blocks.map(\.id)

        var teachers: [Teacher] = []
        for t in root.child("Teachers_List")?.children("Teacher") ?? [] {
            guard let name = t.value("Name") else { continue }
            teacherIds[name] = Self.id(name)
            teachers.append(Teacher(id: Self.id(name), name: name, subjects: []))
        }
        var rooms: [Room] = []
        for r in root.child("Rooms_List")?.children("Room") ?? [] {
            guard let name = r.value("Name") else { continue }
            if r.value("Virtual") == "true" { unsupported["Room (virtual)", default: 0] += 1; continue }
            let capacity = min(10_000, max(1, Int(r.value("Capacity") ?? "") ?? 10_000))
            roomIds[name] = Self.id(name)
            rooms.append(Room(id: Self.id(name), name: name, capacity: capacity))
        }
        var classes = readStudents(root.child("Students_List"))
        var lessons = readActivities(root.child("Activities_List"), teachers: &teachers)
        // A teacher with no active activity has nothing to place: left out, with her constraints.
        idleTeachers = Set(teachers.filter(\.subjects.isEmpty).map(\.name))
        teachers.removeAll { $0.subjects.isEmpty }

        var context = ConstraintContext(teachers: teachers, rooms: rooms, classes: classes, lessons: lessons)
        for list in ["Time_Constraints_List", "Space_Constraints_List"] {
            for c in root.child(list)?.children ?? [] where c.isActive { apply(c, &context) }
        }
        teachers = context.teachers; rooms = context.rooms; classes = context.classes; lessons = context.lessons
        // A FET activity takes a room only when a space constraint gives it one; a lesson's sessions share
        // their rooms, so its parts must agree.
        for (i, sets) in context.roomSets {
            if sets.count == activitiesOf[i].count, Set(sets.map { Set($0) }).count == 1 {
                lessons[i].rooms = sets[0]
            } else {
                unsupported["ActivityPreferredRoom(s) on some parts of a split activity only, or differing between them", default: 0] += 1
            }
        }
        for i in lessons.indices where lessons[i].rooms.isEmpty { lessons[i].needsRoom = false }
        guard problems.isEmpty else { return nil }
        let name = root.value("Institution_Name").flatMap { $0.isEmpty ? nil : $0 } ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        return Scenario(name: name, timezone: "UTC", days: Array(Weekday.allCases.prefix(days.count)), blocks: blocks, modalities: [],
                        teachers: teachers, rooms: rooms, students: [], classes: classes, lessons: lessons)
    }

    /// Year > Group > Subgroup as nested classes. FET names a set once however often it appears: a
    /// subgroup under several groups is one class, a part of each.
    mutating func readStudents(_ list: FETElement?) -> [SchoolClass] {
        var classes: [SchoolClass] = []
        var index: [String: Int] = [:]
        func add(_ element: FETElement, childName: String?) -> String? {
            guard let name = element.value("Name") else { return nil }
            let id = Self.id(name)
            let size = Int(element.value("Number_of_Students") ?? "") ?? 0
            if index[name] == nil {
                index[name] = classes.count
                classIds[name] = id
                classes.append(SchoolClass(id: id, name: name, size: size > 0 ? min(size, 100_000) : nil))
            }
            if let childName {
                let nextName = childName == "Group" ? "Subgroup" : nil
                for child in element.children(childName) {
                    if let part = add(child, childName: nextName), !classes[index[name]!].parts.contains(part) {
                        classes[index[name]!].parts.append(part)
                    }
                }
            }
            return id
        }
        for year in list?.children("Year") ?? [] { _ = add(year, childName: "Group") }
        // FET leaves a set's size 0 when unknown; a class needs a size (or parts) for its rooms.
        for i in classes.indices where classes[i].size == nil && classes[i].parts.isEmpty { classes[i].size = 1 }
        return classes
    }

    /// Activities as lessons: the sub-activities of a split activity (one `Activity_Group_Id`) with one
    /// duration are one lesson with that many `sessions`.
    mutating func readActivities(_ list: FETElement?, teachers: inout [Teacher]) -> [Lesson] {
        var lessons: [Lesson] = []
        var key: [String: Int] = [:]
        for a in list?.children("Activity") ?? [] where a.isActive {
            guard let id = Int(a.value("Id") ?? "") else { problem(a, "Activity", "has no numeric <Id>"); continue }
            let teacherNames = a.values("Teacher"), sets = a.values("Students")
            if teacherNames.isEmpty && sets.isEmpty {
                warnings.append(InputProblem(file: file, line: a.line, entity: "Activity \(id)", message: "has neither teachers nor students; skipped"))
                continue
            }
            let group = Int(a.value("Activity_Group_Id") ?? "0") ?? 0
            let duration = Int(a.value("Duration") ?? "1") ?? 1
            let subjectName = a.value("Subject") ?? "none"
            let subject = Self.id(subjectName)
            var lessonTeachers: [String] = []
            for t in teacherNames {
                guard let tid = teacherIds[t] else { problem(a, "Activity \(id)", "teacher `\(t)` is not in Teachers_List"); continue }
                if !lessonTeachers.contains(tid) { lessonTeachers.append(tid) }
                if let k = teachers.firstIndex(where: { $0.id == tid }), !teachers[k].subjects.contains(subject) { teachers[k].subjects.append(subject) }
            }
            var lessonClasses: [String] = []
            for s in sets {
                guard let cid = classIds[s] else { problem(a, "Activity \(id)", "students `\(s)` are not in Students_List"); continue }
                if !lessonClasses.contains(cid) { lessonClasses.append(cid) }
            }
            let k = group == 0 ? "single \(id)" : "group \(group) length \(duration)"
            if let i = key[k] {
                lessons[i].sessions += 1
                lessonOf[id] = i; activitiesOf[i].append(id)
            } else {
                key[k] = lessons.count
                lessonOf[id] = lessons.count; activitiesOf.append([id])
                lessons.append(Lesson(id: "a\(id)", title: ([subjectName] + sets).joined(separator: " "), subject: subject, teachers: lessonTeachers,
                                      classes: lessonClasses, sessions: 1, length: duration, minDaysApart: 0))
            }
        }
        return lessons
    }
}

/// What constraints change, gathered in one place so each constraint is one small function.
struct ConstraintContext {
    var teachers: [Teacher]
    var rooms: [Room]
    var classes: [SchoolClass]
    var lessons: [Lesson]
    /// Activities' preferred rooms, by lesson, so parts of one lesson that disagree are found.
    var roomSets: [Int: [[String]]] = [:]
}

extension FETMapper {
    mutating func unsupportedAt(_ type: String, _ weight: Double) {
        unsupported["\(type) at \(weight >= 100 ? "100 %" : "weight below 100 %")", default: 0] += 1
    }

    /// One slot of a `<Day>`/`<Hour>` pair, or a problem naming what is unknown.
    mutating func slot(_ c: FETElement, day: String?, hour: String?) -> SlotRef? {
        guard let day, let weekday = dayIds[day] else { problem(c, c.name, "day `\(day ?? "")` is not in Days_List"); return nil }
        guard let hour, let h = hourIds[hour] else { problem(c, c.name, "hour `\(hour ?? "")` is not in Hours_List"); return nil }
        return .block(weekday, blockIds[h])
    }

    mutating func slots(_ c: FETElement, _ container: String, day: String, hour: String) -> [SlotRef] {
        c.children(container).compactMap { slot(c, day: $0.value(day), hour: $0.value(hour)) }
    }

    mutating func lessonIndex(_ c: FETElement) -> Int? {
        guard let id = Int(c.value("Activity_Id") ?? "") else { problem(c, c.name, "has no numeric <Activity_Id>"); return nil }
        // A constraint on an inactive (skipped) activity goes with it.
        return lessonOf[id]
    }

    mutating func apply(_ c: FETElement, _ x: inout ConstraintContext) {
        let type = c.name.hasPrefix("Constraint") ? String(c.name.dropFirst("Constraint".count)) : c.name
        let weight = Double(c.value("Weight_Percentage") ?? "100") ?? 100
        let hard = weight >= 100
        switch type {
        case "BasicCompulsoryTime", "BasicCompulsorySpace":
            return
        case "TeacherNotAvailableTimes" where hard:
            let found = slots(c, "Not_Available_Time", day: "Day", hour: "Hour")
            if let name = c.value("Teacher"), idleTeachers.contains(name) { return }
            guard let name = c.value("Teacher"), let i = x.teachers.firstIndex(where: { $0.id == teacherIds[name] }) else {
                return problem(c, c.name, "teacher `\(c.value("Teacher") ?? "")` is not in Teachers_List")
            }
            x.teachers[i].unavailable += found.filter { !x.teachers[i].unavailable.contains($0) }
        case "StudentsSetNotAvailableTimes" where hard:
            let found = slots(c, "Not_Available_Time", day: "Day", hour: "Hour")
            guard let name = c.value("Students"), let i = x.classes.firstIndex(where: { $0.id == classIds[name] }) else {
                return problem(c, c.name, "students `\(c.value("Students") ?? "")` are not in Students_List")
            }
            x.classes[i].unavailable += found.filter { !x.classes[i].unavailable.contains($0) }
        case "RoomNotAvailableTimes" where hard:
            let found = slots(c, "Not_Available_Time", day: "Day", hour: "Hour")
            guard let name = c.value("Room"), let i = x.rooms.firstIndex(where: { $0.id == roomIds[name] }) else {
                return problem(c, c.name, "room `\(c.value("Room") ?? "")` is not in Rooms_List (or is virtual)")
            }
            x.rooms[i].unavailable += found.filter { !x.rooms[i].unavailable.contains($0) }
        case "BreakTimes" where hard:
            // No activity at all then: every teacher, and every class at the top (which binds its parts).
            let found = slots(c, "Break_Time", day: "Day", hour: "Hour")
            let parts = Set(x.classes.flatMap(\.parts))
            for i in x.teachers.indices { x.teachers[i].unavailable += found.filter { !x.teachers[i].unavailable.contains($0) } }
            for i in x.classes.indices where !parts.contains(x.classes[i].id) {
                x.classes[i].unavailable += found.filter { !x.classes[i].unavailable.contains($0) }
            }
        case "MinDaysBetweenActivities" where hard:
            let ids = c.values("Activity_Id").compactMap { Int($0) }
            let minDays = Int(c.value("MinDays") ?? "") ?? 1
            let lessonSet = Set(ids.compactMap { lessonOf[$0] })
            guard !lessonSet.isEmpty else { return }
            guard lessonSet.count == 1, let i = lessonSet.first, Set(activitiesOf[i]) == Set(ids.filter { lessonOf[$0] != nil }) else {
                unsupported["MinDaysBetweenActivities over activities that are not one lesson's parts", default: 0] += 1
                return
            }
            x.lessons[i].minDaysApart = max(x.lessons[i].minDaysApart, min(minDays, 6))
        case "ActivityPreferredStartingTime":
            guard let i = lessonIndex(c) else { return }
            let day = c.value("Preferred_Day"), hour = c.value("Preferred_Hour")
            if hard {
                guard day != nil, hour != nil else { return unsupported["ActivityPreferredStartingTime with only a day or an hour, at 100 %", default: 0] += 1 }
                if let s = slot(c, day: day, hour: hour) { x.lessons[i].at.append(s) }
            } else {
                x.lessons[i].prefer += startSlots(c, days: day.map { [$0] }, hours: hour.map { [$0] }).filter { !x.lessons[i].prefer.contains($0) }
            }
        case "ActivityPreferredStartingTimes" where !hard, "ActivityPreferredTimeSlots" where !hard:
            guard let i = lessonIndex(c) else { return }
            let starts = type == "ActivityPreferredStartingTimes"
            var found = starts ? slots(c, "Preferred_Starting_Time", day: "Preferred_Starting_Day", hour: "Preferred_Starting_Hour")
                               : slots(c, "Preferred_Time_Slot", day: "Preferred_Day", hour: "Preferred_Hour")
            if !starts {
                // Every hour it fills must be allowed: keep the starts whose whole run is.
                let length = x.lessons[i].length
                found = found.filter { s in
                    guard case .block(let d, let b) = s, let h = blockIds.firstIndex(of: b) else { return false }
                    return (0..<length).allSatisfy { h + $0 < blockIds.count && found.contains(.block(d, blockIds[h + $0])) }
                }
            }
            x.lessons[i].prefer += found.filter { !x.lessons[i].prefer.contains($0) }
        case "TeacherMaxHoursDaily" where hard, "TeachersMaxHoursDaily" where hard:
            guard let limit = Int(c.value("Maximum_Hours_Daily") ?? ""), limit >= 1 else { return problem(c, c.name, "has no <Maximum_Hours_Daily> of 1 or more") }
            var targets = Array(x.teachers.indices)
            if type == "TeacherMaxHoursDaily" {
                if let name = c.value("Teacher_Name"), idleTeachers.contains(name) { return }
                guard let name = c.value("Teacher_Name"), let i = x.teachers.firstIndex(where: { $0.id == teacherIds[name] }) else {
                    return problem(c, c.name, "teacher `\(c.value("Teacher_Name") ?? "")` is not in Teachers_List")
                }
                targets = [i]
            }
            for i in targets { x.teachers[i].maxPerDay = min(x.teachers[i].maxPerDay ?? 100, min(limit, 100)) }
        case "ActivityPreferredRoom" where hard, "ActivityPreferredRooms" where hard:
            guard let i = lessonIndex(c) else { return }
            let names = type == "ActivityPreferredRoom" ? c.values("Room") : c.values("Preferred_Room")
            var ids: [String] = []
            for n in names {
                guard let r = roomIds[n] else { problem(c, c.name, "room `\(n)` is not in Rooms_List (or is virtual)"); continue }
                ids.append(r)
            }
            x.roomSets[i, default: []].append(ids)
        default:
            let supportedTypes: Set<String> = ["TeacherNotAvailableTimes", "StudentsSetNotAvailableTimes", "RoomNotAvailableTimes", "BreakTimes",
                                               "MinDaysBetweenActivities", "ActivityPreferredStartingTimes", "ActivityPreferredTimeSlots",
                                               "TeacherMaxHoursDaily", "TeachersMaxHoursDaily", "ActivityPreferredRoom", "ActivityPreferredRooms"]
            if supportedTypes.contains(type) { unsupportedAt(type, weight) } else { unsupported[type, default: 0] += 1 }
        }
    }

    /// Starts on the given days and hours (nil: every one).
    func startSlots(_ c: FETElement, days: [String]?, hours: [String]?) -> [SlotRef] {
        let ds = (days ?? Array(dayIds.keys)).compactMap { dayIds[$0] }.sorted { $0.ordinal < $1.ordinal }
        let hs = (hours ?? Array(hourIds.keys)).compactMap { hourIds[$0] }.sorted()
        if hours == nil { return ds.map { .day($0) } }
        return ds.flatMap { d in hs.map { .block(d, blockIds[$0]) } }
    }
}
