// Reading v1.2's `classes` and `lessons`: structure only; what the ids mean is `LessonValidation.swift`'s.
extension ScenarioLoader {
    static func readClass(_ v: YAMLValue, _ p: ProblemLog, _ lines: LineLog) -> SchoolClass? {
        let before = p.count
        guard let f = v.fields(["id", "name", "size", "parts", "students", "unavailable", "max-per-day"], p) else { return nil }
        let id = requiredString(f, "id", v, p)
        let name = f["name"].map { $0.string(p) } ?? id
        let size = f["size"].map { $0.isNull ? nil : $0.int(p, range: 1...100_000) } ?? .some(nil)
        let parts = optionalList(f["parts"], p)
        let students = optionalList(f["students"], p)
        let unavailable = readSlotRefs(f["unavailable"], p)
        let maxPerDay = f["max-per-day"].map { $0.int(p, range: 1...100) } ?? .some(nil)
        guard let id, let name, let size, let parts, let students, let unavailable, let maxPerDay, p.count == before else { return nil }
        lines["classes[\(id)]"] = v.line
        return SchoolClass(id: id, name: name, size: size, parts: parts, students: students, unavailable: unavailable, maxPerDay: maxPerDay)
    }

    static let lessonKeys = ["id", "title", "subject", "teachers", "classes", "sessions", "length", "min-days-apart", "rooms",
                             "room-features", "needs-room", "prefer", "avoid", "at", "only-at", "prefer-days-apart", "series", "ends-day"]

    static func readLesson(_ v: YAMLValue, _ p: ProblemLog, _ lines: LineLog) -> Lesson? {
        let before = p.count
        guard let f = v.fields(lessonKeys, p) else { return nil }
        let id = requiredString(f, "id", v, p)
        let title = f["title"].map { $0.string(p) } ?? .some(nil)
        let subject = requiredString(f, "subject", v, p)
        let teachers = optionalList(f["teachers"], p)
        let classes = optionalList(f["classes"], p)
        let sessions = f["sessions"].map { $0.int(p, range: 1...50) } ?? 1
        let length = f["length"].map { $0.int(p, range: 1...8) } ?? 1
        let minDaysApart = f["min-days-apart"].map { $0.int(p, range: 0...6) } ?? ((sessions ?? 1) > 1 ? 1 : 0)
        let rooms = optionalList(f["rooms"], p)
        let roomFeatures = optionalList(f["room-features"], p)
        let needsRoom = f["needs-room"].map { $0.bool(p) } ?? true
        let prefer = readSlotRefs(f["prefer"], p), avoid = readSlotRefs(f["avoid"], p), onlyAt = readSlotRefs(f["only-at"], p)
        let preferDaysApart = f["prefer-days-apart"].map { $0.int(p, range: 0...6) } ?? 0
        let series = f["series"].map { $0.string(p) } ?? .some(nil)
        let endsDay = f["ends-day"].map { $0.bool(p) } ?? false
        // `at: mon.b1` for one pinned lesson, a list for several.
        let at: [SlotRef]?
        if let value = f["at"], case .scalar = value.node, !value.isNull {
            let text = value.string(p)
            at = text.flatMap { SlotRef(parsing: $0) }.map { [$0] }
            if let text, at == nil { p.append(value.problem("`\(text)` is not a day.block; write for example `mon.b1`")) }
        } else {
            at = readSlotRefs(f["at"], p)
        }
        if let teachers, let classes, teachers.isEmpty, classes.isEmpty {
            p.append(v.problem("names neither `teachers` nor `classes`; a lesson needs at least one of them"))
        }
        guard let id, let title, let subject, let teachers, let classes, let sessions, let length, let minDaysApart, let rooms,
              let roomFeatures, let needsRoom, let prefer, let avoid, let at, let onlyAt, let preferDaysApart, let series, let endsDay,
              p.count == before else { return nil }
        lines["lessons[\(id)]"] = v.line
        return Lesson(id: id, title: title, subject: subject, teachers: teachers, classes: classes, sessions: sessions, length: length,
                      minDaysApart: minDaysApart, rooms: rooms, roomFeatures: roomFeatures, needsRoom: needsRoom, prefer: prefer,
                      avoid: avoid, at: at, onlyAt: onlyAt, preferDaysApart: preferDaysApart, series: series, endsDay: endsDay)
    }
}
