import ArgumentParser
import Foundation
import PostgresStore
import Store

/// Where the web app's state is: one school's SQLite file (the default), or a district's PostgreSQL
/// database that several servers and workers share.
struct StoreLocation: ParsableArguments {
    @Option(help: "Folder of the web app's SQLite database, for one server (created if missing).") var data = "flexsched-data"
    @Option(help: ArgumentHelp("""
        A district's PostgreSQL database instead of --data, shared by several servers and workers: \
        postgres://USER:PASSWORD@HOST:PORT/DATABASE (TLS is required except on loopback; add ?sslmode=disable to go without).
        """, valueName: "url"))
    var database: String?

    /// What the messages name: the file, or the database without its password.
    var name: String {
        guard let database else { return "\(data)/flexsched.sqlite" }
        guard var url = URLComponents(string: database) else { return "the database" }
        url.password = nil
        return url.string ?? "the database"
    }

    /// The PostgreSQL database, running and migrated for the life of the process; nil for --data.
    /// A bad address exits 2 with what to write; a database that cannot be reached exits 1 with why.
    func openShared() throws -> PostgresDatabase? {
        try database.map { try Self.openShared(url: $0, name: name) }
    }

    /// The district's database at `url`, running and migrated; `name` is how messages call it.
    static func openShared(url database: String, name: String) throws -> PostgresDatabase {
        let opened: PostgresDatabase
        do { opened = try PostgresDatabase(url: database) } catch {
            printError(error.description)
            throw ExitCode(2)
        }
        do { _ = try waitFor { try await opened.start() } } catch let unavailable as DatabaseUnavailable {
            printError("cannot use \(name): \(unavailable.description)")
            throw ExitCode(1)
        } catch {
            printError("cannot use \(name): \(String(reflecting: error))")
            throw ExitCode(1)
        }
        return opened
    }

    /// The store for one short command (`users add`).
    func store() throws -> Store {
        try openShared()?.store ?? Store(directory: data)
    }
}
