import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import Testing
import WebApp

/// A web app on a private in-memory store, with one admin and one non-admin account. Its solves
/// come from `CachedSolver` unless a test gives the real one (or another stub).
struct TestServer {
    let server: WebServer
    let store: Store
    let admin: NewUser
    let viewer: NewUser
    let configuration: ServerConfiguration

    static func make(maxUpload: Int = 10 << 20, signInAttempts: Int = 5, workers: Int = 1,
                     solver: any TimetableSolver = CachedSolver.shared, store: Store? = nil,
                     configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> TestServer {
        var configuration = ServerConfiguration(dataDirectory: "/nonexistent")
        configuration.maxUploadBytes = maxUpload
        configuration.signInAttempts = signInAttempts
        configuration.workers = workers
        configuration.bcryptCost = 4
        // A live test's client keeps its connection between requests and does not retry one the
        // server closed; on a loaded machine its requests can be further apart than a deadline
        // meant for strangers. Tests of the deadlines set their own.
        configuration.limits.headerTimeout = 300
        configure(&configuration)
        let store = try store ?? Store.inMemory()
        // bcrypt's cheapest cost: the tests check that hashing is used, not how slow it is.
        let admin = try await Accounts.add(name: "ada", role: .schoolAdmin, store: store, bcryptCost: 4)
        let viewer = try await Accounts.add(name: "vic", role: .viewer, store: store, bcryptCost: 4)
        return TestServer(server: try await WebServer(configuration: configuration, store: store, solver: solver), store: store, admin: admin, viewer: viewer,
                          configuration: configuration)
    }

    func test<Value>(_ mode: TestingSetup = .router, _ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await Application(router: server.router(), services: server.backgroundServices).test(mode, body)
    }

    /// The server as `serve` runs it (its connection limits and timeouts), on a free loopback port.
    func live<Value>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await server.application().test(.live, body)
    }

    var adminHeaders: HTTPFields { [.authorization: "Bearer \(admin.apiToken)"] }
    var viewerHeaders: HTTPFields { [.authorization: "Bearer \(viewer.apiToken)"] }
}

/// The repository's folder, for the bundled scenarios.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func bundledScenario(_ name: String) throws -> String {
    try String(contentsOf: repositoryRoot.appendingPathComponent("Scenarios/\(name)"), encoding: .utf8)
}

func json(_ buffer: ByteBuffer) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))
}

func object(_ buffer: ByteBuffer) throws -> [String: Any] {
    guard let object = try json(buffer) as? [String: Any] else { throw TestFailure("not a JSON object: \(String(buffer: buffer))") }
    return object
}

/// An API refusal's message: every error has the shape `{"error": {"message": ...}}`.
func errorMessage(_ buffer: ByteBuffer) throws -> String {
    guard let error = try object(buffer)["error"] as? [String: Any], let message = error["message"] as? String else {
        throw TestFailure("not an API error: \(String(buffer: buffer))")
    }
    return message
}

/// The problems listed with a 422: `{"error": {"message": ..., "problems": [...]}}`.
func problems(_ buffer: ByteBuffer) throws -> [[String: Any]] {
    guard let problems = (try object(buffer)["error"] as? [String: Any])?["problems"] as? [[String: Any]] else {
        throw TestFailure("no problems in \(String(buffer: buffer))")
    }
    return problems
}

/// The example, solved and published through the API; one of its private tokens.
func publishedExample(_ client: some TestClientProtocol, _ server: TestServer, _ example: String) async throws -> String {
    var headers = server.adminHeaders
    headers[.contentType] = "application/yaml"
    try await client.execute(uri: "/api/v1/scenarios", method: .post, headers: headers, body: ByteBuffer(string: example)) {
        #expect($0.status == .created)
    }
    try await client.execute(uri: "/api/v1/scenarios/1/runs", method: .post, headers: server.adminHeaders, body: ByteBuffer(string: #"{"timeLimit": 5}"#)) {
        #expect($0.status == .accepted)
    }
    _ = try await eventually("run 1 to finish") {
        try await client.execute(uri: "/api/v1/runs/1", method: .get, headers: server.adminHeaders) { response in
            try object(response.body)["state"] as? String == "done" ? true : nil
        }
    }
    try await client.execute(uri: "/api/v1/runs/1/publish", method: .post, headers: server.adminHeaders) { #expect($0.status == .ok) }
    return try await client.execute(uri: "/api/v1/scenarios/1/feeds", method: .get, headers: server.adminHeaders) { response in
        let feeds = try #require(try json(response.body) as? [[String: Any]])
        let url = try #require(feeds.first?["url"] as? String)
        return String(url.split(separator: "/").last!.dropLast(4))
    }
}

/// Asks `check` again every 50 ms until it gives a value; after `seconds` the test fails, naming
/// what it waited for.
func eventually<T>(_ what: String, within seconds: Double = 240, _ check: () async throws -> T?) async throws -> T {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while true {
        if let value = try await check() { return value }
        guard ContinuousClock.now < deadline else { throw TestFailure("waited \(seconds) s for \(what)") }
        try await Task.sleep(for: .milliseconds(50))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A server whose example week is solved and published, with the admin signed in: what most
/// page tests start from. `body` gets the client, the feed token and the admin's page session.
func withPublishedExample(_ body: @Sendable (any TestClientProtocol, TestServer, String, PageSession) async throws -> Void) async throws {
    let server = try await TestServer.make()
    let example = try bundledScenario("example.yaml")
    try await server.test { client in
        let token = try await publishedExample(client, server, example)
        try await body(client, server, token, try await signIn(client, server))
    }
}
