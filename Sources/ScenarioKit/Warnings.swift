extension Scenario {
    /// What is allowed but most likely a typo: a teacher subject that no student needs, a room feature
    /// that no modality or student asks for, a student requirement that no room has. Each says which
    /// known subject or feature was probably meant, when one is close. A requirement that leaves one of
    /// the student's needs without a room is an error already (see `validationProblems`), so it is
    /// only a warning for a student with no needs.
    public func warnings(file: String, lines: [String: Int] = [:]) -> [InputProblem] {
        var found: [InputProblem] = []
        func warn(_ entity: String, _ message: String) {
            found.append(InputProblem(file: file, line: lines[entity], entity: entity, message: message))
        }
        let needed = orderedUnique(students.flatMap { $0.needs.map(\.subject) } + lessons.map(\.subject))
        let neededSet = Set(needed)
        for teacher in teachers {
            for subject in orderedUnique(teacher.subjects) where !neededSet.contains(subject) {
                warn("teachers[\(teacher.id)]", "teaches `\(subject)`, which no student needs\(didYouMean(subject, among: needed))")
            }
        }
        let askedFor = orderedUnique(modalities.flatMap(\.roomFeatures) + students.flatMap(\.requires) + lessons.flatMap(\.roomFeatures))
        let askedForSet = Set(askedFor)
        for room in rooms {
            for feature in orderedUnique(room.features) where !askedForSet.contains(feature) {
                warn("rooms[\(room.id)]", "has the feature `\(feature)`, which no modality or student asks for\(didYouMean(feature, among: askedFor))")
            }
        }
        let offered = orderedUnique(rooms.flatMap(\.features))
        let offeredSet = Set(offered)
        for student in students where student.needs.isEmpty {
            for feature in orderedUnique(student.requires) where !offeredSet.contains(feature) {
                warn("students[\(student.id)]", "requires `\(feature)`, which no room has\(didYouMean(feature, among: offered))")
            }
        }
        for problem in fixedSessionsJoiningApartStudents(file: file, lines: lines) { found.append(problem) }
        return found.sortedByLine()
    }

    /// Every pair of students a fixed session puts together although one of them is to be kept
    /// apart from the other: flexsched never plans such a pair together, but it does not move a
    /// fixed session, so the admin hears of it, with the line of the session and of the `apart`.
    private func fixedSessionsJoiningApartStudents(file: String, lines: [String: Int]) -> [InputProblem] {
        let byId = Dictionary(students.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let members = Dictionary(groups.map { ($0.id, $0.students) }, uniquingKeysWith: { first, _ in first })
        var found: [InputProblem] = []
        for session in fixed {
            let present = orderedUnique(session.students + session.groups.flatMap { members[$0] ?? [] })
            let here = Set(present)
            for (i, id) in present.enumerated() {
                guard let student = byId[id] else { continue }
                for other in orderedUnique(student.apart) where here.contains(other) {
                    // A pair both sides name is one pair: told once, from the earlier student.
                    if let partner = byId[other], partner.apart.contains(id), present.firstIndex(of: other)! < i { continue }
                    let apartLine = lines["students[\(id)]"].map { " (line \($0))" } ?? ""
                    let otherName = byId[other]?.name ?? other
                    found.append(InputProblem(
                        file: file, line: lines["fixed[\(session.id)]"], entity: "fixed[\(session.id)]",
                        message: "puts \(student.name) and \(otherName) together in \(session.title), though \(student.name)'s "
                            + "`apart`\(apartLine) keeps them apart; move one of them to another session or drop the `apart`"))
                }
            }
        }
        return found
    }
}

/// First occurrences in order, so suggestions, warnings and messages never depend on hashing order.
func orderedUnique(_ items: [String]) -> [String] {
    var seen = Set<String>()
    return items.filter { seen.insert($0).inserted }
}
