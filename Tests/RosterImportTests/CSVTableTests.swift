import ScenarioKit
import Testing
@testable import RosterImport

@Suite struct CSVTableTests {
    @Test func spreadsheetHabitsAreReadAsWritten() throws {
        // Excel in a decimal-comma locale: BOM, `;`, CRLF, a blank line, spaces, a quoted `;` and line break.
        let text = "\u{FEFF}id ; name\r\n\r\nana-p; \"Ana; P.\"\r\nliam-o;\"Liam\r\nO.\"\r\nmei-c;Mei\r\n"
        let table = try CSVTable.parse(text, file: "students.csv")
        #expect(table.header == ["id", "name"])
        #expect(table.rows.map { $0["id"] } == ["ana-p", "liam-o", "mei-c"])
        #expect(table.rows.map { $0["NAME"] } == ["Ana; P.", "Liam\r\nO.", "Mei"])
        // Line numbers count the blank line and the line break inside Liam's name.
        #expect(table.rows.map(\.line) == [3, 4, 6])
    }

    @Test func aQuoteLeftOpenIsFoundWhereItOpens() {
        let text = "id,name\nana-p,Ana\nliam-o,\"Liam O.\nmei-c,Mei\n"
        #expect(throws: InputError.self) { try CSVTable.parse(text, file: "s.csv") }
        do { _ = try CSVTable.parse(text, file: "s.csv") } catch {
            #expect(error.problems.map(\.description)
                == ["s.csv:3:8: a quoted value starts here but its closing `\"` is missing; close it, and write a `\"` inside a value as `\"\"`"])
        }
        // Escaped quotes inside a closed value are not mistaken for an open one.
        #expect(CSVTable.unclosedQuote(in: "a,\"say \"\"hi\"\"\"\nb,c\n", delimiter: ",") == nil)
    }

    @Test func headerProblemsNameTheColumn() throws {
        let table = try CSVTable.parse("id,nmae,id\nx,y,z\n", file: "t.csv")
        let problems = table.columnProblems(required: ["id", "name", "subjects"], optional: ["max-per-day"]).map(\.description)
        #expect(problems == [
            "t.csv:1:2: unknown column `nmae` — did you mean `name`?",
            "t.csv:1:3: column `id` appears twice; keep one",
            "t.csv:1: missing column `name`; the header must name it",
            "t.csv:1: missing column `subjects`; the header must name it",
        ])
    }

    @Test func valuesAreCheckedWhereTheyStand() throws {
        let table = try CSVTable.parse("student,sessions,start\nana,two,2027-13-01\nliam,3,2027-01-11\n", file: "n.csv")
        var problems: [InputProblem] = []
        _ = table.rows[0].integer("sessions", in: 1...7, &problems)
        _ = table.rows[0].date("start", &problems)
        #expect(problems.map(\.description) == [
            "n.csv:2:2: `two` is not a whole number from 1 to 7",
            "n.csv:2:3: `2027-13-01` is not a date; write it as YYYY-MM-DD, for example 2027-01-11",
        ])
        problems = []
        #expect(table.rows[1].integer("sessions", in: 1...7, &problems) == 3)
        #expect(table.rows[1].date("start", &problems) == LocalDate(year: 2027, month: 1, day: 11))
        #expect(problems.isEmpty)
    }

    @Test func aRowWiderThanTheHeaderIsRefused() {
        do {
            _ = try CSVTable.parse("student,subject\nana,math,tutoring\n", file: "n.csv")
            Issue.record("a row with more values than columns was accepted")
        } catch {
            #expect(error.problems.map(\.description) == ["n.csv:2:3: 3 values but the header names 2 columns; put a value that holds `,` in double quotes"])
        }
    }
}
