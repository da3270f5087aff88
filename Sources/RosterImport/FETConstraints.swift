import ScenarioKit

/// What FET's constraints change, gathered while they are read. Constraints on single activities
/// are kept per activity first: a lesson stands for several (a split activity's parts), and only
/// when they all agree can the lesson carry it (`FETLessonFolding.swift`).
struct ConstraintContext {
    var teachers: [Teacher]
    var rooms: [Room]
    var classes: [SchoolClass]
    var lessons: [Lesson]
    /// Hard starts per activity (slot = day x hours + hour), intersected over its constraints.
    var allowedStarts: [Int: Set<Int>] = [:]
    /// Activities pinned by a 100 % ActivityPreferredStartingTime.
    var pinned: Set<Int> = []
    /// Rooms per activity from preferred-room constraints (activity, subject, tag), intersected.
    var preferredRooms: [Int: Set<String>] = [:]
    /// Rooms per activity from home-room constraints, intersected; they bind only activities with
    /// no preferred room.
    var homeRooms: [Int: Set<String>] = [:]
    /// Activities that must start together, one list per constraint.
    var sameStart: [[Int]] = []
    /// MinDaysBetweenActivities, applied once lessons are split by which of them their parts are in
    /// (`FETMinDays.swift`).
    var minDays: [MinDaysConstraint] = []
    /// Activities that end their students' day.
    var endsDay: Set<Int> = []
}

extension FETMapper {
    mutating func unsupportedAt(_ type: String, _ weight: Double) {
        unsupported["\(type) at \(weight >= 100 ? "100 %" : "weight below 100 %")", default: 0] += 1
    }

    /// One FET time as day x hours + hour, or a problem naming what is unknown.
    mutating func time(_ c: FETElement, day: String?, hour: String?) -> Int? {
        guard let day, let weekday = dayIds[day] else { problem(c, c.name, "day `\(day ?? "")` is not in Days_List"); return nil }
        guard let hour, let h = hourIds[hour] else { problem(c, c.name, "hour `\(hour ?? "")` is not in Hours_List"); return nil }
        return weekday.ordinal * blockIds.count + h
    }

    func slotRef(_ time: Int) -> SlotRef { .block(Weekday.allCases[time / blockIds.count], blockIds[time % blockIds.count]) }

    mutating func times(_ c: FETElement, _ container: String, day: String, hour: String) -> [Int] {
        c.children(container).compactMap { time(c, day: $0.value(day), hour: $0.value(hour)) }
    }

    mutating func slots(_ c: FETElement, _ container: String, day: String, hour: String) -> [SlotRef] {
        times(c, container, day: day, hour: hour).map(slotRef)
    }

    /// Starts whose whole run of `length` hours lies in `times` (FET's time slots bind every hour an
    /// activity fills, not only its start).
    func startsFilling(_ times: Set<Int>, length: Int) -> Set<Int> {
        let hours = blockIds.count
        return times.filter { t in t % hours + length <= hours && (0..<length).allSatisfy { times.contains(t + $0) } }
    }

    /// The activities an `Activities...` constraint selects: every filter given must match (FET's
    /// teacher, students set, subject, tag and duration fields; empty means any).
    func selected(_ c: FETElement) -> [Int] {
        func given(_ name: String) -> String? { c.value(name).flatMap { $0.isEmpty ? nil : $0 } }
        let teacher = given("Teacher_Name"), students = given("Students_Name"), subject = given("Subject_Name")
        let tag = given("Activity_Tag_Name"), duration = given("Duration").flatMap { Int($0) }
        return activities.values.filter { a in
            (teacher.map { a.teachers.contains($0) } ?? true) && (students.map { a.students.contains($0) } ?? true)
                && (subject.map { a.subject == $0 } ?? true) && (tag.map { a.tags.contains($0) } ?? true)
                && (duration.map { a.duration == $0 } ?? true)
        }.map(\.id).sorted()
    }

    mutating func activityId(_ c: FETElement) -> Int? {
        guard let id = Int(c.value("Activity_Id") ?? "") else { problem(c, c.name, "has no numeric <Activity_Id>"); return nil }
        // A constraint on an inactive (skipped) activity goes with it.
        return activities[id] == nil ? nil : id
    }

    mutating func roomIdList(_ c: FETElement, _ names: [String]) -> Set<String> {
        Set(names.compactMap { n in
            if virtualRooms.contains(n) {
                unsupported["room constraints naming a virtual room", default: 0] += 1
                return nil
            }
            guard let r = roomIds[n] else { problem(c, c.name, "room `\(n)` is not in Rooms_List"); return nil }
            return r
        })
    }

    mutating func allow(_ ids: [Int], starts: Set<Int>, _ x: inout ConstraintContext) {
        for id in ids { x.allowedStarts[id] = x.allowedStarts[id].map { $0.intersection(starts) } ?? starts }
    }

    /// Soft start preferences go to the lesson: `prefer` is a lesson's, and a preference broken by
    /// one part costs as much as by another.
    mutating func prefer(_ ids: [Int], starts: Set<Int>, _ x: inout ConstraintContext) {
        for i in Set(ids.compactMap { lessonOf[$0] }) {
            x.lessons[i].prefer += starts.sorted().map(slotRef).filter { !x.lessons[i].prefer.contains($0) }
        }
    }

    mutating func apply(_ c: FETElement, _ x: inout ConstraintContext) {
        let type = c.name.hasPrefix("Constraint") ? String(c.name.dropFirst("Constraint".count)) : c.name
        let weight = Double(c.value("Weight_Percentage") ?? "100") ?? 100
        let hard = weight >= 100
        switch type {
        case "BasicCompulsoryTime", "BasicCompulsorySpace":
            return
        case "TeacherNotAvailableTimes" where hard, "StudentsSetNotAvailableTimes" where hard, "RoomNotAvailableTimes" where hard,
             "BreakTimes" where hard:
            applyUnavailable(c, type, &x)
        case "MinDaysBetweenActivities":
            let ids = c.values("Activity_Id").compactMap { Int($0) }.filter { activities[$0] != nil }
            guard ids.count > 1 else { return }
            x.minDays.append(MinDaysConstraint(activities: Set(ids), days: min(6, Int(c.value("MinDays") ?? "") ?? 1), hard: hard))
        case "ActivityPreferredStartingTime":
            guard let id = activityId(c) else { return }
            let day = c.value("Preferred_Day").flatMap { $0.isEmpty ? nil : $0 }, hour = c.value("Preferred_Hour").flatMap { $0.isEmpty ? nil : $0 }
            if hard, let day, let hour {
                guard let t = time(c, day: day, hour: hour), let i = lessonOf[id] else { return }
                x.lessons[i].at.append(slotRef(t)); x.pinned.insert(id)
            } else {
                let starts = startTimes(day: day, hour: hour)
                if hard { allow([id], starts: starts, &x) } else { prefer([id], starts: starts, &x) }
            }
        case "ActivityPreferredStartingTimes", "ActivitiesPreferredStartingTimes":
            let ids = type == "ActivityPreferredStartingTimes" ? activityId(c).map { [$0] } ?? [] : selected(c)
            let starts = Set(times(c, "Preferred_Starting_Time", day: "Preferred_Starting_Day", hour: "Preferred_Starting_Hour"))
            if hard { allow(ids, starts: starts, &x) } else { prefer(ids, starts: starts, &x) }
        case "ActivityPreferredTimeSlots", "ActivitiesPreferredTimeSlots":
            let ids = type == "ActivityPreferredTimeSlots" ? activityId(c).map { [$0] } ?? [] : selected(c)
            let slots = Set(times(c, "Preferred_Time_Slot", day: "Preferred_Day", hour: "Preferred_Hour"))
            for id in ids {
                let starts = startsFilling(slots, length: activities[id]!.duration)
                if hard { allow([id], starts: starts, &x) } else { prefer([id], starts: starts, &x) }
            }
        case "TeacherMaxHoursDaily" where hard, "TeachersMaxHoursDaily" where hard:
            applyTeacherLimit(c, type, field: "Maximum_Hours_Daily", to: \.maxPerDay, at: 100, &x)
        case "TeacherMaxDaysPerWeek" where hard, "TeachersMaxDaysPerWeek" where hard:
            applyTeacherLimit(c, type, field: "Max_Days_Per_Week", to: \.maxDays, at: 7, &x)
        case "ActivityEndsStudentsDay" where hard, "ActivitiesEndStudentsDay" where hard:
            x.endsDay.formUnion(type == "ActivityEndsStudentsDay" ? activityId(c).map { [$0] } ?? [] : selected(c))
        case "StudentsMaxHoursDaily" where hard, "StudentsSetMaxHoursDaily" where hard:
            applyStudentsMaxHoursDaily(c, type, &x)
        case "TeacherMaxHoursContinuously" where hard, "TeachersMaxHoursContinuously" where hard:
            applyTeacherLimit(c, type, field: "Maximum_Hours_Continuously", to: \.maxInARow, at: 100, &x)
        case "ActivitiesSameStartingTime" where hard:
            let ids = c.values("Activity_Id").compactMap { Int($0) }.filter { activities[$0] != nil }
            if ids.count > 1 { x.sameStart.append(ids) }
        case "ActivityPreferredRoom" where hard, "ActivityPreferredRooms" where hard:
            guard let id = activityId(c) else { return }
            let rooms = roomIdList(c, type == "ActivityPreferredRoom" ? c.values("Room") : c.values("Preferred_Room"))
            x.preferredRooms[id] = x.preferredRooms[id].map { $0.intersection(rooms) } ?? rooms
        case "SubjectPreferredRoom" where hard, "SubjectPreferredRooms" where hard, "ActivityTagPreferredRoom" where hard,
             "ActivityTagPreferredRooms" where hard, "SubjectActivityTagPreferredRoom" where hard, "SubjectActivityTagPreferredRooms" where hard:
            let rooms = roomIdList(c, type.hasSuffix("Rooms") ? c.values("Preferred_Room") : c.values("Room"))
            let subject = c.value("Subject"), tag = c.value("Activity_Tag")
            for a in activities.values where (subject.map { a.subject == $0 } ?? true) && (tag.map { a.tags.contains($0) } ?? true) {
                x.preferredRooms[a.id] = x.preferredRooms[a.id].map { $0.intersection(rooms) } ?? rooms
            }
        case "TeacherHomeRoom" where hard, "TeacherHomeRooms" where hard, "StudentsSetHomeRoom" where hard, "StudentsSetHomeRooms" where hard:
            // FET: a home room binds the activities of that teacher (or students set) alone.
            let rooms = roomIdList(c, type.hasSuffix("Rooms") ? c.values("Preferred_Room") : c.values("Room"))
            let teacher = type.hasPrefix("Teacher") ? c.value("Teacher") : nil, students = type.hasPrefix("Students") ? c.value("Students") : nil
            for a in activities.values where (teacher.map { a.teachers == [$0] } ?? true) && (students.map { a.students == [$0] } ?? true) {
                x.homeRooms[a.id] = x.homeRooms[a.id].map { $0.intersection(rooms) } ?? rooms
            }
        default:
            unsupportedAt(type, weight)
        }
    }

    /// Starts on the given day (every hour) or at the given hour (every day), or both.
    func startTimes(day: String?, hour: String?) -> Set<Int> {
        let ds = day.map { dayIds[$0].map { [$0.ordinal] } ?? [] } ?? dayIds.values.map(\.ordinal)
        let hs = hour.map { hourIds[$0].map { [$0] } ?? [] } ?? Array(blockIds.indices)
        return Set(ds.flatMap { d in hs.map { d * blockIds.count + $0 } })
    }

    mutating func applyUnavailable(_ c: FETElement, _ type: String, _ x: inout ConstraintContext) {
        switch type {
        case "TeacherNotAvailableTimes":
            if let name = c.value("Teacher"), idleTeachers.contains(name) { return }
            markUnavailable(c, named: "Teacher", ids: teacherIds, in: &x.teachers, id: \.id, unavailable: \.unavailable,
                            unknown: { "teacher `\($0)` is not in Teachers_List" })
        case "StudentsSetNotAvailableTimes":
            markUnavailable(c, named: "Students", ids: classIds, in: &x.classes, id: \.id, unavailable: \.unavailable,
                            unknown: { "students `\($0)` are not in Students_List" })
        case "RoomNotAvailableTimes":
            if let name = c.value("Room"), virtualRooms.contains(name) { return }
            markUnavailable(c, named: "Room", ids: roomIds, in: &x.rooms, id: \.id, unavailable: \.unavailable,
                            unknown: { "room `\($0)` is not in Rooms_List (or is virtual)" })
        default:
            // Breaks: no activity at all then, for every teacher and every class at the top (which binds its parts).
            let found = slots(c, "Break_Time", day: "Day", hour: "Hour")
            let parts = Set(x.classes.flatMap(\.parts))
            for i in x.teachers.indices { x.teachers[i].unavailable = adding(found, to: x.teachers[i].unavailable) }
            for i in x.classes.indices where !parts.contains(x.classes[i].id) {
                x.classes[i].unavailable = adding(found, to: x.classes[i].unavailable)
            }
        }
    }

    /// The `Not_Available_Time`s of the teacher, students set or room the element `named` names, added
    /// to its `unavailable`; a problem when FET's lists have no such name.
    private mutating func markUnavailable<Item>(_ c: FETElement, named key: String, ids: [String: String], in items: inout [Item],
                                                id: KeyPath<Item, String>, unavailable: WritableKeyPath<Item, [SlotRef]>,
                                                unknown: (String) -> String) {
        let found = slots(c, "Not_Available_Time", day: "Day", hour: "Hour")
        guard let name = c.value(key), let i = items.firstIndex(where: { $0[keyPath: id] == ids[name] }) else {
            return problem(c, c.name, unknown(c.value(key) ?? ""))
        }
        items[i][keyPath: unavailable] = adding(found, to: items[i][keyPath: unavailable])
    }

    private func adding(_ found: [SlotRef], to list: [SlotRef]) -> [SlotRef] { list + found.filter { !list.contains($0) } }

    /// A limit of one teacher (`Teacher...`) or of all (`Teachers...`), the lower where several give one;
    /// `most` is what the scenario key takes.
    mutating func applyTeacherLimit(_ c: FETElement, _ type: String, field: String, to key: WritableKeyPath<Teacher, Int?>, at most: Int,
                                    _ x: inout ConstraintContext) {
        guard let limit = Int(c.value(field) ?? ""), limit >= 1 else {
            return problem(c, c.name, "has no <\(field)> of 1 or more")
        }
        var targets = Array(x.teachers.indices)
        if type.hasPrefix("Teacher") && !type.hasPrefix("Teachers") {
            if let name = c.value("Teacher_Name"), idleTeachers.contains(name) { return }
            guard let name = c.value("Teacher_Name"), let i = x.teachers.firstIndex(where: { $0.id == teacherIds[name] }) else {
                return problem(c, c.name, "teacher `\(c.value("Teacher_Name") ?? "")` is not in Teachers_List")
            }
            targets = [i]
        }
        for i in targets { x.teachers[i][keyPath: key] = min(x.teachers[i][keyPath: key] ?? most, min(limit, most)) }
    }

    /// Every class at the top (which binds its parts), or the students set named: FET counts the
    /// hours of each subgroup, and a class's `max-per-day` holds for every class within it.
    mutating func applyStudentsMaxHoursDaily(_ c: FETElement, _ type: String, _ x: inout ConstraintContext) {
        guard let limit = Int(c.value("Maximum_Hours_Daily") ?? ""), limit >= 1 else {
            return problem(c, c.name, "has no <Maximum_Hours_Daily> of 1 or more")
        }
        let parts = Set(x.classes.flatMap(\.parts))
        var targets = x.classes.indices.filter { !parts.contains(x.classes[$0].id) }
        if type == "StudentsSetMaxHoursDaily" {
            guard let name = c.value("Students"), let i = x.classes.firstIndex(where: { $0.id == classIds[name] }) else {
                return problem(c, c.name, "students `\(c.value("Students") ?? "")` are not in Students_List")
            }
            targets = [i]
        }
        for i in targets { x.classes[i].maxPerDay = min(x.classes[i].maxPerDay ?? 100, min(limit, 100)) }
    }
}
