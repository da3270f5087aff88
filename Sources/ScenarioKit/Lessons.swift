// Scenario v1.2: class lessons. A class (cohort) meets its teachers `sessions` times a week; the
// solver places those lessons together with the personalized flex sessions, so every student's flex
// sessions fill the blocks her classes leave free.

/// A cohort that meets as one for lessons: a year, a form, a set. Classes nest as FET's
/// year > group > subgroup do: a lesson for a class also takes every class listed in its `parts`
/// (and theirs), and every student listed in any of them.
public struct SchoolClass: Sendable, Hashable {
    public var id: String
    public var name: String
    /// Seats its lessons need. Nil: the sum of its parts' sizes, or else the number of its students.
    public var size: Int?
    /// Classes that make it up (7A and 7B of Year 7). A part may belong to several classes, as a
    /// subgroup of FET belongs to several groups.
    public var parts: [String]
    /// Its members whom flexsched also plans for (optional: a class may be only a size).
    public var students: [String]
    /// Times it never has a lesson (a trip, an assembly, a year's exam afternoon).
    public var unavailable: [SlotRef]
    /// Blocks of lessons a day at most, for it and every class within it.
    public var maxPerDay: Int?
    public init(id: String, name: String, size: Int? = nil, parts: [String] = [], students: [String] = [], unavailable: [SlotRef] = [],
                maxPerDay: Int? = nil) {
        self.id = id; self.name = name; self.size = size; self.parts = parts; self.students = students; self.unavailable = unavailable
        self.maxPerDay = maxPerDay
    }
}

/// Lessons a class (or classes taught together) has with its teachers each week, placed by the solver.
public struct Lesson: Sendable, Hashable {
    public var id: String
    /// What calendars and grids show ("Math 7A"); default: the subject and the classes.
    public var title: String
    public var subject: String
    /// Everyone who leads it (co-taught lessons list several); may be empty (a study hall).
    public var teachers: [String]
    public var classes: [String]
    /// Lessons a week.
    public var sessions: Int
    /// Consecutive blocks each lesson fills, never across a `break-before`.
    public var length: Int
    /// Hard: two lessons of it lie at least this many days apart (1: never two on one day; 0: they
    /// may share a day, one after the other or not).
    public var minDaysApart: Int
    /// Hard: the rooms it may use; empty: any room with `roomFeatures` that seats its classes.
    public var rooms: [String]
    public var roomFeatures: [String]
    /// False for lessons that take no room the school plans (the field, an outing).
    public var needsRoom: Bool
    /// Soft: times it should be at; each lesson elsewhere costs `O.lesson-preferred-time`.
    public var prefer: [SlotRef]
    /// Soft: times it should not be at; each lesson there costs `O.lesson-avoided-time`.
    public var avoid: [SlotRef]
    /// Hard: pinned lessons (`mon.b1`), by the admin or a what-if; the rest are placed freely.
    public var at: [SlotRef]
    /// Hard: the only times its lessons may start (`mon` for any start that day, `tue.b2`); empty: any.
    public var onlyAt: [SlotRef]
    /// Soft: two lessons of it should lie at least this many days apart; each pair closer costs
    /// `O.lesson-days-apart` (FET's min-days constraint below 100 %). 0: no preference.
    public var preferDaysApart: Int
    /// Lessons with one `series` are one course split into lessons of different lengths (FET's
    /// split activity of 2 + 2 + 1 hours): `min-days-apart` and `prefer-days-apart` hold between the
    /// lessons of all of them, at the larger of the two lessons' values.
    public var series: String?
    /// Hard: each of its lessons is the last of the day for its classes (FET's "ends students' day").
    public var endsDay: Bool

    public init(id: String, title: String? = nil, subject: String, teachers: [String], classes: [String], sessions: Int,
                length: Int = 1, minDaysApart: Int = 1, rooms: [String] = [], roomFeatures: [String] = [], needsRoom: Bool = true,
                prefer: [SlotRef] = [], avoid: [SlotRef] = [], at: [SlotRef] = [], onlyAt: [SlotRef] = [], preferDaysApart: Int = 0,
                series: String? = nil, endsDay: Bool = false) {
        self.id = id; self.title = title ?? ([subject] + classes).joined(separator: " "); self.subject = subject
        self.teachers = teachers; self.classes = classes; self.sessions = sessions; self.length = length
        self.minDaysApart = minDaysApart; self.rooms = rooms; self.roomFeatures = roomFeatures; self.needsRoom = needsRoom
        self.prefer = prefer; self.avoid = avoid; self.at = at; self.onlyAt = onlyAt; self.preferDaysApart = preferDaysApart
        self.series = series; self.endsDay = endsDay
    }

    /// Whether `only-at` lets a lesson start at `block` on `day`.
    public func mayStart(day: Weekday, block: String) -> Bool {
        onlyAt.isEmpty || onlyAt.contains { $0 == .day(day) || $0 == .block(day, block) }
    }
}

/// Where each class is and what contains it, built once per change of the classes: FET's schools
/// have up to 1,900 classes, and lookups that walked the list on every call took minutes there.
public struct ClassIndex: Sendable, Hashable {
    /// The first class with each id.
    let position: [String: Int]
    /// The classes that list each class among their parts.
    let containers: [String: [String]]

    init(_ classes: [SchoolClass]) {
        position = Dictionary(classes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var containers: [String: [String]] = [:]
        for k in classes { for part in k.parts { containers[part, default: []].append(k.id) } }
        self.containers = containers
    }
}

extension Scenario {
    public func schoolClass(_ id: String) -> SchoolClass? { classIndex.position[id].map { classes[$0] } }

    /// The class and every class below it, each once (parts of parts, ...), in order.
    public func classAndParts(_ id: String) -> [String] {
        var found: [String] = [], queue = [id], seen = Set<String>(), head = 0
        while head < queue.count {
            let next = queue[head]
            head += 1
            guard seen.insert(next).inserted else { continue }
            found.append(next)
            queue += schoolClass(next)?.parts ?? []
        }
        return found
    }

    /// The classes a lesson of `id` occupies with no others below them: two lessons clash exactly
    /// when their classes share one.
    public func leafClasses(_ id: String) -> [String] {
        classAndParts(id).filter { (schoolClass($0)?.parts ?? []).isEmpty }
    }

    /// Every student listed in the class or in a class below it, each once, in order.
    public func members(ofClass id: String) -> [String] {
        var seen = Set<String>()
        return classAndParts(id).flatMap { schoolClass($0)?.students ?? [] }.filter { seen.insert($0).inserted }
    }

    /// Its `size`, else its parts' sizes summed, else its students counted.
    public func seats(ofClass id: String) -> Int {
        var visiting = Set<String>()
        func seats(_ id: String) -> Int {
            guard let c = schoolClass(id), visiting.insert(id).inserted else { return 0 }
            if let size = c.size { return size }
            return c.parts.isEmpty ? c.students.count : c.parts.reduce(0) { $0 + seats($1) }
        }
        return seats(id)
    }

    /// A lesson's students: the members of all its classes, each once.
    public func attendees(of lesson: Lesson) -> [String] {
        var seen = Set<String>()
        return lesson.classes.flatMap { members(ofClass: $0) }.filter { seen.insert($0).inserted }
    }

    /// The seats a lesson's room must have: its classes' sizes summed.
    public func seats(of lesson: Lesson) -> Int { lesson.classes.reduce(0) { $0 + seats(ofClass: $1) } }

    /// The lessons of `lesson`'s series (itself alone when it has none), in scenario order.
    public func seriesMates(of lesson: Lesson) -> [Lesson] {
        guard let series = lesson.series else { return [lesson] }
        return lessons.filter { $0.series == series }
    }

    /// Classes that contain `id` (directly or through parts), in scenario order, without `id` itself.
    public func classesContaining(_ id: String) -> [String] {
        // Upwards from `id` through the classes each is a part of.
        let containers = classIndex.containers
        var above = Set<String>(), queue = [id], head = 0
        while head < queue.count {
            let next = queue[head]
            head += 1
            for k in containers[next] ?? [] where above.insert(k).inserted { queue.append(k) }
        }
        above.remove(id)
        return above.compactMap { classIndex.position[$0] }.sorted().map { classes[$0].id }
    }
}
