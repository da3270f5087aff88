import ScenarioKit
import TimetableFormat

/// `sessions.csv`: one row per session and student, so a spreadsheet can filter by anyone. The
/// lesson columns come last, so sheets made from v1.1 exports keep their columns.
enum SessionsTable {
    static let header = ["day", "block", "start", "end", "subject", "modality", "teacher", "room", "student", "student_name", "fixed",
                         "lesson", "title", "classes"]

    /// Rows of one session are consecutive and equal in every column but `student` and `student_name`.
    /// A session without students (a staff meeting) still gets one row, with both empty.
    static func rows(_ sessions: [Timetable.Session], scenario: Scenario) -> [[String]] {
        let names = Dictionary(uniqueKeysWithValues: scenario.students.map { ($0.id, $0.name) })
        return sessions.flatMap { session -> [[String]] in
            // The checker accepted the timetable, so every session's blocks exist and run unbroken.
            let run = scenario.blockRun(from: session.block, length: session.length) ?? []
            let common = [
                session.day, session.block,
                run.first.map { "\($0.start)" } ?? "", run.last.map { "\($0.end)" } ?? "",
                // A fixed session has no subject or modality: its id (from the scenario's `fixed` list) names it.
                session.fixed ? session.id ?? "" : session.subject, session.modality,
                // Ids never contain spaces, so several teachers of a fixed session split back exactly.
                session.staff.joined(separator: " "), session.room ?? "",
            ]
            // Class ids never contain spaces either.
            let last = [session.fixed ? "true" : "false", session.lesson ?? "", session.isFlex ? "" : session.heading,
                        (session.classes ?? []).joined(separator: " ")]
            if session.students.isEmpty { return [common + ["", ""] + last] }
            return session.students.map { [$0, names[$0] ?? ""] }.map { common + $0 + last }
        }
    }
}

/// `unplaced.csv`: one row per class lesson placed fewer times than its `sessions`.
enum UnplacedTable {
    static let header = ["lesson", "title", "classes", "missing", "cause", "reason"]

    static func rows(_ unplaced: [Timetable.Unplaced], scenario: Scenario) -> [[String]] {
        unplaced.map { u in
            let lesson = scenario.lessons.first { $0.id == u.lesson }
            return [u.lesson, lesson?.title ?? "", (lesson?.classes ?? []).joined(separator: " "), String(u.missing), u.cause ?? "", u.reason]
        }
    }
}

/// `unmet.csv`: one row per need that did not get all its sessions.
enum UnmetTable {
    static let header = ["student", "student_name", "need", "missing", "priority", "cause", "reason"]

    static func rows(_ unmet: [Timetable.Unmet], scenario: Scenario) -> [[String]] {
        let names = Dictionary(uniqueKeysWithValues: scenario.students.map { ($0.id, $0.name) })
        return Timetable.Unmet.priorityOrdered(unmet, scenario: scenario).map { u in
            // `need` is `subject modality`, as the scenario's ids never contain spaces.
            [u.student, names[u.student] ?? "", "\(u.subject) \(u.modality)", String(u.missing), u.priority.rawValue, u.cause ?? "", u.reason]
        }
    }
}
