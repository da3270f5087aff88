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

/// The problems of a 422 answer as `file:line[:column] message`, folders left out.
private func placedProblems(_ body: ByteBuffer) throws -> [String] {
    let problems = try #require((try object(body)["error"] as? [String: Any])?["problems"] as? [[String: Any]])
    return problems.map { p in
        "\(ImportMistakes.place(file: p["file"] as! String, line: p["line"] as? Int, column: p["column"] as? Int)) \(p["message"] as! String)"
    }
}

/// Issue 26: the web import reports what `flexsched import csv` reports for the same files, every
/// problem at once, and stores nothing until there is none.
@Suite(.timeLimit(.minutes(10))) struct ImportPageTests {
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
                let got = try placedProblems(response.body)
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

/// The bundled district's export and sheets as the import page's OneRoster form sends them.
private func districtFields(replacing changes: [String: (String, String)] = [:]) throws -> [String: String] {
    let sample = repositoryRoot.appendingPathComponent("Scenarios/oneroster-sample")
    var fields = ["week": "WEEK.yaml", "needs": "NEEDS.csv", "settings": "STUDENTS.csv"].mapValues { sample.appendingPathComponent($0) }
    for name in try FileManager.default.contentsOfDirectory(atPath: sample.appendingPathComponent("district").path) {
        fields[String(name.dropLast(4))] = sample.appendingPathComponent("district/" + name)
    }
    return try fields.mapValues { url in
        let text = try String(contentsOf: url, encoding: .utf8)
        guard let (old, new) = changes[url.lastPathComponent] else { return text }
        return text.replacingOccurrences(of: old, with: new)
    }
}

private func multipartFields(_ fields: [String: String]) -> (contentType: String, body: ByteBuffer) {
    let boundary = "----flexschedRosterBoundary"
    let body = fields.sorted { $0.key < $1.key }.map { name, text in
        "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(name).csv\"\r\n\r\n\(text)\r\n"
    }.joined() + "--\(boundary)--\r\n"
    return ("multipart/form-data; boundary=\(boundary)", ByteBuffer(string: body))
}

@Suite(.timeLimit(.minutes(10))) struct RosterImportPageTests {
    @Test func anUploadedExportGivesTheCommandLinesProblemsOrItsScenario() async throws {
        let mistakes = ["users.csv": ("c85ad6ff-6546-44be-b379-782e12806dcc,,,true", "c85ad6ff-6546-44be-b379-782e12806dcc,,,maybe"),
                        "NEEDS.csv": ("240101,math,tutoring,2,mandated", "240101,math,tutorng,2,mandated"),
                        "STUDENTS.csv": ("240472,,accessible,,", "240472,funday,accessible,,")]
        let wrong = try districtFields(replacing: mistakes)
        let folder = try ImportMistakes.write(Dictionary(uniqueKeysWithValues: wrong.map { ($0.key + ".csv", $0.value) }))
        let expected: [String]
        do {
            _ = try importOneRoster(directory: folder, school: "CVMS", term: nil, week: folder + "/week.csv", needs: folder + "/needs.csv",
                                    studentSettings: folder + "/settings.csv", outputFile: folder + "/out.yaml")
            expected = []
        } catch {
            expected = error.problems.map { "\(ImportMistakes.place(file: $0.file, line: $0.line, column: $0.column)) \($0.message)" }
        }
        #expect(expected.count == 3 && expected.contains { $0.hasPrefix("users.csv:2:4 ") } && expected.contains { $0.hasPrefix("settings.csv:2:2 ") },
                "every file's mistake: \(expected)")

        let server = try await TestServer.make()
        try await server.test { client in
            var headers = server.adminHeaders
            var (type, body) = multipartFields(wrong.merging(["school": "CVMS"]) { $1 })
            headers[.contentType] = type
            try await client.execute(uri: "/api/v1/import/oneroster", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .unprocessableContent)
                let got = try placedProblems(response.body)
                // The same problems; the sheets are named here as the command line was given them.
                #expect(got.map { $0.replacingOccurrences(of: "NEEDS.csv", with: "needs.csv").replacingOccurrences(of: "STUDENTS.csv", with: "settings.csv") }
                        == expected)
            }
            (type, body) = multipartFields(try districtFields().merging(["school": "CVMS"]) { $1 })
            headers[.contentType] = type
            try await client.execute(uri: "/api/v1/import/oneroster", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .created, "\(String(buffer: response.body))")
            }
        }
    }
}
