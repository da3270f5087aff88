import Foundation
import Hummingbird
import Synchronization

/// Sign-in attempts per client address in a sliding window. An attempt is reserved before its
/// password is checked, in the same lock as the check of the limit: parallel guesses each take a
/// place, so at most `limit` of them ever reach bcrypt, and the rest answer 429 at once.
final class SignInLimiter: Sendable {
    private let attempts = Mutex([String: [Date]]())
    let limit: Int
    let window: Double
    /// Addresses tracked at most; past it, expired entries of every address are dropped first.
    private let tracked = 10_000

    init(limit: Int, window: Double) {
        self.limit = limit
        self.window = window
    }

    /// Takes a place for one attempt, or nil when the address has used up its window.
    func reserve(_ address: String, now: Date = Date()) -> Date? {
        attempts.withLock { all in
            if all.count >= tracked { all = all.filter { _, times in times.contains { now.timeIntervalSince($0) < window } } }
            let recent = (all[address] ?? []).filter { now.timeIntervalSince($0) < window }
            guard recent.count < limit else {
                all[address] = recent
                return nil
            }
            all[address] = recent + [now]
            return now
        }
    }

    /// A sign-in that succeeded gives its place back; failures keep theirs until the window passes.
    func release(_ address: String, _ reservation: Date) {
        attempts.withLock { all in
            guard let index = all[address]?.firstIndex(of: reservation) else { return }
            all[address]?.remove(at: index)
            if all[address]?.isEmpty == true { all[address] = nil }
        }
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
