import Foundation
import Hummingbird
import Store
import Synchronization

/// Sign-in attempts per client address in a sliding window. An attempt is reserved before its
/// password is checked, atomically with the check of the limit: parallel guesses each take a place,
/// so at most `limit` of them ever reach bcrypt, and the rest answer 429 at once. One server counts
/// in memory; a district's servers count in their shared store, so that every server counts the
/// same attempts.
struct SignInLimiter: Sendable {
    let limit: Int
    let window: Double
    private let counter: Counter

    private enum Counter: Sendable {
        case inMemory(Attempts)
        case store(any UserRepository)
    }

    init(store: Store, limit: Int, window: Double) {
        self.limit = limit
        self.window = window
        counter = store.isShared ? .store(store.users) : .inMemory(Attempts())
    }

    /// Takes a place for one attempt, or nil when the address has used up its window.
    func reserve(_ address: String, now: Date = Date()) async throws(ServiceError) -> Int64? {
        switch counter {
        case .store(let users):
            return try await stored("counting sign-in attempts") { try await users.reserveSignIn(address: address, limit: limit, window: window, now: now) }
        case .inMemory(let attempts):
            return attempts.byAddress.withLock { all in
                if all.count >= 10_000 { all = all.filter { _, times in times.contains { now.timeIntervalSince($0.at) < window } } }
                let recent = (all[address] ?? []).filter { now.timeIntervalSince($0.at) < window }
                guard recent.count < limit else {
                    all[address] = recent
                    return nil
                }
                let id = Int64.random(in: 1 ... .max)
                all[address] = recent + [(id, now)]
                return id
            }
        }
    }

    /// A sign-in that succeeded gives its place back; failures keep theirs until the window passes.
    func release(_ reservation: Int64, of address: String) async throws(ServiceError) {
        switch counter {
        case .store(let users): try await stored("counting sign-in attempts") { try await users.releaseSignIn(reservation) }
        case .inMemory(let attempts):
            attempts.byAddress.withLock { all in
                all[address]?.removeAll { $0.id == reservation }
                if all[address]?.isEmpty == true { all[address] = nil }
            }
        }
    }
}

/// One server's attempts, by address: each a place's id and when it was taken.
private final class Attempts: Sendable {
    let byAddress = Mutex([String: [(id: Int64, at: Date)]]())
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
