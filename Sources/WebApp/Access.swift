import Hummingbird
import Store

/// Who may call a route. Every route is added to a group made for one of these (`AccessGroups`),
/// whose middleware refuses everyone else before any handler runs, so no handler can forget a check.
public enum Access: String, Sendable, CaseIterable {
    /// No sign-in: the sign-in form, the style sheet, and what a private link opens.
    case anyone
    /// Any signed-in account may look.
    case signedIn
    /// Changes, and private links and tokens: whoever holds a link reads a person's week. A school
    /// admin or a district admin; which school's rows an admin reaches is the services' scoping.
    case admin
}

/// How a refusal is answered where there is no page to show it.
enum Refusal: Sendable {
    /// JSON API and event streams: 401 without a user, 403 for a non-admin.
    case status
    /// Pages: a GET without a session goes to sign-in; anything else is 403 (a form post without a
    /// session cannot be a browser's own), as is a signed-in non-admin.
    case signInPage
}

struct RequireAccess: RouterMiddleware {
    let access: Access
    let refusal: Refusal

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        guard access != .anyone else { return try await next(request, context) }
        guard let user = context.user else {
            if refusal == .signInPage {
                if request.method == .get || request.method == .head { return Pages.redirect("/signin") }
                throw HTTPError(.forbidden, message: "sign in first")
            }
            throw HTTPError(.unauthorized, message: "sign in, or send Authorization: Bearer TOKEN")
        }
        if access == .admin, !user.isAdmin { throw HTTPError(.forbidden, message: "only admins may do this") }
        return try await next(request, context)
    }
}

/// One group per kind of caller under a parent group (that authenticates): route groups add each
/// route to the group of who may call it.
struct AccessGroups {
    let anyone: RouterGroup<AppContext>
    let signedIn: RouterGroup<AppContext>
    let admin: RouterGroup<AppContext>

    init(_ parent: RouterGroup<AppContext>, refusal: Refusal) {
        anyone = parent
        signedIn = parent.group().add(middleware: RequireAccess(access: .signedIn, refusal: refusal))
        admin = parent.group().add(middleware: RequireAccess(access: .admin, refusal: refusal))
    }

    subscript(_ access: Access) -> RouterGroup<AppContext> {
        switch access {
        case .anyone: anyone
        case .signedIn: signedIn
        case .admin: admin
        }
    }
}

extension AppContext {
    /// The caller a `.signedIn` or `.admin` group let in.
    func caller() throws -> UserRecord {
        guard let user else { throw HTTPError(.unauthorized, message: "sign in, or send Authorization: Bearer TOKEN") }
        return user
    }

    /// The schools the caller sees: every service question about an id from the request takes it.
    func scope() throws -> SchoolScope { try caller().scope }
}
