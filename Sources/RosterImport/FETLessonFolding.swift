import ScenarioKit

/// From activities to lessons: a lesson carries a constraint of its parts only when every part has
/// it alike (a lesson's sessions are interchangeable), and activities that FET starts together
/// become one lesson taught by all their teachers to all their classes.
extension FETMapper {
    /// Hard start sets and rooms, per lesson.
    mutating func foldActivityConstraints(_ x: inout ConstraintContext) {
        splitDisagreeingParts(&x)
        applyMinDays(&x)
        for i in x.lessons.indices {
            let parts = activitiesOf[i]
            // A split activity with a pinned part stays whole, whatever its parts say.
            if parts.contains(where: x.endsDay.contains) {
                if parts.allSatisfy(x.endsDay.contains) { x.lessons[i].endsDay = true }
                else { unsupported["ActivityEndsStudentsDay on some parts of a split activity with a pinned part", default: 0] += 1 }
            }
            // A pinned part starts where it is pinned; the others must agree on where they may start.
            let free = parts.filter { !x.pinned.contains($0) }
            let sets = free.map { x.allowedStarts[$0] }
            if let first = sets.first, let allowed = first {
                if sets.allSatisfy({ $0 == allowed }) {
                    let pins = x.lessons[i].at.compactMap(time(of:))
                    x.lessons[i].onlyAt = compact(allowed.union(pins))
                } else {
                    unsupported["hard preferred starting times or time slots that differ between parts of a split activity", default: 0] += 1
                }
            } else if sets.contains(where: { $0 != nil }) {
                unsupported["hard preferred starting times or time slots that differ between parts of a split activity", default: 0] += 1
            }
            // FET gives an activity a room only when a room constraint names one; home rooms bind
            // only activities with no preferred room.
            let rooms = parts.map { x.preferredRooms[$0] ?? x.homeRooms[$0] }
            activitiesWithRooms.formUnion(parts.filter { x.preferredRooms[$0] != nil || x.homeRooms[$0] != nil })
            guard let first = rooms.first, let chosen = first else {
                if rooms.contains(where: { $0 != nil }) {
                    unsupported["room constraints that differ between parts of a split activity", default: 0] += 1
                }
                x.lessons[i].needsRoom = false
                continue
            }
            guard rooms.allSatisfy({ $0 == chosen }) else {
                unsupported["room constraints that differ between parts of a split activity", default: 0] += 1
                x.lessons[i].needsRoom = false
                continue
            }
            if chosen.isEmpty {
                // Rooms named only as virtual were dropped (and listed as not carried over).
                if virtualRooms.isEmpty {
                    problem(nil, "Activity \(parts[0])", "no room meets all its 100 % room constraints together; FET cannot place it either")
                }
                x.lessons[i].needsRoom = false
                continue
            }
            x.lessons[i].rooms = x.rooms.map(\.id).filter { chosen.contains($0) }
        }
    }

    /// Parts of a split activity whose own hard starts, rooms or min-days constraints differ become
    /// lessons of their own, one per set of parts that agree; the min-days constraints then join
    /// them in a `series` where they must (`applyMinDays`). Pinned parts stay as they are (a pin is
    /// the lesson's, not a part's).
    private mutating func splitDisagreeingParts(_ x: inout ConstraintContext) {
        for i in x.lessons.indices {
            let parts = activitiesOf[i]
            guard parts.count > 1, parts.allSatisfy({ !x.pinned.contains($0) }) else { continue }
            let context = x
            func key(_ a: Int) -> String {
                let rooms = context.preferredRooms[a] ?? context.homeRooms[a]
                let apart = context.minDays.indices.filter { context.minDays[$0].activities.contains(a) }
                return "\(context.allowedStarts[a].map { $0.sorted().description } ?? "any") \(rooms.map { $0.sorted().description } ?? "none") \(apart) \(context.endsDay.contains(a))"
            }
            let groups = Dictionary(grouping: parts, by: key).values.map { $0.sorted() }.sorted { $0[0] < $1[0] }
            guard groups.count > 1 else { continue }
            x.lessons[i].sessions = groups[0].count
            activitiesOf[i] = groups[0]
            for group in groups.dropFirst() {
                var part = x.lessons[i]
                part.id = "a\(group[0])"
                part.sessions = group.count
                for a in group { lessonOf[a] = x.lessons.count }
                activitiesOf.append(group)
                x.lessons.append(part)
            }
        }
    }

    func time(of ref: SlotRef) -> Int? {
        guard case .block(let day, let block) = ref, let h = blockIds.firstIndex(of: block) else { return nil }
        return day.ordinal * blockIds.count + h
    }

    /// Slot refs for a set of starts: a whole day as the day, the rest block by block.
    func compact(_ times: Set<Int>) -> [SlotRef] {
        let hours = blockIds.count
        return Weekday.allCases.prefix(dayIds.count).enumerated().flatMap { d, day -> [SlotRef] in
            let hs = (0..<hours).filter { times.contains(d * hours + $0) }
            return hs.count == hours ? [.day(day)] : hs.map { .block(day, blockIds[$0]) }
        }
    }

    /// ActivitiesSameStartingTime: lessons whose every session starts with one session of each of
    /// the others merge into one lesson. Anything else (parts paired unevenly, pins, several of them
    /// needing a room) is listed as not carried over.
    mutating func mergeSameStarts(_ x: inout ConstraintContext) {
        sessionsOf = activitiesOf.map { $0.map { [$0] } }
        var parent = Array(x.lessons.indices)
        func root(_ i: Int) -> Int { var i = i; while parent[i] != i { i = parent[i] }; return i }
        for ids in x.sameStart {
            let ls = ids.compactMap { lessonOf[$0] }
            for l in ls.dropFirst() { parent[root(l)] = root(ls[0]) }
        }
        var components: [Int: [Int]] = [:]
        for i in x.lessons.indices { components[root(i), default: []].append(i) }
        let merging = components.values.filter { $0.count > 1 }.map { $0.sorted() }.sorted { $0[0] < $1[0] }
        let families = seriesFamilies(merging, x)
        // Every merge is judged first: a series family merges whole or not at all.
        var plans: [(members: [Int], groups: [[Int]])?] = merging.map { found in
            var members = found
            if let head = families[found[0]]?.head { members = [head] + found.filter { $0 != head } }
            let constraints = x.sameStart.filter { ids in ids.contains { lessonOf[$0].map(members.contains) ?? false } }
            guard let groups = pairedSessions(members, constraints, x),
                  members.allSatisfy({ x.lessons[$0].series == nil }) || families[found[0]] != nil else {
                unsupported["ActivitiesSameStartingTime that does not pair up whole activities", default: 0] += constraints.count
                return nil
            }
            if members.count(where: { x.lessons[$0].needsRoom }) > 1 {
                unsupported["ActivitiesSameStartingTime of several activities that each need a room", default: 0] += constraints.count
                return nil
            }
            return (members, groups)
        }
        for (k, found) in merging.enumerated() where plans[k] != nil {
            guard let family = families[found[0]]?.family,
                  merging.indices.contains(where: { plans[$0] == nil && families[merging[$0][0]]?.family == family }) else { continue }
            unsupported["ActivitiesSameStartingTime of series whose other lessons do not all start together", default: 0]
                += x.sameStart.count { ids in ids.contains { lessonOf[$0].map(found.contains) ?? false } }
            plans[k] = nil
        }
        var removed = Set<Int>()
        for case let (members, groups)? in plans {
            let base = members[0]
            var merged = x.lessons[base]
            for m in members.dropFirst() {
                let other = x.lessons[m]
                merged.title += " + " + other.title
                merged.teachers += other.teachers.filter { !merged.teachers.contains($0) }
                merged.classes += other.classes.filter { !merged.classes.contains($0) }
                merged.minDaysApart = max(merged.minDaysApart, other.minDaysApart)
                merged.preferDaysApart = max(merged.preferDaysApart, other.preferDaysApart)
                merged.prefer += other.prefer.filter { !merged.prefer.contains($0) }
                if merged.endsDay != other.endsDay {
                    warnings.append(InputProblem(file: file, line: nil, entity: "Activity \(activitiesOf[m][0])",
                                                 message: "ends its students' day and starts together with activities that do not: the lesson ends the day of all their classes"))
                }
                merged.endsDay = merged.endsDay || other.endsDay
                if other.needsRoom { merged.rooms = other.rooms; merged.needsRoom = true }
                if !other.onlyAt.isEmpty {
                    let mine = Set(merged.onlyAt.isEmpty ? startTimes(day: nil, hour: nil)
                                                         : expand(merged.onlyAt))
                    merged.onlyAt = compact(mine.intersection(expand(other.onlyAt)))
                }
                removed.insert(m)
            }
            x.lessons[base] = merged
            sessionsOf[base] = groups
        }
        guard !removed.isEmpty else { return }
        let kept = x.lessons.indices.filter { !removed.contains($0) }
        x.lessons = kept.map { x.lessons[$0] }
        activitiesOf = kept.map { activitiesOf[$0] }
        sessionsOf = kept.map { sessionsOf[$0] }
        lessonOf = [:]
        for (i, groups) in sessionsOf.enumerated() { for id in groups.joined() { lessonOf[id] = i } }
    }

    /// Per session of the first member, the activities of every member starting with it; nil unless
    /// each constraint takes exactly one activity of each member and every activity is in one.
    private func pairedSessions(_ members: [Int], _ constraints: [[Int]], _ x: ConstraintContext) -> [[Int]]? {
        let sessions = x.lessons[members[0]].sessions, length = x.lessons[members[0]].length
        guard members.allSatisfy({ x.lessons[$0].sessions == sessions && x.lessons[$0].length == length && x.lessons[$0].at.isEmpty }),
              constraints.count == sessions else { return nil }
        var seen = Set<Int>()
        var groups: [[Int]] = []
        for ids in constraints {
            let byLesson = Dictionary(grouping: ids, by: { lessonOf[$0] ?? -1 })
            guard Set(byLesson.keys) == Set(members), byLesson.values.allSatisfy({ $0.count == 1 }) else { return nil }
            guard ids.allSatisfy({ seen.insert($0).inserted }) else { return nil }
            groups.append(members.map { byLesson[$0]![0] })
        }
        return groups.sorted { $0[0] < $1[0] }
    }

    /// Lessons of series start together only when whole series pair up: each merge takes one lesson
    /// of every series of a family, and every lesson of those series is in one. Merged, each two
    /// lessons are then kept apart by the larger of both series' values, what both ask. Per merge
    /// (by its first lesson) of series lessons: its family, and its member of the family's first series.
    private func seriesFamilies(_ merges: [[Int]], _ x: ConstraintContext) -> [Int: (family: Set<String>, head: Int)] {
        var families: [Set<String>: [[Int]]] = [:]
        for members in merges {
            let series = members.compactMap { x.lessons[$0].series }
            guard series.count == members.count, Set(series).count == series.count else { continue }
            families[Set(series), default: []].append(members)
        }
        let claimed = Dictionary(families.keys.flatMap { f in f.map { ($0, 1) } }, uniquingKeysWith: +)
        var found: [Int: (Set<String>, Int)] = [:]
        for (family, merges) in families where family.allSatisfy({ claimed[$0] == 1 }) {
            guard family.allSatisfy({ s in x.lessons.count(where: { $0.series == s }) == merges.count }), let first = family.min() else { continue }
            for members in merges { found[members[0]] = (family, members.first { x.lessons[$0].series == first }!) }
        }
        return found
    }

    func expand(_ refs: [SlotRef]) -> Set<Int> {
        Set(refs.flatMap { ref -> [Int] in
            switch ref {
            case .day(let d): blockIds.indices.map { d.ordinal * blockIds.count + $0 }
            case .block: time(of: ref).map { [$0] } ?? []
            }
        })
    }
}
