/// Scenario format v1.2 (YAML, or the same structure as JSON) -> validated `Scenario`.
/// Structural problems (wrong types, unknown keys) are found while reading; meaning problems
/// (unknown ids, overlapping blocks, needs nobody can serve) by `Scenario.validationProblems`.
public enum ScenarioLoader {
    public static func load(path: String) throws(InputError) -> ValidatedScenario {
        try parse(try readTextFile(path), file: path)
    }

    public static func parse(_ text: String, file: String) throws(InputError) -> ValidatedScenario {
        let root = try YAMLValue.parse(text, file: file)
        let problems = ProblemLog()
        let lines = LineLog()
        let notes = ReadNotes()
        // Validation runs on whatever could be read, so one bad field does not hide mistakes elsewhere;
        // `notes` keep it from reporting what only follows from the parts left out.
        let scenario = readScenario(root, problems, lines, notes)
        let meaning = scenario?.validationProblems(file: file, lines: lines.lines, notes: notes) ?? []
        let all = problems.problems + meaning
        if !all.isEmpty {
            var error = InputError(all.sortedByLine())
            // Only for a file read in full: a student left out would make her subjects look unneeded.
            if problems.isEmpty, let scenario { error.warnings = scenario.warnings(file: file, lines: lines.lines) }
            throw error
        }
        return try scenario!.validated(file: file, lines: lines.lines)
    }

    static let topKeys = ["name", "timezone", "term", "days", "blocks", "modalities", "teachers", "rooms", "students",
                          "groups", "fixed", "classes", "lessons"]

    /// What a file read as a scenario must and may hold. A week template (the part of a scenario a
    /// school's roster does not hold, for `flexsched import`) has the same keys and meanings, minus
    /// students and plus the subject map; its teachers only add settings to the roster's teachers.
    enum Shape {
        case scenario, weekTemplate

        var keys: [String] {
            switch self {
            case .scenario: topKeys
            // `students` is read only to be refused with a message that says where students come from.
            case .weekTemplate: topKeys + ["subjects"]
            }
        }
        var required: [String] {
            switch self {
            case .scenario: ["name", "days", "blocks", "modalities", "teachers", "rooms", "students"]
            case .weekTemplate: ["name", "days", "blocks", "modalities"]
            }
        }
    }

    private static func readScenario(_ root: YAMLValue, _ p: ProblemLog, _ lines: LineLog, _ notes: ReadNotes,
                                     shape: Shape = .scenario) -> Scenario? {
        guard let f = root.fields(shape.keys, p) else { return nil }
        // Lets meaning problems about top-level keys (for example an unknown timezone) name a line too.
        for (key, value) in f { lines[key] = value.line }
        // A school week of lessons alone (FET's kind) needs no modalities, students or rooms.
        let optionalWithLessons: Set<String> = f["lessons"] != nil ? ["modalities", "teachers", "rooms", "students"] : []
        for key in shape.required where f[key] == nil && !optionalWithLessons.contains(key) {
            p.append(root.problem("missing required key `\(key)`"))
            notes.unreadable.insert(key)
        }
        func noting<T>(_ key: String, _ read: () -> T?) -> T? {
            let before = p.count
            let value = read()
            if p.count != before { notes.unreadable.insert(key) }
            return value
        }
        let name = noting("name") { f["name"]?.string(p) } ?? ""
        let timezone = noting("timezone") { f["timezone"].map { $0.string(p) } ?? "UTC" } ?? "UTC"
        let term = f["term"].flatMap { $0.isNull ? nil : readTerm($0, p) }
        let days = noting("days") { f["days"].flatMap { readDays($0, p) } } ?? []
        let blocks = readEntities(f, "blocks", "block", p, notes) { readBlock($0, p, lines) }
        let modalities = f["modalities"].flatMap { readModalities($0, p, lines, notes) }
        if modalities == nil, f["modalities"] != nil || f["lessons"] == nil { notes.unreadable.insert("modalities") }
        let teachers = readEntities(f, "teachers", "teacher", p, notes) { readTeacher($0, p, lines, shape: shape) }
        let rooms = readEntities(f, "rooms", "room", p, notes) { readRoom($0, p, lines) }
        let students = readEntities(f, "students", "student", p, notes) { readStudent($0, p, lines) }
        let groups = f["groups"].flatMap { $0.isNull ? [] : readGroups($0, p, lines, notes) }
        if f["groups"] != nil, groups == nil { notes.unreadable.insert("groups") }
        let fixed = readEntities(f, "fixed", "fixed session", p, notes) { readFixed($0, p, lines) }
        let classes = readEntities(f, "classes", "class", p, notes) { readClass($0, p, lines) }
        let lessons = readEntities(f, "lessons", "lesson", p, notes) { readLesson($0, p, lines) }
        return Scenario(name: name, timezone: timezone, term: term, days: days, blocks: blocks, modalities: modalities ?? [],
                        teachers: teachers, rooms: rooms, students: students, groups: groups ?? [], fixed: fixed,
                        classes: classes, lessons: lessons)
    }

    /// Reads a week template (see `Shape.weekTemplate`). Only what the file can be judged on alone is
    /// checked here: its keys and values. Its meaning is validated once the roster is merged in,
    /// against these lines.
    public static func parseWeekTemplate(_ text: String, file: String) throws(InputError) -> WeekTemplate {
        let (template, problems) = try readWeekTemplate(text, file: file)
        guard problems.isEmpty, let template else { throw InputError(problems) }
        return template
    }

    /// A week template as far as it reads, and its problems: an importer judges the other files
    /// against the days, blocks and modalities that did read (see `WeekTemplate.incomplete`) so their
    /// problems come in the same run. Throws only when the file is not YAML at all.
    public static func readWeekTemplate(_ text: String, file: String) throws(InputError) -> (template: WeekTemplate?, problems: [InputProblem]) {
        let root = try YAMLValue.parse(text, file: file)
        let problems = ProblemLog()
        let lines = LineLog()
        let notes = ReadNotes()
        let scenario = readScenario(root, problems, lines, notes, shape: .weekTemplate)
        if let students = root.peekValue("students") {
            problems.append(students.problem("a week template holds no `students`: they come from the roster and the needs file"))
        }
        var subjects: [WeekTemplate.SubjectMapping] = []
        if let map = root.peekValue("subjects"), !map.isNull, let entries = map.mapping(problems) {
            for (value, subject) in entries {
                guard let id = subject.string(problems) else { continue }
                if let problem = idProblem(id) {
                    problems.append(subject.problem(problem))
                    continue
                }
                subjects.append(.init(rosterValue: value, subject: id, line: subject.line))
            }
        }
        guard let scenario else { return (nil, problems.problems.sortedByLine()) }
        let partly = notes.listed.filter { $0.value.contains { $0.id == nil } }.keys
        let template = WeekTemplate(file: file, scenario: scenario, subjects: subjects, lines: lines.lines,
                                    incomplete: problems.isEmpty ? [] : notes.unreadable.union(notes.dropped).union(partly))
        return (template, problems.problems.sortedByLine())
    }

    public static func loadWeekTemplate(path: String) throws(InputError) -> WeekTemplate {
        try parseWeekTemplate(try readTextFile(path), file: path)
    }

    /// Reads a list of entities one at a time, each named after its id (`blocks[b2]`, or `block 2` when
    /// the id cannot be read). An entity with a problem is left out, but its id and line are noted so
    /// that duplicates of it and references to it are still judged correctly.
    static func readEntities<T>(_ f: [String: YAMLValue], _ key: String, _ singular: String, _ p: ProblemLog,
                                _ notes: ReadNotes, _ read: (YAMLValue) -> T?) -> [T] {
        guard let list = f[key], !list.isNull else { return [] }
        guard let items = list.sequence(p) else { notes.unreadable.insert(key); return [] }
        var result: [T] = []
        for (index, item) in items.enumerated() {
            let id = item.peek("id")
            let named = item.named(id.map { "\(key)[\($0)]" } ?? "\(singular) \(index + 1)")
            notes.listed[key, default: []].append((id, named.line))
            if let entity = read(named) { result.append(entity) } else { notes.dropped.insert(key) }
        }
        return result
    }

    private static func readTerm(_ v: YAMLValue, _ p: ProblemLog) -> Term? {
        guard let f = v.fields(["start", "end", "skip"], p) else { return nil }
        func date(_ key: String) -> LocalDate? {
            guard let field = f[key] else { p.append(v.problem("missing `\(key)` (a date like 2027-01-11)")); return nil }
            return readDate(field, p)
        }
        let start = date("start"), end = date("end")
        var skip: [LocalDate] = []
        if let s = f["skip"], !s.isNull, let items = s.sequence(p) { skip = items.compactMap { readDate($0, p) } }
        guard let start, let end else { return nil }
        return Term(start: start, end: end, skip: skip)
    }

    private static func readDate(_ v: YAMLValue, _ p: ProblemLog) -> LocalDate? {
        guard let text = v.string(p) else { return nil }
        guard let date = LocalDate(parsing: text) else {
            p.append(v.problem("`\(text)` is not a date; write it as YYYY-MM-DD, for example 2027-01-11"))
            return nil
        }
        return date
    }

    private static func readDays(_ v: YAMLValue, _ p: ProblemLog) -> [Weekday]? {
        guard let items = v.sequence(p) else { return nil }
        return items.compactMap { readDay($0, p) }
    }

    static func readDay(_ v: YAMLValue, _ p: ProblemLog) -> Weekday? {
        guard let text = v.string(p) else { return nil }
        guard let day = Weekday(rawValue: text.lowercased()) else {
            p.append(v.problem("`\(text)` is not a day; use mon, tue, wed, thu, fri, sat or sun\(dayHint(text))"))
            return nil
        }
        return day
    }

    private static func readTime(_ v: YAMLValue?, key: String, owner: YAMLValue, _ p: ProblemLog) -> ClockTime? {
        guard let v else { p.append(owner.problem("missing `\(key)` (a time like \"08:30\")")); return nil }
        guard let text = v.string(p) else { return nil }
        guard let time = ClockTime(parsing: text) else {
            p.append(v.problem("`\(text)` is not a time of day; write it as HH:MM, for example 08:30"))
            return nil
        }
        return time
    }

    private static func readBlock(_ v: YAMLValue, _ p: ProblemLog, _ lines: LineLog) -> Block? {
        let before = p.count
        guard let f = v.fields(["id", "start", "end", "break-before"], p) else { return nil }
        let id = requiredString(f, "id", v, p)
        let start = readTime(f["start"], key: "start", owner: v, p)
        let end = readTime(f["end"], key: "end", owner: v, p)
        let breakBefore = f["break-before"].map { $0.bool(p) } ?? false
        guard let id, let start, let end, let breakBefore, p.count == before else { return nil }
        lines["blocks[\(id)]"] = v.line
        return Block(id: id, start: start, end: end, breakBefore: breakBefore)
    }

    private static func readModalities(_ v: YAMLValue, _ p: ProblemLog, _ lines: LineLog, _ notes: ReadNotes) -> [Modality]? {
        guard let entries = v.mapping(p) else { return nil }
        var result: [Modality] = []
        for (id, entry) in entries {
            let mv = entry.named("modalities[\(id)]")
            notes.listed["modalities", default: []].append((id, mv.line))
            let before = p.count
            guard let f = mv.fields(["min", "max", "teacher", "room-features", "length", "level-spread"], p)
            else { notes.dropped.insert("modalities"); continue }
            let min = f["min"].map { $0.int(p, range: 1...1000) } ?? 1
            let max = f["max"].map { $0.int(p, range: 1...1000) } ?? nil
            if f["max"] == nil { p.append(mv.problem("missing `max` (the largest group size)")) }
            let teacher = f["teacher"].map { $0.bool(p) } ?? true
            let features = optionalList(f["room-features"], p)
            let length = f["length"].map { $0.int(p, range: 1...8) } ?? 1
            let levelSpread = f["level-spread"].map { $0.int(p, range: 0...100) } ?? .some(nil)
            guard let min, let max, let teacher, let features, let length, let levelSpread, p.count == before
            else { notes.dropped.insert("modalities"); continue }
            lines["modalities[\(id)]"] = mv.line
            result.append(Modality(id: id, min: min, max: max, teacher: teacher, roomFeatures: features, length: length,
                                   levelSpread: levelSpread))
        }
        return result
    }

    static func readTeacher(_ v: YAMLValue, _ p: ProblemLog, _ lines: LineLog, shape: Shape = .scenario) -> Teacher? {
        let before = p.count
        guard let f = v.fields(["id", "name", "subjects", "unavailable", "max-per-day", "max-per-week", "max-days", "max-in-a-row", "prefer-not",
                                  "aim-per-week"], p)
        else { return nil }
        let id = requiredString(f, "id", v, p)
        // A template's teacher takes her name and subjects from the roster unless it gives them.
        let name = f["name"].map { $0.string(p) } ?? (shape == .weekTemplate ? "" : id)
        let subjects = f["subjects"].map { $0.stringList(p) } ?? []
        if f["subjects"] == nil, shape == .scenario { p.append(v.problem("missing `subjects` (the subjects this teacher teaches)")) }
        let unavailable = readSlotRefs(f["unavailable"], p)
        let maxPerDay = f["max-per-day"].map { $0.int(p, range: 1...100) } ?? .some(nil)
        let maxPerWeek = f["max-per-week"].map { $0.int(p, range: 1...1000) } ?? .some(nil)
        let maxDays = f["max-days"].map { $0.int(p, range: 1...7) } ?? .some(nil)
        let maxInARow = f["max-in-a-row"].map { $0.int(p, range: 1...100) } ?? .some(nil)
        let preferNot = readSlotRefs(f["prefer-not"], p)
        let aimPerWeek = f["aim-per-week"].map { $0.int(p, range: 0...1000) } ?? .some(nil)
        guard let id, let name, let subjects, let unavailable, let maxPerDay, let maxPerWeek, let maxDays, let maxInARow, let preferNot, let aimPerWeek,
              p.count == before
        else { return nil }
        lines["teachers[\(id)]"] = v.line
        return Teacher(id: id, name: name, subjects: subjects, unavailable: unavailable, maxPerDay: maxPerDay, maxPerWeek: maxPerWeek,
                       maxDays: maxDays, maxInARow: maxInARow, preferNot: preferNot, aimPerWeek: aimPerWeek)
    }

    private static func readRoom(_ v: YAMLValue, _ p: ProblemLog, _ lines: LineLog) -> Room? {
        let before = p.count
        guard let f = v.fields(["id", "name", "capacity", "features", "unavailable"], p) else { return nil }
        let id = requiredString(f, "id", v, p)
        let name = f["name"].map { $0.string(p) } ?? id
        let capacity = f["capacity"].map { $0.int(p, range: 1...10_000) } ?? nil
        if f["capacity"] == nil { p.append(v.problem("missing `capacity` (how many students fit)")) }
        let features = optionalList(f["features"], p)
        let unavailable = readSlotRefs(f["unavailable"], p)
        guard let id, let name, let capacity, let features, let unavailable, p.count == before else { return nil }
        lines["rooms[\(id)]"] = v.line
        return Room(id: id, name: name, capacity: capacity, features: features, unavailable: unavailable)
    }

    static func readStudent(_ v: YAMLValue, _ p: ProblemLog, _ lines: LineLog) -> Student? {
        let before = p.count
        guard let f = v.fields(["id", "name", "needs", "unavailable", "requires", "max-per-day", "apart"], p) else { return nil }
        let id = requiredString(f, "id", v, p)
        let name = f["name"].map { $0.string(p) } ?? id
        // A bad need is left out on its own: the student's other needs are still worth checking.
        let needProblems = ProblemLog()
        var needs: [Need] = []
        if let nv = f["needs"], !nv.isNull, let items = nv.sequence(p) {
            for (index, entry) in items.enumerated() {
                let subject = entry.peek("subject"), modality = entry.peek("modality")
                let item = entry.named(subject.flatMap { s in modality.map { "\(v.path).needs[\(s)/\($0)]" } }
                                       ?? "\(v.path) need \(index + 1)")
                if let need = readNeed(item, needProblems) {
                    if let id { lines["students[\(id)].needs[\(need.subject)/\(need.modality)]"] = item.line }
                    needs.append(need)
                }
            }
        }
        let unavailable = readSlotRefs(f["unavailable"], p)
        let requires = optionalList(f["requires"], p)
        let maxPerDay = f["max-per-day"].map { $0.int(p, range: 1...100) } ?? .some(nil)
        let apart = optionalList(f["apart"], p)
        let whole = p.count == before
        for problem in needProblems.problems { p.append(problem) }
        guard let id, let name, let unavailable, let requires, let maxPerDay, let apart, whole else { return nil }
        lines["students[\(id)]"] = v.line
        return Student(id: id, name: name, needs: needs, unavailable: unavailable, requires: requires, maxPerDay: maxPerDay,
                       apart: apart)
    }

    private static func readNeed(_ item: YAMLValue, _ p: ProblemLog) -> Need? {
        let before = p.count
        guard let nf = item.fields(["subject", "modality", "sessions", "priority", "teacher", "prefer-teacher", "level"], p)
        else { return nil }
        let subject = requiredString(nf, "subject", item, p)
        let modality = requiredString(nf, "modality", item, p)
        let sessions = nf["sessions"].map { $0.int(p, range: 1...100) } ?? nil
        if nf["sessions"] == nil { p.append(item.problem("missing `sessions` (how many this week)")) }
        let priority = nf["priority"].map { readPriority($0, p) } ?? .normal
        let teacher = nf["teacher"].map { $0.string(p) } ?? .some(nil)
        let preferTeachers = optionalList(nf["prefer-teacher"], p)
        let level = nf["level"].map { $0.int(p, range: 0...1000) } ?? .some(nil)
        guard let subject, let modality, let sessions, let priority, let teacher, let preferTeachers, let level, p.count == before
        else { return nil }
        return Need(subject: subject, modality: modality, sessions: sessions, priority: priority, teacher: teacher,
                    preferTeachers: preferTeachers, level: level)
    }

    static func readPriority(_ v: YAMLValue, _ p: ProblemLog) -> Priority? {
        guard let text = v.string(p) else { return nil }
        if let priority = Priority(rawValue: text.lowercased()) { return priority }
        // Highest first, as an admin ranks them.
        let choices = Priority.allCases.reversed().map(\.rawValue)
        p.append(v.problem("`\(text)` is not a priority; use \(choices.dropLast().joined(separator: ", ")) or \(choices.last!)"
                           + didYouMean(text, among: choices)))
        return nil
    }

    /// `groups: {grade6: [ana, ben]}`; each group is noted like a list entity so fixed sessions can be
    /// judged even when a group was left out.
    private static func readGroups(_ v: YAMLValue, _ p: ProblemLog, _ lines: LineLog, _ notes: ReadNotes) -> [StudentGroup]? {
        guard let entries = v.mapping(p) else { return nil }
        var result: [StudentGroup] = []
        for (id, entry) in entries {
            let gv = entry.named("groups[\(id)]")
            notes.listed["groups", default: []].append((id, gv.line))
            guard let students = optionalList(gv, p) else { notes.dropped.insert("groups"); continue }
            lines["groups[\(id)]"] = gv.line
            result.append(StudentGroup(id: id, students: students))
        }
        return result
    }

    static func readFixed(_ v: YAMLValue, _ p: ProblemLog, _ lines: LineLog) -> FixedSession? {
        let before = p.count
        guard let f = v.fields(["id", "title", "day", "block", "length", "teachers", "room", "students", "groups"], p)
        else { return nil }
        let id = requiredString(f, "id", v, p)
        let title = f["title"].map { $0.string(p) } ?? id
        let day: Weekday?
        if let dv = f["day"] { day = readDay(dv, p) } else {
            day = nil
            p.append(v.problem("missing `day` (for example `mon`)"))
        }
        let block = requiredString(f, "block", v, p)
        let length = f["length"].map { $0.int(p, range: 1...8) } ?? 1
        let teachers = optionalList(f["teachers"], p)
        let room = f["room"].map { $0.isNull ? nil : $0.string(p) } ?? nil
        let students = optionalList(f["students"], p)
        let groups = optionalList(f["groups"], p)
        guard let id, let title, let day, let block, let length, let teachers, let students, let groups, p.count == before
        else { return nil }
        lines["fixed[\(id)]"] = v.line
        return FixedSession(id: id, title: title, day: day, block: block, length: length, teachers: teachers, room: room,
                            students: students, groups: groups)
    }

    static func requiredString(_ f: [String: YAMLValue], _ key: String, _ owner: YAMLValue, _ p: ProblemLog) -> String? {
        guard let v = f[key] else { p.append(owner.problem("missing `\(key)`")); return nil }
        return v.string(p)
    }

    static func optionalList(_ v: YAMLValue?, _ p: ProblemLog) -> [String]? {
        guard let v, !v.isNull else { return [] }
        return v.stringList(p)
    }

    static func readSlotRefs(_ v: YAMLValue?, _ p: ProblemLog) -> [SlotRef]? {
        guard let v, !v.isNull else { return [] }
        guard let items = v.sequence(p) else { return nil }
        var refs: [SlotRef] = []
        for item in items {
            guard let text = item.string(p) else { continue }
            guard let ref = SlotRef(parsing: text) else {
                let day = String(text.prefix { $0 != "." })
                p.append(item.problem("`\(text)` is not a day or day.block; write for example `mon` or `mon.b1`\(dayHint(day))"))
                continue
            }
            refs.append(ref)
        }
        return refs
    }

    /// " — did you mean `fri`?" for `friday`, so a long or misspelt day name points at its short form.
    private static func dayHint(_ text: String) -> String {
        weekdayMeant(by: text).map { " — did you mean `\($0.rawValue)`?" } ?? ""
    }
}
