import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import Synchronization
import Testing
@testable import WebApp

/// The sign-in limit as a guesser meets it: in parallel, under unknown names, behind a proxy.
@Suite(.timeLimit(.minutes(10))) struct SignInLimitTests {
    /// A sign-in post as the form sends it; the double-submit token is any value the cookie repeats.
    static func wrongSignIn(_ client: some TestClientProtocol, name: String = "ada", forwardedFor: String? = nil) async throws -> HTTPResponse.Status {
        var headers: HTTPFields = [.cookie: "\(Pages.preSessionCookie)=guess", .contentType: "application/x-www-form-urlencoded"]
        if let forwardedFor { headers[.init("X-Forwarded-For")!] = forwardedFor }
        return try await client.execute(uri: "/signin", method: .post, headers: headers,
                                        body: ByteBuffer(string: "csrf=guess&name=\(name)&password=wrong")) { $0.status }
    }

    @Test func parallelGuessesFromOneAddressPassOnlyAsManyAsTheLimit() async throws {
        let server = try await TestServer.make(signInAttempts: 5)
        let statuses = try await server.test { client in
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<100 { group.addTask { try await Self.wrongSignIn(client) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(statuses.filter { $0 == .unauthorized }.count == 5, "only the attempts the limit allows reach the password check")
        #expect(statuses.filter { $0 == .tooManyRequests }.count == 95)
    }

    @Test func anUnknownNameIsCheckedAgainstAStandInHashLikeAWrongPassword() async throws {
        let store = try Store.inMemory()
        _ = try await Accounts.add(name: "ada", role: .schoolAdmin, store: store, bcryptCost: 4)
        let checked = Mutex<[String]>([])
        let accounts = AccountService(users: store.users, sessionLifetime: 60, standInHash: "stand-in") { _, hash in
            checked.withLock { $0.append(hash) }
            return false
        }
        #expect(try await accounts.signIn(name: "nobody", password: "x") == nil)
        #expect(try await accounts.signIn(name: "ada", password: "x") == nil)
        let adaHash = try #require(try await store.users.user(name: "ada")).passwordHash
        #expect(checked.withLock { $0 } == ["stand-in", adaHash], "one bcrypt check for a name that exists and one for a name that does not")
    }

    @Test func theStandInHashCostsWhatTheAccountsHashesCost() async throws {
        let server = try await TestServer.make()
        #expect(server.server.services.accounts.standInHash.hasPrefix("$2b$04$") || server.server.services.accounts.standInHash.hasPrefix("$2a$04$"),
                "the test server's accounts are hashed at cost 4")
    }

    @Test func behindATrustedProxyEachForwardedClientHasItsOwnLimit() async throws {
        let server = try await TestServer.make(signInAttempts: 2) { $0.trustedProxy = "127.0.0.1" }
        // The last address counts: the proxy appends the one it saw, and what comes before it is the client's to invent.
        let sent = ["203.0.113.1", "203.0.113.1", "203.0.113.1", "198.51.100.7, 203.0.113.1", "203.0.113.2"]
        let statuses = try await server.live { client in
            var statuses: [HTTPResponse.Status] = []
            for address in sent { statuses.append(try await Self.wrongSignIn(client, forwardedFor: address)) }
            return statuses
        }
        #expect(statuses == [.unauthorized, .unauthorized, .tooManyRequests, .tooManyRequests, .unauthorized])
    }

    @Test func withoutATrustedProxyForwardedForIsIgnored() async throws {
        let server = try await TestServer.make(signInAttempts: 2)
        let statuses = try await server.live { client in
            var statuses: [HTTPResponse.Status] = []
            for address in ["203.0.113.1", "203.0.113.2", "203.0.113.3"] { statuses.append(try await Self.wrongSignIn(client, forwardedFor: address)) }
            return statuses
        }
        #expect(statuses == [.unauthorized, .unauthorized, .tooManyRequests])
    }
}
