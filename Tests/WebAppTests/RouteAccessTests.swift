import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WebApp

/// Every page and API route, called by nobody, a signed-in non-admin and an admin, against a
/// server with one published run. A route added without a row here fails `everyRouteIsInTheTable`.
@Suite(.timeLimit(.minutes(10))) struct RouteAccessTests {
    enum Role: String, CaseIterable { case anonymous, viewer, admin }

    /// One request and the status each role gets: (anonymous, viewer, admin).
    struct Row {
        var route: String
        var uri: String
        var body: [String: String]? = nil
        var expected: (HTTPResponse.Status, HTTPResponse.Status, HTTPResponse.Status)
        var json = false

        var method: HTTPRequest.Method { HTTPRequest.Method(String(route.split(separator: " ")[0]))! }

        func status(for role: Role) -> HTTPResponse.Status {
            switch role {
            case .anonymous: expected.0
            case .viewer: expected.1
            case .admin: expected.2
            }
        }
    }

    static func table(token: String) -> [Row] {
        let whatIf = #"{"changes": [{"name": "closed", "yaml": "rooms-close: {r1: all}"}]}"#
        return [
            // The JSON API: 401 without a token, 403 for a non-admin where only admins may call.
            Row(route: "GET /api/v1/scenarios", uri: "/api/v1/scenarios", expected: (.unauthorized, .ok, .ok), json: true),
            Row(route: "GET /api/v1/scenarios/{id}/runs", uri: "/api/v1/scenarios/1/runs", expected: (.unauthorized, .ok, .ok), json: true),
            Row(route: "GET /api/v1/runs/{run}", uri: "/api/v1/runs/1", expected: (.unauthorized, .ok, .ok), json: true),
            Row(route: "GET /api/v1/runs/{run}/events", uri: "/api/v1/runs/1/events", expected: (.unauthorized, .ok, .ok), json: true),
            Row(route: "GET /api/v1/runs/{run}/whatif", uri: "/api/v1/runs/1/whatif", expected: (.unauthorized, .ok, .ok), json: true),
            Row(route: "GET /api/v1/explanations/{id}", uri: "/api/v1/explanations/99", expected: (.unauthorized, .notFound, .notFound), json: true),
            Row(route: "POST /api/v1/scenarios", uri: "/api/v1/scenarios", expected: (.unauthorized, .forbidden, .unsupportedMediaType), json: true),
            Row(route: "POST /api/v1/import/csv", uri: "/api/v1/import/csv", expected: (.unauthorized, .forbidden, .unsupportedMediaType), json: true),
            Row(route: "POST /api/v1/import/oneroster", uri: "/api/v1/import/oneroster", expected: (.unauthorized, .forbidden, .unsupportedMediaType),
                json: true),
            Row(route: "POST /api/v1/scenarios/{id}/runs", uri: "/api/v1/scenarios/99/runs", expected: (.unauthorized, .forbidden, .notFound), json: true),
            Row(route: "GET /api/v1/scenarios/{id}/feeds", uri: "/api/v1/scenarios/1/feeds", expected: (.unauthorized, .forbidden, .ok), json: true),
            Row(route: "DELETE /api/v1/runs/{run}", uri: "/api/v1/runs/1", expected: (.unauthorized, .forbidden, .conflict), json: true),
            Row(route: "POST /api/v1/runs/{run}/publish", uri: "/api/v1/runs/99/publish", expected: (.unauthorized, .forbidden, .notFound), json: true),
            Row(route: "POST /api/v1/runs/{run}/whatif", uri: "/api/v1/runs/99/whatif", body: ["": whatIf],
                expected: (.unauthorized, .forbidden, .notFound), json: true),
            Row(route: "POST /api/v1/runs/{run}/explain", uri: "/api/v1/runs/99/explain", expected: (.unauthorized, .forbidden, .notFound), json: true),
            Row(route: "POST /api/v1/feeds/{kind}/{id}/rotate", uri: "/api/v1/feeds/teacher/nobody/rotate",
                expected: (.unauthorized, .forbidden, .notFound), json: true),
            Row(route: "DELETE /api/v1/feeds/{kind}/{id}", uri: "/api/v1/feeds/teacher/nobody", expected: (.unauthorized, .forbidden, .notFound), json: true),
            // What a private link opens: the same for everyone, signed in or not.
            Row(route: "GET /cal/{file}", uri: "/cal/\(token).ics", expected: (.ok, .ok, .ok)),
            Row(route: "GET /me/{token}", uri: "/me/\(token)", expected: (.ok, .ok, .ok)),
            Row(route: "GET /static/app.css", uri: "/static/app.css", expected: (.ok, .ok, .ok)),
            Row(route: "GET /", uri: "/", expected: (.seeOther, .seeOther, .seeOther)),
            Row(route: "GET /signin", uri: "/signin", expected: (.ok, .ok, .ok)),
            // Without the sign-in form's own cookie: refused, whoever posts it.
            Row(route: "POST /signin", uri: "/signin", body: ["name": "ada"], expected: (.forbidden, .forbidden, .forbidden)),
            // Pages: nobody is sent to sign in (a GET) or refused (a form); a non-admin is refused changes and links.
            Row(route: "GET /scenarios", uri: "/scenarios", expected: (.seeOther, .ok, .ok)),
            Row(route: "POST /scenarios", uri: "/scenarios", body: ["scenario": ""], expected: (.forbidden, .forbidden, .unprocessableContent)),
            Row(route: "GET /import", uri: "/import", expected: (.seeOther, .forbidden, .ok)),
            Row(route: "POST /import", uri: "/import", body: ["week": ""], expected: (.forbidden, .forbidden, .unprocessableContent)),
            Row(route: "GET /scenarios/{id}", uri: "/scenarios/1", expected: (.seeOther, .ok, .ok)),
            Row(route: "POST /scenarios/{id}/runs", uri: "/scenarios/99/runs", body: ["timeLimit": "5"], expected: (.forbidden, .forbidden, .notFound)),
            Row(route: "GET /runs/{run}", uri: "/runs/1", expected: (.seeOther, .ok, .ok)),
            Row(route: "GET /runs/{run}/events", uri: "/runs/1/events", expected: (.unauthorized, .ok, .ok)),
            Row(route: "POST /runs/{run}/cancel", uri: "/runs/99/cancel", body: [:], expected: (.forbidden, .forbidden, .notFound)),
            Row(route: "POST /runs/{run}/publish", uri: "/runs/99/publish", body: [:], expected: (.forbidden, .forbidden, .notFound)),
            Row(route: "POST /runs/{run}/explain", uri: "/runs/99/explain", body: [:], expected: (.forbidden, .forbidden, .notFound)),
            Row(route: "GET /explanations/{id}", uri: "/explanations/99", expected: (.seeOther, .notFound, .notFound)),
            Row(route: "GET /runs/{run}/{kind}/{id}", uri: "/runs/1/teachers/lee", expected: (.seeOther, .ok, .ok)),
            Row(route: "GET /runs/{run}/{kind}/{id}", uri: "/runs/1/download/sessions.csv", expected: (.seeOther, .ok, .ok)),
            Row(route: "GET /runs/{run}/whatif", uri: "/runs/1/whatif", expected: (.seeOther, .forbidden, .ok)),
            Row(route: "POST /runs/{run}/whatif", uri: "/runs/99/whatif", body: [:], expected: (.forbidden, .forbidden, .notFound)),
            Row(route: "GET /scenarios/{id}/links", uri: "/scenarios/1/links", expected: (.seeOther, .forbidden, .ok)),
            Row(route: "GET /scenarios/{id}/links.csv", uri: "/scenarios/1/links.csv", expected: (.seeOther, .forbidden, .ok)),
            Row(route: "POST /scenarios/{id}/links", uri: "/scenarios/99/links", body: ["action": "add-class-links"],
                expected: (.forbidden, .forbidden, .notFound)),
            // Last: it ends the sessions the rows above use.
            Row(route: "POST /signout", uri: "/signout", body: [:], expected: (.forbidden, .seeOther, .seeOther)),
        ]
    }

    @Test func everyRouteIsInTheTable() async throws {
        let server = try await TestServer.make()
        let covered = Set(Self.table(token: "t").map(\.route))
        let registered = Set(server.server.router().routes.map { "\($0.method) \($0.path)" })
        #expect(registered.subtracting(covered).isEmpty, "routes without a row: \(registered.subtracting(covered).sorted())")
        #expect(covered.subtracting(registered).isEmpty, "rows without a route: \(covered.subtracting(registered).sorted())")
    }

    @Test func everyRouteAnswersEachRoleAsTheTableSays() async throws {
        try await withPublishedExample { client, server, token, admin in
            let viewer = try await signIn(client, server, as: server.viewer)
            for row in Self.table(token: token) {
                for role in Role.allCases {
                    var headers: HTTPFields = [:]
                    var body = ByteBuffer()
                    if row.json {
                        if role != .anonymous { headers = role == .admin ? server.adminHeaders : server.viewerHeaders }
                        if let text = row.body?[""] {
                            headers[.contentType] = "application/json"
                            body = ByteBuffer(string: text)
                        }
                    } else {
                        let session: PageSession? = role == .admin ? admin : role == .viewer ? viewer : nil
                        if let session { headers = session.headers }
                        if let fields = row.body {
                            (headers, body) = (session ?? PageSession(cookie: "", csrf: "")).form(fields)
                            if session == nil { headers[.cookie] = nil }
                        }
                    }
                    try await client.execute(uri: row.uri, method: row.method, headers: headers, body: body) { response in
                        #expect(response.status == row.status(for: role),
                                "\(row.method) \(row.uri) as \(role.rawValue): \(String(buffer: response.body).prefix(200))")
                        if response.status == .seeOther, row.uri != "/", row.uri != "/signout" {
                            #expect(response.headers[.location] == "/signin", "\(row.uri) as \(role.rawValue) goes to sign in")
                        }
                    }
                }
            }
        }
    }
}
