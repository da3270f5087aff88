/// Change file v1: a staffing or enrolment change applied on top of a scenario (what-if runs,
/// next week's roll-forward). Every key is optional.
public struct ScenarioChange: Sendable, Hashable {
    public enum RoomClosure: Sendable, Hashable {
        case all
        case slots([SlotRef])
    }

    public struct NeedChange: Sendable, Hashable {
        public var student: String
        public var need: Need
        public init(student: String, need: Need) { self.student = student; self.need = need }
    }

    /// A short name for reports and output folders (the file name without extension).
    public var name: String
    public var file: String
    public var teachersLeave: [String] = []
    public var teachersUnavailable: [(String, [SlotRef])] = []
    public var teachersJoin: [Teacher] = []
    public var roomsClose: [(String, RoomClosure)] = []
    public var studentsLeave: [String] = []
    public var studentsJoin: [Student] = []
    public var needsChange: [NeedChange] = []

    public init(name: String, file: String = "<change>") { self.name = name; self.file = file }

    public static func == (lhs: ScenarioChange, rhs: ScenarioChange) -> Bool { lhs.file == rhs.file && lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(file); hasher.combine(name) }

    static let keys = ["teachers-leave", "teachers-unavailable", "teachers-join", "rooms-close", "students-leave",
                       "students-join", "needs-change"]

    public static func load(path: String) throws(InputError) -> ScenarioChange {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        let name = base.split(separator: ".").dropLast().joined(separator: ".")
        return try parse(try readTextFile(path), file: path, name: name.isEmpty ? base : name)
    }

    public static func parse(_ text: String, file: String, name: String) throws(InputError) -> ScenarioChange {
        var change = ScenarioChange(name: name, file: file)
        // A change file with nothing in it (or only comments) changes nothing.
        guard let root = try YAMLValue.parseIfPresent(text, file: file) else { return change }
        let p = ProblemLog(), lines = LineLog()
        guard let f = root.fields(keys, p) else { throw InputError(p.problems) }
        func ids(_ key: String) -> [String] { f[key].flatMap { $0.isNull ? [] : $0.stringList(p) } ?? [] }
        change.teachersLeave = ids("teachers-leave")
        change.studentsLeave = ids("students-leave")
        if let v = f["teachers-unavailable"], !v.isNull, let entries = v.mapping(p) {
            change.teachersUnavailable = entries.compactMap { key, value in
                ScenarioLoader.readSlotRefs(value, p).map { (key, $0) }
            }
        }
        if let v = f["rooms-close"], !v.isNull, let entries = v.mapping(p) {
            change.roomsClose = entries.compactMap { key, value in
                if case .scalar = value.node, value.string(p) == "all" { return (key, .all) }
                guard let refs = ScenarioLoader.readSlotRefs(value, p) else { return nil }
                return (key, refs.isEmpty ? .all : .slots(refs))
            }
        }
        if let v = f["teachers-join"], !v.isNull {
            change.teachersJoin = ScenarioLoader.readList(v, p) { ScenarioLoader.readTeacher($0, p, lines) } ?? []
        }
        if let v = f["students-join"], !v.isNull {
            change.studentsJoin = ScenarioLoader.readList(v, p) { ScenarioLoader.readStudent($0, p, lines) } ?? []
        }
        if let v = f["needs-change"], !v.isNull {
            change.needsChange = ScenarioLoader.readList(v, p) { item -> NeedChange? in
                guard let nf = item.fields(["student", "subject", "modality", "sessions"], p) else { return nil }
                func text(_ key: String) -> String? {
                    guard let field = nf[key] else { p.append(item.problem("missing `\(key)`")); return nil }
                    return field.string(p)
                }
                let student = text("student"), subject = text("subject"), modality = text("modality")
                guard let sessionsField = nf["sessions"] else {
                    p.append(item.problem("missing `sessions` (the new weekly count; 0 removes the need)"))
                    return nil
                }
                guard let sessions = sessionsField.int(p, range: 0...100), let student, let subject, let modality else { return nil }
                return NeedChange(student: student, need: Need(subject: subject, modality: modality, sessions: sessions))
            } ?? []
        }
        if !p.isEmpty { throw InputError(p.problems) }
        return change
    }

    /// The changed scenario. Unknown ids and contradictions (a teacher who both leaves and gets new
    /// hours, a joiner whose id is taken) are errors; needs nobody can serve any more are not, they
    /// become unmet needs with a reason.
    public func apply(to validated: ValidatedScenario) throws(InputError) -> ValidatedScenario {
        let scenario = validated.scenario
        var problems: [InputProblem] = []
        func fail(_ entity: String, _ message: String) {
            problems.append(InputProblem(file: file, entity: entity, message: message))
        }
        var result = scenario
        let teacherIds = Set(scenario.teachers.map(\.id)), studentIds = Set(scenario.students.map(\.id))
        let roomIds = Set(scenario.rooms.map(\.id))
        // Sets, not the lists: a roll-forward can drop hundreds of students from a school of thousands.
        let leavingTeachers = Set(teachersLeave), leavingStudents = Set(studentsLeave)

        for id in teachersLeave where !teacherIds.contains(id) { fail("teachers-leave", "no teacher has the id `\(id)`") }
        for (id, refs) in teachersUnavailable {
            if !teacherIds.contains(id) { fail("teachers-unavailable.\(id)", "no teacher has the id `\(id)`"); continue }
            if leavingTeachers.contains(id) { fail("teachers-unavailable.\(id)", "`\(id)` also leaves; give one or the other") }
            if let i = result.teachers.firstIndex(where: { $0.id == id }) { result.teachers[i].unavailable += refs }
        }
        result.teachers.removeAll { leavingTeachers.contains($0.id) }
        for teacher in teachersJoin {
            if teacherIds.contains(teacher.id) && !leavingTeachers.contains(teacher.id) {
                fail("teachers-join[\(teacher.id)]", "a teacher with the id `\(teacher.id)` is already in the scenario")
            }
            result.teachers.append(teacher)
        }
        for (id, closure) in roomsClose {
            guard let i = result.rooms.firstIndex(where: { $0.id == id }), roomIds.contains(id) else {
                fail("rooms-close.\(id)", "no room has the id `\(id)`")
                continue
            }
            switch closure {
            case .all: result.rooms[i].unavailable += scenario.days.map { .day($0) }
            case .slots(let refs): result.rooms[i].unavailable += refs
            }
        }
        for id in studentsLeave where !studentIds.contains(id) { fail("students-leave", "no student has the id `\(id)`") }
        result.students.removeAll { leavingStudents.contains($0.id) }
        for student in studentsJoin {
            if studentIds.contains(student.id) && !leavingStudents.contains(student.id) {
                fail("students-join[\(student.id)]", "a student with the id `\(student.id)` is already in the scenario")
            }
            result.students.append(student)
        }
        let studentIndex = Dictionary(result.students.indices.map { (result.students[$0].id, $0) }, uniquingKeysWith: { first, _ in first })
        for change in needsChange {
            let entity = "needs-change[\(change.student)/\(change.need.subject)/\(change.need.modality)]"
            if leavingStudents.contains(change.student) { fail(entity, "`\(change.student)` also leaves; drop one of the two"); continue }
            guard let i = studentIndex[change.student] else {
                fail(entity, "no student has the id `\(change.student)`")
                continue
            }
            let existing = result.students[i].needs.firstIndex {
                $0.subject == change.need.subject && $0.modality == change.need.modality
            }
            switch (existing, change.need.sessions) {
            case (let n?, 0): result.students[i].needs.remove(at: n)
            case (let n?, _): result.students[i].needs[n].sessions = change.need.sessions
            case (nil, 0): fail(entity, "\(change.student) has no \(change.need.subject) \(change.need.modality) need to remove")
            case (nil, _): result.students[i].needs.append(change.need)
            }
        }
        if !problems.isEmpty { throw InputError(problems) }
        do {
            return try result.validated(file: file, requireServiceable: false)
        } catch {
            throw InputError(error.problems.map { InputProblem(file: file, entity: $0.entity, message: "after the change: \($0.message)") })
        }
    }
}
