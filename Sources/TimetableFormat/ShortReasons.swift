import ScenarioKit

// An unmet reason is a proof (optional, "proven before solving: ... In this timetable: "), then what
// stood in the student's way, then clauses about the subject as a whole (its teachers' capacity),
// joined by "; ". Needs of one subject, modality, priority and cause share most of that: a group
// states it once, and each need keeps one line of its own.

extension Timetable.Unmet {
    /// Unmet needs alike in subject, modality, priority and cause, with what their reasons share.
    public struct Group: Sendable {
        public var subject: String
        public var modality: String
        public var priority: Priority
        public var cause: String?
        /// The clauses every reason of the group holds, in their order ("the math teachers ... have
        /// 0 free block(s) left this week"): said once for the group.
        public var shared: [String]
        public var rows: [Row]
    }

    public struct Row: Sendable {
        public var need: Timetable.Unmet
        /// What is the need's own, in one line, without the group's shared clauses.
        public var particular: String
        /// The catalogue id of the rule that binds first (`R3.teacher-weekly-limit`), when one does.
        public var rule: String?

        /// "no math teacher is free ... [R3.teacher-weekly-limit]".
        public var short: String { particular + (rule.map { " [\($0)]" } ?? "") }
        /// "1 missing: no math teacher is free ... [R3.teacher-weekly-limit]".
        public var line: String { "\(need.missing) missing: \(short)" }
    }

    /// The groups in the order their first needs come in `unmet` (give it priority-ordered).
    public static func grouped(_ unmet: [Timetable.Unmet]) -> [Group] {
        var groups: [Group] = [], position: [String: Int] = [:]
        var clauses: [[String]] = []
        for need in unmet {
            let key = "\(need.priority.rawValue)\u{0}\(need.subject)\u{0}\(need.modality)\u{0}\(need.cause ?? "")"
            if position[key] == nil {
                position[key] = groups.count
                groups.append(Group(subject: need.subject, modality: need.modality, priority: need.priority, cause: need.cause, shared: [], rows: []))
                clauses.append([])
            }
            groups[position[key]!].rows.append(Row(need: need, particular: "", rule: need.rules?.first))
        }
        for g in groups.indices {
            let parts = groups[g].rows.map { reasonClauses($0.need.reason) }
            // The first clause of what stood in the way is always the need's own; a proof, and the
            // later clauses, are shared when every reason of the group has them (all of a lone need's).
            let candidates = (parts[0].proof.map { [$0] } ?? []) + parts[0].main.dropFirst()
            let shared = candidates.filter { clause in parts.allSatisfy { $0.proof == clause || $0.main.dropFirst().contains(clause) } }
            groups[g].shared = shared
            for r in groups[g].rows.indices {
                let own = (parts[r].proof.map { [$0] } ?? []).filter { !shared.contains($0) }
                    + [parts[r].main[0]] + parts[r].main.dropFirst().filter { !shared.contains($0) }
                groups[g].rows[r].particular = own.joined(separator: "; ")
            }
        }
        return groups
    }
}

/// A reason's proof, and the rest split at its "; " outside parentheses.
private func reasonClauses(_ reason: String) -> (proof: String?, main: [String]) {
    var proof: String?, rest = Substring(reason)
    if reason.hasPrefix("proven before solving: "), let end = reason.range(of: ". In this timetable: ") {
        proof = String(reason[..<end.lowerBound])
        rest = reason[end.upperBound...]
    }
    var main: [String] = [], depth = 0, start = rest.startIndex, i = rest.startIndex
    while i < rest.endIndex {
        let c = rest[i]
        if c == "(" || c == "[" { depth += 1 } else if c == ")" || c == "]" { depth -= 1 }
        if depth == 0, c == ";", rest[rest.index(after: i)...].hasPrefix(" ") {
            main.append(String(rest[start..<i]))
            i = rest.index(i, offsetBy: 2)
            start = i
            continue
        }
        i = rest.index(after: i)
    }
    main.append(String(rest[start...]))
    return (proof, main)
}
