import ArgumentParser
import Foundation
import ScenarioKit
import Store
import Synchronization
import WebApp

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the web app: scenarios, solves with live progress, what-if, publishing and private calendar feeds.",
        discussion: """
        Everything lives in one SQLite database, DIR/flexsched.sqlite (created on first start, with \
        one school), or, for a district, in a PostgreSQL database that several servers and \
        `flexsched worker`s share (--database postgres://...). Create an admin first with \
        `flexsched users add NAME --admin --data DIR` (or --database URL), then sign in at the address \
        printed. A district adds schools with `flexsched schools add`, and each account sees only its \
        own school's scenarios (district admins see all). Teachers, students and families sign in to nothing: each gets a private calendar link \
        (listed on a scenario's Links page) once a run is published.

        Solves run one per core less one, off the request path. A run that was still solving when the \
        server stopped is marked interrupted at the next start; queued runs start again.

        The server listens on loopback by default. To serve a school, put it behind an HTTPS proxy and \
        give --public-url so feed links carry that address.

        Example:  flexsched users add ada --admin --data school/
                  flexsched serve --data school/ --port 8080
        """)

    @OptionGroup var location: StoreLocation
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: ArgumentHelp("Largest upload accepted, in bytes; larger ones get 413.", valueName: "bytes")) var maxUpload = 10 << 20
    @Option(help: "Solves at a time (default: one per core less one, at least one); 0 with --database: only serve, `flexsched worker`s solve.")
    var workers: Int?
    @Option(help: "Address people reach the server at (for the links in feeds), e.g. https://timetable.school.org.") var publicURL: String?
    @Option(help: ArgumentHelp("The address of the reverse proxy in front of the server: the sign-in limit counts the client address it sends in X-Forwarded-For (from it alone).", valueName: "address"))
    var trustedProxy: String?
    @Option(help: ArgumentHelp("Seconds a client may take to send a request's head (and to start its next request).", valueName: "seconds"))
    var headerTimeout = ConnectionLimits().headerTimeout
    @Option(help: ArgumentHelp("Seconds a client may take to send a request's body.", valueName: "seconds"))
    var bodyTimeout = ConnectionLimits().bodyTimeout
    @Option(help: ArgumentHelp("Seconds a connection may send nothing before it is closed.", valueName: "seconds"))
    var idleTimeout = ConnectionLimits().idleTimeout
    @Option(help: "Connections open at once at most; more wait until one closes.") var maxConnections = ConnectionLimits().maxConnections
    @Option(help: "A scenario file to add as its scenario's next version at start (skipped when it is already the latest).")
    var load: String?
    @Option(help: ArgumentHelp("The school the --load file goes to (`flexsched schools list`); needed when the first admin is a district admin and there are several schools.", valueName: "id"))
    var loadSchool: Int64?

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
        guard maxUpload >= 1_024 else { throw ValidationError("--max-upload must be at least 1024 bytes") }
        for (name, value) in [("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout), ("--idle-timeout", idleTimeout)] where !(value > 0) {
            throw ValidationError("\(name) is a number of seconds above 0")
        }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
        if let workers, workers < (location.database == nil ? 1 : 0) {
            throw ValidationError(location.database == nil ? "--workers must be at least 1 (0 only with --database, where workers solve)" : "--workers must be 0 or more")
        }
        if loadSchool != nil, load == nil { throw ValidationError("--load-school names the school of the --load file; give --load too") }
        if let publicURL, !(publicURL.hasPrefix("https://") || publicURL.hasPrefix("http://")) {
            throw ValidationError("--public-url starts with https:// (or http://)")
        }
    }

    func run() throws {
        var configuration = ServerConfiguration(dataDirectory: location.data)
        configuration.host = host
        configuration.port = port
        configuration.maxUploadBytes = maxUpload
        if let workers { configuration.workers = workers }
        configuration.publicURL = publicURL
        configuration.trustedProxy = trustedProxy
        configuration.limits.headerTimeout = headerTimeout
        configuration.limits.bodyTimeout = bodyTimeout
        configuration.limits.idleTimeout = idleTimeout
        configuration.limits.maxConnections = maxConnections
        let (settings, storeName) = (configuration, location.name)
        // Read and validated before the server starts, so a bad file exits 2 with its problems.
        let loadText: String?
        do { loadText = try load.map { path throws(InputError) in try readTextFile(path) } } catch { throw exitForBadInput(error) }
        let (loadPath, loadSchool) = (load, loadSchool)
        let shared = try location.openShared()?.store
        let server: WebServer
        do { server = try waitFor { try await WebServer(configuration: settings, store: shared) } } catch let conflict as StoreConflict {
            printError(conflict.description)
            throw ExitCode(2)
        }
        if let loadText, let loadPath {
            let loaded = try waitFor { () async -> Result<UploadOutcome?, ServiceError> in
                do throws(ServiceError) {
                    return .success(try await server.services.scenarios.load(loadText, fileName: loadPath, schoolID: loadSchool))
                } catch { return .failure(error) }
            }
            switch loaded {
            case .success(let outcome):
                if let outcome { printNow("loaded \(loadPath) as version \(outcome.version.version) of \"\(outcome.scenario.name)\"") }
            case .failure(let error):
                if case .invalid(let problems) = error { throw exitForBadInput(InputError(problems)) }
                printError(error.logText)
                throw ExitCode(2)
            }
        }
        try waitFor {
            printNow("flexsched serving \(settings.publicBaseURL) from \(storeName)")
            try await server.run()
        }
    }
}

/// Runs async work from a synchronous command and waits for it (the commands are synchronous so
/// that tests run them in-process).
func waitFor<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let result = Mutex<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        do { let value = try await work(); result.withLock { $0 = .success(value) } } catch { result.withLock { $0 = .failure(error) } }
        done.signal()
    }
    done.wait()
    return try result.withLock { $0! }.get()
}

/// A server runs until it is stopped, so a buffered line would never reach a log file.
private func printNow(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
