import ScenarioGenerator

/// A planted five-day week of 30 students, 6 teachers and 4 rooms: a full timetable is known to
/// exist, and it is small enough to solve many times in one test. `allFeatures` adds every v1.1
/// feature (fixed sessions, priorities, requested and preferred teachers, double blocks, levels,
/// students kept apart, prefer-not times).
func plantedWeekSpec(seed: UInt64, allFeatures: Bool = false) -> GeneratorSpec {
    var spec = allFeatures ? GeneratorSpec.small.withAllFeatures : GeneratorSpec.small
    spec.students = 30
    spec.teachers = 6
    spec.rooms = 4
    spec.days = [.mon, .tue, .wed, .thu, .fri]
    spec.seed = seed
    return spec
}
