// R1-R4: what a session names, its group size, its teacher and its room.
import Rules
import ScenarioKit

extension RuleCheck {
    static let knownIds = RuleCheck(.knownIds) { input in
        let scenario = input.scenario
        let subjects = Set(scenario.teachers.flatMap(\.subjects) + scenario.students.flatMap { $0.needs.map(\.subject) })
        return input.sessions.flatMap { s -> [String] in
            var found: [String] = []
            if s.day == nil {
                found.append("unknown day: \(s.what) is on `\(s.session.day)`, not one of \(list(scenario.days.map(\.rawValue)))")
            }
            if !s.knownBlock {
                found.append("unknown block: \(s.what) is in block `\(s.session.block)`, not one of \(list(scenario.blocks.map(\.id)))")
            }
            if !subjects.contains(s.session.subject) {
                found.append("unknown subject: \(s.what): no teacher or student has `\(s.session.subject)`")
            }
            if s.modality == nil { found.append("unknown modality: \(s.what): `\(s.session.modality)` is not a modality") }
            if s.room == nil { found.append("unknown room: \(s.what) is in `\(s.session.room ?? "no room")`, which is not a room") }
            if let t = s.session.teacher, s.teacher == nil {
                found.append("unknown teacher: \(s.what) is led by `\(t)`, who is not a teacher")
            }
            for id in s.attendees where input.students[id] == nil {
                found.append("unknown student: \(s.what) lists `\(id)`, who is not a student")
            }
            return found
        }
    }

    static let sessionLength = RuleCheck(.sessionLength) { input in
        input.sessions.compactMap { s in
            guard let m = s.modality, s.knownBlock else { return nil }
            if s.session.length != m.length {
                return "wrong length: \(s.what) fills \(s.session.length) block(s), but \(m.id) sessions fill \(m.length)"
            }
            if input.scenario.blockRun(from: s.session.block, length: m.length) == nil {
                return "runs past a break: \(s.what) would need \(m.length) consecutive blocks from \(s.session.block) without a break before the day ends"
            }
            return nil
        }
    }

    static let groupTooSmall = RuleCheck(.groupTooSmall) { input in
        input.sessions.compactMap { s in
            guard let m = s.modality, s.attendees.count < m.min else { return nil }
            return "group too small: \(s.what) has \(s.attendees.count) student(s) (\(list(s.attendees))); \(m.id) allows \(m.min)-\(m.max)"
        }
    }

    static let groupTooLarge = RuleCheck(.groupTooLarge) { input in
        input.sessions.flatMap { s -> [String] in
            var found: [String] = []
            if let m = s.modality, s.attendees.count > m.max {
                found.append("group too large: \(s.what) has \(s.attendees.count) student(s) (\(list(s.attendees))); \(m.id) allows \(m.min)-\(m.max)")
            }
            if let room = s.room, s.attendees.count > room.capacity {
                found.append("room over capacity: \(room.id) seats \(room.capacity) but \(s.what) has \(s.attendees.count) students")
            }
            return found
        }
    }

    static let levelSpread = RuleCheck(.levelSpread) { input in
        input.sessions.compactMap { s in
            guard let spread = s.modality?.levelSpread else { return nil }
            let levels = s.attendees.compactMap { id in
                input.students[id]?.needs.first { $0.subject == s.session.subject && $0.modality == s.session.modality }?.level.map { (id, $0) }
            }
            guard let low = levels.min(by: { $0.1 < $1.1 }), let high = levels.max(by: { $0.1 < $1.1 }), high.1 - low.1 > spread
            else { return nil }
            return "levels too far apart: \(s.what) has \(low.0) at level \(low.1) and \(high.0) at level \(high.1); \(s.session.modality) allows a spread of \(spread)"
        }
    }

    static let teacherPresence = RuleCheck(.teacherPresence) { input in
        input.sessions.compactMap { s in
            guard let m = s.modality else { return nil }
            if m.teacher, s.session.teacher == nil {
                return "teacher missing: \(s.what) has no teacher, but \(m.id) sessions are led by one"
            }
            if !m.teacher, let t = s.session.teacher {
                return "unexpected teacher: \(s.what) names \(t), but \(m.id) sessions have no teacher"
            }
            return nil
        }
    }

    static let teacherSubject = RuleCheck(.teacherSubject) { input in
        input.sessions.compactMap { s in
            guard let t = s.teacher, !t.subjects.contains(s.session.subject) else { return nil }
            return "teacher does not teach subject: \(t.id) does not teach \(s.session.subject) (\(s.what))"
        }
    }

    static let teacherUnavailable = RuleCheck(.teacherUnavailable) { input in
        input.placed.flatMap { s in
            staff(s, input).compactMap { id in
                guard let t = input.teachers[id], !s.isFree(t.unavailable) else { return nil }
                return "teacher unavailable: \(t.id) is not available at \(s.at) (\(s.title))"
            }
        }
    }

    /// Fixed sessions occupy their teachers too.
    static let teacherDoubleBooked = RuleCheck(.teacherDoubleBooked) { input in
        input.tallyOccupying { s in staff(s, input).flatMap { t in s.slots.map { [t, $0] } } }.compactMap { k, group in
            group.count > 1 ? "teacher double-booked: \(k[0]) has \(group.count) sessions at \(k[1]) (\(titles(group)))" : nil
        }
    }

    /// Limits count blocks: a double block is two, and fixed sessions count.
    static let teacherDailyLimit = RuleCheck(.teacherDailyLimit) { input in
        input.tallyOccupying { s in staff(s, input).map { [$0, s.session.day] } }.compactMap { k, group in
            let blocks = group.reduce(0) { $0 + $1.blocks.count }
            guard let max = input.teachers[k[0]]?.maxPerDay, blocks > max else { return nil }
            return "teacher over daily limit: \(k[0]) teaches \(blocks) blocks on \(k[1]); max-per-day is \(max)"
        }
    }

    static let teacherWeeklyLimit = RuleCheck(.teacherWeeklyLimit) { input in
        input.tallyOccupying { s in staff(s, input).map { [$0] } }.compactMap { k, group in
            let blocks = group.reduce(0) { $0 + $1.blocks.count }
            guard let max = input.teachers[k[0]]?.maxPerWeek, blocks > max else { return nil }
            return "teacher over weekly limit: \(k[0]) teaches \(blocks) blocks this week; max-per-week is \(max)"
        }
    }

    static let teacherDaysLimit = RuleCheck(.teacherDaysLimit) { input in
        input.tallyOccupying { s in staff(s, input).map { [$0] } }.compactMap { k, group in
            let days = Set(group.map(\.session.day))
            guard let max = input.teachers[k[0]]?.maxDays, days.count > max else { return nil }
            let week = input.scenario.days.map(\.rawValue).filter(days.contains)
            return "teacher on too many days: \(k[0]) teaches on \(days.count) days (\(week.joined(separator: ", "))); max-days is \(max)"
        }
    }

    /// Runs in time order; a block with `break-before` starts a new one.
    static let teacherInARow = RuleCheck(.teacherInARow) { input in
        let ordered = input.scenario.blocks.sorted { $0.start < $1.start }
        return input.tallyOccupying { s in staff(s, input).map { [$0, s.session.day] } }.compactMap { k, group in
            guard let max = input.teachers[k[0]]?.maxInARow else { return nil }
            let busy = Set(group.flatMap(\.blocks))
            var run: [String] = [], longest: [String] = []
            for block in ordered {
                if !busy.contains(block.id) || block.breakBefore { run = [] }
                if busy.contains(block.id) { run.append(block.id) }
                if run.count > longest.count { longest = run }
            }
            guard longest.count > max else { return nil }
            return "teacher too long without a break: \(k[0]) teaches \(longest.count) blocks in a row on \(k[1]) (\(longest.first!)-\(longest.last!)); max-in-a-row is \(max)"
        }
    }

    static let requestedTeacher = RuleCheck(.requestedTeacher) { input in
        input.attendance { student, s in
            guard let need = student.needs.first(where: { $0.subject == s.session.subject && $0.modality == s.session.modality }),
                  let wanted = need.teacher, s.session.teacher != wanted else { return [] }
            return ["requested teacher not leading: \(student.id)'s plan asks for \(wanted), but \(s.what) is led by \(s.session.teacher ?? "nobody")"]
        }
    }

    static let roomClosed = RuleCheck(.roomClosed) { input in
        input.placed.compactMap { s in
            guard let room = s.room, !s.isFree(room.unavailable) else { return nil }
            return "room closed: \(room.id) is not available at \(s.at) (\(s.title))"
        }
    }

    static let roomFeatures = RuleCheck(.roomFeatures) { input in
        input.sessions.flatMap { s -> [String] in
            guard let room = s.room, let m = s.modality else { return [] }
            return m.roomFeatures.filter { !room.features.contains($0) }.map {
                "room lacks feature: \(room.id) has no `\($0)`, which \(m.id) needs (\(s.what))"
            }
        }
    }

    static let accommodations = RuleCheck(.accommodations) { input in
        input.attendance(lessons: true) { student, s in
            guard let room = s.room else { return [] }
            return student.requires.filter { !room.features.contains($0) }.map {
                "room lacks feature: \(room.id) has no `\($0)`, which \(student.id) requires (\(s.what))"
            }
        }
    }

    static let roomDoubleBooked = RuleCheck(.roomDoubleBooked) { input in
        input.tallyOccupying { s in s.room.map { room in s.slots.map { [room.id, $0] } } ?? [] }.compactMap { k, group in
            group.count > 1 ? "room double-booked: \(k[0]) hosts \(group.count) sessions at \(k[1]) (\(titles(group)))" : nil
        }
    }
}

/// Known teachers leading a session: a flexible session's teacher, a fixed session's teachers.
func staff(_ s: CheckInput.Resolved, _ input: CheckInput) -> [String] {
    unique(s.session.staff).filter { input.teachers[$0] != nil }
}
