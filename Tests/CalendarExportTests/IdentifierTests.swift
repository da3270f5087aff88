@testable import CalendarExport
import Foundation
import ScenarioKit
import TimetableFormat
import Testing

@Suite struct Identifiers_ {
    @Test func uidIsReadableAndStable() {
        let uid = Identifiers.uid(school: "Riverside Middle, week A", view: "teacher", owner: "lee", subject: "math",
                                  modality: "small-group", weekday: "mon", block: "b1")
        #expect(uid == "riverside-middle-week-a-\(Identifiers.hash("Riverside Middle, week A")).teacher.lee.math.small-group.mon.b1@flexsched")
        #expect(Identifiers.hash("Riverside Middle, week A") == Identifiers.hash("Riverside Middle, week A"))
        #expect(Identifiers.hash("") == "cbf29ce4") // FNV-1a offset basis: the same on every platform and run
    }

    @Test func componentsAreInjective() {
        #expect(Identifiers.component("a.b") == "a_2Eb")
        #expect(Identifiers.component("a_2Eb") == "a_5F2Eb")
        #expect(Identifiers.component("zoë") == "zo_C3_AB")
        let a = Identifiers.uid(school: "s", view: "student", owner: "a.b", subject: "c", modality: "m", weekday: "mon", block: "b1")
        let b = Identifiers.uid(school: "s", view: "student", owner: "a", subject: "b.c", modality: "m", weekday: "mon", block: "b1")
        #expect(a != b)
    }

    @Test func schoolsWithSimilarNamesGetDifferentUIDs() {
        #expect(Identifiers.schoolKey("Riverside, week A") != Identifiers.schoolKey("Riverside week A"))
        #expect(Identifiers.schoolKey("Riverside, week A").hasPrefix("riverside-week-a-"))
        #expect(Identifiers.schoolKey("日本語").hasPrefix("school-"))
    }

    @Test func fileStemsAreSafeOnEveryFileSystem() {
        let stems = Identifiers.fileStems(for: ["lee", "Ana", "ana", "zoë", "CON", "com1", "x.y", "trailing.", "a_b-c"])
        #expect(stems["lee"] == "lee")
        #expect(stems["a_b-c"] == "a_b-c")
        #expect(stems["x.y"] == "x.y")
        #expect(stems["zoë"] == "zoe-\(Identifiers.hash("zoë"))")
        #expect(stems["CON"] == "CON-\(Identifiers.hash("CON"))")
        #expect(stems["com1"] == "com1-\(Identifiers.hash("com1"))")
        #expect(stems["trailing."]?.hasSuffix(".") == false)
        // Names that differ only in case collide on macOS and Windows, so neither keeps the plain name.
        #expect(stems["Ana"] != "Ana" && stems["ana"] != "ana")
        let folded = stems.values.map { $0.lowercased() }
        #expect(Set(folded).count == folded.count)
        for stem in stems.values {
            #expect(stem.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) })
        }
    }

    /// UIDs name what a session is (view, owner, need, weekday and block), not where or with whom,
    /// so moving a session to another room or teacher updates the event instead of adding one.
    @Test func uidsSurviveChangesOfRoomTeacherAndGroup() throws {
        let before = try export()
        var moved = sampleTimetable()
        moved.sessions[0].room = "lib"
        moved.sessions[0].teacher = "kim"
        moved.sessions[0].students = ["ana"]
        moved.created = "2027-01-15T09:00:00Z"
        let after = try export(sampleScenario(), moved)
        func uids(_ r: CalendarExport.Result, _ path: String) throws -> [String] {
            try events(text(r, path)).compactMap { property("UID", in: $0) }
        }
        #expect(try uids(before, "students/ana.ics") == uids(after, "students/ana.ics"))
        #expect(try uids(before, "school.ics") != uids(after, "school.ics")) // the school view is keyed by room
        let twice = try export()
        #expect(before.files.map(\.data) == twice.files.map(\.data))
    }
}
