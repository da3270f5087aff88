import Foundation
import Hummingbird
import Store

/// Sign-in attempts per client address in a sliding window, counted in the store so that every
/// server of a district counts the same ones. An attempt is reserved before its password is
/// checked, atomically with the check of the limit: parallel guesses each take a place, so at most
/// `limit` of them ever reach bcrypt, and the rest answer 429 at once.
struct SignInLimiter: Sendable {
    let users: any UserRepository
    let limit: Int
    let window: Double

    /// Takes a place for one attempt, or nil when the address has used up its window.
    func reserve(_ address: String, now: Date = Date()) async throws(ServiceError) -> Int64? {
        try await stored("counting sign-in attempts") { try await users.reserveSignIn(address: address, limit: limit, window: window, now: now) }
    }

    /// A sign-in that succeeded gives its place back; failures keep theirs until the window passes.
    func release(_ reservation: Int64) async throws(ServiceError) {
        try await stored("counting sign-in attempts") { try await users.releaseSignIn(reservation) }
    }
}

/// Who a sign-in attempt counts against: the connection's address, or, only when the connection
/// comes from the configured proxy, the address the proxy appended to `X-Forwarded-For` (the last
/// one: earlier entries are whatever the client sent and prove nothing).
struct ClientAddress: Sendable {
    let trustedProxy: String?

    func of(_ request: Request, _ context: AppContext) -> String {
        guard let trustedProxy, context.remoteAddress == trustedProxy,
              let forwarded = request.headers[values: .init("X-Forwarded-For")!].last?.split(separator: ",").last
        else { return context.remoteAddress }
        let address = forwarded.trimmingCharacters(in: .whitespaces)
        return address.isEmpty ? context.remoteAddress : address
    }
}
