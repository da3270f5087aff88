import Foundation
import ScenarioKit
import Testing
@testable import RosterImport

private let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
private let corpus = here.appendingPathComponent("Corpus/oneroster")
private let sample = here.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Scenarios/oneroster-sample")

/// A copy of the tiny valid roster in `Corpus/oneroster/base`, with `changes` applied to its files.
private func tinyRoster(_ changes: (URL) throws -> Void = { _ in }) throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("oneroster-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: corpus.appendingPathComponent("base"), to: directory)
    try changes(directory)
    return directory
}

private func lines(_ url: URL) throws -> [String] {
    try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
}

private func edit(_ directory: URL, _ file: String, _ change: (inout [String]) -> Void) throws {
    let url = directory.appendingPathComponent(file)
    var rows = try lines(url)
    change(&rows)
    try (rows.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
}

@Suite struct OneRosterTests {
    @Test func theSampleMiddleSchoolIsReadWithItsSpringTerm() throws {
        let roster = try OneRoster.read(directory: sample.appendingPathComponent("district").path, school: "CVMS")
        let users = try CSVTable.read(path: sample.appendingPathComponent("district/users.csv").path)
        #expect(roster.version == "1.1")
        #expect(roster.school.name == "Cedar Valley Middle School")
        #expect(roster.term?.title == "Spring 2027")
        #expect(roster.term.map { "\($0.start) \($0.end)" } == "2027-01-11 2027-06-04")
        // Exactly the active, enabled students and teachers of the school, by users.csv's own columns.
        let school = roster.school.sourcedId
        func kept(_ role: String) -> [String] {
            users.rows.filter {
                $0["role"] == role && $0["enabledUser"] == "true" && $0["status"] == nil
                    && ($0["orgSourcedIds"] ?? "").split(separator: ",").contains { $0 == school }
            }.compactMap { $0["sourcedId"] }
        }
        #expect(roster.students.map(\.sourcedId) == kept("student"))
        #expect(roster.teachers.map(\.person.sourcedId) == kept("teacher"))
        #expect(roster.students.count == 80)
        // GUIDs are valid ids already, and are kept as they are.
        #expect(roster.students.allSatisfy { $0.id == $0.sourcedId })
        // Every teacher teaches something, in a subject the sample's WEEK.yaml maps.
        let mapped: Set = ["Mathematics", "English Language Arts", "Science", "Social Studies", "World Languages"]
        #expect(roster.teachers.allSatisfy { !$0.subjectCodes.isEmpty && Set($0.subjectCodes).isSubset(of: mapped) })
        #expect(roster.files.count == 7)
    }

    /// What the lead's import checks once merged: here only that the sample's own files agree.
    @Test func theSampleWeekAndNeedsFitItsRoster() throws {
        let roster = try OneRoster.read(directory: sample.appendingPathComponent("district").path, school: "CVMS")
        let week = try ScenarioLoader.loadWeekTemplate(path: sample.appendingPathComponent("WEEK.yaml").path)
        let needs = try CSVTable.read(path: sample.appendingPathComponent("NEEDS.csv").path)
        #expect(ScenarioAssembly.needsProblems(needs, week: week).isEmpty)
        for teacher in roster.teachers { #expect(teacher.subjectCodes.allSatisfy { week.subject(forRosterValue: $0) != nil }) }
        #expect(Set(week.scenario.teachers.map(\.id)).isSubset(of: roster.teachers.map(\.person.sourcedId)))
        // Every student of a need is in the roster, and every named teacher teaches the subject.
        let students = Set(roster.students.flatMap { [$0.sourcedId] + ($0.identifier.map { [$0] } ?? []) })
        let teaches = Dictionary(uniqueKeysWithValues: roster.teachers.map { t in
            (t.person.sourcedId, Set(t.subjectCodes.compactMap { week.subject(forRosterValue: $0) }))
        })
        for row in needs.rows {
            #expect(students.contains(row["student"] ?? ""), "line \(row.line)")
            for teacher in [row["teacher"], row["prefer-teacher"]].compactMap({ $0 }) {
                #expect(teaches[teacher]?.contains(row["subject"] ?? "") == true, "line \(row.line)")
            }
        }
    }

    @Test func oneRoster12GivesTheSameIdsWithPreferredNames() throws {
        let v11 = try OneRoster.read(directory: sample.appendingPathComponent("district").path, school: "CVMS")
        let v12 = try OneRoster.read(directory: sample.appendingPathComponent("district-1.2").path, school: "Cedar Valley Middle School")
        #expect(v12.version == "1.2")
        #expect(v12.students.map(\.id) == v11.students.map(\.id))
        #expect(v12.teachers.map(\.person.id) == v11.teachers.map(\.person.id))
        #expect(v12.teachers.map(\.subjectCodes) == v11.teachers.map(\.subjectCodes))
        let users = try CSVTable.read(path: sample.appendingPathComponent("district-1.2/users.csv").path)
        let preferred = Dictionary(uniqueKeysWithValues: users.rows.compactMap { row in row["preferredGivenName"].map { (row["sourcedId"]!, $0) } })
        let renamed = v12.students.filter { preferred[$0.sourcedId] != nil }
        #expect(!renamed.isEmpty)
        for student in renamed {
            #expect(student.name.hasPrefix(preferred[student.sourcedId]! + " "))
            #expect(v11.students.first { $0.id == student.id }?.name != student.name)
        }
    }

    @Test func schoolPicksItsOwnPeople() throws {
        let district = sample.appendingPathComponent("district").path
        let middle = try OneRoster.read(directory: district, school: "CVMS")
        let elementary = try OneRoster.read(directory: district, school: "Birchwood Elementary School")
        #expect(elementary.students.count == 70)
        #expect(Set(elementary.students.map(\.id)).isDisjoint(with: middle.students.map(\.id)))
        // The Spanish teacher works at both and teaches World Languages at each.
        let shared = Set(middle.teachers.map(\.person.id)).intersection(elementary.teachers.map(\.person.id))
        #expect(shared.count == 1)
        #expect(elementary.teachers.first { shared.contains($0.person.id) }?.subjectCodes == ["World Languages"])
        #expect(throws: InputError.self) { try OneRoster.read(directory: district, school: nil) }
    }

    @Test func aRosterChangeKeepsEveryOtherId() throws {
        let base = try tinyRoster()
        defer { try? FileManager.default.removeItem(at: base) }
        let before = try OneRoster.read(directory: base.path, school: nil)
        let changed = try tinyRoster { directory in
            // Ben leaves, Ms. Vo joins to teach Reading Lab, and Math 7 passes from Mr. Ito to Ms. Diaz.
            try edit(directory, "users.csv") { rows in
                rows.removeAll { $0.hasPrefix("u-ben,") }
                rows.append("t-vo,,,true,s1,teacher,vo,,Lan,Vo,,T3,,,,,,")
            }
            try edit(directory, "enrollments.csv") { rows in
                rows.removeAll { $0.hasPrefix("e4,") }
                rows = rows.map { $0.replacingOccurrences(of: "e1,,,k-math,s1,t-ito,", with: "e1,,,k-math,s1,t-diaz,") }
                rows.append("e5,,,k-read,s1,t-vo,teacher,false,,")
            }
        }
        defer { try? FileManager.default.removeItem(at: changed) }
        let after = try OneRoster.read(directory: changed.path, school: nil)
        #expect(after.students.map(\.id) == before.students.map(\.id).filter { $0 != "u-ben" })
        #expect(after.teachers.map(\.person.id) == before.teachers.map(\.person.id) + ["t-vo"])
        #expect(before.teachers.map(\.subjectCodes) == [["Mathematics"], ["English Language Arts"]])
        #expect(after.teachers.map(\.subjectCodes) == [[], ["English Language Arts", "Mathematics"], ["English Language Arts"]])
        // The unsafe sourcedId keeps its made-up id too.
        #expect(after.students.last?.sourcedId == "u:dee 42")
        #expect(after.students.last?.id == before.students.last?.id)
    }

    @Test func theTermIsWhereMostClassesAreHeldUnlessNamed() throws {
        let base = try tinyRoster()
        #expect(try OneRoster.read(directory: base.path, school: nil).term?.sourcedId == "spring")
        let tied = try tinyRoster { directory in
            try edit(directory, "classes.csv") { rows in rows = rows.map { $0.replacingOccurrences(of: ",s1,q3,", with: ",s1,y1,") } }
        }
        #expect(try OneRoster.read(directory: tied.path, school: nil, term: "Fall 2026").term?.sourcedId == "fall")
        let yearOnly = try tinyRoster { directory in
            try edit(directory, "classes.csv") { rows in rows = rows.map { $0.replacingOccurrences(of: "\"fall,spring\"", with: "y1") } }
            try edit(directory, "classes.csv") { rows in rows = rows.map { $0.replacingOccurrences(of: ",s1,q3,", with: ",s1,y1,") } }
        }
        #expect(try OneRoster.read(directory: yearOnly.path, school: nil).term == nil)
        for directory in [base, tied, yearOnly] { try? FileManager.default.removeItem(at: directory) }
    }

    @Test func unsafeSourcedIdsBecomeStableDistinctIds() {
        #expect(OneRoster.safeId("3fa85f64-5717-4562-b3fc-2c963f66afa6") == "3fa85f64-5717-4562-b3fc-2c963f66afa6")
        let spaced = OneRoster.safeId("u:dee 42"), slashed = OneRoster.safeId("u/dee/42")
        #expect(spaced.hasPrefix("u-dee-42-") && slashed.hasPrefix("u-dee-42-") && spaced != slashed)
        #expect(idProblem(spaced) == nil && idProblem(OneRoster.safeId(".hidden")) == nil)
        #expect(idProblem(OneRoster.safeId(String(repeating: "é:", count: 50))) == nil)
    }

    /// Each case in Corpus/oneroster replaces files of the base roster (and removes those named in
    /// remove.txt); `expected.txt` holds every message, with DIR for the roster's directory.
    @Test(arguments: try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter { $0 != "base" }.sorted())
    func badInputGetsItsExactMessages(_ name: String) throws {
        let caseDirectory = corpus.appendingPathComponent(name)
        let directory = try tinyRoster { directory in
            for file in try FileManager.default.contentsOfDirectory(atPath: caseDirectory.path) where file.hasSuffix(".csv") {
                let target = directory.appendingPathComponent(file)
                try? FileManager.default.removeItem(at: target)
                try FileManager.default.copyItem(at: caseDirectory.appendingPathComponent(file), to: target)
            }
            for file in (try? lines(caseDirectory.appendingPathComponent("remove.txt"))) ?? [] {
                try FileManager.default.removeItem(at: directory.appendingPathComponent(file))
            }
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        let expected = try lines(caseDirectory.appendingPathComponent("expected.txt"))
        do {
            let roster = try OneRoster.read(directory: directory.path, school: nil)
            Issue.record("read \(roster.students.count) students; expected \(expected)")
        } catch {
            #expect(error.problems.map { $0.description.replacingOccurrences(of: directory.path, with: "DIR") } == expected)
        }
    }
}
