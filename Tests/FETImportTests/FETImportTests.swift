import FlexschedTestSupport
import Foundation
import ScenarioKit
import Testing
@testable import RosterImport

/// A small FET file: two days, three hours, a year with two groups sharing a subgroup, and the
/// given activities and constraints.
private func fet(activities: String, time: String = "", space: String = "", rooms: String = "") -> String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <fet version="6.8.5">
    <Institution_Name>Test School</Institution_Name>
    <Days_List><Number_of_Days>2</Number_of_Days><Day><Name>Luni</Name></Day><Day><Name>Marti</Name></Day></Days_List>
    <Hours_List><Number_of_Hours>3</Number_of_Hours><Hour><Name>1</Name></Hour><Hour><Name>2</Name></Hour><Hour><Name>3</Name></Hour></Hours_List>
    <Teachers_List><Teacher><Name>Ana Pop</Name></Teacher><Teacher><Name>Ion</Name></Teacher></Teachers_List>
    <Rooms_List>\(rooms)</Rooms_List>
    <Students_List>
    <Year><Name>Y9</Name><Number_of_Students>50</Number_of_Students>
      <Group><Name>9 A</Name><Number_of_Students>25</Number_of_Students>
        <Subgroup><Name>9a-x</Name><Number_of_Students>10</Number_of_Students></Subgroup>
        <Subgroup><Name>lang</Name><Number_of_Students>5</Number_of_Students></Subgroup>
      </Group>
      <Group><Name>9B</Name><Number_of_Students>25</Number_of_Students>
        <Subgroup><Name>lang</Name><Number_of_Students>5</Number_of_Students></Subgroup>
      </Group>
    </Year>
    </Students_List>
    <Activities_List>\(activities)</Activities_List>
    <Time_Constraints_List>
    <ConstraintBasicCompulsoryTime><Weight_Percentage>100</Weight_Percentage><Active>true</Active></ConstraintBasicCompulsoryTime>
    \(time)</Time_Constraints_List>
    <Space_Constraints_List>\(space)</Space_Constraints_List>
    </fet>
    """
}

private func activity(_ id: Int, group: Int = 0, teacher: String? = "Ana Pop", students: String? = "9 A", subject: String = "Math",
                      duration: Int = 1, active: Bool = true) -> String {
    "<Activity>\(teacher.map { "<Teacher>\($0)</Teacher>" } ?? "")<Subject>\(subject)</Subject>\(students.map { "<Students>\($0)</Students>" } ?? "")"
        + "<Duration>\(duration)</Duration><Id>\(id)</Id><Activity_Group_Id>\(group)</Activity_Group_Id><Active>\(active)</Active></Activity>"
}

private let split = activity(1, group: 1) + activity(2, group: 1) + activity(3, group: 1)

private func write(_ text: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fet-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("school.fet").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

private func imported(_ text: String) throws -> FETImport { try importFET(path: try write(text), outputFile: "school.yaml") }

private func lesson(_ result: FETImport, _ id: String) -> Lesson? { result.scenario.scenario.lessons.first { $0.id == id } }

@Suite struct FETImportTests {
    @Test func studentSetsNestWithTheirSizes() throws {
        let s = try imported(fet(activities: activity(7, students: "lang"))).scenario.scenario
        #expect(s.classes.map(\.id) == ["Y9", "9-A-" + String(OneRoster.safeId("9 A").suffix(8)), "9a-x", "lang", "9B"])
        let byName = Dictionary(uniqueKeysWithValues: s.classes.map { ($0.name, $0) })
        #expect(byName["Y9"]?.size == 50 && byName["9 A"]?.size == 25 && byName["lang"]?.size == 5)
        #expect(byName["Y9"]?.parts == [byName["9 A"]!.id, "9B"])
        #expect(byName["9 A"]?.parts == ["9a-x", "lang"] && byName["9B"]?.parts == ["lang"])
        #expect(s.classes.filter { $0.name == "lang" }.count == 1)
        #expect(s.days == [.mon, .tue] && s.blocks.map(\.id) == ["h1", "h2", "h3"] && s.blocks[1].start == ClockTime(hour: 8, minute: 45))
        let l = try #require(s.lessons.first)
        #expect(l.id == "a7" && l.title == "Math lang" && l.classes == ["lang"] && l.teachers == ["Ana-Pop-" + String(OneRoster.safeId("Ana Pop").suffix(8))])
        #expect(!l.needsRoom)
        #expect(s.teachers.first { $0.name == "Ana Pop" }?.subjects == ["Math"])
    }

    @Test func aSplitActivityIsOneLessonWithSessionsAndMinDaysApart() throws {
        let time = "<ConstraintMinDaysBetweenActivities><Weight_Percentage>100</Weight_Percentage><Consecutive_If_Same_Day>true</Consecutive_If_Same_Day>"
            + "<Number_of_Activities>2</Number_of_Activities><Activity_Id>4</Activity_Id><Activity_Id>5</Activity_Id><MinDays>1</MinDays><Active>true</Active></ConstraintMinDaysBetweenActivities>"
        let r = try imported(fet(activities: split + activity(4, group: 4, students: "9B") + activity(5, group: 4, students: "9B"), time: time))
        let a1 = try #require(lesson(r, "a1")), a4 = try #require(lesson(r, "a4"))
        #expect(a1.sessions == 3 && a1.minDaysApart == 0)
        #expect(a4.sessions == 2 && a4.minDaysApart == 1)
        #expect(r.unsupported.isEmpty)
        let soft = time.replacingOccurrences(of: "<Weight_Percentage>100<", with: "<Weight_Percentage>95<")
        let r2 = try imported(fet(activities: activity(4, group: 4, students: "9B") + activity(5, group: 4, students: "9B"), time: soft))
        #expect(r2.unsupported.map(\.label) == ["MinDaysBetweenActivities at weight below 100 %"])
    }

    @Test func eachSupportedConstraintBecomesItsKey() throws {
        let rooms = "<Room><Name>Lab 1</Name><Capacity>30</Capacity><Virtual>false</Virtual></Room><Room><Name>R2</Name><Capacity>60</Capacity></Room>"
        func na(_ tag: String, _ who: String, _ name: String) -> String {
            "<Constraint\(tag)><Weight_Percentage>100</Weight_Percentage><\(who)>\(name)</\(who)><Number_of_Not_Available_Times>1</Number_of_Not_Available_Times>"
                + "<Not_Available_Time><Day>Marti</Day><Hour>3</Hour></Not_Available_Time><Active>true</Active></Constraint\(tag)>"
        }
        let time = na("TeacherNotAvailableTimes", "Teacher", "Ion") + na("StudentsSetNotAvailableTimes", "Students", "9B")
            + "<ConstraintBreakTimes><Weight_Percentage>100</Weight_Percentage><Break_Time><Day>Luni</Day><Hour>2</Hour></Break_Time><Active>true</Active></ConstraintBreakTimes>"
            + "<ConstraintActivityPreferredStartingTime><Weight_Percentage>100</Weight_Percentage><Activity_Id>10</Activity_Id><Preferred_Day>Marti</Preferred_Day><Preferred_Hour>1</Preferred_Hour><Permanently_Locked>true</Permanently_Locked><Active>true</Active></ConstraintActivityPreferredStartingTime>"
            + "<ConstraintActivityPreferredStartingTimes><Weight_Percentage>80</Weight_Percentage><Activity_Id>11</Activity_Id><Preferred_Starting_Time><Preferred_Starting_Day>Luni</Preferred_Starting_Day><Preferred_Starting_Hour>3</Preferred_Starting_Hour></Preferred_Starting_Time><Active>true</Active></ConstraintActivityPreferredStartingTimes>"
            + "<ConstraintActivityPreferredTimeSlots><Weight_Percentage>50</Weight_Percentage><Activity_Id>12</Activity_Id>"
            + "<Preferred_Time_Slot><Preferred_Day>Luni</Preferred_Day><Preferred_Hour>2</Preferred_Hour></Preferred_Time_Slot>"
            + "<Preferred_Time_Slot><Preferred_Day>Luni</Preferred_Day><Preferred_Hour>3</Preferred_Hour></Preferred_Time_Slot>"
            + "<Preferred_Time_Slot><Preferred_Day>Marti</Preferred_Day><Preferred_Hour>3</Preferred_Hour></Preferred_Time_Slot><Active>true</Active></ConstraintActivityPreferredTimeSlots>"
            + "<ConstraintTeachersMaxHoursDaily><Weight_Percentage>100</Weight_Percentage><Maximum_Hours_Daily>3</Maximum_Hours_Daily><Active>true</Active></ConstraintTeachersMaxHoursDaily>"
            + "<ConstraintTeacherMaxHoursDaily><Weight_Percentage>100</Weight_Percentage><Teacher_Name>Ion</Teacher_Name><Maximum_Hours_Daily>2</Maximum_Hours_Daily><Active>true</Active></ConstraintTeacherMaxHoursDaily>"
        let space = na("RoomNotAvailableTimes", "Room", "Lab 1")
            + "<ConstraintActivityPreferredRoom><Weight_Percentage>100</Weight_Percentage><Activity_Id>10</Activity_Id><Room>Lab 1</Room><Permanently_Locked>true</Permanently_Locked><Active>true</Active></ConstraintActivityPreferredRoom>"
            + "<ConstraintActivityPreferredRooms><Weight_Percentage>100</Weight_Percentage><Activity_Id>11</Activity_Id><Number_of_Preferred_Rooms>2</Number_of_Preferred_Rooms><Preferred_Room>Lab 1</Preferred_Room><Preferred_Room>R2</Preferred_Room><Active>true</Active></ConstraintActivityPreferredRooms>"
        let r = try imported(fet(activities: activity(10, teacher: "Ion") + activity(11, students: "9B") + activity(12, students: "9a-x", duration: 2),
                                 time: time, space: space, rooms: rooms))
        #expect(r.unsupported.isEmpty)
        let s = r.scenario.scenario
        let ion = try #require(s.teachers.first { $0.id == "Ion" }), ana = try #require(s.teachers.first { $0.name == "Ana Pop" })
        #expect(ion.unavailable == [.block(.tue, "h3"), .block(.mon, "h2")] && ion.maxPerDay == 2)
        #expect(ana.unavailable == [.block(.mon, "h2")] && ana.maxPerDay == 3)
        #expect(s.schoolClass("9B")?.unavailable == [.block(.tue, "h3")])
        #expect(s.schoolClass("Y9")?.unavailable == [.block(.mon, "h2")])
        #expect(s.rooms.first { $0.name == "Lab 1" }?.unavailable == [.block(.tue, "h3")])
        let labId = try #require(s.rooms.first { $0.name == "Lab 1" }?.id)
        #expect(lesson(r, "a10")?.at == [.block(.tue, "h1")] && lesson(r, "a10")?.rooms == [labId] && lesson(r, "a10")?.needsRoom == true)
        #expect(lesson(r, "a11")?.prefer == [.block(.mon, "h3")] && lesson(r, "a11")?.rooms == [labId, "R2"])
        #expect(lesson(r, "a12")?.prefer == [.block(.mon, "h2")] && lesson(r, "a12")?.needsRoom == false)
    }

    @Test func inactiveItemsAreSkippedAndEmptyActivitiesWarned() throws {
        let off = "<ConstraintTeacherMaxDaysPerWeek><Weight_Percentage>100</Weight_Percentage><Teacher_Name>Ion</Teacher_Name><Max_Days_Per_Week>1</Max_Days_Per_Week><Active>false</Active></ConstraintTeacherMaxDaysPerWeek>"
        let r = try imported(fet(activities: activity(1) + activity(2, active: false) + activity(3, teacher: nil, students: nil), time: off))
        #expect(r.scenario.scenario.lessons.map(\.id) == ["a1"])
        #expect(r.unsupported.isEmpty)
        #expect(r.warnings.count == 1 && r.warnings[0].entity == "Activity 3")
    }

    @Test func unsupportedConstraintsAreListedByTypeAndCountAndStrictRefuses() throws {
        let gaps = "<ConstraintTeacherMaxGapsPerWeek><Weight_Percentage>100</Weight_Percentage><Teacher_Name>Ion</Teacher_Name><Max_Gaps>1</Max_Gaps><Active>true</Active></ConstraintTeacherMaxGapsPerWeek>"
        let soft = "<ConstraintTeachersMaxHoursDaily><Weight_Percentage>90</Weight_Percentage><Maximum_Hours_Daily>3</Maximum_Hours_Daily><Active>true</Active></ConstraintTeachersMaxHoursDaily>"
        let path = try write(fet(activities: activity(1), time: gaps + gaps + soft))
        let r = try importFET(path: path, outputFile: "x.yaml")
        #expect(r.unsupported.map { "\($0.label): \($0.count)" } == ["TeacherMaxGapsPerWeek: 2", "TeachersMaxHoursDaily at weight below 100 %: 1"])
        let out = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("out.yaml").path
        #expect(try run(["import", "fet", path, "--out", out, "--strict"]) == 2)
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try run(["import", "fet", path, "--out", out]) == 0)
        #expect(try ScenarioLoader.load(path: out).scenario.lessons.count == 1)
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("#   TeacherMaxGapsPerWeek: 2"))
    }

    @Test func malformedXMLNamesTheLineAndElement() throws {
        let broken = fet(activities: activity(1)).replacingOccurrences(of: "<Duration>1</Duration>", with: "<Duration>1</Duraton>")
        let path = try write(broken)
        #expect {
            try importFET(path: path, outputFile: "x.yaml")
        } throws: { error in
            guard let problem = (error as? InputError)?.problems.first else { return false }
            return problem.file == path && problem.line == 19 && problem.entity == "<Duration>" && problem.message.contains("malformed XML")
        }
        let out = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("out.yaml").path
        #expect(try run(["import", "fet", path, "--out", out]) == 2)
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// FET's own example schools (Debian's fet-data; `.ci/run` installs it): every one whose active
    /// constraints all have a scenario equivalent imports and validates.
    @Test func everySupportedBundledExampleImports() throws {
        let root = "/usr/share/doc/fet-data/examples"
        guard FileManager.default.fileExists(atPath: root) else { return }
        let files = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".fet") }.sorted()
        #expect(files.count > 100)
        var clean = 0
        for file in files {
            let path = root + "/" + file
            guard let result = try? importFET(path: path, outputFile: "x.yaml") else { continue }
            guard result.unsupported.isEmpty else { continue }
            #expect(throws: Never.self) { try ScenarioLoader.parse(result.text, file: file) }
            clean += 1
        }
        print("FET examples: \(clean) of \(files.count) import with every active constraint carried over")
        #expect(clean > 0)
    }
}
