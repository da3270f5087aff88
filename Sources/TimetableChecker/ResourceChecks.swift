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
            if s.room == nil { found.append("unknown room: \(s.what) is in `\(s.session.room)`, which is not a room") }
            if let t = s.session.teacher, s.teacher == nil {
                found.append("unknown teacher: \(s.what) is led by `\(t)`, who is not a teacher")
            }
            for id in s.attendees where input.students[id] == nil {
                found.append("unknown student: \(s.what) lists `\(id)`, who is not a student")
            }
            return found
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
        input.sessions.compactMap { s in
            guard let t = s.teacher, !s.isFree(t.unavailable) else { return nil }
            return "teacher unavailable: \(t.id) is not available at \(s.at) (\(s.title))"
        }
    }

    static let teacherDoubleBooked = RuleCheck(.teacherDoubleBooked) { input in
        input.tally { s in s.teacher.map { [[$0.id, s.at]] } ?? [] }.compactMap { k, group in
            group.count > 1 ? "teacher double-booked: \(k[0]) has \(group.count) sessions at \(k[1]) (\(titles(group)))" : nil
        }
    }

    static let teacherDailyLimit = RuleCheck(.teacherDailyLimit) { input in
        input.tally { s in s.teacher.map { [[$0.id, s.session.day]] } ?? [] }.compactMap { k, group in
            guard let max = input.teachers[k[0]]?.maxPerDay, group.count > max else { return nil }
            return "teacher over daily limit: \(k[0]) has \(group.count) sessions on \(k[1]); max-per-day is \(max)"
        }
    }

    static let teacherWeeklyLimit = RuleCheck(.teacherWeeklyLimit) { input in
        input.tally { s in s.teacher.map { [[$0.id]] } ?? [] }.compactMap { k, group in
            guard let max = input.teachers[k[0]]?.maxPerWeek, group.count > max else { return nil }
            return "teacher over weekly limit: \(k[0]) has \(group.count) sessions this week; max-per-week is \(max)"
        }
    }

    static let roomClosed = RuleCheck(.roomClosed) { input in
        input.sessions.compactMap { s in
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
        input.attendance { student, s in
            guard let room = s.room else { return [] }
            return student.requires.filter { !room.features.contains($0) }.map {
                "room lacks feature: \(room.id) has no `\($0)`, which \(student.id) requires (\(s.what))"
            }
        }
    }

    static let roomDoubleBooked = RuleCheck(.roomDoubleBooked) { input in
        input.tally { s in s.room.map { [[$0.id, s.at]] } ?? [] }.compactMap { k, group in
            group.count > 1 ? "room double-booked: \(k[0]) hosts \(group.count) sessions at \(k[1]) (\(titles(group)))" : nil
        }
    }
}
