import Foundation

/// What the reader learnt beyond the scenario it could build, so that a file with unreadable parts
/// is still validated in full: everything else is reported, and nothing that only follows from the
/// parts that were left out.
final class ReadNotes {
    /// Every entity each list names, in file order, including those left out for a bad field: its id
    /// (nil when the id itself cannot be read) and line.
    var listed: [String: [(id: String?, line: Int?)]] = [:]
    /// Top-level keys that are missing or could not be read (or, for `days`, `name` and `timezone`,
    /// only in part).
    var unreadable: Set<String> = []
    /// Lists with an entity left out.
    var dropped: Set<String> = []
}

extension Scenario {
    /// Problems that would make the scenario meaningless or would reach the solver as invalid data.
    /// `requireServiceable: false` accepts needs that no teacher or room can serve (they are reported
    /// as unmet instead): a what-if in which the only math teacher leaves is a question, not an error.
    public func validationProblems(file: String, lines: [String: Int] = [:], requireServiceable: Bool = true) -> [InputProblem] {
        validationProblems(file: file, lines: lines, requireServiceable: requireServiceable, notes: ReadNotes())
    }

    func validationProblems(file: String, lines: [String: Int], requireServiceable: Bool = true, notes: ReadNotes) -> [InputProblem] {
        var p: [InputProblem] = []
        func add(_ entity: String, _ message: String, line: Int? = nil) {
            p.append(InputProblem(file: file, line: line ?? lines[entity], entity: entity, message: message))
        }
        /// The entities of a list as the file gave them; for a scenario built in code, its own.
        func listed(_ kind: String, _ ids: [String]) -> [(id: String?, line: Int?)] {
            notes.listed[kind] ?? ids.map { ($0, lines["\(kind)[\($0)]"]) }
        }
        /// Whether every id of a list is known, so that a reference to any other id is a mistake.
        func idsKnown(_ kind: String) -> Bool {
            !notes.unreadable.contains(kind) && !(notes.listed[kind]?.contains { $0.id == nil } ?? false)
        }
        /// Whether every entity of a list was read in full, so that a search through them is conclusive.
        func complete(_ kind: String) -> Bool { !notes.unreadable.contains(kind) && !notes.dropped.contains(kind) }
        func isEmpty(_ kind: String, _ count: Int) -> Bool {
            !notes.unreadable.contains(kind) && count == 0 && (notes.listed[kind] ?? []).isEmpty
        }

        if !notes.unreadable.contains("name"), name.trimmingCharacters(in: .whitespaces).isEmpty {
            add("name", "the scenario needs a name")
        }
        if !notes.unreadable.contains("timezone"), TimeZone(identifier: timezone) == nil {
            add("timezone", "`\(timezone)` is not an IANA time zone; use a name like America/New_York or Europe/Berlin")
        }
        if let term, term.end < term.start { add("term", "ends (\(term.end)) before it starts (\(term.start))") }

        if isEmpty("days", days.count) { add("days", "list at least one day, for example [mon, tue, wed, thu, fri]") }
        for day in Weekday.allCases where days.filter({ $0 == day }).count > 1 { add("days", "`\(day.rawValue)` is listed twice") }

        let blockEntries = listed("blocks", blocks.map(\.id))
        checkIds(blockEntries, kind: "blocks") { add($0, $1, line: $2) }
        if isEmpty("blocks", blocks.count) { add("blocks", "list at least one time block") }
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

        let modalityEntries = listed("modalities", modalities.map(\.id))
        checkIds(modalityEntries, kind: "modalities") { add($0, $1, line: $2) }
        if isEmpty("modalities", modalities.count), lessons.isEmpty { add("modalities", "define at least one modality, for example tutoring") }
        for m in modalities where m.min > m.max {
            add("modalities[\(m.id)]", "min (\(m.min)) is larger than max (\(m.max))")
        }
        if complete("blocks"), !blocks.isEmpty {
            for m in modalities where m.length > 1 {
                if m.length > blocks.count {
                    add("modalities[\(m.id)]", "length \(m.length) is longer than the day, which has \(blocks.count) block\(blocks.count == 1 ? "" : "s"); its sessions could never be placed")
                } else if !blocks.contains(where: { blockRun(from: $0.id, length: m.length) != nil }) {
                    add("modalities[\(m.id)]", "no \(m.length) consecutive blocks run without a `break-before` between them, so its sessions could never be placed; lower `length` or remove a break")
                }
            }
        }

        let blockIds = Set(blockEntries.compactMap(\.id))
        let checkDays = !notes.unreadable.contains("days"), checkBlocks = idsKnown("blocks")
        func checkSlots(_ refs: [SlotRef], _ entity: String, key: String = "unavailable") {
            for ref in refs {
                if !days.contains(ref.weekday) {
                    if checkDays { add(entity, "\(key) `\(ref)` names a day that is not in `days`") }
                } else if checkBlocks, case .block(_, let b) = ref, !blockIds.contains(b) {
                    add(entity, "\(key) `\(ref)` names block `\(b)`, which is not in `blocks`\(didYouMean(b, among: blocks.map(\.id)))")
                }
            }
        }

        let teacherEntries = listed("teachers", teachers.map(\.id))
        checkIds(teacherEntries, kind: "teachers") { add($0, $1, line: $2) }
        for t in teachers {
            if t.subjects.isEmpty, !lessons.contains(where: { $0.teachers.contains(t.id) }) {
                add("teachers[\(t.id)]", "teaches no subject; list at least one in `subjects`")
            }
            checkSlots(t.unavailable, "teachers[\(t.id)]")
            checkSlots(t.preferNot, "teachers[\(t.id)]", key: "prefer-not")
        }

        let roomEntries = listed("rooms", rooms.map(\.id))
        checkIds(roomEntries, kind: "rooms") { add($0, $1, line: $2) }
        for r in rooms { checkSlots(r.unavailable, "rooms[\(r.id)]") }

        let studentEntries = listed("students", students.map(\.id))
        checkIds(studentEntries, kind: "students") { add($0, $1, line: $2) }

        /// Reports each id of `ids` that names no entity of `kind`, unless that list could not be read
        /// in full (then the id may belong to an entity left out, which is reported already).
        // Built once per kind: rebuilding the set of 10,000 student ids for every student's `apart`
        // made validating a 10,000-student week take seconds.
        var knownIds: [String: Set<String>] = [:]
        func checkRefs(_ ids: [String], to kind: String, _ entries: [(id: String?, line: Int?)], _ entity: String, key: String?) {
            guard idsKnown(kind), !ids.isEmpty else { return }
            let known = knownIds[kind] ?? Set(entries.compactMap(\.id))
            knownIds[kind] = known
            for id in ids where !known.contains(id) {
                let names = key.map { "`\($0)` names" } ?? "lists"
                add(entity, "\(names) `\(id)`, which is not in `\(kind)`\(didYouMean(id, among: entries.compactMap(\.id)))")
            }
        }
        let teacherById = Dictionary(teachers.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let taught = Set(teachers.flatMap(\.subjects))
        let modalityIds = Set(modalityEntries.compactMap(\.id))
        let judgeTeachers = requireServiceable && complete("teachers"), judgeRooms = requireServiceable && complete("rooms")
        let roomFeatures = Array(Set(rooms.flatMap(\.features))).sorted()
        // Thousands of students share a handful of feature profiles; matching each need against every
        // room instead made validation grow with students x rooms (seconds for 10,000 students).
        var fittingRooms: [Set<String>: [Room]] = [:]
        for s in students {
            let entity = "students[\(s.id)]"
            checkSlots(s.unavailable, entity)
            checkRefs(s.apart, to: "students", studentEntries, entity, key: "apart")
            if s.apart.contains(s.id) { add(entity, "`apart` names `\(s.id)` itself; list only other students") }
            var seen = Set<String>()
            for need in s.needs {
                let needEntity = "\(entity).needs[\(need.subject)/\(need.modality)]"
                if !seen.insert("\(need.subject)\u{0}\(need.modality)").inserted {
                    add(needEntity, "is listed twice; give one line per subject and modality with the total sessions")
                }
                if need.subject.trimmingCharacters(in: .whitespaces).isEmpty { add(needEntity, "has an empty subject") }
                guard let modality = modality(need.modality) else {
                    // A modality that was named but could not be read is already reported.
                    guard idsKnown("modalities"), !modalityIds.contains(need.modality) else { continue }
                    let defined = modalities.isEmpty ? "none is defined" : "defined: \(modalities.map(\.id).joined(separator: ", "))"
                    add(needEntity, "modality `\(need.modality)` is not defined in `modalities` (\(defined))\(didYouMean(need.modality, among: modalities.map(\.id)))")
                    continue
                }
                if judgeTeachers, modality.teacher, !taught.contains(need.subject) {
                    let hint = didYouMean(need.subject, among: teachers.flatMap(\.subjects))
                    add(needEntity, "no teacher teaches `\(need.subject)`; add it to a teacher's `subjects` or change the need\(hint)")
                }
                if let requested = need.teacher {
                    if !modality.teacher {
                        add(needEntity, "`teacher: \(requested)` on a need whose modality `\(need.modality)` has `teacher: false`; remove it or use a teacher-led modality")
                    } else if let teacher = teacherById[requested] {
                        if !teacher.subjects.contains(need.subject) {
                            add(needEntity, "`teacher` `\(requested)` does not teach `\(need.subject)`; add it to their `subjects` or name a teacher who teaches it")
                        }
                    } else {
                        checkRefs([requested], to: "teachers", teacherEntries, needEntity, key: "teacher")
                    }
                }
                checkRefs(need.preferTeachers, to: "teachers", teacherEntries, needEntity, key: "prefer-teacher")
                guard judgeRooms else { continue }
                let wanted = Set(modality.roomFeatures).union(s.requires)
                let fitting = fittingRooms[wanted] ?? {
                    let found = rooms.filter { wanted.isSubset(of: $0.features) }
                    fittingRooms[wanted] = found
                    return found
                }()
                if fitting.isEmpty {
                    let wanted = wanted.sorted()
                    let hints = wanted.filter { !roomFeatures.contains($0) }.compactMap { missing in
                        closestMatch(to: missing, among: roomFeatures).map { "`\(missing)`: did you mean `\($0)`?" }
                    }
                    let hint = hints.isEmpty ? "" : " — " + hints.joined(separator: "; ")
                    add(needEntity, "no room has all of [\(wanted.joined(separator: ", "))] that \(need.modality) and this student require; add the feature to a room\(hint)")
                } else if modality.min > 1, fitting.allSatisfy({ $0.capacity < modality.min }) {
                    add(needEntity, "every room that fits has fewer seats than \(need.modality)'s min of \(modality.min)")
                }
            }
        }

        let groupEntries = listed("groups", groups.map(\.id))
        checkIds(groupEntries, kind: "groups") { add($0, $1, line: $2) }
        for g in groups { checkRefs(g.students, to: "students", studentEntries, "groups[\(g.id)]", key: nil) }

        checkIds(listed("fixed", fixed.map(\.id)), kind: "fixed") { add($0, $1, line: $2) }
        let roomById = Dictionary(rooms.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let studentById = Dictionary(students.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var placed: [(session: FixedSession, blocks: Set<String>, attendees: Set<String>)] = []
        for f in fixed {
            let entity = "fixed[\(f.id)]"
            checkRefs(f.teachers, to: "teachers", teacherEntries, entity, key: "teachers")
            checkRefs(f.room.map { [$0] } ?? [], to: "rooms", roomEntries, entity, key: "room")
            checkRefs(f.students, to: "students", studentEntries, entity, key: "students")
            checkRefs(f.groups, to: "groups", groupEntries, entity, key: "groups")
            if !days.contains(f.day) {
                if checkDays { add(entity, "day `\(f.day.rawValue)` is not in `days`") }
                continue
            }
            guard blockIds.contains(f.block) else {
                if checkBlocks { add(entity, "block `\(f.block)` is not in `blocks`\(didYouMean(f.block, among: blocks.map(\.id)))") }
                continue
            }
            guard complete("blocks") else { continue }
            guard let run = blockRun(from: f.block, length: f.length) else {
                add(entity, fixedRunProblem(f))
                continue
            }
            // Only those named in the session: a group member who is away misses it, as she would a class.
            func unavailable(_ kind: String, _ id: String, _ slots: [SlotRef]?) {
                guard let slots else { return }
                let closed = run.filter { !isAvailable(slots, day: f.day, block: $0.id) }.map { "\(f.day.rawValue).\($0.id)" }
                if !closed.isEmpty {
                    add(entity, "\(kind) `\(id)` is unavailable at \(listedInWords(closed)); move the session or change the \(kind)'s `unavailable`")
                }
            }
            for t in orderedUnique(f.teachers) { unavailable("teacher", t, teacherById[t]?.unavailable) }
            if let r = f.room { unavailable("room", r, roomById[r]?.unavailable) }
            for s in orderedUnique(f.students) { unavailable("student", s, studentById[s]?.unavailable) }

            let blocksHeld = Set(run.map(\.id)), attendees = Set(self.attendees(of: f))
            for other in placed where other.session.day == f.day && !other.blocks.isDisjoint(with: blocksHeld) {
                let o = other.session
                var shared: [String] = []
                shared += Set(f.teachers).intersection(o.teachers).sorted().map { "teacher `\($0)`" }
                if let r = f.room, r == o.room { shared.append("room `\(r)`") }
                let students = attendees.intersection(other.attendees).sorted()
                shared += students.prefix(3).map { "student `\($0)`" }
                if students.count > 3 { shared.append("\(students.count - 3) more students") }
                guard !shared.isEmpty else { continue }
                let when = run.first { other.blocks.contains($0.id) }.map { "\(f.day.rawValue).\($0.id)" } ?? f.day.rawValue
                add(entity, "clashes with fixed session `\(o.id)` at \(when): both take \(listedInWords(shared)); move one of them")
            }
            placed.append((f, blocksHeld, attendees))
        }

        // Fixed sessions count towards daily and weekly limits, in blocks; when they alone pass one,
        // no timetable can keep it.
        var teacherHolds: [String: [FixedSession]] = [:], studentHolds: [String: [FixedSession]] = [:]
        for held in placed {
            for t in Set(held.session.teachers) { teacherHolds[t, default: []].append(held.session) }
            for s in held.attendees { studentHolds[s, default: []].append(held.session) }
        }
        func checkLoad(_ entity: String, _ key: String, _ limit: Int?, _ when: String, _ held: [FixedSession]) {
            guard let limit else { return }
            let load = held.reduce(0) { $0 + $1.length }
            guard load > limit else { return }
            let ids = listedInWords(held.map { "`\($0.id)`" })
            add(entity, "fixed sessions alone fill \(load) blocks \(when) (\(ids)), more than its `\(key)` of \(limit); raise the limit or move a fixed session")
        }
        for t in teachers {
            guard let held = teacherHolds[t.id] else { continue }
            for day in days { checkLoad("teachers[\(t.id)]", "max-per-day", t.maxPerDay, "on \(day.rawValue)", held.filter { $0.day == day }) }
            checkLoad("teachers[\(t.id)]", "max-per-week", t.maxPerWeek, "in the week", held)
            if let limit = t.maxInARow, let run = longestRun(held), run.count > limit {
                add("teachers[\(t.id)]", "fixed sessions alone fill \(run.count) blocks in a row on \(run.day.rawValue) (from \(run.from)), more than its `max-in-a-row` of \(limit); raise the limit or move a fixed session")
            }
            let heldDays = days.filter { day in held.contains { $0.day == day } }
            if let limit = t.maxDays, heldDays.count > limit {
                add("teachers[\(t.id)]", "fixed sessions alone fall on \(heldDays.count) days (\(heldDays.map(\.rawValue).joined(separator: ", "))), more than its `max-days` of \(limit); raise the limit or move a fixed session")
            }
        }
        for s in students {
            guard let held = studentHolds[s.id] else { continue }
            for day in days { checkLoad("students[\(s.id)]", "max-per-day", s.maxPerDay, "on \(day.rawValue)", held.filter { $0.day == day }) }
        }
        classAndLessonProblems(ValidationContext(
            add: { add($0, $1) }, listed: listed, idsKnown: idsKnown, complete: complete,
            checkSlots: { checkSlots($0, $1, key: $2) }, checkIds: { entries, kind in checkIds(entries, kind: kind) { add($0, $1, line: $2) } }))
        return p
    }

    /// The longest run of blocks in a row these fixed sessions fill on one day (a `break-before` ends
    /// a run), with its day and first block.
    private func longestRun(_ held: [FixedSession]) -> (count: Int, day: Weekday, from: String)? {
        let ordered = blocksInTimeOrder
        var best: (count: Int, day: Weekday, from: String)?
        for day in days {
            var busy = Set<Int>()
            for f in held where f.day == day {
                guard let b = ordered.firstIndex(where: { $0.id == f.block }) else { continue }
                busy.formUnion(b..<min(ordered.count, b + f.length))
            }
            var run = 0
            for (b, block) in ordered.enumerated() {
                run = busy.contains(b) ? (block.breakBefore ? 1 : run + 1) : 0
                if run > (best?.count ?? 0) { best = (run, day, ordered[b - run + 1].id) }
            }
        }
        return best
    }

    /// Why a fixed session's blocks do not fit: the day ends, or a break falls inside them.
    private func fixedRunProblem(_ f: FixedSession) -> String {
        let ordered = blocksInTimeOrder
        let first = ordered.firstIndex { $0.id == f.block } ?? 0
        let span = "\(f.length) blocks from `\(f.block)`"
        if first + f.length > ordered.count {
            return "\(span) run past the day's last block `\(ordered.last!.id)`; start it earlier or shorten `length`"
        }
        let breakBlock = ordered[(first + 1)..<(first + f.length)].first(where: \.breakBefore)!
        return "\(span) cross the break before `\(breakBlock.id)`; start it after the break or shorten `length`"
    }

    /// Each id problem once per entity, and each repeated id once, at its second use, naming every line.
    private func checkIds(_ entries: [(id: String?, line: Int?)], kind: String, _ add: (String, String, Int?) -> Void) {
        var uses: [String: Int] = [:]
        for (id, line) in entries {
            guard let id else { continue }
            if let reason = idProblem(id) { add("\(kind)[\(id)]", reason, line) }
            uses[id, default: 0] += 1
            guard uses[id] == 2 else { continue }
            let all = entries.filter { $0.id == id }.map(\.line)
            let times = all.count == 2 ? "twice" : "\(all.count) times"
            let known = all.compactMap { $0 }
            let where_ = Set(known).count == all.count ? " (lines \(listedInWords(known.map(String.init))))" : ""
            add("\(kind)[\(id)]", "the id `\(id)` is used \(times) among \(kind)\(where_); ids must be unique", line)
        }
    }
}

/// `a`, `a and b`, `a, b and c`.
func listedInWords(_ items: [String]) -> String {
    items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
}

extension [InputProblem] {
    /// By line, so the admin can work down the file; problems without a line last, each group in the
    /// order they were found.
    public func sortedByLine() -> [InputProblem] {
        enumerated().sorted { a, b in
            (a.element.line ?? .max, a.offset) < (b.element.line ?? .max, b.offset)
        }.map(\.element)
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
