import Foundation
import Hummingbird
import NIOCore
import Store

/// Who is asking: set by the authentication middleware, read by the routes.
public struct AppContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    var user: UserRecord?
    var session: SessionRecord?
    let remoteAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "local"
    }
}

let sessionCookie = "flexsched_session"


/// API calls authenticate with `Authorization: Bearer TOKEN` only: a cookie there would let another
/// site's page call the API in an admin's name.
struct BearerAuthentication: RouterMiddleware {
    let accounts: AccountService

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var context = context
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            let token = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
            // A store that fails is a 500 with its cause logged, never "nobody".
            context.user = try await answer(context) { () async throws(ServiceError) in try await accounts.user(apiToken: token) }
        }
        return try await next(request, context)
    }
}

/// Pages authenticate with the session cookie; every POST must carry the session's CSRF token.
struct SessionAuthentication: RouterMiddleware {
    let accounts: AccountService

    func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
        var context = context
        if let token = request.cookies[sessionCookie]?.value,
           let (session, user) = try await answer(context, { () async throws(ServiceError) in try await accounts.session(token: token) }) {
            context.session = session
            context.user = user
        }
        return try await next(request, context)
    }
}
