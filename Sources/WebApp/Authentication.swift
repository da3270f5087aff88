import Foundation
import Hummingbird
import NIOCore
import Store
import Synchronization

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

    /// Anyone signed in may look; 401 for nobody.
    @discardableResult
    func requireUser() throws -> UserRecord {
        guard let user else { throw HTTPError(.unauthorized, message: "sign in, or send Authorization: Bearer TOKEN") }
        return user
    }

    /// The signed-in admin, or 401 (nobody) / 403 (not an admin): only admins change anything.
    func requireAdmin() throws -> UserRecord {
        let user = try requireUser()
        guard user.isAdmin else { throw HTTPError(.forbidden, message: "only admins may do this") }
        return user
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

/// Failed sign-ins per address in a sliding window; over the limit, sign-in answers 429 without
/// checking the password, so guessing costs the guesser time and not the server bcrypt work.
final class SignInLimiter: Sendable {
    private let failures = Mutex([String: [Date]]())
    let limit: Int
    let window: Double

    init(limit: Int, window: Double) {
        self.limit = limit
        self.window = window
    }

    func isBlocked(_ address: String, now: Date = Date()) -> Bool {
        failures.withLock { all in
            let recent = (all[address] ?? []).filter { now.timeIntervalSince($0) < window }
            all[address] = recent.isEmpty ? nil : recent
            return recent.count >= limit
        }
    }

    func recordFailure(_ address: String, now: Date = Date()) {
        failures.withLock { $0[address, default: []].append(now) }
    }

    func reset(_ address: String) {
        _ = failures.withLock { $0.removeValue(forKey: address) }
    }
}
