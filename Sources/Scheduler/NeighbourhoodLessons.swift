import WeekIndex

/// Class lessons in a GLPK piece: which people and blocks each lesson column takes, for the rows of
/// the catalogue entries that share them with flex sessions (double booking, loads, idle blocks).
extension NeighbourhoodModel {
    /// One cell per lesson column and person of `who` (its teachers, its students, its classes).
    func lessonCells(_ who: KeyPath<Instance.LessonInfo, [Int]>) -> [(who: Int, q: Int, covered: Range<Int>, length: Int, col: Int)] {
        zs.flatMap { z in
            let covered = instance.covered(lesson: z.l, from: z.q)
            return instance.lessons[z.l][keyPath: who].map { ($0, z.q, covered, covered.count, z.col) }
        }
    }

    /// The same per block filled: (person, slot) -> column, for once-per-block rows.
    func lessonSlots(_ who: KeyPath<Instance.LessonInfo, [Int]>) -> [(ColumnKey, Int)] {
        lessonCells(who).flatMap { cell in cell.covered.map { (ColumnKey(cell.who, $0), cell.col) } }
    }

    /// Where each moving lesson landed, in `movingLessons`' order; nil when one has no column set.
    func decodeLessons(_ values: [Double]) -> [PlacedLesson]? {
        var placed: [PlacedLesson?] = movingLessons.map { _ in nil }
        for z in zs where values[z.col] > 0.5 { placed[z.k] = PlacedLesson(lesson: z.l, slot: z.q, room: z.r) }
        return placed.allSatisfy { $0 != nil } ? placed.compactMap { $0 } : nil
    }
}
