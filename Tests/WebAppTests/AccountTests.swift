import FlexschedTestSupport
import Foundation
import ServerTestSupport
import Testing
import WebApp
import Store

/// Accounts keep only hashes: the password and token printed once cannot be read back from the file.
/// Serialized, and each command on a thread of its own: a command run in-process waits for its async
/// work, and waiting on one of the test process's few cooperative threads stalls every other test.
@Suite(.serialized) struct AccountTests {
    private func cli(_ arguments: [String]) async throws -> Int32 {
        try await offThePool { try run(arguments) }
    }

    @Test func usersAddStoresOnlyHashesAndRefusesATakenName() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flexsched-accounts-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(directory: folder)
        #expect(try await store.journalMode() == "wal")
        let user = try await Accounts.add(name: "ada", role: .schoolAdmin, store: store, bcryptCost: 4)
        #expect(user.password.count >= 20 && user.apiToken.count >= 43)
        let stored = try #require(try await store.users.user(name: "ada"))
        #expect(stored.isAdmin)
        #expect(stored.passwordHash.hasPrefix("$2") && !stored.passwordHash.contains(user.password))
        #expect(stored.apiTokenDigest.count == 64 && stored.apiTokenDigest != user.apiToken)
        // Neither secret is anywhere in the database file.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/flexsched.sqlite"))
            + ((try? Data(contentsOf: URL(fileURLWithPath: folder + "/flexsched.sqlite-wal"))) ?? Data())
        for secret in [user.password, user.apiToken] { #expect(bytes.range(of: Data(secret.utf8)) == nil) }

        // The command line: a second user with the same name exits 2 and changes nothing.
        #expect(try await cli(["users", "add", "ada", "--admin", "--data", folder]) == 2)
        #expect(try await cli(["users", "add", "bo", "--data", folder]) == 0)
        #expect(try await store.users.user(name: "bo")?.isAdmin == false)
        #expect(try await store.users.user(name: "bo")?.schoolID == 1, "the folder's one school")
        await #expect(throws: StoreConflict.self) { try await Accounts.add(name: " padded", role: .viewer, store: store, bcryptCost: 4) }
    }

    /// `schools add` prints the id that `users add --school` takes; once there are several schools a
    /// school account must name its school, and a district admin names none.
    @Test func schoolsAndTheirAccountsFromTheCommandLine() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flexsched-schools-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try await cli(["users", "add", "ada", "--admin", "--data", folder]) == 0)
        #expect(try await cli(["schools", "add", "North", "--data", folder]) == 0)
        #expect(try await cli(["schools", "add", "North", "--data", folder]) == 2, "a taken name")
        #expect(try await cli(["schools", "list", "--data", folder]) == 0)
        #expect(try await cli(["users", "add", "bo", "--data", folder]) == 2, "two schools: which one?")
        #expect(try await cli(["users", "add", "bo", "--school", "7", "--data", folder]) == 2, "no school 7")
        #expect(try await cli(["users", "add", "bo", "--school", "2", "--admin", "--data", folder]) == 0)
        #expect(throws: (any Error).self) { try run(["users", "add", "dora", "--district-admin", "--school", "2", "--data", folder]) }
        #expect(throws: (any Error).self) { try run(["users", "add", "dora", "--district-admin", "--admin", "--data", folder]) }
        #expect(try await cli(["users", "add", "dora", "--district-admin", "--data", folder]) == 0)
        let store = try Store(directory: folder)
        #expect(try await store.schools.list().map(\.name) == ["School", "North"])
        var roles: [String] = []
        for name in ["ada", "bo", "dora"] {
            let user = try #require(try await store.users.user(name: name))
            roles.append("\(user.role.rawValue) \(user.schoolID ?? 0)")
        }
        #expect(roles == ["school-admin 1", "school-admin 2", "district-admin 0"])
    }
}
