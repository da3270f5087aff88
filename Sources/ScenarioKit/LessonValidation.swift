// v1.2's classes and lessons, judged against the rest of the scenario: every problem at once, each
// naming its entity and line and saying what to change.

/// What the main validation hands over: how it records a problem and what it knows about each list.
struct ValidationContext {
    let add: (_ entity: String, _ message: String) -> Void
    let listed: (_ kind: String, _ ids: [String]) -> [(id: String?, line: Int?)]
    let idsKnown: (_ kind: String) -> Bool
    let complete: (_ kind: String) -> Bool
    let checkSlots: (_ refs: [SlotRef], _ entity: String, _ key: String) -> Void
    let checkIds: (_ entries: [(id: String?, line: Int?)], _ kind: String) -> Void
}

extension Scenario {
    func classAndLessonProblems(_ c: ValidationContext) {
        func checkRefs(_ ids: [String], to kind: String, _ entity: String, key: String) {
            guard c.idsKnown(kind) else { return }
            let entries = c.listed(kind, idsOf(kind))
            let known = Set(entries.compactMap(\.id))
            for id in ids where !known.contains(id) {
                c.add(entity, "`\(key)` names `\(id)`, which is not in `\(kind)`\(didYouMean(id, among: entries.compactMap(\.id)))")
            }
        }
        let classEntries = c.listed("classes", classes.map(\.id))
        c.checkIds(classEntries, "classes")
        for k in classes {
            let entity = "classes[\(k.id)]"
            checkRefs(k.parts, to: "classes", entity, key: "parts")
            checkRefs(k.students, to: "students", entity, key: "students")
            c.checkSlots(k.unavailable, entity, "unavailable")
            if k.parts.contains(k.id) { c.add(entity, "`parts` names `\(k.id)` itself; list the classes it is made of") }
            else if k.parts.contains(where: { classAndParts($0).contains(k.id) }) {
                c.add(entity, "its `parts` lead back to `\(k.id)` itself; a class cannot be part of its own parts")
            }
            // Its parts' students sit in its lessons too, so they count against its `size`.
            let members = members(ofClass: k.id).count
            if let size = k.size, size < members {
                let whose = k.parts.isEmpty ? "it lists" : "it and its parts list"
                c.add(entity, "`size` \(size) is smaller than the \(members) students \(whose); raise `size` or leave it out")
            }
            if k.size == nil, k.parts.isEmpty, k.students.isEmpty {
                c.add(entity, "has no `size`, `parts` or `students`; give `size: N` (its seats) so its lessons get a room that fits")
            }
        }

        checkIds(lessons: c)
        let dayCount = days.count, judgeBlocks = c.complete("blocks") && !blocks.isEmpty
        let roomsKnown = c.complete("rooms")
        for lesson in lessons {
            let entity = "lessons[\(lesson.id)]"
            if lesson.subject.trimmingCharacters(in: .whitespaces).isEmpty { c.add(entity, "has an empty `subject`") }
            checkRefs(lesson.teachers, to: "teachers", entity, key: "teachers")
            checkRefs(lesson.classes, to: "classes", entity, key: "classes")
            checkRefs(lesson.rooms, to: "rooms", entity, key: "rooms")
            for (key, refs) in [("prefer", lesson.prefer), ("avoid", lesson.avoid), ("at", lesson.at), ("only-at", lesson.onlyAt)] {
                c.checkSlots(refs, entity, key)
            }
            for (i, k) in lesson.classes.enumerated() {
                if lesson.classes[..<i].contains(k) { c.add(entity, "lists class `\(k)` twice") }
                for other in lesson.classes where other != k && classAndParts(other).dropFirst().contains(k) {
                    c.add(entity, "lists `\(k)` and `\(other)`, which already contains it; list only `\(other)`")
                }
            }
            if let series = lesson.series, lessons.first(where: { $0.series == series })?.id == lesson.id, dayCount > 0 {
                let mates = seriesMates(of: lesson), apart = mates.map(\.minDaysApart).min() ?? 0
                let total = mates.reduce(0) { $0 + $1.sessions }
                if apart > 0, mates.count > 1, 1 + (total - 1) * apart > dayCount {
                    c.add(entity, "series `\(series)` has \(total) lessons at least \(apart) day\(apart == 1 ? "" : "s") apart, more than the week's \(dayCount) days hold; lower `sessions` or `min-days-apart`")
                }
            }
            if lesson.minDaysApart > 0, lesson.sessions > 1, dayCount > 0 {
                let needed = 1 + (lesson.sessions - 1) * lesson.minDaysApart
                if needed > dayCount {
                    c.add(entity, "\(lesson.sessions) lessons at least \(lesson.minDaysApart) day\(lesson.minDaysApart == 1 ? "" : "s") apart need \(needed) school days, and the week has \(dayCount); lower `sessions` or `min-days-apart`")
                }
            }
            if judgeBlocks {
                if lesson.length > blocks.count {
                    c.add(entity, "`length` \(lesson.length) is longer than the day, which has \(blocks.count) block\(blocks.count == 1 ? "" : "s")")
                } else if !blocks.contains(where: { blockRun(from: $0.id, length: lesson.length) != nil }) {
                    c.add(entity, "no \(lesson.length) consecutive blocks run without a `break-before` between them; lower `length` or remove a break")
                }
            }
            checkPins(lesson, entity, c)
            if judgeBlocks { checkOnlyAt(lesson, entity, c) }
            if lesson.needsRoom, roomsKnown, c.complete("classes") {
                let allowed = lesson.rooms.isEmpty ? rooms : rooms.filter { lesson.rooms.contains($0.id) }
                let seats = seats(of: lesson)
                // Its students' `requires` bind its room as the lesson's own features do.
                let wanted = orderedUnique(lesson.roomFeatures + attendees(of: lesson).flatMap { student($0)?.requires ?? [] })
                let featured = allowed.filter { Set(wanted).isSubset(of: $0.features) }
                if rooms.isEmpty {
                    c.add(entity, "needs a room and the scenario lists none; add `rooms` or set `needs-room: false`")
                } else if featured.isEmpty, !allowed.isEmpty {
                    let why = wanted.count > lesson.roomFeatures.count ? " (its own `room-features` and what its students `requires`)" : ""
                    c.add(entity, "no room it may use has all of [\(wanted.joined(separator: ", "))]\(why); add the feature to a room or change `room-features`")
                } else if !featured.isEmpty, featured.allSatisfy({ $0.capacity < seats }) {
                    let largest = featured.map(\.capacity).max()!
                    c.add(entity, "its classes need \(seats) seats and the largest room it may use seats \(largest); allow a larger room in `rooms` or split the lesson")
                }
            }
        }
    }

    private func student(_ id: String) -> Student? { students.first { $0.id == id } }

    private func idsOf(_ kind: String) -> [String] {
        switch kind {
        case "teachers": teachers.map(\.id)
        case "rooms": rooms.map(\.id)
        case "students": students.map(\.id)
        case "classes": classes.map(\.id)
        default: []
        }
    }

    private func checkIds(lessons c: ValidationContext) {
        c.checkIds(c.listed("lessons", lessons.map(\.id)), "lessons")
    }

    /// Pinned lessons: real blocks, no more than its sessions, runs that fit, days far enough apart.
    /// `only-at` must leave a start for every lesson, and every pin must be one of its starts.
    private func checkOnlyAt(_ lesson: Lesson, _ entity: String, _ c: ValidationContext) {
        guard !lesson.onlyAt.isEmpty else { return }
        for case .block(let day, let block) in lesson.at where !lesson.mayStart(day: day, block: block) {
            c.add(entity, "`at` `\(day.rawValue).\(block)` is not one of its `only-at` times; add it there or move the pin")
        }
        let startDays = days.filter { day in
            blocks.contains { lesson.mayStart(day: day, block: $0.id) && blockRun(from: $0.id, length: lesson.length) != nil }
        }
        if startDays.isEmpty {
            c.add(entity, "no `only-at` time starts \(lesson.length) consecutive blocks of a school day; add times to `only-at`")
        } else if lesson.minDaysApart > 0, 1 + (lesson.sessions - 1) * lesson.minDaysApart > startDays.count {
            c.add(entity, "`only-at` allows starts on \(startDays.count) day\(startDays.count == 1 ? "" : "s"), too few for \(lesson.sessions) lessons `min-days-apart: \(lesson.minDaysApart)`; allow more days or lower `min-days-apart`")
        }
    }

    private func checkPins(_ lesson: Lesson, _ entity: String, _ c: ValidationContext) {
        guard !lesson.at.isEmpty else { return }
        if lesson.at.count > lesson.sessions {
            c.add(entity, "`at` pins \(lesson.at.count) lessons and it has `sessions: \(lesson.sessions)`; raise `sessions` or pin fewer")
        }
        var pinned: [(day: Weekday, block: String)] = []
        for ref in lesson.at {
            guard case .block(let day, let block) = ref else {
                c.add(entity, "`at` `\(ref)` names a whole day; pin a lesson to its first block, for example `\(ref).\(blocksInTimeOrder.first?.id ?? "b1")`")
                continue
            }
            guard days.contains(day), blocks.contains(where: { $0.id == block }) else { continue }
            guard let run = blockRun(from: block, length: lesson.length) else {
                c.add(entity, "`at` `\(ref)`: \(lesson.length) blocks from `\(block)` run past the day's end or across a break; pin it earlier")
                continue
            }
            let away = pinnedAway(lesson, day: day, run: run)
            if !away.isEmpty {
                c.add(entity, "`at` `\(ref)` is when \(listedInWords(away)) \(away.count == 1 ? "is" : "are") unavailable; move the pin or change their `unavailable`")
            }
            pinned.append((day, block))
        }
        let order = Dictionary(days.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        for (i, a) in pinned.enumerated() {
            for b in pinned[(i + 1)...] {
                guard let x = order[a.day], let y = order[b.day] else { continue }
                if x == y, a.block == b.block {
                    c.add(entity, "`at` pins two lessons to \(a.day.rawValue).\(a.block)")
                } else if abs(x - y) < lesson.minDaysApart {
                    c.add(entity, "`at` pins lessons on \(a.day.rawValue) and \(b.day.rawValue), closer than its `min-days-apart: \(lesson.minDaysApart)`; move a pin or lower `min-days-apart`")
                }
            }
        }
    }
}

extension Scenario {
    /// Teachers and classes (a lesson's classes, their parts and the classes they are part of) that
    /// are unavailable in a pinned run: the pin could never hold.
    fileprivate func pinnedAway(_ lesson: Lesson, day: Weekday, run: [Block]) -> [String] {
        let related = orderedUnique(lesson.classes.flatMap { classAndParts($0) + classesContaining($0) })
        let teachersAway = orderedUnique(lesson.teachers).filter { id in
            teachers.first { $0.id == id }.map { t in run.contains { !isAvailable(t.unavailable, day: day, block: $0.id) } } ?? false
        }
        let classesAway = related.filter { id in
            schoolClass(id).map { k in run.contains { !isAvailable(k.unavailable, day: day, block: $0.id) } } ?? false
        }
        return teachersAway.map { "teacher `\($0)`" } + classesAway.map { "class `\($0)`" }
    }
}
