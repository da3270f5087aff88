import Foundation
import Logging
import NIOSSL
import PostgresNIO
import Store
import Synchronization

/// The web app's store on PostgreSQL, for a district: several servers and solve workers share one
/// database. The repositories are the same protocols the SQLite store implements; the store's
/// events go through LISTEN/NOTIFY. `run()` must run (in the server's or worker's task group, or
/// `withRunning`) while the store is used: it holds the connection pool and the listening connection.
public struct PostgresDatabase: Sendable {
    public let store: Store
    let client: PostgresClient
    let events: PostgresEvents
    let logger: Logger
    /// HOST:PORT, for messages.
    let address: String

    /// Connects lazily: nothing is sent until `run()` runs and a query is made.
    public init(url: String, logger: Logger = PostgresDatabase.quietLogger) throws(DatabaseURLError) {
        let address = try DatabaseAddress(url)
        self.address = "\(address.host):\(address.port)"
        var configuration = PostgresClient.Configuration(host: address.host, port: address.port, username: address.user,
                                                         password: address.password, database: address.database, tls: address.tls)
        configuration.options.connectTimeout = .seconds(10)
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
        events = PostgresEvents(client: client, logger: logger)
        let connection = PostgresConnectionSource(client: client, logger: logger)
        store = Store(schools: PostgresSchoolRepository(database: connection), users: PostgresUserRepository(database: connection), scenarios: PostgresScenarioRepository(database: connection),
                      runs: PostgresRunRepository(database: connection), feeds: PostgresFeedRepository(database: connection),
                      events: events, isShared: true)
    }

    /// Warnings and errors only: the pool logs every connection it opens and closes at lower levels.
    public static var quietLogger: Logger {
        var logger = Logger(label: "flexsched.postgres")
        logger.logLevel = .warning
        return logger
    }

    /// Brings the schema up to date; several processes may start at once (one migrates, the others
    /// wait for its lock and then find nothing to do).
    public func migrate() async throws {
        try await PostgresMigrations.apply(client: client, logger: logger)
    }

    /// The pool and the event listener, until cancelled. Once only per database value.
    public func run(eventsReady: @escaping @Sendable () -> Void = {}) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            group.addTask { await events.listen(ready: eventsReady) }
            await group.waitForAll()
        }
    }

    /// Starts `run()` and returns once the database answers (its event listener is in place) and is
    /// migrated; throws when it does not answer within `deadline`. Cancel the task to stop it.
    public func start(deadline: Duration = .seconds(30), migrated: Bool = true) async throws -> Task<Void, Never> {
        let listening = AsyncStream<Void>.makeStream()
        let ready = Mutex(false)
        let running = Task {
            await run(eventsReady: {
                ready.withLock { $0 = true }
                listening.continuation.finish()
            })
        }
        let timer = Task {
            try await Task.sleep(for: deadline)
            listening.continuation.finish()
        }
        for await _ in listening.stream {}
        timer.cancel()
        guard ready.withLock({ $0 }) else {
            running.cancel()
            throw DatabaseUnavailable("no answer from \(address) within \(deadline.components.seconds) s")
        }
        do { if migrated { try await migrate() } } catch {
            running.cancel()
            throw error
        }
        return running
    }

    /// Runs the database for the length of `body`, listening for events and migrated first.
    public func withRunning<Result: Sendable>(migrated: Bool = true, _ body: @Sendable (Store) async throws -> Result) async throws -> Result {
        let running = try await start(migrated: migrated)
        defer { running.cancel() }
        return try await body(store)
    }
}

/// The database answered, but not as a store needs it to.
public struct DatabaseUnavailable: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// A `postgres://` address that cannot be used, said in a sentence for `--database`.
public struct DatabaseURLError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require]`, libpq's form.
/// TLS is required by default except on loopback, where there is no network to protect.
struct DatabaseAddress {
    var user: String
    var password: String?
    var host: String
    var port: Int
    var database: String
    var tls: PostgresClient.Configuration.TLS

    init(_ text: String) throws(DatabaseURLError) {
        guard let url = URLComponents(string: text), ["postgres", "postgresql"].contains(url.scheme ?? "") else {
            throw DatabaseURLError(description: "--database takes postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        guard let user = url.user, !user.isEmpty else { throw DatabaseURLError(description: "--database names no user: postgres://USER@HOST/DATABASE") }
        guard let host = url.host, !host.isEmpty else { throw DatabaseURLError(description: "--database names no host: postgres://USER@HOST/DATABASE") }
        let database = String(url.path.dropFirst())
        guard !database.isEmpty else { throw DatabaseURLError(description: "--database names no database: postgres://USER@HOST/DATABASE") }
        if let port = url.port, !(1...65_535).contains(port) { throw DatabaseURLError(description: "--database has port \(port), outside 1-65535") }
        self.user = user
        password = url.password
        self.host = host
        port = url.port ?? 5432
        self.database = database
        let loopback = ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host)
        switch url.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? (loopback ? "disable" : "require") {
        case "disable": tls = .disable
        case "prefer": tls = .prefer(.makeClientConfiguration())
        case "require": tls = .require(.makeClientConfiguration())
        case let other: throw DatabaseURLError(description: "--database has sslmode=\(other); use disable, prefer or require")
        }
    }
}

/// What every repository shares: the pool and the logger its queries log to.
struct PostgresConnectionSource: Sendable {
    let client: PostgresClient
    let logger: Logger

    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await mapConflicts { try await client.query(query, logger: logger).collect() }
    }

    func first(_ query: PostgresQuery) async throws -> PostgresRow? { try await rows(query).first }

    func transaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await mapConflicts { try await client.withTransaction(logger: logger) { try await body($0) } }
    }

    /// A broken uniqueness is a conflict, as in the SQLite store. Any other refusal of the server is
    /// said with its code and message for the log (PostgresNIO's own description says nothing, so
    /// that no value can leak; the server's message names no values but a unique key's, kept out).
    private func mapConflicts<Result>(_ body: () async throws -> Result) async throws -> Result {
        do { return try await body() } catch let error as PSQLError {
            if error.serverInfo?[.sqlState] == PostgresError.Code.uniqueViolation.raw {
                throw StoreConflict(error.serverInfo?[.detail] ?? "that name or token is taken")
            }
            guard let info = error.serverInfo else { throw error }
            throw DatabaseUnavailable("PostgreSQL refused a query: \(info[.sqlState] ?? "?") \(info[.message] ?? "")")
        }
    }
}

extension PostgresConnection {
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }
}
