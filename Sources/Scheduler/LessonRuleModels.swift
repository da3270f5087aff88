// R8 and the lesson terms as the search sees them: where and when a lesson may ever be, whether it
// may start somewhere given the rest of the plan, and each term's share. Clashes with people and
// rooms and their limits are the R3-R5 entries' lesson filters (`HardRuleModels.swift`).
// `Sources/TimetableChecker/LessonChecks.swift` checks the same ids independently.
import Rules
import WeekIndex

extension ModelRule {
    static let lessonKept = with(ModelRule(.lessonKept)) {
        $0.byConstruction = "by construction: a placed lesson is only a lesson index, a start and a room; timetableSessions() writes the lesson's subject, teachers, classes and members from the scenario"
    }

    static let lessonCount = with(ModelRule(.lessonCount)) {
        $0.lessonAllowed = { plan, l, _ in plan.placementsOf[l].count < plan.instance.lessons[l].sessions }
        $0.byConstruction = "unplacedLessons() reports what each lesson lacks from the plan itself"
    }

    static let lessonPinned = with(ModelRule(.lessonPinned)) {
        $0.byConstruction = "by construction: placeLessons() puts every `at` lesson first and no move takes a pinned lesson"
    }

    static let lessonLength = with(ModelRule(.lessonLength)) {
        $0.lessonStartQualifies = { instance, l, p in instance.lessons[l].runFits[p] }
    }

    static let classDoubleBooked = with(ModelRule(.classDoubleBooked)) {
        $0.lessonAllowed = { plan, l, p in plan.instance.lessons[l].leaves.allSatisfy { plan.isFree(plan.classAt[$0], lesson: l, from: p) } }
        $0.rows = { model in
            for (key, cols) in model.grouped(model.lessonSlots(\.leaves)) where cols.count > 1 {
                model.program.addRow("class double-booked \(key.i)@\(key.j)", cols.map { ($0, 1) }, upper: 1)
            }
        }
    }

    static let classUnavailable = with(ModelRule(.classUnavailable)) {
        $0.lessonStartQualifies = { instance, l, p in
            instance.lessons[l].leaves.allSatisfy { leaf in instance.covered(lesson: l, from: p).allSatisfy { instance.leafAvailable[leaf][$0] } }
        }
    }

    /// Limits count blocks, as the teachers' do.
    static let classDailyLimit = with(ModelRule(.classDailyLimit)) {
        $0.lessonAllowed = { plan, l, p in
            let d = plan.instance.day(of: p), length = plan.instance.lessons[l].length
            return plan.instance.lessons[l].leaves.allSatisfy { leaf in
                plan.instance.leafMaxPerDay[leaf].map { plan.classDayLoad(leaf, day: d) + length <= $0 } ?? true
            }
        }
        $0.rows = { model in
            let base = model.base, instance = base.instance
            let byDay = model.lessonCells(\.leaves).filter { instance.leafMaxPerDay[$0.who] != nil }
                .map { (key: ColumnKey($0.who, instance.day(of: $0.q)), length: $0.length, col: $0.col) }
            model.addLoadRows("class over daily load", byDay) { key in instance.leafMaxPerDay[key.i]! - base.classDayLoad(key.i, day: key.j) }
        }
    }

    static let lessonRoom = with(ModelRule(.lessonRoom)) {
        $0.lessonRoomQualifies = { instance, l, r in
            let lesson = instance.lessons[l]
            return (lesson.allowedRooms.isEmpty || lesson.allowedRooms.contains(r)) && lesson.roomFeatures.isSubset(of: instance.rooms[r].features)
        }
        $0.lessonAllowed = { plan, l, p in !plan.instance.lessons[l].needsRoom || !plan.freeRooms(lesson: l, at: p).isEmpty }
    }

    static let lessonRoomSize = with(ModelRule(.lessonRoomSize)) {
        $0.lessonRoomQualifies = { instance, l, r in instance.rooms[r].capacity >= instance.lessons[l].seats }
    }

    /// Days apart by position in the week's `days`, as the checker and FET count them, between the
    /// lessons of its whole series.
    /// Lessons outside a piece are the filter's; between the piece's own, a row per pair and day
    /// (a repair across days can put two of them anywhere; elsewhere the rows hold by their days).
    static let lessonDaysApart = with(ModelRule(.lessonDaysApart)) {
        $0.lessonAllowed = { plan, l, p in plan.tooClose(l, at: p).isEmpty }
        $0.rows = { model in
            for pair in model.tooCloseColumns(\.minDaysApart) {
                model.program.addRow("days apart \(pair.name)", (pair.first + pair.second).map { ($0, 1) }, upper: 1)
            }
        }
    }

    /// In a piece: a start of an `ends-day` lesson leaves room for none of its classes' lessons
    /// after it that day (at most one lesson fills a class's block, so the blocks after it bound them).
    static let lessonEndsDay = with(ModelRule(.lessonEndsDay)) {
        $0.lessonAllowed = { plan, l, p in plan.keepsDayEnds(l, from: p) }
        $0.rows = { model in
            let instance = model.base.instance
            let cells = model.lessonCells(\.leaves)
            for z in model.zs where instance.lessons[z.l].endsDay {
                let end = z.q + instance.lessons[z.l].length, day = instance.slots(ofDay: instance.day(of: z.q))
                for leaf in instance.lessons[z.l].leaves {
                    let after = cells.filter { $0.who == leaf && $0.col != z.col && $0.q >= end && $0.q < day.upperBound }.map(\.col)
                    guard !after.isEmpty else { continue }
                    let room = Double(day.upperBound - end)
                    model.program.addRow("ends day \(z.col)/\(leaf)", after.map { ($0, 1.0) } + [(z.col, room)], upper: room)
                }
            }
        }
    }

    static let lessonOnlyAt = with(ModelRule(.lessonOnlyAt)) {
        $0.lessonStartQualifies = { instance, l, p in instance.lessons[l].allowedStart?[p] ?? true }
    }

    // MARK: objective terms

    /// A piece never drops a lesson it moves: each stays placed once. A repair's lessons to add
    /// (`placing`) are placed at most once, each column earning the term's weight back.
    static let unplacedLesson = with(ModelRule(.unplacedLesson)) {
        $0.rows = { model in
            let moving = model.movingLessons.count, weight = model.weights[.unplacedLesson]
            for (key, cols) in model.grouped(model.zs.map { (ColumnKey($0.k, 0), $0.col) }) {
                let adding = key.i >= moving
                model.program.addRow("lesson placed \(key.i)", cols.map { ($0, 1) }, lower: adding ? 0 : 1, upper: 1)
                if adding { for col in cols { model.program.addCost(-weight, to: col) } }
            }
            // The base counts the moving lessons as unplaced; the rows place each again.
            model.program.objectiveConstant -= weight * Double(moving)
        }
        $0.share = TermShare(scope: .lesson, changedBy: [.lesson]) { plan, l, _ in
            plan.instance.lessons[l].sessions - plan.placementsOf[l].count
        }
    }

    static let classIdle = with(ModelRule(.classIdle)) {
        $0.rows = { model in
            let base = model.base
            model.addIdleTerms(.classIdle, who: "class", columns: model.lessonCells(\.leaves).map { ($0.who, $0.covered, $0.col) },
                               busy: { base.classAt[$0] }, idle: { base.idleBlocks(base.classAt[$0], day: $1) })
        }
        $0.share = TermShare(scope: .classDay, changedBy: [.lesson]) { plan, leaf, d in plan.idleBlocks(plan.classAt[leaf], day: d) }
    }

    static let lessonOffPreferred = with(ModelRule(.lessonOffPreferred)) {
        $0.lessonCost = { model, l, q, _ in
            model.instance.lessons[l].preferredStart.map { $0[q] ? 0 : model.weights[.lessonOffPreferred] } ?? 0
        }
        $0.share = TermShare(scope: .lesson, changedBy: [.lesson]) { plan, l, _ in
            guard let preferred = plan.instance.lessons[l].preferredStart else { return 0 }
            return plan.placementsOf[l].count { !preferred[plan.lessonPlacements[$0]!.slot] }
        }
    }

    static let lessonAvoidedTime = with(ModelRule(.lessonAvoidedTime)) {
        $0.lessonCost = { model, l, q, _ in model.instance.lessons[l].avoidedStart[q] ? model.weights[.lessonAvoidedTime] : 0 }
        $0.share = TermShare(scope: .lesson, changedBy: [.lesson]) { plan, l, _ in
            plan.placementsOf[l].count { plan.instance.lessons[l].avoidedStart[plan.lessonPlacements[$0]!.slot] }
        }
    }

    /// A pair too close counts once: a column pays for the base's lessons of its series too close
    /// to it, and a pair of the piece's own pays through `u >= both placed - 1`, one row per day of
    /// the first (it has one day, so one row binds). A series counts once, on its first lesson
    /// (`lessonTouched` touches it for every lesson of it).
    static let lessonDaysApartPreferred = with(ModelRule(.lessonDaysApartPreferred)) {
        $0.lessonCost = { model, l, q, _ in
            model.weights[.lessonDaysApartPreferred] * Double(model.base.tooClose(l, at: q, preferred: true).count)
        }
        $0.rows = { model in
            let weight = model.weights[.lessonDaysApartPreferred]
            guard weight > 0 else { return }
            for pair in model.tooCloseColumns(\.preferDaysApart) {
                model.addPairPenalty("days apart wished \(pair.name)", pair.first + pair.second, weight: weight)
            }
        }
        $0.share = TermShare(scope: .lesson, changedBy: [.lesson]) { plan, l, _ in
            let series = plan.instance.lessons[l].series
            guard series.first == l, series.contains(where: { plan.instance.lessons[$0].preferDaysApart > 0 }) else { return 0 }
            let placed = series.flatMap { m in plan.placementsOf[m].map { (m, plan.instance.day(of: plan.lessonPlacements[$0]!.slot)) } }
            return placed.indices.reduce(0) { sum, i in
                sum + placed[(i + 1)...].count { other in
                    let apart = max(plan.instance.lessons[placed[i].0].preferDaysApart, plan.instance.lessons[other.0].preferDaysApart)
                    return abs(other.1 - placed[i].1) < apart
                }
            }
        }
    }

    /// Each baseline lesson kept needs a lesson of it at the same start and room; a lesson counts
    /// once, for everyone in it.
    static let changedLesson = with(ModelRule(.changedLesson)) {
        $0.lessonCost = { model, l, q, r in
            guard model.base.baseline.lessons.contains(where: { $0.lesson == l && $0.slot == q && $0.room == r }) else { return 0 }
            return -model.weights[.changedLesson] * Double(model.instance.lessons[l].peopleTold)
        }
        $0.share = TermShare(scope: .lesson, changedBy: [.lesson]) { plan, l, _ in
            var now = plan.placementsOf[l].map { plan.lessonPlacements[$0]! }
            let moved = plan.baseline.lessons.filter { $0.lesson == l }.count { old in
                guard let i = now.firstIndex(where: { $0.slot == old.slot && $0.room == old.room }) else { return true }
                now.remove(at: i)
                return false
            }
            return moved * plan.instance.lessons[l].peopleTold
        }
    }
}
