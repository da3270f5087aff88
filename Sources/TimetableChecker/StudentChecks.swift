// R5 and R6: each student's week, and that the timetable's unmet list tells the truth.
import Rules
import ScenarioKit

extension RuleCheck {
    static let studentUnavailable = RuleCheck(.studentUnavailable) { input in
        input.attendance(lessons: true) { student, s in
            s.isFree(student.unavailable) ? [] : ["student unavailable: \(student.id) is not available at \(s.at) (\(s.title))"]
        }
    }

    static let studentDoubleBooked = RuleCheck(.studentDoubleBooked) { input in
        let listedTwice = input.sessions.flatMap { s in
            s.attendees.compactMap { id in
                let times = s.session.students.count { $0 == id }
                return times > 1 ? "student listed twice: \(id) appears \(times) times in \(s.what)" : nil
            }
        }
        let overlapping = input.tallyOccupying { s in
            s.attendees.filter { input.students[$0] != nil }.flatMap { id in s.slots.map { [id, $0] } }
        }
            .compactMap { k, group in
                group.count > 1 ? "student double-booked: \(k[0]) has \(group.count) sessions at \(k[1]) (\(titles(group)))" : nil
            }
        return listedTwice + overlapping
    }

    /// Counts blocks, fixed sessions included, like the teachers' limits.
    static let studentDailyLimit = RuleCheck(.studentDailyLimit) { input in
        input.tallyOccupying { s in s.attendees.map { [$0, s.session.day] } }.compactMap { k, group in
            let blocks = group.reduce(0) { $0 + $1.blocks.count }
            guard let max = input.students[k[0]]?.maxPerDay, blocks > max else { return nil }
            return "student over daily limit: \(k[0]) has \(blocks) blocks of sessions on \(k[1]); max-per-day is \(max)"
        }
    }

    static let needOncePerDay = RuleCheck(.needOncePerDay) { input in
        input.tally { s in
            s.attendees.filter { input.students[$0] != nil }.map { [$0, s.session.subject, s.session.modality, s.session.day] }
        }.compactMap { k, group in
            guard group.count > 1 else { return nil }
            return "same need twice in a day: \(k[0]) has \(group.count) \(k[1]) \(k[2]) sessions on \(k[3]) (\(list(group.map(\.at))))"
        }
    }

    static let needNotExceeded = RuleCheck(.needNotExceeded) { input in
        let scheduled = scheduledPerNeed(input)
        return input.scenario.students.flatMap { student in
            student.needs.compactMap { need in
                let count = scheduled[[student.id, need.subject, need.modality]] ?? 0
                guard count > need.sessions else { return nil }
                return "too many sessions: \(student.id) needs \(need.sessions) \(need.subject) \(need.modality) session(s) but has \(count) scheduled"
            }
        }
    }

    static let unmetReported = RuleCheck(.unmetReported) { input in
        var found: [String] = []
        var reported: [[String]: Int] = [:]
        for u in input.timetable.unmet {
            if input.students[u.student]?.needs.contains(where: { $0.subject == u.subject && $0.modality == u.modality }) != true {
                found.append("unmet entry for unknown need: \(u.student) has no \(u.subject) \(u.modality) need, yet it is reported unmet")
            }
            if u.missing < 1 {
                found.append("unmet entry without missing sessions: \(u.student) \(u.subject) \(u.modality) reports missing \(u.missing); it must be at least 1")
            }
            // Clamped so absurd `missing` values cannot overflow the sum.
            let key = [u.student, u.subject, u.modality]
            reported[key] = min(Int(Int32.max), reported[key, default: 0] + min(Int(Int32.max), max(0, u.missing)))
        }
        let scheduled = scheduledPerNeed(input)
        for student in input.scenario.students {
            for need in student.needs {
                let key = [student.id, need.subject, need.modality]
                let count = scheduled[key] ?? 0, unmet = reported[key] ?? 0
                // More scheduled than needed is R5.need-not-exceeded's to report.
                if count <= need.sessions, count + unmet != need.sessions {
                    found.append("unmet \(need.modality) demand misreported: \(student.id) needs \(need.sessions) \(need.subject) \(need.modality) session(s), has \(count) scheduled and \(unmet) reported unmet (should be \(need.sessions - count))")
                }
            }
        }
        return found
    }

    /// `apart` is symmetric: listed on either student's side counts.
    static let keptApart = RuleCheck(.keptApart) { input in
        input.sessions.flatMap { s in
            s.attendees.indices.flatMap { i in
                s.attendees[(i + 1)...].compactMap { other in
                    let id = s.attendees[i]
                    let apart = input.students[id]?.apart.contains(other) == true || input.students[other]?.apart.contains(id) == true
                    return apart ? "students kept apart together: \(id) and \(other) are both in \(s.what)" : nil
                }
            }
        }
    }

    static let studentHasNeed = RuleCheck(.studentHasNeed) { input in
        input.attendance { student, s in
            student.needs.contains { $0.subject == s.session.subject && $0.modality == s.session.modality } ? []
                : ["student without that need: \(student.id) has no \(s.session.subject) \(s.session.modality) need but attends \(s.what)"]
        }
    }
}

extension RuleCheck {
    /// The fixed sessions as the scenario gives them, each exactly once, and no others.
    static let fixedKept = RuleCheck(.fixedKept) { input in
        var found: [String] = []
        let given = Dictionary(input.scenario.fixed.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var seen: [String: Int] = [:]
        for s in input.fixed {
            let id = s.session.id ?? ""
            seen[id, default: 0] += 1
            guard let want = given[id] else {
                found.append("unknown fixed session: \(s.what) has id `\(id)`, which the scenario's `fixed` list does not have")
                continue
            }
            var differences: [String] = []
            if s.session.day != want.day.rawValue || s.session.block != want.block || s.session.length != want.length {
                differences.append("it is at \(s.at), not \(want.day.rawValue).\(want.block) for \(want.length) block(s)")
            }
            if Set(s.session.staff) != Set(want.teachers) { differences.append("teachers \(list(s.session.staff.sorted())), not \(list(want.teachers.sorted()))") }
            if s.session.room != want.room { differences.append("room \(s.session.room ?? "none"), not \(want.room ?? "none")") }
            let attendees = Set(input.scenario.attendees(of: want))
            if Set(s.attendees) != attendees {
                let missing = attendees.subtracting(s.attendees).sorted(), extra = Set(s.attendees).subtracting(attendees).sorted()
                differences.append("students differ (missing: \(list(missing)); not listed in the scenario: \(list(extra)))")
            }
            if !differences.isEmpty { found.append("fixed session changed: \(id): \(differences.joined(separator: "; "))") }
        }
        for want in input.scenario.fixed {
            switch seen[want.id] ?? 0 {
            case 0: found.append("fixed session missing: \(want.id) (\(want.title), \(want.day.rawValue).\(want.block)) is not in the timetable")
            case 1: break
            case let n: found.append("fixed session repeated: \(want.id) appears \(n) times")
            }
        }
        return found
    }
}

/// Sessions each (student, subject, modality) attends.
private func scheduledPerNeed(_ input: CheckInput) -> [[String]: Int] {
    var counts: [[String]: Int] = [:]
    for s in input.sessions {
        for id in s.attendees where input.students[id] != nil {
            counts[[id, s.session.subject, s.session.modality], default: 0] += 1
        }
    }
    return counts
}
