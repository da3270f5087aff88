// R8: class lessons, judged from the scenario's `classes` and `lessons` and the timetable alone.
import Rules
import ScenarioKit

extension RuleCheck {
    /// Each lesson names a scenario lesson and carries exactly its subject, teachers, classes and
    /// their students, at a real day and block.
    static let lessonKept = RuleCheck(.lessonKept) { input in
        input.lessons.flatMap { s -> [String] in
            guard let id = s.session.lesson, let lesson = input.lesson(id) else {
                return ["unknown lesson: \(s.what) names `\(s.session.lesson ?? "")`, which the scenario's `lessons` list does not have"]
            }
            var found: [String] = []
            if s.day == nil { found.append("unknown day: \(s.what) is on `\(s.session.day)`") }
            if !s.knownBlock { found.append("unknown block: \(s.what) is in block `\(s.session.block)`") }
            var differences: [String] = []
            if s.session.subject != lesson.subject { differences.append("subject \(s.session.subject) instead of \(lesson.subject)") }
            if Set(s.session.teachers ?? []) != Set(lesson.teachers) {
                differences.append("teachers [\(list(s.session.teachers ?? []))] instead of [\(list(lesson.teachers))]")
            }
            if Set(s.session.classes ?? []) != Set(lesson.classes) {
                differences.append("classes [\(list(s.session.classes ?? []))] instead of [\(list(lesson.classes))]")
            }
            let members = Set(input.scenario.attendees(of: lesson)), listed = Set(s.session.students)
            if listed != members {
                let missing = members.subtracting(listed).sorted(), extra = listed.subtracting(members).sorted()
                if !missing.isEmpty { differences.append("students missing: \(list(missing))") }
                if !extra.isEmpty { differences.append("students not in its classes: \(list(extra))") }
            }
            if s.session.length != lesson.length { differences.append("\(s.session.length) block(s) instead of \(lesson.length)") }
            if !differences.isEmpty { found.append("lesson changed: \(s.what): \(differences.joined(separator: "; "))") }
            return found
        }
    }

    static let lessonCount = RuleCheck(.lessonCount) { input in
        var placed: [String: Int] = [:]
        for s in input.lessons { if let id = s.session.lesson { placed[id, default: 0] += 1 } }
        var reported: [String: Int] = [:]
        var found: [String] = []
        for u in input.timetable.unplacedLessons {
            if input.lesson(u.lesson) == nil { found.append("unplaced entry for unknown lesson `\(u.lesson)`") }
            if u.missing < 1 { found.append("unplaced entry without missing lessons: \(u.lesson) reports missing \(u.missing)") }
            reported[u.lesson, default: 0] += u.missing
        }
        for lesson in input.scenario.lessons {
            let count = placed[lesson.id] ?? 0, missing = reported[lesson.id] ?? 0
            if count > lesson.sessions {
                found.append("too many lessons: \(lesson.id) has \(count) placed and `sessions: \(lesson.sessions)`")
            } else if count + missing != lesson.sessions {
                found.append("unplaced lessons misreported: \(lesson.id) has \(lesson.sessions) sessions, \(count) placed and \(missing) reported unplaced (should be \(lesson.sessions - count))")
            }
        }
        return found
    }

    static let lessonPinned = RuleCheck(.lessonPinned) { input in
        input.scenario.lessons.flatMap { lesson in
            lesson.at.compactMap { ref -> String? in
                guard case .block(let day, let block) = ref else { return nil }
                let held = input.lessons.contains { $0.session.lesson == lesson.id && $0.session.day == day.rawValue && $0.session.block == block }
                return held ? nil : "pinned lesson moved: \(lesson.id) is pinned to \(ref) and has no lesson starting there"
            }
        }
    }

    static let lessonLength = RuleCheck(.lessonLength) { input in
        input.lessons.compactMap { s in
            guard s.knownBlock, input.scenario.blockRun(from: s.session.block, length: max(1, s.session.length)) == nil else { return nil }
            return "runs past a break: \(s.what) would need \(s.session.length) consecutive blocks from \(s.session.block) without a break before the day ends"
        }
    }

    /// Two lessons clash when their classes share a class with no parts (FET's subgroup).
    static let classDoubleBooked = RuleCheck(.classDoubleBooked) { input in
        var seen: [[String]: [CheckInput.Resolved]] = [:]
        for s in input.lessons {
            let leaves = Set((s.session.classes ?? []).flatMap { input.scenario.leafClasses($0) })
            for leaf in leaves { for slot in s.slots { seen[[leaf, slot], default: []].append(s) } }
        }
        return seen.filter { $0.value.count > 1 }.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { key, group in
            "class double-booked: \(key[0]) has \(group.count) lessons at \(key[1]) (\(titles(group)))"
        }
    }

    /// Each class without parts counts the lessons of every class it belongs to, against the lowest
    /// `max-per-day` of them.
    static let classDailyLimit = RuleCheck(.classDailyLimit) { input in
        var blocks: [[String]: Int] = [:]
        for s in input.lessons {
            for leaf in Set((s.session.classes ?? []).flatMap { input.scenario.leafClasses($0) }) { blocks[[leaf, s.session.day], default: 0] += s.blocks.count }
        }
        return blocks.sorted { $0.key.lexicographicallyPrecedes($1.key) }.compactMap { key, load in
            let limits = ([key[0]] + input.scenario.classesContaining(key[0])).compactMap { id in input.scenario.schoolClass(id)?.maxPerDay.map { (id, $0) } }
            guard let limit = limits.min(by: { $0.1 < $1.1 }), load > limit.1 else { return nil }
            return "class over daily limit: \(key[0]) has \(load) blocks of lessons on \(key[1]); max-per-day of \(limit.0) is \(limit.1)"
        }
    }

    static let classUnavailable = RuleCheck(.classUnavailable) { input in
        input.lessons.flatMap { s -> [String] in
            let related = (s.session.classes ?? []).flatMap { input.scenario.classAndParts($0) + input.scenario.classesContaining($0) }
            return unique(related).compactMap { id in
                guard let k = input.scenario.schoolClass(id), !s.isFree(k.unavailable) else { return nil }
                return "class unavailable: \(id) is not available at \(s.at) (\(s.title))"
            }
        }
    }

    static let lessonRoom = RuleCheck(.lessonRoom) { input in
        input.lessons.compactMap { s in
            guard let lesson = s.session.lesson.flatMap(input.lesson) else { return nil }
            guard let roomId = s.session.room else {
                return lesson.needsRoom ? "lesson without a room: \(s.what) has no room and needs one" : nil
            }
            guard let room = s.room else { return "unknown room: \(s.what) is in `\(roomId)`, which is not a room" }
            if !lesson.rooms.isEmpty, !lesson.rooms.contains(room.id) {
                return "room not allowed: \(s.what) is in \(room.id); \(lesson.id) may use only \(list(lesson.rooms))"
            }
            let missing = lesson.roomFeatures.filter { !room.features.contains($0) }
            return missing.isEmpty ? nil : "room lacks feature: \(room.id) has no \(list(missing.map { "`\($0)`" })), which \(lesson.id) needs (\(s.what))"
        }
    }

    static let lessonRoomSize = RuleCheck(.lessonRoomSize) { input in
        input.lessons.compactMap { s in
            guard let room = s.room, let lesson = s.session.lesson.flatMap(input.lesson) else { return nil }
            let seats = input.scenario.seats(of: lesson)
            return seats > room.capacity ? "room too small: \(room.id) seats \(room.capacity) but \(s.what) is for \(seats) (\(list(lesson.classes)))" : nil
        }
    }

    /// Days apart by their place in the scenario's `days`, as FET counts them; a series is checked
    /// once, all its lessons together.
    static let lessonDaysApart = RuleCheck(.lessonDaysApart) { input in
        input.scenario.lessons.flatMap { lesson -> [String] in
            let mates = input.scenario.seriesMates(of: lesson)
            guard mates.first?.id == lesson.id else { return [] }
            let placed = input.placedDays(of: mates)
            var found: [String] = []
            for (i, a) in placed.enumerated() {
                for b in placed[(i + 1)...] where abs(a.day - b.day) < max(a.lesson.minDaysApart, b.lesson.minDaysApart) {
                    let names = [input.scenario.days[a.day].rawValue, input.scenario.days[b.day].rawValue]
                    let which = a.lesson.id == b.lesson.id ? a.lesson.id : "\(a.lesson.id) (series \(lesson.series ?? ""))"
                    found.append("lessons too close: \(which) is on \(names[0]) and \(names[1]); `min-days-apart` is \(max(a.lesson.minDaysApart, b.lesson.minDaysApart))")
                }
            }
            return found
        }
    }

    /// Blocks in time order: a lesson sharing a class without parts that starts at or after an
    /// `ends-day` lesson's last block ends too late.
    static let lessonEndsDay = RuleCheck(.lessonEndsDay) { input in
        let order = Dictionary(input.scenario.blocksInTimeOrder.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        func leaves(_ s: CheckInput.Resolved) -> Set<String> { Set((s.session.classes ?? []).flatMap { input.scenario.leafClasses($0) }) }
        return input.lessons.flatMap { last -> [String] in
            guard last.session.lesson.flatMap(input.lesson)?.endsDay == true, let end = order[last.blocks.last ?? ""] else { return [] }
            let mine = leaves(last)
            return input.lessons.compactMap { s in
                guard s.session.day == last.session.day, let start = order[s.session.block], start > end, !leaves(s).isDisjoint(with: mine) else { return nil }
                return "lesson after the day's last: \(s.what) starts at \(s.at), after \(last.what), which ends the day of \(mine.intersection(leaves(s)).sorted().joined(separator: ", "))"
            }
        }
    }

    static let lessonOnlyAt = RuleCheck(.lessonOnlyAt) { input in
        input.lessons.compactMap { s in
            guard let lesson = s.session.lesson.flatMap(input.lesson), !lesson.onlyAt.isEmpty, let day = Weekday(rawValue: s.session.day),
                  !lesson.mayStart(day: day, block: s.session.block) else { return nil }
            return "start not allowed: \(s.what) starts at \(s.session.day).\(s.session.block); \(lesson.id) may start only at \(list(lesson.onlyAt.map(\.description)))"
        }
    }
}

extension CheckInput {
    func lesson(_ id: String) -> Lesson? { scenario.lessons.first { $0.id == id } }

    /// Each placed lesson of `lessons` with its day's place in the week.
    func placedDays(of lessons: [Lesson]) -> [(lesson: Lesson, day: Int)] {
        let order = Dictionary(scenario.days.enumerated().map { ($1.rawValue, $0) }, uniquingKeysWith: { a, _ in a })
        return lessons.flatMap { lesson in
            self.lessons.filter { $0.session.lesson == lesson.id }.compactMap { s in order[s.session.day].map { (lesson, $0) } }
        }
    }
}
