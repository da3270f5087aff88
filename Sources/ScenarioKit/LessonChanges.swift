// Change file v1.2's lesson keys, and what the other keys mean for lessons. A teacher who leaves
// stops leading her lessons; a lesson she led alone has nobody left, and who takes it over is the
// admin's decision, so the change file must say it (never a silent study hall).
extension ScenarioChange {
    func applyLessonChanges(to result: inout Scenario, from scenario: Scenario, goneTeachers: Set<String>, goneStudents: Set<String>,
                            changedLines: inout [String: Int], fail: (_ entity: String, _ message: String, _ lineOf: String?) -> Void) {
        let lessonIds = scenario.lessons.map(\.id), classIds = scenario.classes.map(\.id)
        let removed = Set(lessonsRemove)
        for id in lessonsRemove where !lessonIds.contains(id) {
            fail("lessons-remove", "no lesson has the id `\(id)`\(didYouMean(id, among: lessonIds))", "lessons-remove[\(id)]")
        }
        result.lessons.removeAll { removed.contains($0.id) }
        for lesson in lessonsAdd {
            let entity = "lessons-add[\(lesson.id)]"
            if lessonIds.contains(lesson.id) && !removed.contains(lesson.id) {
                fail(entity, "a lesson with the id `\(lesson.id)` is already in the scenario; remove it in `lessons-remove` to replace it", nil)
                continue
            }
            result.lessons.append(lesson)
            changedLines["lessons[\(lesson.id)]"] = lines[entity]
        }
        for (id, refs) in lessonsPin {
            let entity = "lessons-pin.\(id)"
            if removed.contains(id) && !lessonsAdd.contains(where: { $0.id == id }) {
                fail(entity, "`\(id)` is also in `lessons-remove`; give one or the other", nil)
                continue
            }
            guard let i = result.lessons.firstIndex(where: { $0.id == id }) else {
                fail(entity, "no lesson has the id `\(id)`\(didYouMean(id, among: result.lessons.map(\.id)))", nil)
                continue
            }
            result.lessons[i].at = refs
            changedLines["lessons[\(id)]"] = lines[entity]
        }
        for (id, refs) in classesUnavailable {
            let entity = "classes-unavailable.\(id)"
            guard let i = result.classes.firstIndex(where: { $0.id == id }) else {
                fail(entity, "no class has the id `\(id)`\(didYouMean(id, among: classIds))", nil)
                continue
            }
            result.classes[i].unavailable += refs
            changedLines["classes[\(id)]"] = lines[entity]
            // A pinned lesson the class can no longer have is reported at the line that made it so,
            // unless this file pins it anew: then at that pin.
            let related = Set(result.classAndParts(id) + result.classesContaining(id))
            for l in result.lessons where !l.at.isEmpty && !related.isDisjoint(with: l.classes) && changedLines["lessons[\(l.id)]"] == nil {
                changedLines["lessons[\(l.id)]"] = lines[entity]
            }
        }
        if !goneStudents.isEmpty {
            for i in result.classes.indices { result.classes[i].students.removeAll { goneStudents.contains($0) } }
        }
        guard !goneTeachers.isEmpty else { return }
        var leftAlone: [String: [String]] = [:]
        for i in result.lessons.indices {
            let had = result.lessons[i].teachers
            result.lessons[i].teachers.removeAll { goneTeachers.contains($0) }
            if result.lessons[i].teachers.isEmpty, let t = had.first(where: goneTeachers.contains) {
                leftAlone[t, default: []].append(result.lessons[i].id)
            }
        }
        for id in teachersLeave {
            guard let alone = leftAlone.removeValue(forKey: id) else { continue }
            let them = alone.count == 1 ? "it" : "them"
            fail("teachers-leave", "`\(id)` is the only teacher of lesson\(alone.count == 1 ? "" : "s") \(listedInWords(alone.map { "`\($0)`" })); list \(them) in `lessons-remove` and add \(them) back with another teacher in `lessons-add`, or only remove \(them)",
                 "teachers-leave[\(id)]")
        }
    }
}
