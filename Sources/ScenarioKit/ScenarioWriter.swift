import Foundation

extension Scenario {
    /// Scenario format v1.1 as YAML that `ScenarioLoader.parse` reads back to an equal `Scenario`.
    /// Small records are written one per line in flow style so a week of several hundred students
    /// stays scannable in a diff; students stay block mappings because their needs are the part
    /// admins edit most.
    public func yamlText() -> String {
        var out: [String] = []
        out.append("name: \(yamlScalar(name))")
        out.append("timezone: \(yamlScalar(timezone))")
        if let term {
            var fields = ["start: \(term.start)", "end: \(term.end)"]
            if !term.skip.isEmpty { fields.append("skip: \(flowList(term.skip.map(\.description)))") }
            out.append("term: {\(fields.joined(separator: ", "))}")
        }
        out.append("days: \(flowList(days.map(\.rawValue)))")

        out.append("blocks:")
        for b in blocks {
            out.append("  - {id: \(yamlScalar(b.id)), start: \"\(b.start)\", end: \"\(b.end)\"\(b.breakBefore ? ", break-before: true" : "")}")
        }

        out.append(modalities.isEmpty ? "modalities: {}" : "modalities:")
        for m in modalities {
            var fields = ["min: \(m.min)", "max: \(m.max)", "teacher: \(m.teacher)"]
            if !m.roomFeatures.isEmpty { fields.append("room-features: \(flowList(m.roomFeatures))") }
            if m.length != 1 { fields.append("length: \(m.length)") }
            if let k = m.levelSpread { fields.append("level-spread: \(k)") }
            out.append("  \(yamlScalar(m.id)): {\(fields.joined(separator: ", "))}")
        }

        out.append(teachers.isEmpty ? "teachers: []" : "teachers:")
        for t in teachers { out.append("  - \(t.yamlFlow)") }

        out.append(rooms.isEmpty ? "rooms: []" : "rooms:")
        for r in rooms {
            var fields = ["id: \(yamlScalar(r.id))", "name: \(yamlScalar(r.name))", "capacity: \(r.capacity)"]
            if !r.features.isEmpty { fields.append("features: \(flowList(r.features))") }
            if !r.unavailable.isEmpty { fields.append("unavailable: \(flowList(r.unavailable.map(\.description)))") }
            out.append("  - {\(fields.joined(separator: ", "))}")
        }

        out.append(students.isEmpty ? "students: []" : "students:")
        for s in students {
            out.append("  - id: \(yamlScalar(s.id))")
            out.append("    name: \(yamlScalar(s.name))")
            if s.needs.isEmpty {
                out.append("    needs: []")
            } else {
                out.append("    needs:")
                for n in s.needs {
                    var fields = ["subject: \(yamlScalar(n.subject))", "modality: \(yamlScalar(n.modality))", "sessions: \(n.sessions)"]
                    if n.priority != .normal { fields.append("priority: \(n.priority.rawValue)") }
                    if let t = n.teacher { fields.append("teacher: \(yamlScalar(t))") }
                    if !n.preferTeachers.isEmpty { fields.append("prefer-teacher: \(flowList(n.preferTeachers))") }
                    if let l = n.level { fields.append("level: \(l)") }
                    out.append("      - {\(fields.joined(separator: ", "))}")
                }
            }
            if !s.unavailable.isEmpty { out.append("    unavailable: \(flowList(s.unavailable.map(\.description)))") }
            if !s.requires.isEmpty { out.append("    requires: \(flowList(s.requires))") }
            if let d = s.maxPerDay { out.append("    max-per-day: \(d)") }
            if !s.apart.isEmpty { out.append("    apart: \(flowList(s.apart))") }
        }

        // v1.1 sections only when used, so a v1 week is written exactly as before.
        if !groups.isEmpty { out.append("groups:") }
        for g in groups { out.append("  \(yamlScalar(g.id)): \(flowList(g.students))") }
        if !fixed.isEmpty { out.append("fixed:") }
        for f in fixed {
            var fields = ["id: \(yamlScalar(f.id))", "title: \(yamlScalar(f.title))", "day: \(f.day.rawValue)", "block: \(yamlScalar(f.block))"]
            if f.length != 1 { fields.append("length: \(f.length)") }
            if !f.teachers.isEmpty { fields.append("teachers: \(flowList(f.teachers))") }
            if let r = f.room { fields.append("room: \(yamlScalar(r))") }
            if !f.students.isEmpty { fields.append("students: \(flowList(f.students))") }
            if !f.groups.isEmpty { fields.append("groups: \(flowList(f.groups))") }
            out.append("  - {\(fields.joined(separator: ", "))}")
        }
        out += lessonLines()
        return out.joined(separator: "\n") + "\n"
    }

    /// v1.2's `classes` and `lessons`, one per line, only when used.
    private func lessonLines() -> [String] {
        var out: [String] = []
        if !classes.isEmpty { out.append("classes:") }
        for k in classes {
            var fields = ["id: \(yamlScalar(k.id))", "name: \(yamlScalar(k.name))"]
            if let size = k.size { fields.append("size: \(size)") }
            if !k.parts.isEmpty { fields.append("parts: \(flowList(k.parts))") }
            if !k.students.isEmpty { fields.append("students: \(flowList(k.students))") }
            if !k.unavailable.isEmpty { fields.append("unavailable: \(flowList(k.unavailable.map(\.description)))") }
            if let d = k.maxPerDay { fields.append("max-per-day: \(d)") }
            out.append("  - {\(fields.joined(separator: ", "))}")
        }
        if !lessons.isEmpty { out.append("lessons:") }
        for l in lessons {
            var fields = ["id: \(yamlScalar(l.id))", "title: \(yamlScalar(l.title))", "subject: \(yamlScalar(l.subject))",
                          "teachers: \(flowList(l.teachers))", "classes: \(flowList(l.classes))", "sessions: \(l.sessions)"]
            if l.length != 1 { fields.append("length: \(l.length)") }
            fields.append("min-days-apart: \(l.minDaysApart)")
            if !l.rooms.isEmpty { fields.append("rooms: \(flowList(l.rooms))") }
            if !l.roomFeatures.isEmpty { fields.append("room-features: \(flowList(l.roomFeatures))") }
            if !l.needsRoom { fields.append("needs-room: false") }
            if !l.prefer.isEmpty { fields.append("prefer: \(flowList(l.prefer.map(\.description)))") }
            if !l.avoid.isEmpty { fields.append("avoid: \(flowList(l.avoid.map(\.description)))") }
            if !l.at.isEmpty { fields.append("at: \(flowList(l.at.map(\.description)))") }
            if !l.onlyAt.isEmpty { fields.append("only-at: \(flowList(l.onlyAt.map(\.description)))") }
            if l.preferDaysApart > 0 { fields.append("prefer-days-apart: \(l.preferDaysApart)") }
            if let series = l.series { fields.append("series: \(yamlScalar(series))") }
            if l.endsDay { fields.append("ends-day: true") }
            out.append("  - {\(fields.joined(separator: ", "))}")
        }
        return out
    }
}

private func flowList(_ items: [String]) -> String {
    "[" + items.map(yamlScalar).joined(separator: ", ") + "]"
}

/// Characters that may appear after the first one of an unquoted value. Anything else (`:`, `#`,
/// `,`, brackets, quotes at the start, control characters) forces double quotes; quoting more than
/// necessary is harmless because the loader reads scalars as text either way.
private let plainTail = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: " -_./'()+&—–"))

/// A scalar written so YAML reads back exactly `text`, unquoted when that is unambiguous.
private func yamlScalar(_ text: String) -> String {
    // The loader treats these plain spellings as null, so a name spelled that way must be quoted.
    let nullSpellings: Set<String> = ["", "~", "null", "Null", "NULL"]
    if let first = text.unicodeScalars.first, CharacterSet.alphanumerics.contains(first),
       text.unicodeScalars.allSatisfy({ plainTail.contains($0) }),
       !text.hasSuffix(" "), !nullSpellings.contains(text) {
        return text
    }
    var quoted = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": quoted += "\\\""
        case "\\": quoted += "\\\\"
        case "\n": quoted += "\\n"
        case "\t": quoted += "\\t"
        case "\r": quoted += "\\r"
        default:
            // Line breaks YAML recognises beyond \n, and invisible controls, would not survive raw.
            if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF {
                quoted += "\\u" + String(format: "%04X", scalar.value)
            } else {
                quoted.unicodeScalars.append(scalar)
            }
        }
    }
    return quoted + "\""
}

extension Teacher {
    /// One teacher as a YAML flow mapping, as scenarios and change files (`teachers-join`) write her.
    public var yamlFlow: String {
        var fields = ["id: \(yamlScalar(id))", "name: \(yamlScalar(name))", "subjects: \(flowList(subjects))"]
        if !unavailable.isEmpty { fields.append("unavailable: \(flowList(unavailable.map(\.description)))") }
        if let d = maxPerDay { fields.append("max-per-day: \(d)") }
        if let w = maxPerWeek { fields.append("max-per-week: \(w)") }
        if let d = maxDays { fields.append("max-days: \(d)") }
        if let run = maxInARow { fields.append("max-in-a-row: \(run)") }
        if !preferNot.isEmpty { fields.append("prefer-not: \(flowList(preferNot.map(\.description)))") }
        if let aim = aimPerWeek { fields.append("aim-per-week: \(aim)") }
        return "{\(fields.joined(separator: ", "))}"
    }
}
