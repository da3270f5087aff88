import Foundation

/// A PostgreSQL server of its own for a test: Debian's `initdb` and `pg_ctl` in a temporary data
/// directory, listening only on 127.0.0.1 at a free port, stopped and deleted by `stop()`. PostgreSQL
/// refuses to run as root, so as root (CI) it runs as the `postgres` account Debian's package creates.
/// Programs are started with `posix_spawn` and reaped with `waitpid`, not Foundation's `Process`,
/// whose wait never returns from an exit handler (where the shared server is stopped).
public final class TemporaryPostgres: @unchecked Sendable {
    public let port: Int
    public let directory: String
    /// The account the server runs as, which is also its superuser.
    public let user: String
    private let bin: String
    private let asRoot: Bool
    private var stopped = false

    /// nil when PostgreSQL is not installed; tests then skip outside CI and fail in it (`SharedPostgres`).
    public static var binaries: String? {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        return versions.sorted { Int($0) ?? 0 > Int($1) ?? 0 }.map { "/usr/lib/postgresql/\($0)/bin" }
            .first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }
    }

    /// Starts a fresh cluster off Swift concurrency's few threads (it takes seconds, and a blocked
    /// cooperative thread stalls every other test's server in the process).
    public static func start() async throws -> TemporaryPostgres {
        try await offThePool { try TemporaryPostgres() }
    }

    /// Starts a fresh cluster; `pg_ctl` waits (at most 60 s, then this throws with the server's log)
    /// until it takes connections. Blocks: from async code, `start()`.
    public init() throws {
        guard let bin = Self.binaries else { throw Failure("PostgreSQL is not installed: apt-get install postgresql") }
        self.bin = bin
        let asRoot = geteuid() == 0
        self.asRoot = asRoot
        user = asRoot ? "postgres" : NSUserName()
        // As root, in /tmp itself: the `postgres` account may not reach into a private TMPDIR.
        let parent = asRoot ? "/tmp" : FileManager.default.temporaryDirectory.path
        let directory = parent + "/flexsched-pg-\(UUID().uuidString)"
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if asRoot { try Self.run("/bin/chown", ["-R", "postgres:postgres", directory]) }
        let run = { (program: String, arguments: [String]) throws in try Self.run(program, arguments, bin: bin, as: asRoot ? "postgres" : nil) }
        try run("initdb", ["-D", directory + "/data", "-U", user, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        var lastError = ""
        for _ in 0..<5 {
            let port = try freeLoopbackPort()
            let options = "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
            do {
                try run("pg_ctl", ["start", "-D", directory + "/data", "-l", directory + "/server.log", "-w", "-t", "60", "-o", options])
                self.port = port
                return
            } catch {
                lastError = ((try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? "") + "\(error)"
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
        throw Failure("PostgreSQL did not start within 60 s on any of 5 ports; its log:\n\(lastError)")
    }

    /// `postgres://USER@127.0.0.1:PORT/DATABASE`, as `--database` takes it.
    public func url(database: String = "postgres") -> String { "postgres://\(user)@127.0.0.1:\(port)/\(database)" }

    /// A new empty database, so that tests sharing one server share no rows.
    public func createDatabase(_ name: String) async throws {
        try await offThePool { try self.run("createdb", ["-h", "127.0.0.1", "-p", String(self.port), "-U", self.user, name]) }
    }

    /// Stops the server (fast shutdown: clients are disconnected, at most 30 s) and deletes its files.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        try? run("pg_ctl", ["stop", "-D", directory + "/data", "-m", "fast", "-w", "-t", "30"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit { stop() }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// One of PostgreSQL's programs, as the server's account.
    private func run(_ program: String, _ arguments: [String]) throws {
        try Self.run(program, arguments, bin: bin, as: asRoot ? user : nil)
    }

    @discardableResult
    private static func run(_ program: String, _ arguments: [String], bin: String, as user: String?) throws -> String {
        let path = bin + "/" + program
        if let user { return try run("/usr/sbin/runuser", ["-u", user, "--", path] + arguments) }
        return try run(path, arguments)
    }

    /// One SQL statement through `psql`, as the server's superuser: its rows, one per line, fields split by `|`.
    public func query(_ sql: String, database: String) async throws -> [[String]] {
        try await offThePool { try self.queryBlocking(sql, database: database) }
    }

    /// The same, waiting on the calling thread: for a loop that runs on a thread of its own.
    public func queryBlocking(_ sql: String, database: String) throws -> [[String]] {
        let output = try Self.run("psql", ["-h", "127.0.0.1", "-p", String(port), "-U", user, "-d", database, "-AtX", "-c", sql], bin: bin,
                                  as: asRoot ? user : nil)
        return output.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
    }

    /// Runs a program to its end with its output in a file, which an error quotes; the output.
    @discardableResult
    private static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("flexsched-pg-out-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw Failure("cannot start \(executable): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        let exited = status & 0x7f == 0
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard exited, (status >> 8) & 0xff == 0 else {
            throw Failure("\((executable as NSString).lastPathComponent) \(arguments.joined(separator: " ")) failed (status \(status)): \(output)")
        }
        return output
    }
}

/// One server for all of a test process's PostgreSQL tests (a cluster takes seconds to create), each
/// test in a database of its own. Stopped when the process exits.
public enum SharedPostgres {
    /// In CI (`CI` set) the PostgreSQL tests always run, so a missing server fails them instead of hiding them.
    public static var required: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    private static let server: Result<TemporaryPostgres, any Error> = {
        let result = Result { try TemporaryPostgres() }
        atexit { if case .success(let server) = SharedPostgres.server { server.stop() } }
        return result
    }()

    private static let counter = Counter()

    /// nil when PostgreSQL is not installed and not required; throws when it is required but cannot start.
    public static func newDatabase() async throws -> String? {
        if TemporaryPostgres.binaries == nil, !required { return nil }
        let server = try await offThePool { try Self.server.get() }
        let name = "test_\(counter.next())"
        try await server.createDatabase(name)
        return server.url(database: name)
    }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int { lock.withLock { value += 1; return value } }
    }
}

/// A port nothing listens on now: the kernel picks one for a socket that is then closed (another
/// process may take it before the caller does, so callers that can retry do).
public func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TemporaryPostgres.Failure("cannot open a socket to find a free port") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw TemporaryPostgres.Failure("no free loopback port") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Runs blocking work (starting programs and waiting for them) on a thread of its own, never on one
/// of Swift concurrency's cooperative threads: there are as many as cores, and the in-process test
/// servers of every other test answer on them.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { done in
        Thread { done.resume(with: Result { try work() }) }.start()
    }
}
