import Foundation
import Store

/// What `flexsched users add` prints once: the only time the password and token exist in clear.
public struct NewUser: Sendable {
    public var name: String
    public var role: UserRole
    /// Nil for a district admin.
    public var schoolID: Int64?
    public var password: String
    public var apiToken: String
}

/// Who may do what: accounts, sign-in sessions and API tokens. Only digests and hashes are stored.
public struct AccountService: Sendable {
    let users: any UserRepository
    /// How long a sign-in lasts, in seconds.
    let sessionLifetime: Double
    /// A hash of a password nobody has: an unknown name is checked against it, so a wrong name
    /// takes as long as a wrong password and the answer's timing tells no one which names exist.
    let standInHash: String
    /// bcrypt's check; tests count its calls.
    var verify: @Sendable (String, String) async throws -> Bool = { try await Secrets.verifyPassword($0, hash: $1) }

    /// The user an `Authorization: Bearer` token belongs to.
    func user(apiToken token: String) async throws(ServiceError) -> UserRecord? {
        try await stored("reading an API token's user") { try await users.user(apiTokenDigest: Secrets.digest(token)) }
    }

    /// The live session a cookie carries, with its user.
    func session(token: String) async throws(ServiceError) -> (SessionRecord, UserRecord)? {
        try await stored("reading a session") { try await users.session(tokenDigest: Secrets.digest(token), now: Date()) }
    }

    /// A new session and the token its cookie carries, or nil for a wrong name or password.
    func signIn(name: String, password: String) async throws(ServiceError) -> (token: String, session: SessionRecord)? {
        let user = try await stored("reading a user", { try await users.user(name: name) })
        let matches = try await stored("checking a password") { try await verify(password, user?.passwordHash ?? standInHash) }
        guard let user, matches else { return nil }
        let token = Secrets.token()
        let session = SessionRecord(tokenDigest: Secrets.digest(token), userID: user.id!, csrfToken: Secrets.token(),
                                    expires: Date().addingTimeInterval(sessionLifetime))
        try await stored("starting a session") { try await users.startSession(session) }
        return (token, session)
    }

    func signOut(token: String) async throws(ServiceError) {
        try await stored("ending a session") { try await users.endSession(tokenDigest: Secrets.digest(token)) }
    }
}

public enum Accounts {
    /// bcrypt's cost for new accounts (about 0.3 s a check on the machines this runs on).
    public static let bcryptCost: UInt8 = 12

    /// Creates a user with a generated password and API token, keeping only their hashes. A school
    /// account given no school joins the only one while there is only one; a district admin is of none.
    /// Refusals (a bad name, an unknown school) are `StoreConflict`s that say what to do.
    public static func add(name: String, role: UserRole, schoolID: Int64? = nil, store: Store, bcryptCost: UInt8 = bcryptCost) async throws -> NewUser {
        if let problem = problem(withName: name, of: "user") { throw StoreConflict(problem) }
        let school = try await school(for: role, asked: schoolID, store: store)
        let password = Secrets.password()
        let token = Secrets.token()
        let hash = try await Secrets.hashPassword(password, cost: bcryptCost)
        _ = try await store.users.create(UserRecord(name: name, role: role, schoolID: school, passwordHash: hash, apiTokenDigest: Secrets.digest(token)))
        return NewUser(name: name, role: role, schoolID: school, password: password, apiToken: token)
    }

    static func school(for role: UserRole, asked: Int64?, store: Store) async throws -> Int64? {
        if role == .districtAdmin {
            guard asked == nil else { throw StoreConflict("a district admin sees every school and belongs to none: leave out --school") }
            return nil
        }
        if let asked {
            guard try await store.schools.school(id: asked) != nil else {
                throw StoreConflict("there is no school \(asked); `flexsched schools list` shows them")
            }
            return asked
        }
        let schools = try await store.schools.list()
        guard schools.count == 1, let only = schools[0].id else {
            throw StoreConflict("there are \(schools.count) schools: say which with --school ID (`flexsched schools list` shows them)")
        }
        return only
    }

    /// Refuses a bad or taken name.
    public static func addSchool(name: String, store: Store) async throws -> SchoolRecord {
        if let problem = problem(withName: name, of: "school") { throw StoreConflict(problem) }
        return try await store.schools.create(SchoolRecord(name: name))
    }

    /// Names appear on pages and in the run history: short, printable, no spaces at the ends.
    static func problem(withName name: String, of what: String) -> String? {
        if name.isEmpty || name.count > 64 { return "a \(what) name has 1 to 64 characters" }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) || name != name.trimmingCharacters(in: .whitespaces) {
            return "a \(what) name has no control characters and no spaces at either end"
        }
        return nil
    }
}
