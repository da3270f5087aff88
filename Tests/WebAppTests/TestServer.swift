import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import WebApp

/// A web app on a private in-memory store, with one admin and one non-admin account.
struct TestServer {
    let server: WebServer
    let admin: NewUser
    let viewer: NewUser
    let configuration: ServerConfiguration

    static func make(maxUpload: Int = 10 << 20, signInAttempts: Int = 5) async throws -> TestServer {
        var configuration = ServerConfiguration(dataDirectory: "/nonexistent")
        configuration.maxUploadBytes = maxUpload
        configuration.signInAttempts = signInAttempts
        configuration.workers = 1
        let store = try Store.inMemory()
        // bcrypt's cheapest cost: the tests check that hashing is used, not how slow it is.
        let admin = try await Accounts.add(name: "ada", isAdmin: true, store: store, bcryptCost: 4)
        let viewer = try await Accounts.add(name: "vic", isAdmin: false, store: store, bcryptCost: 4)
        return TestServer(server: try await WebServer(configuration: configuration, store: store), admin: admin, viewer: viewer,
                          configuration: configuration)
    }

    func test<Value>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await Application(router: server.router()).test(.router, body)
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

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
