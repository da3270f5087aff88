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

    /// Where each moving lesson landed, in `movingLessons`' order, then the lessons placed anew;
    /// nil when a moving one has no column set.
    func decodeLessons(_ values: [Double]) -> [PlacedLesson]? {
        var placed: [PlacedLesson?] = decidedLessons.map { _ in nil }
        for z in zs where values[z.col] > 0.5 { placed[z.k] = PlacedLesson(lesson: z.l, slot: z.q, room: z.r) }
        return placed.prefix(movingLessons.count).allSatisfy { $0 != nil } ? placed.compactMap { $0 } : nil
    }

    /// Each lesson placement's columns by day, for the rows between lessons of one series.
    func lessonColumnsByDay() -> [[Int: [Int]]] {
        var columns: [[Int: [Int]]] = decidedLessons.map { _ in [:] }
        for z in zs { columns[z.k][instance.day(of: z.q), default: []].append(z.col) }
        return columns
    }

    /// Pairs of decided placements of one series (two of one lesson included) that `apart` asks to
    /// keep days apart (the larger of the two lessons' values), with those days.
    func seriesPairs(_ apart: (Instance.LessonInfo) -> Int) -> [(k1: Int, k2: Int, days: Int)] {
        let lessons = decidedLessons
        var pairs: [(k1: Int, k2: Int, days: Int)] = []
        for k1 in lessons.indices {
            let mine = instance.lessons[lessons[k1]]
            for k2 in lessons.indices where k2 > k1 && mine.series.contains(lessons[k2]) {
                let days = max(apart(mine), apart(instance.lessons[lessons[k2]]))
                if days > 0 { pairs.append((k1, k2, days)) }
            }
        }
        return pairs
    }

    /// Per pair of `seriesPairs(apart)` and day of its first placement, that placement's columns
    /// that day and the second's on days too close to it (empty pairs of columns left out).
    func tooCloseColumns(_ apart: (Instance.LessonInfo) -> Int) -> [(name: String, first: [Int], second: [Int])] {
        let byDay = lessonColumnsByDay()
        return seriesPairs(apart).flatMap { pair in
            byDay[pair.k1].sorted { $0.key < $1.key }.compactMap { d, first -> (String, [Int], [Int])? in
                let second = byDay[pair.k2].filter { abs($0.key - d) < pair.days }.sorted { $0.key < $1.key }.flatMap(\.value)
                return second.isEmpty ? nil : ("\(pair.k1)/\(pair.k2)@\(d)", first, second)
            }
        }
    }
}
