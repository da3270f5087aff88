import Foundation
import Hummingbird
import Mustache
import NIOCore
import Store

/// Server-rendered pages: Mustache templates (which HTML-escape every `{{value}}`), plain forms.
struct Pages: Sendable {
    let services: Services
    let templates: MustacheLibrary
    let limiter: SignInLimiter

    static let preSessionCookie = "flexsched_signin"

    func render(_ template: String, _ values: [String: Any], context: AppContext? = nil, status: HTTPResponse.Status = .ok) -> Response {
        var values = values
        if let context, let session = context.session, let user = context.user {
            values["signedIn"] = ["name": user.name, "csrf": session.csrfToken]
        }
        let html = templates.render(values, withTemplate: template) ?? "template \(template) is missing"
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// The admin behind a page: GET without a session goes to sign-in; anything else without one,
    /// or from a non-admin, is refused.
    func admin(_ request: Request, _ context: AppContext) throws -> UserRecord? {
        guard context.user != nil else {
            if request.method == .get { return nil }
            throw HTTPError(.forbidden, message: "sign in first")
        }
        return try context.requireAdmin()
    }

    /// A posted form's fields, after checking its CSRF token against the session's.
    func form(_ request: Request, _ context: AppContext, limit: Int = 1 << 20) async throws -> [String: String] {
        let fields = try await Self.formFields(request, limit: limit)
        guard let session = context.session, let sent = fields["csrf"], Secrets.equalInConstantTime(sent, session.csrfToken) else {
            throw HTTPError(.forbidden, message: "this form has expired or did not come from this site; reload the page and try again")
        }
        return fields
    }

    static func formFields(_ request: Request, limit: Int) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: limit)
        let text = String(decoding: buffer.readableBytesView, as: UTF8.self)
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            if let key = parts.first { fields[key] = parts.count > 1 ? parts[1] : "" }
        }
        return fields
    }

    func add(to router: Router<AppContext>) {
        let pages = router.group().add(middleware: SessionAuthentication(store: services.store))
        pages.get("/") { request, context in
            guard try admin(request, context) != nil else { return Self.redirect("/signin") }
            return Self.redirect("/scenarios")
        }
        pages.get("signin") { _, context in signInPage(context, message: nil) }
        pages.post("signin") { request, context in try await signIn(request, context) }
        pages.post("signout") { request, context in
            _ = try await form(request, context)
            if let token = request.cookies[sessionCookie]?.value { try? services.store.users.endSession(tokenDigest: Secrets.digest(token)) }
            var response = Self.redirect("/signin")
            response.setCookie(Cookie(name: sessionCookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .lax))
            return response
        }
        AdminPages(pages: self).add(to: pages)
    }

    /// The sign-in form guards itself with a double-submit token: a cookie and a hidden field that
    /// must match, as there is no session yet to hold one.
    func signInPage(_ context: AppContext, message: String?, status: HTTPResponse.Status = .ok) -> Response {
        let token = Secrets.token()
        var response = render("signin", ["csrf": token, "message": message as Any], status: status)
        response.setCookie(Cookie(name: Self.preSessionCookie, value: token, path: "/signin", httpOnly: true, sameSite: .strict))
        return response
    }

    func signIn(_ request: Request, _ context: AppContext) async throws -> Response {
        let fields = try await Self.formFields(request, limit: 64 << 10)
        guard let sent = fields["csrf"], let cookie = request.cookies[Self.preSessionCookie]?.value, Secrets.equalInConstantTime(sent, cookie) else {
            throw HTTPError(.forbidden, message: "the sign-in form has expired; reload it and try again")
        }
        let address = context.remoteAddress
        if limiter.isBlocked(address) {
            return signInPage(context, message: "Too many failed sign-ins from this address; wait a few minutes.", status: .tooManyRequests)
        }
        let name = fields["name"] ?? "", password = fields["password"] ?? ""
        guard let user = try? services.store.users.user(name: name), try await Secrets.verifyPassword(password, hash: user.passwordHash) else {
            limiter.recordFailure(address)
            return signInPage(context, message: "Wrong name or password.", status: .unauthorized)
        }
        limiter.reset(address)
        let token = Secrets.token()
        let lifetime = services.configuration.sessionLifetime
        try services.store.users.startSession(SessionRecord(tokenDigest: Secrets.digest(token), userID: user.id!, csrfToken: Secrets.token(),
                                                            expires: Date().addingTimeInterval(lifetime)))
        var response = Self.redirect("/scenarios")
        response.setCookie(Cookie(name: sessionCookie, value: token, maxAge: Int(lifetime), path: "/", httpOnly: true, sameSite: .lax))
        return response
    }
}
