import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WebApp

/// HEAD, conditional requests, one error shape, security headers and cookies, as RFC 9110 and a
/// careful client expect them.
@Suite(.timeLimit(.minutes(10))) struct HTTPDetailTests {
    @Test func headAnswersLikeGetWithoutTheBody() async throws {
        try await withPublishedExample { client, server, token, session in
            for (uri, headers) in [("/cal/\(token).ics", HTTPFields()), ("/me/\(token)", [:]), ("/scenarios", session.headers), ("/static/app.css", [:])] {
                let (length, type) = try await client.execute(uri: uri, method: .get, headers: headers) { response in
                    (response.body.readableBytes, response.headers[.contentType])
                }
                try await client.execute(uri: uri, method: .head, headers: headers) { response in
                    #expect(response.status == .ok, "HEAD \(uri)")
                    #expect(response.body.readableBytes == 0, "HEAD \(uri) has no body")
                    #expect(response.headers[.contentType] == type)
                    #expect(response.headers[.contentLength] == String(length), "HEAD \(uri) gives the GET's length")
                }
            }
            try await client.execute(uri: "/cal/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics", method: .head) { #expect($0.status == .notFound) }
        }
    }

    @Test func ifNoneMatchComparesWeaklyAndStarMatchesAnyCalendar() async throws {
        let server = try await TestServer.make()
        let example = try bundledScenario("example.yaml")
        try await server.test { client in
            let token = try await publishedExample(client, server, example)
            let uri = "/cal/\(token).ics"
            let etag = try await client.execute(uri: uri, method: .get) { try #require($0.headers[.eTag]) }
            let expected: [(String, HTTPResponse.Status)] = [
                (etag, .notModified), ("W/\(etag)", .notModified), ("*", .notModified), (#""other", W/\#(etag)"#, .notModified),
                (#""other""#, .ok), ("W/\"other\"", .ok),
            ]
            for (header, status) in expected {
                try await client.execute(uri: uri, method: .get, headers: [.ifNoneMatch: header]) { response in
                    #expect(response.status == status, "If-None-Match: \(header)")
                }
            }
            // `*` matches only a calendar that exists: an unknown token is still the plain 404.
            try await client.execute(uri: "/cal/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics", method: .get, headers: [.ifNoneMatch: "*"]) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test func everyAPIErrorHasTheSameShape() async throws {
        let server = try await TestServer.make(maxUpload: 4_096)
        try await server.test { client in
            var upload = server.adminHeaders
            upload[.contentType] = "application/yaml"
            let cases: [(String, HTTPRequest.Method, HTTPFields, String, HTTPResponse.Status)] = [
                ("/api/v1/scenarios", .get, [:], "", .unauthorized),
                ("/api/v1/scenarios", .post, server.viewerHeaders, "", .forbidden),
                ("/api/v1/runs/99", .get, server.adminHeaders, "", .notFound),
                ("/api/v1/scenarios/1/runs", .post, server.adminHeaders, #"{"timeLimit": "soon"}"#, .badRequest),
                ("/api/v1/scenarios", .post, upload, String(repeating: "# padding\n", count: 1_000), .contentTooLarge),
                ("/api/v1/scenarios", .post, upload, "name: [", .unprocessableContent),
                ("/api/v1/scenarios", .post, server.adminHeaders, "name: x", .unsupportedMediaType),
            ]
            for (uri, method, headers, body, status) in cases {
                try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == status, "\(method) \(uri)")
                    let message = try errorMessage(response.body)
                    #expect(!message.isEmpty, "\(method) \(uri): \(String(buffer: response.body))")
                }
            }
        }
    }

    @Test func pagesCarrySecurityHeadersAndRunOnlyTheirOwnScripts() async throws {
        try await withPublishedExample { client, server, token, session in
            for (uri, headers) in [("/signin", HTTPFields()), ("/me/\(token)", [:]), ("/runs/1", session.headers), ("/runs/1/teachers/lee", session.headers)] {
                try await client.execute(uri: uri, method: .get, headers: headers) { response in
                    #expect(response.headers[.init("X-Frame-Options")!] == "DENY", "\(uri)")
                    #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(uri)")
                    #expect(response.headers[.init("Referrer-Policy")!] == "no-referrer", "\(uri)")
                    let policy = try #require(response.headers[.contentSecurityPolicy], "\(uri) has a Content-Security-Policy")
                    #expect(policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe-inline"), "\(policy)")
                    let nonce = try #require(policy.firstMatch(of: /'nonce-([A-Za-z0-9_-]+)'/)?.1, "\(policy)")
                    let html = String(buffer: response.body)
                    // Every inline script and style carries this response's nonce: nothing else would run.
                    for tag in html.matches(of: /<(script|style)\b[^>]*>/) {
                        #expect(tag.output.0.contains("nonce=\"\(nonce)\""), "\(uri): \(tag.output.0)")
                    }
                    #expect(!html.contains(" onclick=") && !html.contains(" onload="), "\(uri) has no inline handlers")
                }
            }
            // The printable timetable, opened in the browser, may style itself and run nothing.
            try await client.execute(uri: "/runs/1/download/timetable.html", method: .get, headers: session.headers) { response in
                let policy = try #require(response.headers[.contentSecurityPolicy])
                #expect(policy.hasPrefix("default-src 'none'") && !policy.contains("script-src"), "\(policy)")
            }
            // Every answer is nosniff, JSON and calendars too.
            try await client.execute(uri: "/cal/\(token).ics", method: .get) { #expect($0.headers[.xContentTypeOptions] == "nosniff") }
        }
    }

    @Test func cookiesAreSecureBehindAnHTTPSPublicAddress() async throws {
        for (publicURL, secure) in [("https://timetable.school.example", true), ("http://127.0.0.1:8080", false)] {
            let server = try await TestServer.make { $0.publicURL = publicURL }
            try await server.test { client in
                let signinCookie = try await client.execute(uri: "/signin", method: .get) { $0.headers[values: .setCookie] }
                let response = try await postSignIn(client, name: "ada", password: server.admin.password)
                for cookie in signinCookie + response.headers[values: .setCookie] {
                    #expect(cookie.contains("; Secure") == secure, "\(publicURL): \(cookie)")
                }
                #expect(!(signinCookie + response.headers[values: .setCookie]).isEmpty)
            }
        }
    }
}
