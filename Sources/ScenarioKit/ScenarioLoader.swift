/// Scenario format v1 (YAML, or the same structure as JSON) -> validated `Scenario`.
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
        let scenario = readScenario(root, problems, lines)
        guard problems.isEmpty, let scenario else {
            throw InputError(problems.isEmpty ? [root.problem("the scenario could not be read")] : problems.problems)
        }
        return try scenario.validated(file: file, lines: lines.lines)
    }

    static let topKeys = ["name", "timezone", "term", "days", "blocks", "modalities", "teachers", "rooms", "students"]

    private static func readScenario(_ root: YAMLValue, _ p: ProblemLog, _ lines: LineLog) -> Scenario? {
        guard let f = root.fields(topKeys, p) else { return nil }
        // Lets meaning problems about top-level keys (for example an unknown timezone) name a line too.
        for (key, value) in f { lines[key] = value.line }
        for key in ["name", "days", "blocks", "modalities", "teachers", "rooms", "students"] where f[key] == nil {
            p.append(root.problem("missing required key `\(key)`"))
        }
        let name = f["name"]?.string(p)
        let timezone = f["timezone"].map { $0.string(p) } ?? "UTC"
        let term = f["term"].flatMap { $0.isNull ? nil : readTerm($0, p) }
        let days = f["days"].flatMap { readDays($0, p) }
        let blocks = f["blocks"].flatMap { readList($0, p) { readBlock($0, p, lines) } }
        let modalities = f["modalities"].flatMap { readModalities($0, p, lines) }
        let teachers = f["teachers"].flatMap { readList($0, p) { readTeacher($0, p, lines) } }
        let rooms = f["rooms"].flatMap { readList($0, p) { readRoom($0, p, lines) } }
        let students = f["students"].flatMap { readList($0, p) { readStudent($0, p, lines) } }
        guard let name, let timezone, let days, let blocks, let modalities, let teachers, let rooms, let students else {
            return nil
        }
        return Scenario(name: name, timezone: timezone, term: term, days: days, blocks: blocks, modalities: modalities,
                        teachers: teachers, rooms: rooms, students: students)
    }

    static func readList<T>(_ v: YAMLValue, _ p: ProblemLog, _ read: (YAMLValue) -> T?) -> [T]? {
        if v.isNull { return [] }
        guard let items = v.sequence(p) else { return nil }
        let before = p.count
        let result = items.compactMap(read)
        return p.count == before ? result : nil
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
        var days: [Weekday] = []
        for item in items {
            guard let text = item.string(p) else { continue }
            guard let day = Weekday(rawValue: text.lowercased()) else {
                p.append(item.problem("`\(text)` is not a day; use mon, tue, wed, thu, fri, sat or sun"))
                continue
            }
            days.append(day)
        }
        return days
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
        guard let f = v.fields(["id", "start", "end"], p) else { return nil }
        let id = requiredString(f, "id", v, p)
        let start = readTime(f["start"], key: "start", owner: v, p)
        let end = readTime(f["end"], key: "end", owner: v, p)
        guard let id, let start, let end else { return nil }
        lines["blocks[\(id)]"] = v.line
        return Block(id: id, start: start, end: end)
    }

    private static func readModalities(_ v: YAMLValue, _ p: ProblemLog, _ lines: LineLog) -> [Modality]? {
        guard let entries = v.mapping(p) else { return nil }
        var result: [Modality] = []
        for (id, mv) in entries {
            guard let f = mv.fields(["min", "max", "teacher", "room-features"], p) else { continue }
            let min = f["min"].map { $0.int(p, range: 1...1000) } ?? 1
            let max = f["max"].map { $0.int(p, range: 1...1000) } ?? nil
            if f["max"] == nil { p.append(mv.problem("missing `max` (the largest group size)")) }
            let teacher = f["teacher"].map { $0.bool(p) } ?? true
            let features = optionalList(f["room-features"], p)
            guard let min, let max, let teacher, let features else { continue }
            lines["modalities[\(id)]"] = mv.line
            result.append(Modality(id: id, min: min, max: max, teacher: teacher, roomFeatures: features))
        }
        return result
    }

    static func readTeacher(_ v: YAMLValue, _ p: ProblemLog, _ lines: LineLog) -> Teacher? {
        guard let f = v.fields(["id", "name", "subjects", "unavailable", "max-per-day", "max-per-week"], p) else { return nil }
        let id = requiredString(f, "id", v, p)
        let name = f["name"].map { $0.string(p) } ?? id
        let subjects = f["subjects"].map { $0.stringList(p) } ?? []
        if f["subjects"] == nil { p.append(v.problem("missing `subjects` (the subjects this teacher teaches)")) }
        let unavailable = readSlotRefs(f["unavailable"], p)
        let maxPerDay = f["max-per-day"].map { $0.int(p, range: 1...100) } ?? .some(nil)
        let maxPerWeek = f["max-per-week"].map { $0.int(p, range: 1...1000) } ?? .some(nil)
        guard let id, let name, let subjects, let unavailable, let maxPerDay, let maxPerWeek else { return nil }
        lines["teachers[\(id)]"] = v.line
        return Teacher(id: id, name: name, subjects: subjects, unavailable: unavailable, maxPerDay: maxPerDay, maxPerWeek: maxPerWeek)
    }

    private static func readRoom(_ v: YAMLValue, _ p: ProblemLog, _ lines: LineLog) -> Room? {
        guard let f = v.fields(["id", "name", "capacity", "features", "unavailable"], p) else { return nil }
        let id = requiredString(f, "id", v, p)
        let name = f["name"].map { $0.string(p) } ?? id
        let capacity = f["capacity"].map { $0.int(p, range: 1...10_000) } ?? nil
        if f["capacity"] == nil { p.append(v.problem("missing `capacity` (how many students fit)")) }
        let features = optionalList(f["features"], p)
        let unavailable = readSlotRefs(f["unavailable"], p)
        guard let id, let name, let capacity, let features, let unavailable else { return nil }
        lines["rooms[\(id)]"] = v.line
        return Room(id: id, name: name, capacity: capacity, features: features, unavailable: unavailable)
    }

    static func readStudent(_ v: YAMLValue, _ p: ProblemLog, _ lines: LineLog) -> Student? {
        guard let f = v.fields(["id", "name", "needs", "unavailable", "requires", "max-per-day"], p) else { return nil }
        let id = requiredString(f, "id", v, p)
        let name = f["name"].map { $0.string(p) } ?? id
        var needs: [Need]? = []
        if let nv = f["needs"], !nv.isNull {
            needs = readList(nv, p) { item -> Need? in
                guard let nf = item.fields(["subject", "modality", "sessions"], p) else { return nil }
                let subject = requiredString(nf, "subject", item, p)
                let modality = requiredString(nf, "modality", item, p)
                let sessions = nf["sessions"].map { $0.int(p, range: 1...100) } ?? nil
                if nf["sessions"] == nil { item.problem("missing `sessions` (how many this week)").append(to: p) }
                guard let subject, let modality, let sessions else { return nil }
                if let id { lines["students[\(id)].needs[\(subject)/\(modality)]"] = item.line }
                return Need(subject: subject, modality: modality, sessions: sessions)
            }
        }
        let unavailable = readSlotRefs(f["unavailable"], p)
        let requires = optionalList(f["requires"], p)
        let maxPerDay = f["max-per-day"].map { $0.int(p, range: 1...100) } ?? .some(nil)
        guard let id, let name, let needs, let unavailable, let requires, let maxPerDay else { return nil }
        lines["students[\(id)]"] = v.line
        return Student(id: id, name: name, needs: needs, unavailable: unavailable, requires: requires, maxPerDay: maxPerDay)
    }

    private static func requiredString(_ f: [String: YAMLValue], _ key: String, _ owner: YAMLValue, _ p: ProblemLog) -> String? {
        guard let v = f[key] else { p.append(owner.problem("missing `\(key)`")); return nil }
        return v.string(p)
    }

    private static func optionalList(_ v: YAMLValue?, _ p: ProblemLog) -> [String]? {
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
                p.append(item.problem("`\(text)` is not a day or day.block; write for example `mon` or `mon.b1`"))
                continue
            }
            refs.append(ref)
        }
        return refs
    }
}

private extension InputProblem {
    func append(to problems: ProblemLog) { problems.append(self) }
}
