import Foundation
import Rules
import Testing
import ScenarioKit
import Scheduler
import WeekIndex
import ScenarioGenerator
@testable import Diagnosis

// Each scenario below is built to be impossible in exactly one way; the test asserts the cause, the
// proven shortfall and the numbers the message gives, and that nothing else is claimed.

let weekdays: [Weekday] = [.mon, .tue, .wed, .thu, .fri]
let tutoring = Modality(id: "tutoring", min: 1, max: 3, teacher: true)
let smallGroup = Modality(id: "small-group", min: 3, max: 6, teacher: true, roomFeatures: ["collaboration"])
let independent = Modality(id: "independent", min: 2, max: 12, teacher: false, roomFeatures: ["quiet"])

func school(teachers: [Teacher], rooms: [Room], students: [Student]) -> Scenario {
    Scenario(name: "Test school", timezone: "UTC", days: weekdays,
             blocks: (1...4).map { Block(id: "b\($0)", start: ClockTime(hour: 7 + $0, minute: 0), end: ClockTime(hour: 7 + $0, minute: 50)) },
             modalities: [tutoring, smallGroup, independent], teachers: teachers, rooms: rooms, students: students)
}

let lee = Teacher(id: "lee", name: "Ms. Lee", subjects: ["math", "reading", "science"])
let tutorRooms = [Room(id: "ta", name: "Tutoring A", capacity: 3), Room(id: "tb", name: "Tutoring B", capacity: 3)]
let groupRoom = Room(id: "r101", name: "Room 101", capacity: 8, features: ["collaboration"])

func need(_ subject: String, _ modality: String, _ sessions: Int) -> Need { Need(subject: subject, modality: modality, sessions: sessions) }
func only(_ days: [Weekday]) -> [SlotRef] { weekdays.filter { !days.contains($0) }.map { .day($0) } }

/// The diagnosis of a scenario built in code; needs nobody can serve are what these tests are about,
/// so validation accepts them.
/// The proofs on the scenario's week index with the catalogue's pools, as Advisor's `diagnose` builds it.
func diagnose(_ scenario: ValidatedScenario) -> [Finding] { diagnose(Instance(scenario)) }

func diagnosed(_ scenario: Scenario) throws -> [Finding] { diagnose(try scenario.validated(requireServiceable: false)) }

func onlyFinding(_ scenario: Scenario, sourceLocation: SourceLocation = #_sourceLocation) throws -> Finding {
    let findings = try diagnosed(scenario)
    #expect(findings.count == 1, "\(findings.map(\.message))", sourceLocation: sourceLocation)
    return try #require(findings.first, sourceLocation: sourceLocation)
}

@Test func subjectNobodyTeaches() throws {
    let f = try onlyFinding(school(teachers: [lee], rooms: tutorRooms, students: [
        Student(id: "ana", name: "Ana P.", needs: [need("chemistry", "tutoring", 3), need("math", "tutoring", 2)]),
        Student(id: "ben", name: "Ben K.", needs: [need("chemistry", "tutoring", 2)]),
    ]))
    #expect(f.cause == "no-teacher")
    #expect(Set(f.shortfalls) == [Shortfall(student: "ana", subject: "chemistry", modality: "tutoring", sessions: 3),
                                  Shortfall(student: "ben", subject: "chemistry", modality: "tutoring", sessions: 2)])
    #expect(f.message.contains("no teacher teaches chemistry") && f.message.contains("5 sessions needed by 2 students"))
}

@Test func teachersCannotSeatEveryone() throws {
    // Lee: 20 free blocks but max-per-week 4; Kim: two Monday blocks. 6 sessions x 3 seats = 18 < 24.
    let teachers = [Teacher(id: "lee", name: "Ms. Lee", subjects: ["math"], maxPerWeek: 4),
                    Teacher(id: "kim", name: "Mr. Kim", subjects: ["math"],
                            unavailable: only([.mon]) + [.block(.mon, "b3"), .block(.mon, "b4")])]
    let students = (1...8).map { Student(id: "s\($0)", name: "Student \($0)", needs: [need("math", "tutoring", 3)]) }
    let f = try onlyFinding(school(teachers: teachers, rooms: tutorRooms, students: students))
    #expect(f.cause == "teacher-capacity")
    #expect(f.rules.first == "R3.teacher-weekly-limit")
    #expect(f.shortfalls == [Shortfall(student: "*", subject: "math", modality: "tutoring", sessions: 6)])
    for part in ["24 sessions needed by 8 students", "at most 6 sessions", "Ms. Lee 4 after max-per-week 4", "Mr. Kim 2",
                 "at most 3 students each", "at most 18 seats", "short by 6"] {
        #expect(f.message.contains(part), "\(part) in \(f.message)")
    }
}

/// Issue 26's over-subscribed week in small: the math teachers' weekly limits fit the tutoring alone
/// and the small groups alone, not both. 8 blocks: 4 small groups seat all 24, the other 4 blocks
/// seat 12 of the 24 tutoring seats at 3 a session.
@Test func aSubjectsModalitiesTogetherOutgrowItsTeachersWeeklyLimits() throws {
    let teachers = [Teacher(id: "lee", name: "Ms. Lee", subjects: ["math"], maxPerWeek: 4),
                    Teacher(id: "kim", name: "Mr. Kim", subjects: ["math"], maxPerWeek: 4)]
    let tutored = (1...8).map { Student(id: "t\($0)", name: "Tutored \($0)", needs: [need("math", "tutoring", 3)]) }
    let grouped = (1...6).map { Student(id: "g\($0)", name: "Grouped \($0)", needs: [need("math", "small-group", 4)]) }
    let f = try onlyFinding(school(teachers: teachers, rooms: tutorRooms + [groupRoom], students: tutored + grouped))
    #expect(f.cause == "teacher-capacity")
    #expect(f.shortfalls == [Shortfall(student: "*", subject: "math", modality: "*", sessions: 12)])
    #expect(f.message == "48 math sessions need a teacher (tutoring 24, small group 24; 14 students), but the 2 math "
        + "teachers can lead at most 8 blocks this week (Ms. Lee 4 after max-per-week 4; Mr. Kim 4 after max-per-week 4), "
        + "each session seating at most its group: at least 12 math sessions cannot be met")
}

@Test func teachersDailyLimitCountsPerDay() throws {
    // Max-per-day 1 over 5 days: 5 sessions, 15 seats, for 6 students x 3 sessions.
    let teachers = [Teacher(id: "lee", name: "Ms. Lee", subjects: ["math"], maxPerDay: 1)]
    let students = (1...6).map { Student(id: "s\($0)", name: "Student \($0)", needs: [need("math", "tutoring", 3)]) }
    let f = try onlyFinding(school(teachers: teachers, rooms: tutorRooms, students: students))
    #expect(f.cause == "teacher-capacity" && f.shortfalls.map(\.sessions) == [3])
    #expect(f.message.contains("Ms. Lee 5 after max-per-day 1") && f.message.contains("at most 15 seats"))
}

@Test func fewerCommonDaysThanSessions() throws {
    // Ana is free Mon-Tue, Kim is away Tuesday: one day. Ben needs the accessible room, open only Friday.
    let kim = Teacher(id: "kim", name: "Mr. Kim", subjects: ["reading"], unavailable: [.day(.tue)])
    let rooms = tutorRooms + [Room(id: "ra", name: "Access Room", capacity: 2, features: ["accessible"], unavailable: only([.fri]))]
    let f = try onlyFinding(school(teachers: [kim], rooms: rooms, students: [
        Student(id: "ana", name: "Ana P.", needs: [need("reading", "tutoring", 3)], unavailable: only([.mon, .tue])),
        Student(id: "ben", name: "Ben K.", needs: [need("reading", "tutoring", 2)], requires: ["accessible"]),
    ]))
    #expect(f.cause == "no-common-free-block")
    #expect(Set(f.shortfalls) == [Shortfall(student: "ana", subject: "reading", modality: "tutoring", sessions: 2),
                                  Shortfall(student: "ben", subject: "reading", modality: "tutoring", sessions: 1)])
    #expect(f.message.contains("Ana P. needs 3: free on 2 days, 1 with a reading teacher free too, 1 with a fitting room free too (mon)"))
    #expect(f.message.contains("Ben K. needs 2: free on 5 days, 4 with a reading teacher free too, 1 with a fitting room free too (fri)"))
}

@Test func studentDailyLimitTimesDays() throws {
    let f = try onlyFinding(school(teachers: [lee], rooms: tutorRooms, students: [
        Student(id: "cara", name: "Cara M.", needs: [need("math", "tutoring", 4), need("reading", "tutoring", 4)], maxPerDay: 1),
    ]))
    #expect(f.cause == "student-daily-limit")
    #expect(f.shortfalls == [Shortfall(student: "cara", subject: "*", modality: "*", sessions: 3)])
    #expect(f.message.contains("8 sessions to attend") && f.message.contains("max-per-day 1 x 5 days = 5"))
    #expect(f.message.contains("at most 5 fit, short by 3"))
}

@Test func studentFreeBlocksFewerThanSessions() throws {
    // Free in one block on each of two days: two sessions, not four.
    let blocked = weekdays.flatMap { d in [SlotRef.block(d, "b2"), .block(d, "b3"), .block(d, "b4")] }
    let f = try onlyFinding(school(teachers: [lee], rooms: tutorRooms, students: [
        Student(id: "dan", name: "Dan O.", needs: [need("math", "tutoring", 2), need("reading", "tutoring", 2)],
                unavailable: blocked + [.day(.wed), .day(.thu), .day(.fri)]),
    ]))
    #expect(f.cause == "student-free-blocks")
    #expect(f.shortfalls == [Shortfall(student: "dan", subject: "*", modality: "*", sessions: 2)])
    #expect(f.message.contains("in only 2 blocks on 2 days") && f.message.contains("at most 2 fit, short by 2"))
}

@Test func noRoomWithFeaturesAndSeats() throws {
    let rooms = [groupRoom, Room(id: "ra", name: "Access Room", capacity: 8, features: ["accessible"]),
                 Room(id: "booth", name: "Booth", capacity: 1, features: ["quiet"])]
    let others = (1...3).map { Student(id: "s\($0)", name: "Student \($0)", needs: [need("science", "small-group", 1)]) }
    let findings = try diagnosed(school(teachers: [lee], rooms: rooms, students: others + [
        Student(id: "eve", name: "Eve R.", needs: [need("science", "small-group", 2)], requires: ["accessible"]),
        Student(id: "finn", name: "Finn T.", needs: [need("writing", "independent", 3)]),
    ]))
    #expect(findings.count == 2 && findings.allSatisfy { $0.cause == "no-suitable-room" }, "\(findings)")
    let access = try #require(findings.first { $0.message.contains("accessible") })
    #expect(access.shortfalls == [Shortfall(student: "eve", subject: "science", modality: "small-group", sessions: 2)])
    #expect(access.message.contains("no room has [accessible, collaboration] and at least 3 seats (no room has all of these features)"))
    let quiet = try #require(findings.first { $0.message.contains("quiet") })
    #expect(quiet.shortfalls == [Shortfall(student: "finn", subject: "writing", modality: "independent", sessions: 3)])
    #expect(quiet.message.contains("at least 2 seats (rooms with these features: Booth (1 seat))"))
}

@Test func groupsBelowMinimumCannotForm() throws {
    // Two students share science small-group (min 3); three share art, but never three at once.
    let art = Teacher(id: "novak", name: "Dr. Novak", subjects: ["art"])
    let findings = try diagnosed(school(teachers: [lee, art], rooms: [groupRoom], students: [
        Student(id: "gus", name: "Gus A.", needs: [need("science", "small-group", 2)]),
        Student(id: "hana", name: "Hana B.", needs: [need("science", "small-group", 1)]),
        Student(id: "ivy", name: "Ivy C.", needs: [need("art", "small-group", 2)], unavailable: only([.mon, .tue])),
        Student(id: "jay", name: "Jay D.", needs: [need("art", "small-group", 2)], unavailable: only([.mon, .tue])),
        Student(id: "kai", name: "Kai E.", needs: [need("art", "small-group", 1)], unavailable: [.day(.mon), .day(.tue)]),
    ]))
    #expect(findings.count == 2 && findings.allSatisfy { $0.cause == "group-cannot-form" }, "\(findings)")
    let artFinding = try #require(findings.first { $0.message.hasPrefix("art") })
    #expect(findings.first == artFinding, "three students affected sort before two")
    #expect(Set(artFinding.shortfalls.map { "\($0.student) \($0.sessions)" }) == ["ivy 2", "jay 2", "kai 1"])
    #expect(artFinding.message.contains("at least 3 students per group, but only 3 students share this need"))
    #expect(artFinding.message.contains("Ivy C. needs 2: at most 2 together in their blocks, a group can form on 0 days"))
    let science = try #require(findings.last)
    #expect(Set(science.shortfalls.map { "\($0.student) \($0.sessions)" }) == ["gus 2", "hana 1"])
    #expect(science.message.contains("only 2 students share this need"))
}

@Test func roomsCannotSeatEveryone() throws {
    // The only quiet room (4 seats) is open in two blocks: 8 seats for 6 students x 2 sessions.
    let quiet = Room(id: "quiet", name: "Quiet Study", capacity: 4, features: ["quiet"],
                     unavailable: weekdays.flatMap { d in ["b1", "b2", "b3", "b4"].map { SlotRef.block(d, $0) } }
                        .filter { $0 != .block(.mon, "b1") && $0 != .block(.tue, "b1") })
    let students = (1...6).map { Student(id: "s\($0)", name: "Student \($0)", needs: [need("writing", "independent", 2)]) }
    let f = try onlyFinding(school(teachers: [lee], rooms: [quiet], students: students))
    #expect(f.cause == "room-capacity")
    #expect(f.shortfalls == [Shortfall(student: "*", subject: "writing", modality: "independent", sessions: 4)])
    #expect(f.message.contains("12 sessions needed by 6 students") && f.message.contains("(Quiet Study) offer 8 seats"))
    #expect(f.message.contains("at most 8: short by 4"))
}

@Test func findingsAreGroupedByCauseMostStudentsFirst() throws {
    let kim = Teacher(id: "kim", name: "Mr. Kim", subjects: ["math"], maxPerWeek: 2)
    let many = (1...5).map { Student(id: "m\($0)", name: "M \($0)", needs: [need("math", "tutoring", 2)]) }
    let findings = try diagnosed(school(teachers: [kim], rooms: tutorRooms, students: many + [
        Student(id: "x", name: "X", needs: [need("chemistry", "tutoring", 1)]),
        Student(id: "y", name: "Y", needs: [need("physics", "tutoring", 1)]),
    ]))
    #expect(findings.map(\.cause) == ["teacher-capacity", "no-teacher", "no-teacher"])
}

@Test func plantedScenarioHasNoShortfall() throws {
    #expect(try diagnose(generateScenario(.medium).scenario.validated()) == [])
    #expect(try diagnose(generateScenario(.small).scenario.validated()) == [])
    for seed in UInt64(1)...20 { #expect(try diagnose(generateScenario(.tiny(seed: seed)).scenario.validated()) == [], "seed \(seed)") }
}

@Test(arguments: ["midsize-week.yaml", "large-week.yaml"])
func bundledScenarioHasNoShortfall(file: String) throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scenarios").appendingPathComponent(file).path
    #expect(diagnose(try ScenarioLoader.load(path: path)) == [])
}

/// Kim, the only Spanish teacher, can lead one session this week (3 seats) for six mandated and three
/// normal Spanish sessions: 6 must go unmet, so at least 3 mandated ones even if every normal one gives
/// way. That finding comes first, before a group that cannot form although it touches more students.
@Test func provenMandatedShortfallsComeFirstAndSaySo() throws {
    let kim = Teacher(id: "kim", name: "Mr. Kim", subjects: ["spanish"], maxPerWeek: 1)
    let spanish = (0..<3).map { i in
        Student(id: "m\(i)", name: "M\(i)", needs: [Need(subject: "spanish", modality: "tutoring", sessions: 3, priority: i < 2 ? .mandated : .normal)])
    }
    var group = smallGroup
    group.min = 5
    let science = (0..<4).map { i in Student(id: "s\(i)", name: "S\(i)", needs: [need("science", "small-group", 1)]) }
    var scenario = school(teachers: [kim, lee], rooms: tutorRooms + [groupRoom, Room(id: "lib", name: "Library", capacity: 12, features: ["quiet"])],
                          students: spanish + science)
    scenario.modalities[1] = group
    let findings = try diagnosed(scenario)
    #expect(findings.map(\.cause) == ["teacher-capacity", "group-cannot-form"])
    #expect(findings.first?.message.hasPrefix("mandated services short: at least 3 mandated sessions cannot be met.") == true,
            "\(findings.first?.message ?? "")")
    #expect(findings.last.map { $0.message.hasPrefix("mandated") } == false)
}

/// Every cause a finding or an unmet reason gives is in the cause catalogue, with rules that exist:
/// a cause without its rules would reach the admin as a bare code.
@Test func everyCauseNamesCatalogueRules() throws {
    let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")
    var codes = Set<String>()
    for file in ["Diagnosis/Checks.swift", "Diagnosis/LessonFindings.swift", "Advisor/UnmetReasons.swift"] {
        let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
        for pattern in [#"Found\("([a-z-]+)""#, #"return \("([a-z-]+)""#] {
            let regex = try Regex(pattern)
            for match in text.matches(of: regex) { codes.insert(String(match.output[1].substring!)) }
        }
    }
    #expect(codes.count >= 18, "\(codes.sorted())")
    let known = Set(ShortfallCause.all.map(\.code))
    #expect(codes.isSubset(of: known), "causes without rules: \(codes.subtracting(known).sorted())")
    for cause in ShortfallCause.all where cause.code != "capacity" {
        #expect(!cause.rules.isEmpty && cause.rules.allSatisfy { RuleCatalogue.rule(id: $0.id) != nil }, "\(cause.code)")
    }
}
