import ScenarioKit
import SeededRandom
import TimetableFormat

/// A year or a form of the generated hybrid school, in the builder's indices.
struct PlantedClass {
    var id: String
    var name: String
    var parts: [Int]
    var students: [Int]
    var unavailable: [SlotRef] = []
}

/// A lesson of the generated school and where the planted week holds it.
struct PlantedLesson {
    var id: String
    var title: String
    var subject: String
    var teachers: [Int]
    var classes: [Int]
    /// The forms (classes without parts) it occupies: two lessons clash exactly when they share one.
    var forms: [Int]
    var attendees: [Int]
    var seats: Int
    var course: HybridSpec.Course
    /// Features every room it uses needs: the course's and its students' `requires`.
    var features: Set<String>
    var placed: [(slot: Int, room: Int)] = []
    var prefer: [SlotRef] = [], avoid: [SlotRef] = [], at: [SlotRef] = []
}

/// What one placement attempt holds, so a failed attempt costs nothing to throw away.
private struct LessonGrid {
    var formBusy: [[Bool]], teacherBusy: [[Bool]], roomBusy: [[Bool]], formDayLoad: [[Int]]
    var placed: [[(slot: Int, room: Int)]]
    var missing = 0
}

// The lessons are placed before the flex sessions, as a school fixes its class timetable first;
// every rule R8 adds holds by construction, and what does not fit is left out of the scenario.
extension Builder {
    /// Subject teachers for the curriculum (about 20 lesson blocks each, a quarter part-time with a
    /// day off and a lighter load), then `spec.teachers` learning-support teachers without lessons.
    mutating func makeSubjectTeachers(_ h: HybridSpec) {
        let names = rng.shuffled(lastNames)
        var subjects: [String] = [], load: [String: Int] = [:], coTeachers: [String: Int] = [:]
        for c in h.curriculum {
            if !subjects.contains(c.subject) { subjects.append(c.subject) }
            load[c.subject, default: 0] += c.sessions * c.length * c.teachers * (c.yearWide ? h.years : h.classCount)
            coTeachers[c.subject] = max(coTeachers[c.subject] ?? 1, c.teachers)
        }
        var plan: [(subjects: [String], partTime: Bool)] = []
        for s in subjects {
            let count = max(coTeachers[s]!, (load[s]! + 19) / 20)
            // English teachers also tutor reading and writing, the flex subjects next to theirs.
            let taughtToo = s == "english" ? ["reading", "writing"] : []
            for k in 0..<count { plan.append(([s] + taughtToo, count > 1 && k == count - 1 && rng.chance(0.5))) }
        }
        for _ in 0..<spec.teachers { plan.append((["reading", "writing", "math"], rng.chance(0.5))) }
        for (i, p) in plan.enumerated() {
            let last = names[i % names.count], round = i / names.count
            let dayOff: [SlotRef] = p.partTime && spec.days.count > 1 ? [.day(rng.pick(spec.days))] : []
            teachers.append(Teacher(id: asciiSlug(last) + (round == 0 ? "" : "-\(round + 1)"), name: "\(rng.pick(titles)) \(last)",
                                    subjects: p.subjects, unavailable: dayOff))
        }
        taught = subjectPool.filter { s in teachers.contains { $0.subjects.contains(s) } }
        teacherBusy = Array(repeating: Array(repeating: false, count: slotCount), count: teachers.count)
        teacherPerDay = Array(repeating: Array(repeating: 0, count: spec.days.count), count: teachers.count)
        teacherTotal = Array(repeating: 0, count: teachers.count)
    }

    var formSize: Int { (spec.students + (spec.hybrid?.classCount ?? 1) - 1) / max(1, spec.hybrid?.classCount ?? 1) }

    /// A room for each form, and the rooms the curriculum names or asks features of, each seating
    /// what uses it; they come after the flex rooms `makeRooms` made.
    mutating func addLessonRooms(_ h: HybridSpec) {
        let yearSize = formSize * h.formsPerYear
        for y in 0..<h.years {
            for f in 0..<h.formsPerYear {
                let form = formName(h, y, f)
                var features = [rng.chance(0.5) ? "collaboration" : "quiet"]
                if rng.chance(0.7) { features.append("accessible") }
                rooms.append(Room(id: "room-\(form.lowercased())", name: "Room \(form)", capacity: formSize + rng.int(2...6), features: features))
            }
        }
        var features: [String: Int] = [:], named: [String] = []
        for c in h.curriculum {
            switch c.place {
            case .anyRoom: break
            case .feature(let f): features[f, default: 0] += c.sessions * c.length * (c.yearWide ? h.years : h.classCount)
            case .room(let id): if !named.contains(id) { named.append(id) }
            }
        }
        for f in features.keys.sorted() {
            // Rooms busy at most two blocks in three leave the lessons room to move.
            let count = max(1, (features[f]! * 3 + slotCount * 2 - 1) / (slotCount * 2))
            for k in 1...count {
                let accessible = k < count || count == 1 ? ["accessible"] : []
                rooms.append(Room(id: "\(f)-\(k)", name: (f == "lab" ? "Science Lab" : "\(f.capitalized) Room") + " \(k)",
                                  capacity: formSize + rng.int(2...6), features: [f] + accessible))
            }
        }
        for id in named {
            let seats = h.curriculum.contains { $0.place == .room(id) && $0.yearWide } ? yearSize : formSize
            rooms.append(Room(id: id, name: id.capitalized, capacity: seats + rng.int(5...15), features: ["accessible"]))
        }
        roomBusy = Array(repeating: Array(repeating: false, count: slotCount), count: rooms.count)
    }

    func formName(_ h: HybridSpec, _ year: Int, _ form: Int) -> String {
        "\(h.firstYear + year)\(Array("ABCDEFGHJKLMNPQRSTUVWXYZ")[form % 24])"
    }

    /// Years and forms (students spread over the forms in turn), their lessons with teachers chosen to
    /// even out loads, then the lessons placed.
    mutating func plantLessons(_ h: HybridSpec) {
        var forms: [Int] = []
        for y in 0..<h.years {
            let year = schoolClasses.count
            schoolClasses.append(PlantedClass(id: "y\(h.firstYear + y)", name: "Year \(h.firstYear + y)", parts: [], students: []))
            for f in 0..<h.formsPerYear {
                let k = y * h.formsPerYear + f
                let name = formName(h, y, f)
                schoolClasses[year].parts.append(schoolClasses.count)
                forms.append(schoolClasses.count)
                schoolClasses.append(PlantedClass(id: name.lowercased(), name: name, parts: [],
                                                  students: students.indices.filter { $0 % h.classCount == k }))
            }
        }
        var load = Array(repeating: 0, count: teachers.count)
        // Part-timers (a day off) take a lighter share.
        let capacity = teachers.map { $0.unavailable.isEmpty ? 20 : 14 }
        func leaders(_ c: HybridSpec.Course) -> [Int] {
            let able = teachers.indices.filter { teachers[$0].subjects.first == c.subject }
            let chosen = able.sorted { (load[$0] * capacity[$1], $0) < (load[$1] * capacity[$0], $1) }.prefix(c.teachers).sorted()
            for t in chosen { load[t] += c.sessions * c.length }
            return chosen
        }
        for c in h.curriculum {
            let units = c.yearWide ? schoolClasses.indices.filter { !schoolClasses[$0].parts.isEmpty } : forms
            for u in units {
                let k = schoolClasses[u]
                let leaves = k.parts.isEmpty ? [u] : k.parts
                let attendees = leaves.flatMap { schoolClasses[$0].students }.sorted()
                let repeated = lessons.filter { $0.subject == c.subject && $0.classes == [u] }.count
                let subjectTitle = c.subject == "pe" ? "PE" : c.subject.prefix(1).uppercased() + c.subject.dropFirst()
                lessons.append(PlantedLesson(
                    id: "\(c.subject)-\(k.id)" + (repeated == 0 ? "" : "-\(repeated + 1)"), title: "\(subjectTitle) \(k.name)",
                    subject: c.subject, teachers: leaders(c), classes: [u], forms: leaves, attendees: attendees,
                    seats: attendees.count, course: c, features: Set(attendees.flatMap { students[$0].requires })))
            }
        }
        placeLessons(forms)
        moveStudentAppointments()
    }

    /// Randomized greedy placement, largest pieces first, each lesson on the form's lightest days;
    /// up to 40 attempts, keeping the one that leaves the fewest lessons out.
    private mutating func placeLessons(_ forms: [Int]) {
        let formIndex = Dictionary(uniqueKeysWithValues: forms.enumerated().map { ($1, $0) })
        let start = LessonGrid(
            formBusy: forms.map { f in (0..<slotCount).map { p in schoolClasses[f].students.contains { studentBusy[$0][p] } } },
            teacherBusy: teacherBusy, roomBusy: roomBusy,
            formDayLoad: Array(repeating: Array(repeating: 0, count: spec.days.count), count: forms.count),
            placed: Array(repeating: [], count: lessons.count))
        var best: LessonGrid?
        for _ in 0..<40 where (best?.missing ?? 1) > 0 {
            var grid = start
            let order = rng.shuffled(Array(lessons.indices)).sorted { a, b in
                let x = lessons[a].course, y = lessons[b].course
                return (x.yearWide ? 0 : 1, -x.length, x.place == .anyRoom ? 1 : 0, -x.sessions)
                    < (y.yearWide ? 0 : 1, -y.length, y.place == .anyRoom ? 1 : 0, -y.sessions)
            }
            for l in order {
                let lesson = lessons[l], myForms = lesson.forms.map { formIndex[$0]! }
                for _ in 0..<lesson.course.sessions {
                    var options: [(slot: Int, room: Int, load: Int)] = []
                    for slot in 0..<slotCount {
                        guard let run = run(slot, lesson.course.length),
                              grid.placed[l].allSatisfy({ abs(day($0.slot) - day(slot)) >= lesson.course.minDaysApart }),
                              run.allSatisfy({ p in myForms.allSatisfy { !grid.formBusy[$0][p] } }),
                              run.allSatisfy({ p in lesson.teachers.allSatisfy { !grid.teacherBusy[$0][p] && free(teachers[$0].unavailable, p) } }),
                              let room = roomFor(lesson, run, grid.roomBusy) else { continue }
                        options.append((slot, room, myForms.map { grid.formDayLoad[$0][day(slot)] }.max()!))
                    }
                    guard let lightest = options.map(\.load).min() else { grid.missing += 1; continue }
                    let chosen = rng.pick(options.filter { $0.load == lightest })
                    for p in chosen.slot..<(chosen.slot + lesson.course.length) {
                        for f in myForms { grid.formBusy[f][p] = true }
                        for t in lesson.teachers { grid.teacherBusy[t][p] = true }
                        grid.roomBusy[chosen.room][p] = true
                    }
                    for f in myForms { grid.formDayLoad[f][day(chosen.slot)] += lesson.course.length }
                    grid.placed[l].append((chosen.slot, chosen.room))
                }
            }
            if grid.missing < best?.missing ?? .max { best = grid }
        }
        guard let best else { return }
        for l in lessons.indices {
            lessons[l].placed = best.placed[l].sorted { $0.slot < $1.slot }
            for (slot, room) in lessons[l].placed {
                let slots = slot..<(slot + lessons[l].course.length)
                for t in lessons[l].teachers { occupy(teacher: t, slots) }
                for p in slots {
                    roomBusy[room][p] = true
                    for st in lessons[l].attendees { studentBusy[st][p] = true }
                }
            }
        }
        // A lesson none of whose sessions fit is not part of the week at all.
        lessons.removeAll { $0.placed.isEmpty }
    }

    /// The form's own room when it is free, else the smallest free room the course may use.
    private func roomFor(_ lesson: PlantedLesson, _ run: Range<Int>, _ busy: [[Bool]]) -> Int? {
        let fitting = rooms.indices.filter { r in
            let room = rooms[r]
            let placeFits: Bool = switch lesson.course.place {
            case .anyRoom: true
            case .feature(let f): room.features.contains(f)
            case .room(let id): room.id == id
            }
            return placeFits && room.capacity >= lesson.seats && lesson.features.isSubset(of: room.features)
                && run.allSatisfy { !busy[r][$0] && free(room.unavailable, $0) }
        }
        let own = lesson.classes.count == 1 ? "room-\(schoolClasses[lesson.classes[0]].id)" : nil
        return fitting.first { rooms[$0].id == own } ?? fitting.min { (rooms[$0].capacity, $0) < (rooms[$1].capacity, $1) }
    }

    /// A weekly appointment drawn at a time that became a lesson moves to one of her free blocks.
    private mutating func moveStudentAppointments() {
        for st in students.indices {
            var moved: [SlotRef] = []
            for ref in students[st].unavailable {
                guard let slot = (0..<slotCount).first(where: { self.ref($0) == ref }), studentBusy[st][slot] else { moved.append(ref); continue }
                let open = (0..<slotCount).filter { !studentBusy[st][$0] && !moved.contains(self.ref($0)) && !students[st].unavailable.contains(self.ref($0)) }
                if !open.isEmpty { moved.append(self.ref(rng.pick(open))) }
            }
            students[st].unavailable = moved.sorted { slotIndex($0) < slotIndex($1) }
        }
    }

    private func slotIndex(_ ref: SlotRef) -> Int { (0..<slotCount).first { self.ref($0) == ref } ?? 0 }

    /// After the flex sessions: pins, wishes, class unavailability and teachers' limits, each chosen
    /// so the planted week keeps it.
    mutating func finishLessons(_ h: HybridSpec) {
        let lastBlock = blocks[blocks.count - 1].id
        for l in lessons.indices {
            let course = lessons[l].course, refs = lessons[l].placed.map { ref($0.slot) }
            // A year-wide lesson is set by the school first, as an assembly is.
            if course.yearWide { lessons[l].at = refs } else if rng.chance(h.pinShare) { lessons[l].at = [refs[0]] }
            guard h.preferences else { continue }
            if course.sessions >= 5 { lessons[l].avoid = spec.days.map { .block($0, lastBlock) } }
            if course.length > 1, !course.yearWide {
                lessons[l].prefer = lessons[l].placed.map { SlotRef.day(spec.days[day($0.slot)]) }
            }
        }
        if h.classUnavailability {
            for k in schoolClasses.indices where rng.chance(schoolClasses[k].parts.isEmpty ? 0.15 : 0.5) {
                let leaves = schoolClasses[k].parts.isEmpty ? [k] : schoolClasses[k].parts
                let open = (0..<slotCount).filter { p in
                    !lessons.contains { l in
                        !Set(l.forms).isDisjoint(with: leaves) && l.placed.contains { ($0.slot..<($0.slot + l.course.length)).contains(p) }
                    }
                }
                if !open.isEmpty { schoolClasses[k].unavailable = [ref(rng.pick(open))] }
            }
        }
        for t in teachers.indices where teacherTotal[t] > 0 {
            if rng.chance(0.3) { teachers[t].maxPerDay = min(spec.blocksPerDay, teacherPerDay[t].max()! + rng.int(0...1)) }
            if rng.chance(0.3) { teachers[t].maxPerWeek = teacherTotal[t] + rng.int(0...2) }
        }
    }

    func schoolClass(_ k: PlantedClass) -> SchoolClass {
        SchoolClass(id: k.id, name: k.name, parts: k.parts.map { schoolClasses[$0].id }, students: k.students.map { students[$0].id },
                    unavailable: k.unavailable)
    }

    func scenarioLesson(_ l: PlantedLesson) -> Lesson {
        let (rooms, features): ([String], [String]) = switch l.course.place {
        case .anyRoom: ([], [])
        case .feature(let f): ([], [f])
        case .room(let id): ([id], [])
        }
        return Lesson(id: l.id, title: l.title, subject: l.subject, teachers: l.teachers.map { teachers[$0].id },
                      classes: l.classes.map { schoolClasses[$0].id }, sessions: l.placed.count, length: l.course.length,
                      minDaysApart: l.placed.count > 1 ? l.course.minDaysApart : 0, rooms: rooms, roomFeatures: features,
                      prefer: l.prefer, avoid: l.avoid, at: l.at)
    }

    /// The planted lessons as timetable sessions, with the slot each starts at.
    func lessonSessions(_ scenario: Scenario) -> [(slot: Int, session: Timetable.Session)] {
        lessons.flatMap { l in
            let lesson = scenarioLesson(l)
            return l.placed.map { placed in
                (placed.slot, Timetable.Session(
                    lesson: l.id, title: l.title, subject: l.subject, day: spec.days[day(placed.slot)].rawValue,
                    block: blocks[placed.slot % spec.blocksPerDay].id, length: l.course.length, teachers: lesson.teachers,
                    classes: lesson.classes, room: rooms[placed.room].id, students: scenario.attendees(of: lesson)))
            }
        }
    }
}
