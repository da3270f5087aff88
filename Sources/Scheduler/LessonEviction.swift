import WeekIndex

extension Plan {
    /// Frees the blocks a lesson of `l` at `p` fills of flex sessions; the seats given up, or nil
    /// when a fixed session or another lesson is in the way (or a pinned flex session).
    mutating func evictFlex(for l: Int, at p: Int) -> Int? {
        let info = instance.lessons[l], covered = instance.covered(lesson: l, from: p)
        var ids = Set<Int>()
        for q in covered {
            for s in info.students where studentAt[s][q] != Plan.free { guard studentAt[s][q] >= 0 else { return nil }; ids.insert(studentAt[s][q]) }
            for t in info.teachers where teacherAt[t][q] != Plan.free { guard teacherAt[t][q] >= 0 else { return nil }; ids.insert(teacherAt[t][q]) }
            for leaf in info.leaves where classAt[leaf][q] != Plan.free { return nil }
        }
        var lost = 0
        let members = Set(info.students)
        for id in ids.sorted() {
            guard let session = sessions[id], !session.pinned else { return nil }
            let staying = session.students.filter { !members.contains($0) }
            let leadsIt = session.teacher.map(info.teachers.contains) ?? false
            if leadsIt || staying.count < instance.activities[session.activity].min {
                lost += session.students.count
                remove(id)
            } else {
                lost += session.students.count - staying.count
                var kept = session
                kept.students = staying
                replace(id, with: kept)
            }
        }
        // A room held by a flex session is given up only when no other room is free.
        if info.needsRoom, freeRooms(lesson: l, at: p).isEmpty {
            let rows = roomAt
            guard let r = info.rooms.first(where: { r in covered.allSatisfy { rows[r][$0] >= 0 || rows[r][$0] == Plan.free } }) else { return nil }
            for id in Set(covered.map { roomAt[r][$0] }) where id >= 0 {
                guard let session = sessions[id], !session.pinned else { return nil }
                lost += session.students.count
                remove(id)
            }
        }
        return lost
    }
}
