import Foundation
import Store

/// What `flexsched users add` prints once: the only time the password and token exist in clear.
public struct NewUser: Sendable {
    public var name: String
    public var isAdmin: Bool
    public var password: String
    public var apiToken: String
}

public enum Accounts {
    /// Creates a user with a generated password and API token, keeping only their hashes.
    public static func add(name: String, isAdmin: Bool, store: Store, bcryptCost: UInt8 = 12) async throws -> NewUser {
        if let problem = problem(withName: name) { throw StoreConflict(problem) }
        let password = Secrets.password()
        let token = Secrets.token()
        let hash = try await Secrets.hashPassword(password, cost: bcryptCost)
        _ = try await store.users.create(UserRecord(name: name, isAdmin: isAdmin, passwordHash: hash, apiTokenDigest: Secrets.digest(token)))
        return NewUser(name: name, isAdmin: isAdmin, password: password, apiToken: token)
    }

    /// Names appear on pages and in the run history: short, printable, no spaces at the ends.
    static func problem(withName name: String) -> String? {
        if name.isEmpty || name.count > 64 { return "a user name has 1 to 64 characters" }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) || name != name.trimmingCharacters(in: .whitespaces) {
            return "a user name has no control characters and no spaces at either end"
        }
        return nil
    }
}
