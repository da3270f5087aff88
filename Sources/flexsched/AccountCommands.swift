import ArgumentParser
import Store
import WebApp

struct Schools: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the web app's schools (tenants).",
        discussion: """
        Every scenario, with its runs, publications and private links, belongs to one school. School \
        admins and viewers see only their own school; district admins see and change every school. \
        A data folder starts with one school, named School (id 1).

        Example:  flexsched schools add "North Middle" --data district/
                  flexsched users add nia --school 2 --admin --data district/
        """,
        subcommands: [AddSchool.self, ListSchools.self])
}

struct AddSchool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a school; prints its id, which `users add --school` takes.")

    @Argument(help: "The school's name, unique in the district.") var name: String
    @OptionGroup var location: StoreLocation

    func run() throws {
        let (name, store) = (self.name, try location.store())
        let school = try refusingConflicts { try await Accounts.addSchool(name: name, store: store) }
        print(school.id!)
    }
}

struct ListSchools: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the schools: id, then name, one a line.")

    @OptionGroup var location: StoreLocation

    func run() throws {
        let store = try location.store()
        for school in try refusingConflicts({ try await store.schools.list() }) { print("\(school.id!)\t\(school.name)") }
    }
}

struct Users: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the web app's accounts.",
        subcommands: [AddUser.self])
}

struct AddUser: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Create an account; prints its password and API token once.",
        discussion: """
        An account belongs to a school (--school ID, from `flexsched schools list`) as a viewer, who \
        can only look, or with --admin as that school's admin, who uploads, solves, publishes and \
        manages its links. --school may be left out while the data folder has only one school. \
        District staff get --district-admin instead: every school, and no --school.

        Only hashes are stored (bcrypt for the password, SHA-256 for the 256-bit API token), so note \
        both now: they cannot be shown again. The API takes the token as `Authorization: Bearer TOKEN`.

        Examples (ada runs a folder's one school; nia and vic are of school 2, admin and viewer):
                   flexsched users add ada --admin --data school/
                   flexsched users add nia --school 2 --admin --data district/
                   flexsched users add vic --school 2 --data district/
                   flexsched users add dora --district-admin --data district/
        """)

    @Argument(help: "The name to sign in with.") var name: String
    @Option(help: ArgumentHelp("The school the account belongs to (required once there are several).", valueName: "id")) var school: Int64?
    @Flag(help: "Admin of the school: may change things there. Without it the account can only look.") var admin = false
    @Flag(help: "District staff: sees and changes every school; belongs to none.") var districtAdmin = false
    @OptionGroup var location: StoreLocation

    func validate() throws {
        if districtAdmin, admin { throw ValidationError("give --admin (one school) or --district-admin (every school), not both") }
        if districtAdmin, school != nil { throw ValidationError("a district admin belongs to no school: leave out --school") }
    }

    func run() throws {
        let role: UserRole = districtAdmin ? .districtAdmin : admin ? .schoolAdmin : .viewer
        let (name, school, store) = (self.name, self.school, try location.store())
        let user = try refusingConflicts { try await Accounts.add(name: name, role: role, schoolID: school, store: store) }
        let what = switch user.role {
        case .districtAdmin: "district admin"
        case .schoolAdmin: "admin of school \(user.schoolID!)"
        case .viewer: "viewer of school \(user.schoolID!)"
        }
        print("""
            Created \(what) \(user.name) in \(location.name).
            password:  \(user.password)
            API token: \(user.apiToken)
            Note both now: only their hashes are kept.
            """)
    }
}

/// The store's refusal (a taken name, an unknown school) is the caller's mistake: said, and exit 2.
private func refusingConflicts<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    do { return try waitFor(work) } catch let conflict as StoreConflict {
        printError(conflict.description)
        throw ExitCode(2)
    }
}
