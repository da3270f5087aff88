import FlexschedTestSupport
import Foundation
import Testing
import WebApp
import Store

/// Accounts keep only hashes: the password and token printed once cannot be read back from the file.
@Suite struct AccountTests {
    @Test func usersAddStoresOnlyHashesAndRefusesATakenName() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flexsched-accounts-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(directory: folder)
        #expect(try await store.journalMode() == "wal")
        let user = try await Accounts.add(name: "ada", isAdmin: true, store: store, bcryptCost: 4)
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
        #expect(try run(["users", "add", "ada", "--admin", "--data", folder]) == 2)
        #expect(try run(["users", "add", "bo", "--data", folder]) == 0)
        #expect(try await store.users.user(name: "bo")?.isAdmin == false)
        await #expect(throws: StoreConflict.self) { try await Accounts.add(name: " padded", isAdmin: false, store: store, bcryptCost: 4) }
    }
}
