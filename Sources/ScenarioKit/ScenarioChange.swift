/// Change file v1.2: a staffing, enrolment or timetable change applied on top of a scenario (what-if
/// runs, next week's roll-forward). Every key is optional.
public struct ScenarioChange: Sendable, Hashable {
    public enum RoomClosure: Sendable, Hashable {
        case all
        case slots([SlotRef])
    }

    /// Who may lead a need's sessions after the change.
    public enum RequestedTeacher: Sendable, Hashable {
        case teacher(String)
        /// The request is lifted: any teacher of the subject may lead them.
        case anyone
    }

    /// One need of one student; each field left nil stays as it was.
    public struct NeedChange: Sendable, Hashable {
        public var student: String
        public var subject: String
        public var modality: String
        /// The new weekly count; 0 removes the need. Required when the need is new.
        public var sessions: Int?
        public var priority: Priority?
        public var teacher: RequestedTeacher?
        public init(student: String, subject: String, modality: String, sessions: Int? = nil, priority: Priority? = nil,
                    teacher: RequestedTeacher? = nil) {
            self.student = student; self.subject = subject; self.modality = modality
            self.sessions = sessions; self.priority = priority; self.teacher = teacher
        }
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
    public var fixedRemove: [String] = []
    public var fixedAdd: [FixedSession] = []
    /// v1.2 (`LessonChanges.swift`): lessons pinned anew (`[]` unpins), classes away, lessons removed and added.
    public var lessonsPin: [(String, [SlotRef])] = []
    public var classesUnavailable: [(String, [SlotRef])] = []
    public var lessonsRemove: [String] = []
    public var lessonsAdd: [Lesson] = []

    /// Problems found while reading, reported by `apply` together with those that need the scenario,
    /// so one run shows every mistake in the file.
    private var readProblems: [InputProblem] = []
    /// Lines of the file's entries, under the entity names that problems use.
    var lines: [String: Int] = [:]

    public init(name: String, file: String = "<change>") { self.name = name; self.file = file }

    public static func == (lhs: ScenarioChange, rhs: ScenarioChange) -> Bool { lhs.file == rhs.file && lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(file); hasher.combine(name) }

    static let keys = ["teachers-leave", "teachers-unavailable", "teachers-join", "rooms-close", "students-leave",
                       "students-join", "needs-change", "fixed-remove", "fixed-add", "lessons-pin", "classes-unavailable",
                       "lessons-remove", "lessons-add"]

    public static func load(path: String) throws(InputError) -> ScenarioChange {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        let name = base.split(separator: ".").dropLast().joined(separator: ".")
        return try parse(try readTextFile(path), file: path, name: name.isEmpty ? base : name)
    }

    /// Throws only when the file is not YAML at all; every other problem is kept for `apply`, which
    /// reports it with those it finds against the scenario.
    public static func parse(_ text: String, file: String, name: String) throws(InputError) -> ScenarioChange {
        var change = ScenarioChange(name: name, file: file)
        // A change file with nothing in it (or only comments) changes nothing.
        guard let root = try YAMLValue.parseIfPresent(text, file: file) else { return change }
        let p = ProblemLog(), lines = LineLog(), notes = ReadNotes()
        guard let f = root.fields(keys, p) else { change.readProblems = p.problems; return change }
        func ids(_ key: String) -> [String] {
            guard let list = f[key], !list.isNull, let items = list.sequence(p) else { return [] }
            return items.compactMap { item in
                let id = item.string(p)
                if let id { lines["\(key)[\(id)]"] = item.line }
                return id
            }
        }
        func entries(_ key: String) -> [(key: String, value: YAMLValue)] {
            guard let v = f[key], !v.isNull, let entries = v.mapping(p) else { return [] }
            for (id, value) in entries { lines["\(key).\(id)"] = value.line }
            return entries
        }
        change.teachersLeave = ids("teachers-leave")
        change.studentsLeave = ids("students-leave")
        change.fixedRemove = ids("fixed-remove")
        change.teachersUnavailable = entries("teachers-unavailable").map { id, value in
            (id, ScenarioLoader.readSlotRefs(value, p) ?? [])
        }
        change.roomsClose = entries("rooms-close").compactMap { id, value in
            if case .scalar = value.node, !value.isNull, value.string(p) == "all" { return (id, .all) }
            guard let refs = ScenarioLoader.readSlotRefs(value, p) else { return nil }
            return (id, refs.isEmpty ? .all : .slots(refs))
        }
        change.teachersJoin = ScenarioLoader.readEntities(f, "teachers-join", "joining teacher", p, notes) {
            ScenarioLoader.readTeacher($0, p, lines)
        }
        change.studentsJoin = ScenarioLoader.readEntities(f, "students-join", "joining student", p, notes) {
            ScenarioLoader.readStudent($0, p, lines)
        }
        change.fixedAdd = ScenarioLoader.readEntities(f, "fixed-add", "added fixed session", p, notes) {
            ScenarioLoader.readFixed($0, p, lines)
        }
        change.lessonsPin = entries("lessons-pin").map { id, value in (id, ScenarioLoader.readSlotRefs(value, p) ?? []) }
        change.classesUnavailable = entries("classes-unavailable").map { id, value in (id, ScenarioLoader.readSlotRefs(value, p) ?? []) }
        change.lessonsRemove = ids("lessons-remove")
        change.lessonsAdd = ScenarioLoader.readEntities(f, "lessons-add", "added lesson", p, notes) {
            ScenarioLoader.readLesson($0, p, lines)
        }
        for lesson in change.lessonsAdd { lines["lessons-add[\(lesson.id)]"] = lines["lessons[\(lesson.id)]"] }
        if let list = f["needs-change"], !list.isNull, let items = list.sequence(p) {
            for (index, entry) in items.enumerated() {
                let named = [entry.peek("student"), entry.peek("subject"), entry.peek("modality")]
                let item = entry.named(named.allSatisfy { $0 != nil } ? "needs-change[\(named.map { $0! }.joined(separator: "/"))]"
                                                                     : "needs-change item \(index + 1)")
                if let needChange = readNeedChange(item, p) {
                    lines[item.path] = item.line
                    change.needsChange.append(needChange)
                }
            }
        }
        for teacher in change.teachersJoin { lines["teachers-join[\(teacher.id)]"] = lines["teachers[\(teacher.id)]"] }
        for student in change.studentsJoin { lines["students-join[\(student.id)]"] = lines["students[\(student.id)]"] }
        for session in change.fixedAdd { lines["fixed-add[\(session.id)]"] = lines["fixed[\(session.id)]"] }
        change.lines = lines.lines
        change.readProblems = p.problems
        return change
    }

    private static func readNeedChange(_ item: YAMLValue, _ p: ProblemLog) -> NeedChange? {
        let before = p.count
        guard let nf = item.fields(["student", "subject", "modality", "sessions", "priority", "teacher"], p) else { return nil }
        func text(_ key: String) -> String? {
            guard let field = nf[key] else { p.append(item.problem("missing `\(key)`")); return nil }
            return field.string(p)
        }
        let student = text("student"), subject = text("subject"), modality = text("modality")
        guard nf["sessions"] != nil || nf["priority"] != nil || nf["teacher"] != nil else {
            p.append(item.problem("missing `sessions` (the new weekly count; 0 removes the need), or `priority` or `teacher` to change"))
            return nil
        }
        let sessions = nf["sessions"].map { $0.int(p, range: 0...100) } ?? .some(nil)
        let priority = nf["priority"].map { ScenarioLoader.readPriority($0, p) } ?? .some(nil)
        // `teacher: null` is written on purpose to lift a request, so it is not the same as leaving the key out.
        let teacher = nf["teacher"].map { $0.isNull ? .anyone : $0.string(p).map(RequestedTeacher.teacher) } ?? .some(nil)
        guard let sessions, let priority, let teacher, let student, let subject, let modality, p.count == before else { return nil }
        if sessions == 0, priority != nil || teacher != nil {
            p.append(item.problem("`sessions: 0` removes the need, so its `priority` or `teacher` cannot change too; give one or the other"))
            return nil
        }
        return NeedChange(student: student, subject: subject, modality: modality, sessions: sessions, priority: priority, teacher: teacher)
    }

    /// The changed scenario. Unknown ids and contradictions (a teacher who both leaves and gets new
    /// hours, a joiner whose id is taken) are errors, reported together with the file's other problems;
    /// needs nobody can serve any more are not, they become unmet needs with a reason.
    public func apply(to validated: ValidatedScenario) throws(InputError) -> ValidatedScenario {
        let scenario = validated.scenario
        var problems = readProblems
        func fail(_ entity: String, _ message: String, lineOf key: String? = nil) {
            problems.append(InputProblem(file: file, line: lines[key ?? entity], entity: entity, message: message))
        }
        var result = scenario
        let teacherIds = Set(scenario.teachers.map(\.id)), studentIds = Set(scenario.students.map(\.id))
        let roomIds = Set(scenario.rooms.map(\.id))
        func unknown(_ kind: String, _ id: String, among ids: [String]) -> String {
            "no \(kind) has the id `\(id)`\(didYouMean(id, among: ids))"
        }
        // Sets, not the lists: a roll-forward can drop hundreds of students from a school of thousands.
        let leavingTeachers = Set(teachersLeave), leavingStudents = Set(studentsLeave)
        // Those who leave and do not come back under the same id: references to them lapse.
        let goneTeachers = leavingTeachers.subtracting(teachersJoin.map(\.id))
        let goneStudents = leavingStudents.subtracting(studentsJoin.map(\.id))
        // Problems found when the changed week is validated point at the change file's entries.
        var changedLines: [String: Int] = [:]
        /// Drops the entities whose ids leave and appends those that join: a joiner may take the id of
        /// one who leaves, not of one who stays.
        func replace<T>(_ list: inout [T], _ id: KeyPath<T, String>, leaving: Set<String>, joining: [T], existing: Set<String>,
                        key: String, kind: String, advice: String = "", joined: (T) -> Void) {
            list.removeAll { leaving.contains($0[keyPath: id]) }
            for entity in joining {
                let entityId = entity[keyPath: id]
                if existing.contains(entityId) && !leaving.contains(entityId) {
                    fail("\(key)[\(entityId)]", "a \(kind) with the id `\(entityId)` is already in the scenario\(advice)")
                    continue
                }
                list.append(entity)
                joined(entity)
            }
        }

        for id in teachersLeave where !teacherIds.contains(id) {
            fail("teachers-leave", unknown("teacher", id, among: scenario.teachers.map(\.id)), lineOf: "teachers-leave[\(id)]")
        }
        for (id, refs) in teachersUnavailable {
            let entity = "teachers-unavailable.\(id)"
            if !teacherIds.contains(id) { fail(entity, unknown("teacher", id, among: scenario.teachers.map(\.id))); continue }
            if leavingTeachers.contains(id) { fail(entity, "`\(id)` also leaves; give one or the other") }
            if let i = result.teachers.firstIndex(where: { $0.id == id }) { result.teachers[i].unavailable += refs }
            changedLines["teachers[\(id)]"] = lines[entity]
            // A fixed session or a pinned lesson she now cannot lead is reported at the line that made it so.
            for f in scenario.fixed where f.teachers.contains(id) { changedLines["fixed[\(f.id)]"] = lines[entity] }
            for l in scenario.lessons where l.teachers.contains(id) && !l.at.isEmpty { changedLines["lessons[\(l.id)]"] = lines[entity] }
        }
        replace(&result.teachers, \.id, leaving: leavingTeachers, joining: teachersJoin, existing: teacherIds,
                key: "teachers-join", kind: "teacher") { changedLines["teachers[\($0.id)]"] = lines["teachers[\($0.id)]"] }
        for (id, closure) in roomsClose {
            let entity = "rooms-close.\(id)"
            guard let i = result.rooms.firstIndex(where: { $0.id == id }), roomIds.contains(id) else {
                fail(entity, unknown("room", id, among: scenario.rooms.map(\.id)))
                continue
            }
            switch closure {
            case .all: result.rooms[i].unavailable += scenario.days.map { .day($0) }
            case .slots(let refs): result.rooms[i].unavailable += refs
            }
            changedLines["rooms[\(id)]"] = lines[entity]
            for f in scenario.fixed where f.room == id { changedLines["fixed[\(f.id)]"] = lines[entity] }
        }
        for id in studentsLeave where !studentIds.contains(id) {
            fail("students-leave", unknown("student", id, among: scenario.students.map(\.id)), lineOf: "students-leave[\(id)]")
        }
        replace(&result.students, \.id, leaving: leavingStudents, joining: studentsJoin, existing: studentIds,
                key: "students-join", kind: "student") { student in
            for (key, line) in lines where key.hasPrefix("students[\(student.id)]") { changedLines[key] = line }
        }
        // Whoever leaves is nobody's to keep apart from, and no longer in a group or a fixed session.
        if !goneStudents.isEmpty {
            for i in result.students.indices { result.students[i].apart.removeAll { goneStudents.contains($0) } }
            for i in result.groups.indices { result.groups[i].students.removeAll { goneStudents.contains($0) } }
            for i in result.fixed.indices { result.fixed[i].students.removeAll { goneStudents.contains($0) } }
        }
        let studentIndex = Dictionary(result.students.indices.map { (result.students[$0].id, $0) }, uniquingKeysWith: { first, _ in first })
        for change in needsChange {
            let entity = "needs-change[\(change.student)/\(change.subject)/\(change.modality)]"
            if leavingStudents.contains(change.student) { fail(entity, "`\(change.student)` also leaves; drop one of the two"); continue }
            guard let i = studentIndex[change.student] else {
                fail(entity, unknown("student", change.student, among: result.students.map(\.id)))
                continue
            }
            let existing = result.students[i].needs.firstIndex { $0.subject == change.subject && $0.modality == change.modality }
            switch (existing, change.sessions) {
            case (let n?, 0): result.students[i].needs.remove(at: n)
            case (let n?, _):
                var need = result.students[i].needs[n]
                if let sessions = change.sessions { need.sessions = sessions }
                if let priority = change.priority { need.priority = priority }
                switch change.teacher {
                case .teacher(let id): need.teacher = id
                case .anyone: need.teacher = nil
                case nil: break
                }
                result.students[i].needs[n] = need
            case (nil, 0): fail(entity, "\(change.student) has no \(change.subject) \(change.modality) need to remove")
            case (nil, nil):
                fail(entity, "\(change.student) has no \(change.subject) \(change.modality) need to change; give `sessions` to add one")
            case (nil, let sessions?):
                var need = Need(subject: change.subject, modality: change.modality, sessions: sessions, priority: change.priority ?? .normal)
                if case .teacher(let id) = change.teacher { need.teacher = id }
                result.students[i].needs.append(need)
            }
            changedLines["students[\(change.student)].needs[\(change.subject)/\(change.modality)]"] = lines[entity]
        }
        let fixedIds = Set(scenario.fixed.map(\.id)), removedFixed = Set(fixedRemove)
        for id in fixedRemove where !fixedIds.contains(id) {
            fail("fixed-remove", unknown("fixed session", id, among: scenario.fixed.map(\.id)), lineOf: "fixed-remove[\(id)]")
        }
        replace(&result.fixed, \.id, leaving: removedFixed, joining: fixedAdd, existing: fixedIds, key: "fixed-add",
                kind: "fixed session", advice: "; remove it in `fixed-remove` to replace it") {
            changedLines["fixed[\($0.id)]"] = lines["fixed[\($0.id)]"]
        }
        // A teacher who leaves lapses as a preference, but a need bound to her or a fixed session she
        // leads has to be decided by the admin: who takes over is not for flexsched to guess.
        if !goneTeachers.isEmpty {
            var bound: [String: [String]] = [:], leads: [String: [String]] = [:]
            for i in result.students.indices {
                for n in result.students[i].needs.indices {
                    result.students[i].needs[n].preferTeachers.removeAll { goneTeachers.contains($0) }
                    let need = result.students[i].needs[n]
                    if let t = need.teacher, goneTeachers.contains(t) {
                        bound[t, default: []].append("\(result.students[i].id)/\(need.subject)/\(need.modality)")
                        // Reported here, at the change that causes it; validation need not say it again.
                        result.students[i].needs[n].teacher = nil
                    }
                }
            }
            for f in result.fixed.indices {
                for t in orderedUnique(result.fixed[f].teachers) where goneTeachers.contains(t) {
                    leads[t, default: []].append(result.fixed[f].id)
                }
                result.fixed[f].teachers.removeAll { goneTeachers.contains($0) }
            }
            for id in teachersLeave where goneTeachers.contains(id) {
                if let needs = bound[id] {
                    fail("teachers-leave", "`\(id)` is the requested teacher of \(listedInWords(needs.map { "`\($0)`" })); give \(needs.count == 1 ? "that need" : "those needs") another `teacher` in `needs-change` (`teacher: null` lifts the request)",
                         lineOf: "teachers-leave[\(id)]")
                }
                if let sessions = leads[id] {
                    fail("teachers-leave", "`\(id)` leads fixed session\(sessions.count == 1 ? "" : "s") \(listedInWords(sessions.map { "`\($0)`" })); list \(sessions.count == 1 ? "it" : "them") in `fixed-remove` and add \(sessions.count == 1 ? "it" : "them") back with another teacher in `fixed-add`",
                         lineOf: "teachers-leave[\(id)]")
                }
            }
        }
        applyLessonChanges(to: &result, from: scenario, goneTeachers: goneTeachers, goneStudents: goneStudents,
                           changedLines: &changedLines, fail: fail)
        var changed: ValidatedScenario?
        do { changed = try result.validated(file: file, lines: changedLines, requireServiceable: false) } catch {
            problems += error.problems.map {
                InputProblem(file: file, line: $0.line, entity: $0.entity, message: "after the change: \($0.message)")
            }
        }
        guard let changed, problems.isEmpty else { throw InputError(problems.sortedByLine()) }
        return changed
    }
}
