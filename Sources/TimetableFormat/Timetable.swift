import Foundation
import ScenarioKit

/// Timetable JSON v1.2 (v1 plus multi-block, fixed and prioritised entries; v1.2 adds class lessons and `unplaced`): written by `solve`, read by every other command. Extra keys are allowed and ignored.
public struct Timetable: Codable, Sendable, Hashable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        case optimal, feasible
        case timeLimit = "time-limit"
        case noSolution = "no-solution"
    }

    public var scenario: String
    public var status: Status
    /// Objective of the timetable (lower is better); see the README for its terms and weights.
    public var objective: Double?
    /// A proven lower bound on the objective of any valid timetable of this scenario.
    public var bound: Double?
    /// Relative gap (objective - bound) / objective, 0 when proven optimal.
    public var gap: Double?
    public var sessions: [Session]
    public var unmet: [Unmet]
    /// Lessons placed fewer times than their `sessions` (v1.2); nil or empty when every lesson is placed.
    public var unplaced: [Unplaced]?
    /// When the timetable was produced (UTC, ISO 8601); calendars derive DTSTAMP from it.
    public var created: String?
    public var stats: SolveStats?
    /// The bound split the way a person reads the result: unmet sessions first, then comfort. Absent
    /// in timetables written before it existed.
    public var bounds: ProvenBounds?

    public init(scenario: String, status: Status, objective: Double?, bound: Double?, gap: Double?,
                sessions: [Session], unmet: [Unmet], unplaced: [Unplaced]? = nil, created: String? = nil, stats: SolveStats? = nil,
                bounds: ProvenBounds? = nil) {
        self.scenario = scenario; self.status = status; self.objective = objective; self.bound = bound
        self.gap = gap; self.sessions = sessions; self.unmet = unmet; self.created = created; self.stats = stats
        self.bounds = bounds
        self.unplaced = unplaced.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The lessons left short, as a list (empty for weeks without lessons).
    public var unplacedLessons: [Unplaced] { unplaced ?? [] }

    /// A lesson placed fewer times than its `sessions`: why, in words, and which rules bind.
    public struct Unplaced: Codable, Sendable, Hashable {
        public var lesson: String
        public var missing: Int
        public var reason: String
        public var cause: String?
        public var rules: [String]?
        public init(lesson: String, missing: Int, reason: String, cause: String? = nil, rules: [String]? = nil) {
            self.lesson = lesson; self.missing = missing; self.reason = reason; self.cause = cause; self.rules = rules
        }
    }

    /// Two proven lower bounds: on the unmet part of the objective and on its comfort part.
    public struct ProvenBounds: Codable, Sendable, Hashable {
        /// Every valid timetable of the scenario leaves at least this many sessions unmet.
        public var unmetSessions: Int
        /// Every valid timetable pays at least this much for unmet sessions (weighted by priority).
        public var unmetObjective: Double
        /// What proves `unmetSessions`, in words ("teachers' weekly capacity"); nil when it is 0.
        public var unmetSource: String?
        /// This timetable's comfort score: its objective less what its unmet sessions cost.
        public var comfortScore: Double
        /// No valid timetable that gives every need at least the sessions this one gives it has a
        /// lower comfort score.
        public var comfort: Double
        /// The objective terms (catalogue ids) the comfort bound argues about; it counts every other
        /// comfort term as 0.
        public var comfortTerms: [String]
        /// What the counting argument proves every such timetable has, term by term; the bound is
        /// their sum unless GLPK's bound on the week's model proves more (`comfortFromModel`).
        public var comfortParts: [BoundPart]?
        /// Whether `comfort` is GLPK's bound on the week's model rather than the parts' sum.
        public var comfortFromModel: Bool?

        public init(unmetSessions: Int, unmetObjective: Double, unmetSource: String?, comfortScore: Double, comfort: Double,
                    comfortTerms: [String], comfortParts: [BoundPart]? = nil, comfortFromModel: Bool? = nil) {
            self.unmetSessions = unmetSessions; self.unmetObjective = unmetObjective; self.unmetSource = unmetSource
            self.comfortScore = comfortScore; self.comfort = comfort; self.comfortTerms = comfortTerms
            self.comfortParts = comfortParts; self.comfortFromModel = comfortFromModel
        }

        /// (score - bound) / score (as the objective's gap), 0 when the comfort part is proven best possible.
        public var comfortGap: Double { max(0, comfortScore - comfort) / max(abs(comfortScore), 1) }
    }

    /// One part of the comfort bound: a catalogue term and how many of it every timetable has (nil
    /// for a part counted as a cost only), and what that costs.
    public struct BoundPart: Codable, Sendable, Hashable {
        public var term: String
        public var count: Int?
        public var cost: Double
        public init(term: String, count: Int?, cost: Double) { self.term = term; self.count = count; self.cost = cost }
    }

    /// A session of the week. Flexible sessions (the ones flexsched plans) have a subject, a modality,
    /// a room and at most one teacher. Fixed sessions (`fixed: true`, from the scenario's `fixed`
    /// list) have an id and a title instead of a subject and modality, any number of `teachers`, and
    /// perhaps no room. Class lessons (v1.2, placed by flexsched) have a `lesson` id, a title, a
    /// subject, their `classes` and `teachers`, perhaps a room, and the classes' students.
    public struct Session: Codable, Sendable, Hashable {
        public var day: String
        /// The first block; the session fills `length` consecutive blocks from it.
        public var block: String
        public var length: Int
        public var subject: String
        public var modality: String
        public var teacher: String?
        public var room: String?
        public var students: [String]
        public var fixed: Bool
        public var id: String?
        public var title: String?
        /// A fixed session's or a lesson's teachers (flexible sessions use `teacher`).
        public var teachers: [String]?
        /// The lesson (scenario `lessons` id) a class lesson belongs to; nil for every other session.
        public var lesson: String?
        /// A lesson's classes.
        public var classes: [String]?

        public init(day: String, block: String, length: Int = 1, subject: String, modality: String, teacher: String?,
                    room: String?, students: [String]) {
            self.day = day; self.block = block; self.length = length; self.subject = subject; self.modality = modality
            self.teacher = teacher; self.room = room; self.students = students
            fixed = false
        }

        public init(fixed id: String, title: String, day: String, block: String, length: Int, teachers: [String],
                    room: String?, students: [String]) {
            self.day = day; self.block = block; self.length = length; subject = ""; modality = ""
            teacher = nil; self.room = room; self.students = students
            fixed = true; self.id = id; self.title = title; self.teachers = teachers
        }

        public init(lesson: String, title: String, subject: String, day: String, block: String, length: Int, teachers: [String],
                    classes: [String], room: String?, students: [String]) {
            self.day = day; self.block = block; self.length = length; self.subject = subject; modality = ""
            teacher = nil; self.room = room; self.students = students
            fixed = false; self.lesson = lesson; self.title = title; self.teachers = teachers; self.classes = classes
        }

        /// A session flexsched plans per student need (neither fixed nor a class lesson).
        public var isFlex: Bool { !fixed && lesson == nil }
        public var isLesson: Bool { lesson != nil }

        /// Everyone who leads it: the teacher of a flexible session, the teachers of a fixed one or a lesson.
        public var staff: [String] { isFlex ? teacher.map { [$0] } ?? [] : teachers ?? [] }

        /// What a person reads on a grid or calendar: a fixed session's or a lesson's title, else subject and modality.
        public var heading: String { isFlex ? "\(subject) \(modality)" : title ?? id ?? lesson ?? subject }

        private enum CodingKeys: String, CodingKey {
            case day, block, length, subject, modality, teacher, room, students, fixed, id, title, teachers, lesson, classes
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            day = try c.decode(String.self, forKey: .day)
            block = try c.decode(String.self, forKey: .block)
            length = try c.decodeIfPresent(Int.self, forKey: .length) ?? 1
            fixed = try c.decodeIfPresent(Bool.self, forKey: .fixed) ?? false
            students = try c.decode([String].self, forKey: .students)
            room = try c.decodeIfPresent(String.self, forKey: .room)
            lesson = try c.decodeIfPresent(String.self, forKey: .lesson)
            if fixed {
                id = try c.decode(String.self, forKey: .id)
                title = try c.decodeIfPresent(String.self, forKey: .title) ?? id
                teachers = try c.decodeIfPresent([String].self, forKey: .teachers) ?? []
                subject = ""; modality = ""
            } else if let lesson {
                title = try c.decodeIfPresent(String.self, forKey: .title) ?? lesson
                subject = try c.decodeIfPresent(String.self, forKey: .subject) ?? ""
                modality = ""
                teachers = try c.decodeIfPresent([String].self, forKey: .teachers) ?? []
                classes = try c.decodeIfPresent([String].self, forKey: .classes) ?? []
            } else {
                subject = try c.decode(String.self, forKey: .subject)
                modality = try c.decode(String.self, forKey: .modality)
                teacher = try c.decodeIfPresent(String.self, forKey: .teacher)
                // A flexible session always has a room.
                if room == nil { room = try c.decode(String.self, forKey: .room) }
            }
        }

        // `teacher` is written as an explicit null for modalities without a teacher; `length` only
        // when it is not 1, so v1 timetables read and write unchanged.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(day, forKey: .day)
            try c.encode(block, forKey: .block)
            if length != 1 { try c.encode(length, forKey: .length) }
            if fixed {
                try c.encode(true, forKey: .fixed)
                try c.encode(id, forKey: .id)
                try c.encode(title, forKey: .title)
                try c.encode(teachers ?? [], forKey: .teachers)
                try c.encodeIfPresent(room, forKey: .room)
            } else if let lesson {
                try c.encode(lesson, forKey: .lesson)
                try c.encode(title, forKey: .title)
                try c.encode(subject, forKey: .subject)
                try c.encode(teachers ?? [], forKey: .teachers)
                try c.encode(classes ?? [], forKey: .classes)
                try c.encodeIfPresent(room, forKey: .room)
            } else {
                try c.encode(subject, forKey: .subject)
                try c.encode(modality, forKey: .modality)
                try c.encode(teacher, forKey: .teacher)
                try c.encode(room, forKey: .room)
            }
            try c.encode(students, forKey: .students)
        }
    }

    public struct Unmet: Codable, Sendable, Hashable {
        public var student: String
        public var subject: String
        public var modality: String
        public var missing: Int
        public var priority: Priority
        public var reason: String
        /// A short machine-readable cause, for example `no-free-teacher`.
        public var cause: String?
        /// The catalogue ids of the rules that bind (`flexsched rules`), for example `R3.teacher-weekly-limit`.
        public var rules: [String]?

        public init(student: String, subject: String, modality: String, missing: Int, priority: Priority = .normal,
                    reason: String, cause: String? = nil, rules: [String]? = nil) {
            self.student = student; self.subject = subject; self.modality = modality; self.missing = missing
            self.priority = priority; self.reason = reason; self.cause = cause; self.rules = rules
        }

        private enum CodingKeys: String, CodingKey { case student, subject, modality, missing, priority, reason, cause, rules }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            student = try c.decode(String.self, forKey: .student)
            subject = try c.decode(String.self, forKey: .subject)
            modality = try c.decode(String.self, forKey: .modality)
            missing = try c.decode(Int.self, forKey: .missing)
            priority = try c.decodeIfPresent(Priority.self, forKey: .priority) ?? .normal
            reason = try c.decode(String.self, forKey: .reason)
            cause = try c.decodeIfPresent(String.self, forKey: .cause)
            rules = try c.decodeIfPresent([String].self, forKey: .rules)
        }
    }

    /// Why the search stopped, in words an admin reads as they are.
    public enum StopReason: String, Codable, Sendable, Hashable {
        /// Objective equals a proven bound.
        case optimal
        /// The objective came within the requested gap (`--gap`) of the proven bound.
        case gap
        /// No improvement for the patience time (`--patience`; sub-problems under a work limit).
        case patience
        /// A pass over the whole week with the widest pieces found nothing better: the search ran out
        /// of neighbourhoods before its patience did (small weeks).
        case converged
        /// The time limit.
        case timeLimit = "time-limit"
        /// `--max-subproblems`.
        case workLimit = "work-limit"
        /// Stopped on request (the web app's cancel): the best timetable found until then.
        case cancelled

        public var plainText: String {
            switch self {
            case .optimal: "proven best possible"
            case .gap: "close enough to the proven bound (the requested gap)"
            case .patience: "no further gain within the patience time"
            case .converged: "no further improvement found"
            case .timeLimit: "time limit reached"
            case .workLimit: "sub-problem limit reached"
            case .cancelled: "cancelled"
            }
        }
    }

    /// How the timetable was found; informative only.
    public struct SolveStats: Codable, Sendable, Hashable {
        public var seconds: Double
        public var unmetSessions: Int
        public var neededSessions: Int
        public var variables: Int?
        public var rows: Int?
        public var subproblems: Int?
        public var terms: [String: Double]?
        public var stopReason: StopReason?
        public init(seconds: Double, unmetSessions: Int, neededSessions: Int, variables: Int? = nil, rows: Int? = nil,
                    subproblems: Int? = nil, terms: [String: Double]? = nil, stopReason: StopReason? = nil) {
            self.seconds = seconds; self.unmetSessions = unmetSessions; self.neededSessions = neededSessions
            self.variables = variables; self.rows = rows; self.subproblems = subproblems; self.terms = terms
            self.stopReason = stopReason
        }
    }
}

extension Timetable {
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    public static func load(path: String) throws(InputError) -> Timetable {
        let text = try readTextFile(path)
        if text.allSatisfy(\.isWhitespace) { throw InputError(file: path, "the file is empty") }
        do {
            return try JSONDecoder().decode(Timetable.self, from: Data(text.utf8))
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            // The decoder only says "not valid JSON"; JSONSerialization says where, and accepts what the
            // decoder refuses only for numbers too large to read.
            do {
                _ = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
                throw InputError(file: path, "is not a timetable JSON v1 file: a number in it is too large to read")
            } catch let error as InputError {
                throw error
            } catch {
                let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
                throw InputError(file: path, "is not valid JSON" + (detail.map { ": \($0)" } ?? ""))
            }
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.last?.stringValue == "status" {
            throw InputError(file: path, entity: "status",
                             "expected one of \(Status.allCases.map(\.rawValue).joined(separator: ", "))")
        } catch let DecodingError.keyNotFound(key, context) {
            throw InputError(file: path, entity: codingPath(context.codingPath), "missing key `\(key.stringValue)`")
        } catch let DecodingError.typeMismatch(type, context) {
            throw InputError(file: path, entity: codingPath(context.codingPath), "expected \(describe(type))")
        } catch let DecodingError.valueNotFound(type, context) {
            throw InputError(file: path, entity: codingPath(context.codingPath), "expected \(describe(type)), found null")
        } catch let DecodingError.dataCorrupted(context) {
            let detail = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            throw InputError(file: path, entity: codingPath(context.codingPath),
                             "is not a timetable JSON v1 file: \(detail ?? context.debugDescription)")
        } catch {
            throw InputError(file: path, "is not a timetable JSON v1 file: \(error)")
        }
    }

    private static func codingPath(_ path: [CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Int.Type, is Double.Type: "a number"
        case is [Any].Type: "a list"
        case is [String: Any].Type: "a JSON object (`{...}`)"
        default: "\(type)"
        }
    }
}
