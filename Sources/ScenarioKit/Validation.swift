import Foundation

extension Scenario {
    /// Problems that would make the scenario meaningless or would reach the solver as invalid data.
    /// `requireServiceable: false` accepts needs that no teacher or room can serve (they are reported
    /// as unmet instead): a what-if in which the only math teacher leaves is a question, not an error.
    public func validationProblems(file: String, lines: [String: Int] = [:], requireServiceable: Bool = true) -> [InputProblem] {
        var p: [InputProblem] = []
        func add(_ entity: String, _ message: String) {
            p.append(InputProblem(file: file, line: lines[entity], entity: entity, message: message))
        }

        if name.trimmingCharacters(in: .whitespaces).isEmpty { add("name", "the scenario needs a name") }
        if TimeZone(identifier: timezone) == nil {
            add("timezone", "`\(timezone)` is not an IANA time zone; use a name like America/New_York or Europe/Berlin")
        }
        if let term, term.end < term.start { add("term", "ends (\(term.end)) before it starts (\(term.start))") }

        if days.isEmpty { add("days", "list at least one day, for example [mon, tue, wed, thu, fri]") }
        for day in Weekday.allCases where days.filter({ $0 == day }).count > 1 { add("days", "`\(day.rawValue)` is listed twice") }

        checkIds(blocks.map(\.id), kind: "blocks", add)
        if blocks.isEmpty { add("blocks", "list at least one time block") }
        for b in blocks where b.end <= b.start {
            add("blocks[\(b.id)]", "ends at \(b.end), not after it starts at \(b.start)")
        }
        // Compared with the latest-ending earlier block, not just the previous one: a long block can
        // overlap several later ones that do not overlap each other.
        var latest: Block?
        for b in blocks.sorted(by: { ($0.start, $0.end) < ($1.start, $1.end) }) {
            if let a = latest, b.start < a.end {
                add("blocks[\(b.id)]", "overlaps block `\(a.id)` (\(a.start)-\(a.end)); blocks must not overlap")
            }
            if latest.map({ b.end > $0.end }) ?? true { latest = b }
        }

        checkIds(modalities.map(\.id), kind: "modalities", add)
        if modalities.isEmpty { add("modalities", "define at least one modality, for example tutoring") }
        for m in modalities where m.min > m.max {
            add("modalities[\(m.id)]", "min (\(m.min)) is larger than max (\(m.max))")
        }

        let blockIds = Set(blocks.map(\.id))
        func checkSlots(_ refs: [SlotRef], _ entity: String) {
            for ref in refs {
                if !days.contains(ref.weekday) {
                    add(entity, "unavailable `\(ref)` names a day that is not in `days`")
                } else if case .block(_, let b) = ref, !blockIds.contains(b) {
                    add(entity, "unavailable `\(ref)` names block `\(b)`, which is not in `blocks`")
                }
            }
        }

        checkIds(teachers.map(\.id), kind: "teachers", add)
        for t in teachers {
            if t.subjects.isEmpty { add("teachers[\(t.id)]", "teaches no subject; list at least one in `subjects`") }
            checkSlots(t.unavailable, "teachers[\(t.id)]")
        }

        checkIds(rooms.map(\.id), kind: "rooms", add)
        for r in rooms { checkSlots(r.unavailable, "rooms[\(r.id)]") }

        checkIds(students.map(\.id), kind: "students", add)
        let taught = Set(teachers.flatMap(\.subjects))
        // Thousands of students share a handful of feature profiles; matching each need against every
        // room instead made validation grow with students x rooms (seconds for 10,000 students).
        var fittingRooms: [Set<String>: [Room]] = [:]
        for s in students {
            let entity = "students[\(s.id)]"
            checkSlots(s.unavailable, entity)
            var seen = Set<String>()
            for need in s.needs {
                let needEntity = "\(entity).needs[\(need.subject)/\(need.modality)]"
                if !seen.insert("\(need.subject)\u{0}\(need.modality)").inserted {
                    add(needEntity, "is listed twice; give one line per subject and modality with the total sessions")
                }
                if need.subject.trimmingCharacters(in: .whitespaces).isEmpty { add(needEntity, "has an empty subject") }
                guard let modality = modality(need.modality) else {
                    let defined = modalities.isEmpty ? "none is defined" : "defined: \(modalities.map(\.id).joined(separator: ", "))"
                    add(needEntity, "modality `\(need.modality)` is not defined in `modalities` (\(defined))")
                    continue
                }
                guard requireServiceable else { continue }
                if modality.teacher && !taught.contains(need.subject) {
                    add(needEntity, "no teacher teaches `\(need.subject)`; add it to a teacher's `subjects` or change the need")
                }
                let wanted = Set(modality.roomFeatures).union(s.requires)
                let fitting = fittingRooms[wanted] ?? {
                    let found = rooms.filter { wanted.isSubset(of: $0.features) }
                    fittingRooms[wanted] = found
                    return found
                }()
                if fitting.isEmpty {
                    let wanted = wanted.sorted()
                    add(needEntity, "no room has all of [\(wanted.joined(separator: ", "))] that \(need.modality) and this student require; add the feature to a room")
                } else if modality.min > 1, fitting.allSatisfy({ $0.capacity < modality.min }) {
                    add(needEntity, "every room that fits has fewer seats than \(need.modality)'s min of \(modality.min)")
                }
            }
        }
        return p
    }

    private func checkIds(_ ids: [String], kind: String, _ add: (String, String) -> Void) {
        var seen = Set<String>()
        for id in ids {
            if let reason = idProblem(id) { add("\(kind)[\(id)]", reason) }
            if !seen.insert(id).inserted { add("\(kind)[\(id)]", "the id `\(id)` is used twice among \(kind); ids must be unique") }
        }
    }
}

/// Ids become file names and calendar UIDs, so they are kept to letters, digits, `-`, `_` and `.`.
public func idProblem(_ id: String) -> String? {
    if id.isEmpty { return "the id is empty" }
    if id.count > 64 { return "the id is longer than 64 characters" }
    if id.hasPrefix(".") { return "an id must not start with `.`" }
    let bad = id.unicodeScalars.filter { !(CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) }
    if let first = bad.first {
        // Tabs, no-break spaces and invisible format characters would be unreadable between backticks.
        let invisible = first.properties.isWhitespace || [.control, .format].contains(first.properties.generalCategory)
        let code = "U+" + String(first.value, radix: 16, uppercase: true).leftPadded(to: 4)
        let shown = first == " " ? "a space" : invisible ? "the invisible character \(code)" : "`\(first)`"
        return "the id `\(id)` contains \(shown); use only letters, digits, `-`, `_` and `.`"
    }
    return nil
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: Swift.max(0, width - count)) + self }
}
