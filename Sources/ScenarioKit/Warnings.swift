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
        return found.sortedByLine()
    }
}

/// First occurrences in order, so suggestions, warnings and messages never depend on hashing order.
func orderedUnique(_ items: [String]) -> [String] {
    var seen = Set<String>()
    return items.filter { seen.insert($0).inserted }
}
