import Foundation
import PostgresStore
import ServerTestSupport
import Store
import Testing

/// The two stores every test in this target runs against: the embedded SQLite file and PostgreSQL.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// A new empty store of this kind for the length of `body`.
    func withStore(_ body: @Sendable (Store) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flexsched-store-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try await body(try Store(directory: folder))
        case .postgres:
            guard let url = try await SharedPostgres.newDatabase() else {
                try Test.cancel("PostgreSQL is not installed (apt-get install postgresql); CI runs these")
            }
            try await PostgresDatabase(url: url).withRunning { try await body($0) }
        }
    }
}

/// Records the tests create, shared so each test reads as what it checks.
enum Fixture {
    static func user(_ name: String, admin: Bool = true, in store: Store) async throws -> UserRecord {
        try await store.users.create(UserRecord(name: name, role: admin ? .schoolAdmin : .viewer, schoolID: 1, passwordHash: "hash-\(name)", apiTokenDigest: "digest-\(name)"))
    }

    static let owners = [FeedOwner(kind: .teacher, id: "t1", name: "Ada"), FeedOwner(kind: .student, id: "s1", name: "Bo")]

    static func scenario(_ name: String = "Week", by user: UserRecord, in store: Store) async throws -> (ScenarioRecord, ScenarioVersionRecord) {
        try await store.scenarios.addVersion(name: name, schoolID: 1, format: "yaml", body: "name: \(name)\n", uploadedBy: user.id!, warnings: "[]",
                                             owners: owners, newToken: { UUID().uuidString })
    }

    /// An admin, a scenario of theirs and `count` runs of its version queued (oldest first).
    static func queuedRuns(_ count: Int, in store: Store) async throws -> (UserRecord, [RunRecord]) {
        let ada = try await user("ada", in: store)
        let (_, version) = try await scenario(by: ada, in: store)
        return (ada, try await store.runs.enqueue((0..<count).map { _ in RunRecord(scenarioVersionID: version.id!, requestedBy: ada.id!, timeLimit: 5) }))
    }
}
