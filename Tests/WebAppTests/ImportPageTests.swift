import FlexschedTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import RosterImport
import Testing
import WebApp

/// The sheets as a browser sends them from the import page: one file field each, named as the page names them.
private func multipartSheets(_ files: [String: String], csrf: String?) -> (contentType: String, body: ByteBuffer) {
    let boundary = "----flexschedImportBoundary"
    let field = ["WEEK.yaml": "week", "teachers.csv": "teachers", "rooms.csv": "rooms", "students.csv": "students", "needs.csv": "needs"]
    var body = csrf.map { "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\($0)\r\n" } ?? ""
    for (name, text) in files.sorted(by: { $0.key < $1.key }) {
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field[name]!)\"; filename=\"\(name)\"\r\nContent-Type: text/csv\r\n\r\n\(text)\r\n"
    }
    return ("multipart/form-data; boundary=\(boundary)", ByteBuffer(string: body + "--\(boundary)--\r\n"))
}

/// Issue 26: the web import reports what `flexsched import csv` reports for the same files, every
/// problem at once, and stores nothing until there is none.
@Suite(.timeLimit(.minutes(3))) struct ImportPageTests {
    @Test func theAPIAndThePageGiveTheCommandLinesProblemsAndStoreNothing() async throws {
        let (files, places) = try ImportMistakes.mistaken()
        let folder = try ImportMistakes.write(files)
        let expected: [String]
        do {
            _ = try importSpreadsheets(week: folder + "/WEEK.yaml", needs: folder + "/needs.csv", teachers: folder + "/teachers.csv",
                                       students: folder + "/students.csv", rooms: folder + "/rooms.csv", outputFile: folder + "/week.yaml")
            expected = []
        } catch {
            expected = error.problems.map { "\(ImportMistakes.place(file: $0.file, line: $0.line, column: $0.column)) \($0.message)" }
        }
        #expect(expected.count == places.count)

        let server = try await TestServer.make()
        try await server.test { client in
            var headers = server.adminHeaders
            let (type, body) = multipartSheets(files, csrf: nil)
            headers[.contentType] = type
            try await client.execute(uri: "/api/v1/import/csv", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .unprocessableContent)
                let problems = try #require((try object(response.body)["error"] as? [String: Any])?["problems"] as? [[String: Any]])
                let got = problems.map { p in
                    "\(ImportMistakes.place(file: p["file"] as! String, line: p["line"] as? Int, column: p["column"] as? Int)) \(p["message"] as! String)"
                }
                #expect(got == expected)
            }

            let session = try await signIn(client, server)
            let form = multipartSheets(files, csrf: session.csrf)
            try await client.execute(uri: "/import", method: .post, headers: [.cookie: session.cookie, .contentType: form.contentType],
                                     body: form.body) { response in
                #expect(response.status == .unprocessableContent)
                let page = String(buffer: response.body)
                #expect(page.contains("Nothing was saved"))
                for place in places { #expect(page.contains(place + ":"), "\(place) on the page") }
            }
            try await client.execute(uri: "/api/v1/scenarios", method: .get, headers: server.adminHeaders) { response in
                let list = try json(response.body) as? [Any]
                #expect(list?.isEmpty == true, "nothing stored")
            }
        }
    }

    @Test func rightSheetsBecomeAScenarioWithTheDisagreementAsAWarning() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            var headers = server.adminHeaders
            let (type, body) = multipartSheets(try ImportMistakes.disagreeing(), csrf: nil)
            headers[.contentType] = type
            try await client.execute(uri: "/api/v1/import/csv", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .created, "\(String(buffer: response.body))")
                let warnings = try object(response.body)["warnings"] as? [String] ?? []
                #expect(warnings.contains { $0.hasPrefix(ImportMistakes.disagreement + ": max-per-week is 3 here") }, "\(warnings)")
            }
            try await client.execute(uri: "/api/v1/scenarios", method: .get, headers: server.adminHeaders) { response in
                let list = try json(response.body) as? [Any]
                #expect(list?.count == 1)
            }
        }
    }
}
