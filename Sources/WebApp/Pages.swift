import Foundation
import Hummingbird
import MultipartKit
import Mustache
import NIOCore
import ScenarioKit
import Store

/// Server-rendered pages: Mustache templates (which HTML-escape every `{{value}}`), plain forms.
struct Pages: Sendable {
    let accounts: AccountService
    let templates: MustacheLibrary
    let limiter: SignInLimiter
    let clientAddress: ClientAddress
    /// Behind an https public address cookies are `Secure`: a browser never sends them in clear.
    let secureCookies: Bool

    static let preSessionCookie = "flexsched_signin"

    /// Stands for the nonce in a rendered page until it is sent: a page kept rendered (a personal
    /// page) gets a new nonce with every response. Random per process, so no name can be it.
    static let noncePlaceholder = "nonce" + Secrets.token(bytes: 12)

    func render(_ template: String, _ values: [String: Any], context: AppContext? = nil, status: HTTPResponse.Status = .ok) -> Response {
        respond(html(template, values, context: context), status: status)
    }

    /// A page's HTML, with `noncePlaceholder` where its nonce goes.
    func html(_ template: String, _ values: [String: Any], context: AppContext? = nil) -> String {
        var values = values
        if let context, let session = context.session, let user = context.user {
            values["signedIn"] = ["name": user.name, "csrf": session.csrfToken]
        }
        values["nonce"] = Self.noncePlaceholder
        return templates.render(Self.presentable(values) ?? [:], withTemplate: template) ?? "template \(template) is missing"
    }

    /// Mustache prints a missing optional as "nil" and opens a section on an empty string ("what-if: ."):
    /// both are dropped from a page's values, so `{{#x}}…{{/x}}` means "when there is an x" on every page.
    static func presentable(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let wrapped = mirror.children.first?.value else { return nil }
            return presentable(wrapped)
        }
        switch value {
        case let text as String: return text.isEmpty ? nil : text
        case let dictionary as [String: Any]: return dictionary.compactMapValues(presentable)
        case let array as [Any]: return array.compactMap(presentable)
        default: return value
        }
    }

    /// A rendered page with a nonce of its own, which its Content-Security-Policy names.
    func respond(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        let nonce = Secrets.token(bytes: 16)
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                                                  .contentSecurityPolicy: contentSecurityPolicy(nonce: nonce)],
                        body: .init(byteBuffer: ByteBuffer(string: html.replacing(Self.noncePlaceholder, with: nonce))))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// A numeric id from the path; anything else names a page that does not exist.
    static func pathID(_ name: String, _ context: AppContext) throws -> Int64 {
        guard let id = context.parameters.get(name, as: Int64.self) else { throw HTTPError(.notFound, message: "no such page") }
        return id
    }

    /// A posted form's fields, after checking its CSRF token against the session's.
    func form(_ request: Request, _ context: AppContext, limit: Int = 1 << 20) async throws -> [String: String] {
        let fields = try await Self.formFields(request, limit: limit)
        guard let session = context.session, let sent = fields["csrf"], Secrets.equalInConstantTime(sent, session.csrfToken) else {
            throw HTTPError(.forbidden, message: "this form has expired or did not come from this site; reload the page and try again")
        }
        return fields
    }

    /// A posted form's fields, URL-encoded or `multipart/form-data` (a file field's value is the
    /// file's text, and `NAME.filename` the name the browser gave it).
    static func formFields(_ request: Request, limit: Int) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: limit)
        let type = request.headers[.contentType] ?? ""
        if type.lowercased().hasPrefix("multipart/form-data") {
            return try multipartFields(buffer, contentType: type)
        }
        do {
            return try URLEncodedFormDecoder().decode([String: String].self, from: String(decoding: buffer.readableBytesView, as: UTF8.self))
        } catch {
            throw HTTPError(.badRequest, message: "the form does not read as application/x-www-form-urlencoded")
        }
    }

    static func multipartFields(_ buffer: ByteBuffer, contentType: String) throws -> [String: String] {
        guard let boundary = parameter("boundary", in: contentType) else { throw HTTPError(.badRequest, message: "the form has no multipart boundary") }
        var parts: [(disposition: String, body: ByteBuffer)] = []
        var disposition = "", body = ByteBuffer()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in if name.lowercased() == "content-disposition" { disposition = value } }
        parser.onBody = { chunk in body.writeBuffer(&chunk) }
        parser.onPartComplete = {
            parts.append((disposition, body))
            disposition = ""
            body = ByteBuffer()
        }
        do { try parser.execute(buffer) } catch { throw HTTPError(.badRequest, message: "the form does not read as multipart/form-data") }
        var fields: [String: String] = [:]
        for part in parts {
            guard let name = parameter("name", in: part.disposition) else { continue }
            let fileName = parameter("filename", in: part.disposition)
            guard let text = String(validating: part.body.readableBytesView, as: UTF8.self) else {
                throw ServiceError.invalid([InputProblem(file: fileName ?? name, entity: "", message: "is not UTF-8 text; save the file as UTF-8")])
            }
            fields[name] = text
            if let fileName { fields[name + ".filename"] = fileName }
        }
        return fields
    }

    /// `key=value` or `key="value"` from a header such as Content-Type or Content-Disposition.
    static func parameter(_ key: String, in header: String) -> String? {
        for item in header.split(separator: ";").dropFirst() {
            let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == key else { continue }
            return pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2 ? String(pair[1].dropFirst().dropLast()) : pair[1]
        }
        return nil
    }

    /// Sign-in and the style sheet; returns the group, behind the session cookie, that the other pages join.
    func add(to router: Router<AppContext>) -> RouterGroup<AppContext> {
        let session = router.group().add(middleware: SessionAuthentication(accounts: accounts))
        let pages = AccessGroups(session, refusal: .signInPage)
        pages.anyone.get("/") { request, context in
            guard context.user != nil else { return Self.redirect("/signin") }
            return Self.redirect("/scenarios")
        }
        pages.anyone.get("signin") { _, context in signInPage(context, message: nil) }
        pages.anyone.post("signin") { request, context in try await signIn(request, context) }
        pages.signedIn.post("signout") { request, context in
            _ = try await form(request, context)
            if let token = request.cookies[sessionCookie]?.value {
                try await answer(context) { () async throws(ServiceError) in try await accounts.signOut(token: token) }
            }
            var response = Self.redirect("/signin")
            response.setCookie(Cookie(name: sessionCookie, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax))
            return response
        }
        router.get("static/app.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(string: appStyleSheet)))
        }
        return session
    }

    /// The sign-in form guards itself with a double-submit token: a cookie and a hidden field that
    /// must match, as there is no session yet to hold one.
    func signInPage(_ context: AppContext, message: String?, status: HTTPResponse.Status = .ok) -> Response {
        let token = Secrets.token()
        var response = render("signin", ["title": "Sign in", "csrf": token, "message": message as Any], status: status)
        response.setCookie(Cookie(name: Self.preSessionCookie, value: token, path: "/signin", secure: secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    func signIn(_ request: Request, _ context: AppContext) async throws -> Response {
        let fields = try await Self.formFields(request, limit: 64 << 10)
        guard let sent = fields["csrf"], let cookie = request.cookies[Self.preSessionCookie]?.value, Secrets.equalInConstantTime(sent, cookie) else {
            throw HTTPError(.forbidden, message: "the sign-in form has expired; reload it and try again")
        }
        let address = clientAddress.of(request, context)
        guard let reservation = try await answer(context, { () async throws(ServiceError) in try await limiter.reserve(address) }) else {
            return signInPage(context, message: "Too many failed sign-ins from this address; wait a few minutes.", status: .tooManyRequests)
        }
        let name = fields["name"] ?? "", password = fields["password"] ?? ""
        guard let (token, _) = try await answer(context, { () async throws(ServiceError) in try await accounts.signIn(name: name, password: password) }) else {
            return signInPage(context, message: "Wrong name or password.", status: .unauthorized)
        }
        try await answer(context) { () async throws(ServiceError) in try await limiter.release(reservation, of: address) }
        var response = Self.redirect("/scenarios")
        response.setCookie(Cookie(name: sessionCookie, value: token, maxAge: Int(accounts.sessionLifetime), path: "/", secure: secureCookies,
                                  httpOnly: true, sameSite: .lax))
        return response
    }
}
