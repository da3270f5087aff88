// v1.2's class lessons: the R8 family of hard rules and the lesson terms of the objective. Double
// booking of teachers, rooms and students, and their availability and load limits, stay the R3-R5
// rules: a lesson occupies its people and room as any session does.
extension Rule {
    // MARK: R8 class lessons

    public static let lessonKept = Rule(
        id: "R8.lesson-kept", name: "lesson kept as defined",
        intent: "a lesson names a scenario lesson and has its subject, teachers, classes and their students, and its `length`",
        kind: .hard, weight: nil)
    public static let lessonCount = Rule(
        id: "R8.lesson-count", name: "lesson placed its sessions",
        intent: "a lesson is placed at most `sessions` times, and placed + reported unplaced = `sessions`", kind: .hard, weight: nil)
    public static let lessonPinned = Rule(
        id: "R8.lesson-pinned", name: "pinned lesson kept",
        intent: "every `at` of a lesson holds one of its lessons, starting there", kind: .hard, weight: nil)
    public static let lessonLength = Rule(
        id: "R8.lesson-length", name: "lesson fills its blocks",
        intent: "a lesson fills `length` consecutive blocks of one day, never across a `break-before`", kind: .hard, weight: nil)
    public static let classDoubleBooked = Rule(
        id: "R8.class-double-booked", name: "class double-booked",
        intent: "a class, its parts and the classes it is part of have at most one lesson per block", kind: .hard, weight: nil)
    public static let classUnavailable = Rule(
        id: "R8.class-unavailable", name: "class unavailable",
        intent: "no lesson at a time its class (or a class above or below it) is marked `unavailable`", kind: .hard, weight: nil)
    public static let classDailyLimit = Rule(
        id: "R8.class-daily-limit", name: "class over daily limit",
        intent: "a class, and each class within it, has at most `max-per-day` blocks of lessons a day", kind: .hard, weight: nil)
    public static let lessonRoom = Rule(
        id: "R8.lesson-room", name: "lesson in a room it may use",
        intent: "a lesson is in one of its `rooms` (any room when none are listed) with its `room-features`, and has a room unless `needs-room: false`",
        kind: .hard, weight: nil)
    public static let lessonRoomSize = Rule(
        id: "R8.lesson-room-size", name: "room seats the classes",
        intent: "a lesson's room seats the sizes of its classes together", kind: .hard, weight: nil)
    public static let lessonDaysApart = Rule(
        id: "R8.min-days-apart", name: "lessons too close together",
        intent: "two lessons of one lesson lie at least `min-days-apart` days apart", kind: .hard, weight: nil)

    public static let lessonEndsDay = Rule(
        id: "R8.lesson-ends-day", name: "lesson not last of its classes' day",
        intent: "a lesson with `ends-day` is the last lesson of the day for each of its classes (and the classes within them)", kind: .hard, weight: nil)

    public static let lessonOnlyAt = Rule(
        id: "R8.lesson-only-at", name: "lesson outside its allowed starts",
        intent: "a lesson with `only-at` starts at one of those times (a day allows any start that day)", kind: .hard, weight: nil)

    // MARK: objective terms of lessons

    public static let unplacedLesson = Rule(
        id: "O.unplaced-lesson", name: "unplaced lesson",
        intent: "per lesson not placed; outweighs every unmet session of any priority together", kind: .objective, weight: 1000)
    public static let classIdle = Rule(
        id: "O.class-idle", name: "class idle block",
        intent: "per free block between a class's first and last lesson of a day (counted on the classes with no parts)",
        kind: .objective, weight: 3)
    public static let lessonOffPreferred = Rule(
        id: "O.lesson-preferred-time", name: "lesson outside its preferred times",
        intent: "per lesson of a lesson with `prefer` that starts at none of them", kind: .objective, weight: 2)
    public static let lessonAvoidedTime = Rule(
        id: "O.lesson-avoided-time", name: "lesson at an avoided time",
        intent: "per lesson that fills a block in its `avoid` list", kind: .objective, weight: 3)
    /// Heavy: FET's min days at 95 % is all but hard (its generator breaks it rarely, and refused a
    /// locked timetable with three of a class's lessons on one day).
    public static let lessonDaysApartPreferred = Rule(
        id: "O.lesson-days-apart", name: "lessons closer than preferred",
        intent: "per pair of lessons of one lesson fewer than its `prefer-days-apart` days apart", kind: .objective, weight: 40)
    public static let changedLesson = Rule(
        id: "O.changed-lesson", name: "moved lesson",
        intent: "re-solves against a baseline: per person (teacher or listed student, at least one) in a baseline lesson no longer at its day, block and room",
        kind: .objective, weight: 50)
}
