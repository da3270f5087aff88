// The lesson terms of the objective, counted from the timetable's ids alone.
import Rules
import ScenarioKit
import TimetableFormat

extension MeasureInput {
    var lessons: [Timetable.Session] { timetable.sessions.filter(\.isLesson) }
}

extension TermMeasure {
    static let unplacedLesson = TermMeasure(.unplacedLesson) { input in
        var placed: [String: Int] = [:]
        for s in input.lessons { if let id = s.lesson { placed[id, default: 0] += 1 } }
        return input.scenario.lessons.reduce(0) { $0 + max(0, $1.sessions - (placed[$1.id] ?? 0)) }
    }

    /// Per class with no parts and day: free blocks between its first and last lesson (a lesson of
    /// a class above it counts as its own).
    static let classIdle = TermMeasure(.classIdle) { input in
        var busy: [[String]: Set<Int>] = [:]
        for s in input.lessons {
            let leaves = Set((s.classes ?? []).flatMap { input.scenario.leafClasses($0) })
            for leaf in leaves { busy[[leaf, s.day], default: []].formUnion(input.positions(s)) }
        }
        return busy.values.reduce(0) { $0 + $1.max()! - $1.min()! + 1 - $1.count }
    }

    /// A `prefer` day counts any start that day; a `prefer` block, a start there.
    static let lessonOffPreferred = TermMeasure(.lessonOffPreferred) { input in
        let lessons = Dictionary(input.scenario.lessons.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return input.lessons.count { s in
            guard let lesson = s.lesson.flatMap({ lessons[$0] }), !lesson.prefer.isEmpty, let day = Weekday(rawValue: s.day) else { return false }
            return isAvailable(lesson.prefer, day: day, block: s.block)
        }
    }

    static let lessonAvoidedTime = TermMeasure(.lessonAvoidedTime) { input in
        let lessons = Dictionary(input.scenario.lessons.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let ordered = input.scenario.blocks.sorted { $0.start < $1.start }.map(\.id)
        return input.lessons.count { s in
            guard let lesson = s.lesson.flatMap({ lessons[$0] }), let day = Weekday(rawValue: s.day) else { return false }
            return input.positions(s).contains { !isAvailable(lesson.avoid, day: day, block: ordered[$0]) }
        }
    }

    /// Pairs of one lesson's (or series') lessons by their days' places in the week, as FET counts
    /// min days.
    static let lessonDaysApartPreferred = TermMeasure(.lessonDaysApartPreferred) { input in
        let order = Dictionary(input.scenario.days.enumerated().map { ($1.rawValue, $0) }, uniquingKeysWith: { a, _ in a })
        return input.scenario.lessons.reduce(0) { sum, lesson in
            let mates = input.scenario.seriesMates(of: lesson)
            guard mates.first?.id == lesson.id, mates.contains(where: { $0.preferDaysApart > 0 }) else { return sum }
            let placed = mates.flatMap { m in input.lessons.filter { $0.lesson == m.id }.compactMap { s in order[s.day].map { (m.preferDaysApart, $0) } } }
            return sum + placed.indices.reduce(0) { pairs, i in
                pairs + placed[(i + 1)...].count { abs($0.1 - placed[i].1) < max($0.0, placed[i].0) }
            }
        }
    }

    /// Per person in a baseline lesson the changed scenario could still hold whose lesson, day, block
    /// and room no lesson of this timetable has: everyone in it is told, as a moved seat tells one
    /// student (a lesson of no listed person counts once).
    static let changedLesson = TermMeasure(.changedLesson) { input in
        guard let baseline = input.baseline else { return 0 }
        let lessons = Set(input.scenario.lessons.map(\.id)), days = Set(input.scenario.days.map(\.rawValue))
        let blocks = Set(input.scenario.blocks.map(\.id))
        var now: [[String]: Int] = [:]
        for s in input.lessons { now[[s.lesson!, s.day, s.block, s.room ?? ""], default: 0] += 1 }
        var changed = 0
        for s in baseline.sessions where s.isLesson && lessons.contains(s.lesson!) && days.contains(s.day) && blocks.contains(s.block) {
            let key = [s.lesson!, s.day, s.block, s.room ?? ""]
            if let left = now[key], left > 0 { now[key] = left - 1 } else { changed += max(1, (s.teachers ?? []).count + Set(s.students).count) }
        }
        return changed
    }
}
