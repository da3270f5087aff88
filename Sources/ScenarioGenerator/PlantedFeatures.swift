import ScenarioKit

/// A fixed session of the generated week, in the builder's indices.
struct PlantedFixed {
    var id: String
    var title: String
    var slot: Int
    var length: Int
    var teachers: [Int]
    var room: Int?
    var listed: [Int]
    var group: Int?
    /// The listed students and the group's members.
    var attendees: [Int]
}

// The v1.1 features. Fixed sessions are placed before planting, so flexible sessions fit around them;
// everything else annotates needs, students and teachers after planting, choosing only what the
// planted week already satisfies. Every draw here uses `featureRng`.
extension Builder {
    /// Advisory for each grade group in the week's first block, then one or two whole-class lessons,
    /// the second a double block. A one-block day leaves no room for any of them.
    mutating func placeFixed() {
        guard spec.features.contains(.fixed), spec.blocksPerDay >= 2, students.count >= 2 else { return }
        let gradeCount = students.count >= 40 ? 3 : 2
        let order = featureRng.shuffled(Array(students.indices))
        let members = (0..<gradeCount).map { g in order.indices.filter { $0 % gradeCount == g }.map { order[$0] }.sorted() }
        for g in members.indices {
            groups.append(StudentGroup(id: "grade-\(6 + g)", students: members[g].map { students[$0].id }))
        }
        // Advisory is not optional: a weekly appointment at that time moves to the next block (students
        // are only ever unavailable for single blocks, and the first block is never a day's last here).
        for st in students.indices where !free(students[st].unavailable, 0) {
            students[st].unavailable = students[st].unavailable.map { $0 == ref(0) ? ref(1) : $0 }
        }
        for g in members.indices {
            let slots = 0..<1
            // One adult per 25 students, as far as free teachers go; no room is big enough for a
            // large grade, which then meets in the gym (a fixed session needs no room).
            let staff = featureRng.shuffled(Array(teachers.indices)).filter { teacherCanTake($0, slots) }
                .prefix(max(1, (members[g].count + 24) / 25)).sorted()
            let required = Set(members[g].flatMap { students[$0].requires })
            let room = rooms.indices.filter {
                roomCanTake($0, slots) && rooms[$0].capacity >= members[g].count && required.isSubset(of: rooms[$0].features)
            }.min { rooms[$0].capacity < rooms[$1].capacity }
            hold(PlantedFixed(id: "advisory-\(6 + g)", title: "Grade \(6 + g) advisory", slot: 0, length: 1, teachers: staff,
                              room: room, listed: [], group: g, attendees: members[g]))
        }
        // A week of a few blocks has no room for more fixed time than advisory, and a single day for
        // no more than one lesson besides.
        if slotCount >= 6 && students.count >= 10 { placeLesson(number: 1, length: 1) }
        if slotCount >= 12 && students.count >= 20 { placeLesson(number: 2, length: 2) }
    }

    /// A teacher's class of 12-24 students (half the school at most) who are all free then, in a room
    /// that seats them and has what each of them requires.
    mutating func placeLesson(number: Int, length: Int) {
        for slot in featureRng.shuffled(Array(0..<slotCount)) {
            guard let slots = run(slot, length) else { continue }
            for t in featureRng.shuffled(Array(teachers.indices)) where teacherCanTake(t, slots) {
                for r in rooms.indices where roomCanTake(r, slots) {
                    let able = students.indices.filter {
                        canAttend($0, slots) && students[$0].requires.allSatisfy(rooms[r].features.contains)
                    }
                    let wanted = min(featureRng.int(12...24), students.count / 2)
                    let size = min(rooms[r].capacity, able.count, wanted)
                    guard size * 3 >= wanted * 2 else { continue }
                    let subject = teachers[t].subjects[0]
                    let title = subject.prefix(1).uppercased() + subject.dropFirst() + (length == 1 ? " class" : " double lesson")
                    let chosen = featureRng.shuffled(able).prefix(size).sorted()
                    hold(PlantedFixed(id: "\(subject)-class-\(number)", title: title, slot: slot, length: length, teachers: [t],
                                      room: r, listed: chosen, group: nil, attendees: chosen))
                    return
                }
            }
        }
    }

    mutating func hold(_ f: PlantedFixed) {
        let slots = f.slot..<(f.slot + f.length)
        for t in f.teachers { occupy(teacher: t, slots) }
        for x in slots {
            if let r = f.room { roomBusy[r][x] = true }
            for st in f.attendees { studentBusy[st][x] = true }
        }
        fixed.append(f)
    }

    func fixedSession(_ f: PlantedFixed) -> FixedSession {
        FixedSession(id: f.id, title: f.title, day: spec.days[day(f.slot)], block: blocks[f.slot % spec.blocksPerDay].id,
                     length: f.length, teachers: f.teachers.map { teachers[$0].id }, room: f.room.map { rooms[$0].id },
                     students: f.listed.map { students[$0].id }, groups: f.group.map { [groups[$0].id] } ?? [])
    }

    /// Priorities, teacher requests and preferences, levels, apart pairs and teachers' prefer-not
    /// times. Unplanted, requests name any qualified teacher.
    mutating func annotate() {
        let features = spec.features
        guard !features.isDisjoint(with: [.priorities, .requestedTeachers, .preferTeachers, .levels, .apart, .preferNot]) else { return }
        var attended = Array(repeating: [Int](), count: students.count)
        for (i, s) in sessions.enumerated() { for st in s.students { attended[st].append(i) } }
        for st in students.indices {
            for n in students[st].needs.indices {
                let need = students[st].needs[n]
                let m = modalities.firstIndex { $0.id == need.modality }!
                let modality = modalities[m], subject = subjectPool.firstIndex(of: need.subject)!
                let qualified = teachers.indices.filter { teachers[$0].subjects.contains(need.subject) }
                if features.contains(.priorities) {
                    // Legally mandated services (IEP minutes, speech therapy, English-language support)
                    // are tutoring or small groups.
                    let mandated = [0.12, 0.04, 0, 0][m], u = featureRng.unit()
                    students[st].needs[n].priority = u < mandated ? .mandated : u < mandated + 0.1 ? .high : u >= 0.9 ? .low : .normal
                }
                if features.contains(.requestedTeachers), modality.teacher {
                    var led: [Int] = []
                    for i in attended[st] where sessions[i].key == NeedKey(subject: need.subject, modality: m) {
                        if let t = sessions[i].teacher, !led.contains(t) { led.append(t) }
                    }
                    let candidates = spec.planted ? (led.count == 1 ? led : []) : qualified
                    if !candidates.isEmpty, featureRng.chance(0.2) { students[st].needs[n].teacher = teachers[featureRng.pick(candidates)].id }
                }
                if features.contains(.preferTeachers), modality.teacher, students[st].needs[n].teacher == nil,
                   !qualified.isEmpty, featureRng.chance(0.15) {
                    let picked = featureRng.shuffled(qualified).prefix(featureRng.int(1...min(2, qualified.count))).sorted()
                    students[st].needs[n].preferTeachers = picked.map { teachers[$0].id }
                }
                if features.contains(.levels), modality.levelSpread != nil { students[st].needs[n].level = levels[st][subject] }
            }
        }
        if features.contains(.apart) { pairApart(attended) }
        if features.contains(.preferNot) {
            for t in featureRng.shuffled(Array(teachers.indices)).prefix(max(1, teachers.count / 3)).sorted() {
                let open = (0..<slotCount).filter { free(teachers[t].unavailable, $0) }
                guard !open.isEmpty else { continue }
                teachers[t].preferNot = featureRng.shuffled(open).prefix(featureRng.int(1...min(2, open.count))).sorted().map(ref)
            }
        }
    }

    /// About one pair per 15 students, each two who share no session of the week, fixed ones included
    /// (stricter than the rule, which leaves fixed sessions alone, so the week holds however it reads).
    /// Listed on one side only: the rule is symmetric.
    mutating func pairApart(_ attended: [[Int]]) {
        guard students.count >= 2 else { return }
        var sharing = attended
        for (k, f) in fixed.enumerated() { for st in f.attendees { sharing[st].append(sessions.count + k) } }
        let target = max(1, students.count / 15)
        var made = 0
        for a in featureRng.shuffled(Array(students.indices)) where made < target {
            let shared = Set(sharing[a])
            guard let b = featureRng.shuffled(Array(students.indices)).first(where: { b in
                b != a && shared.isDisjoint(with: sharing[b]) && !students[min(a, b)].apart.contains(students[max(a, b)].id)
            }) else { continue }
            students[min(a, b)].apart.append(students[max(a, b)].id)
            made += 1
        }
    }
}
