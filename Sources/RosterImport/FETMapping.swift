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
    /// FET's virtual rooms (several real rooms at once), which a lesson cannot take.
    var virtualRooms: Set<String> = []
    var classIds: [String: String] = [:]
    /// FET activity id -> index of its lesson.
    var lessonOf: [Int: Int] = [:]
    /// Activities of each lesson, in id order.
    var activitiesOf: [[Int]] = []
    /// Each active activity as FET gives it, for the constraints that select activities by
    /// teacher, students, subject, tag or duration.
    var activities: [Int: FETActivity] = [:]
    /// After merging lessons that start together: per lesson, per session, the activities that
    /// session stands for (one, or one from each lesson merged into it).
    var sessionsOf: [[[Int]]] = []
    /// Activities a room constraint gives a room (the others take none in FET).
    var activitiesWithRooms: Set<Int> = []

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
            if r.value("Virtual") == "true" { unsupported["Room (virtual)", default: 0] += 1; virtualRooms.insert(name); continue }
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
        foldActivityConstraints(&context)
        mergeSameStarts(&context)
        teachers = context.teachers; rooms = context.rooms; classes = context.classes; lessons = context.lessons
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
            activities[id] = FETActivity(id: id, teachers: teacherNames, students: sets, subject: subjectName,
                                         tags: a.values("Activity_Tag"), duration: duration)
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

/// An active FET activity as its file gives it.
struct FETActivity: Sendable {
    var id: Int
    var teachers: [String]
    var students: [String]
    var subject: String
    var tags: [String]
    var duration: Int
}
