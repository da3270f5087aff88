import Advisor
import Diagnosis
import Foundation
import ScenarioKit
import Store

public enum UploadFormat: String, Sendable {
    case yaml, json
}

public struct UploadOutcome: Sendable {
    public var scenario: ScenarioRecord
    public var version: ScenarioVersionRecord
    public var warnings: [String]
}

/// A stored version with the name of who uploaded it.
public struct VersionView: Sendable {
    public var version: ScenarioVersionRecord
    public var uploadedBy: String
}

/// Scenarios and their versions: uploads are read by the command line's own loader.
public struct ScenarioService: Sendable {
    let store: Store
    /// Only named in messages (where to create the first admin).
    let dataDirectory: String
    /// Personal pages show names a new version may change.
    let personalPages: TokenCache<String>

    /// Validates an upload; stores it as the next version of the scenario of its name in the school
    /// (see `school(for:asked:)`) only when it has no problem, with a private link for every teacher,
    /// student and room. `fileName` only names the file in messages; `warnings` are what produced the
    /// text found (an import's), kept with the loader's own.
    public func upload(_ text: String, format: UploadFormat, fileName: String? = nil, warnings earlier: [String] = [],
                       by user: UserRecord, schoolID asked: Int64? = nil) async throws(ServiceError) -> UploadOutcome {
        let schoolID = try await school(for: user, asked: asked)
        let file = fileName ?? "scenario.\(format.rawValue)"
        let loaded: ValidatedScenario
        do { loaded = try ScenarioLoader.parse(text, file: file) } catch { throw .invalid(error.problems) }
        // The loader reads YAML, of which JSON is a subset; a file sent as JSON must also be JSON.
        if format == .json, (try? JSONSerialization.jsonObject(with: Data(text.utf8))) == nil {
            throw .invalid([InputProblem(file: file, entity: "", message: "is not valid JSON; send YAML with Content-Type application/yaml")])
        }
        let warnings = earlier + loaded.warnings.map(\.description) + diagnose(loaded).map { "\($0.cause): \($0.message)" }
        let s = loaded.scenario
        let owners = s.teachers.map { FeedOwner(kind: .teacher, id: $0.id, name: $0.name) }
            + s.students.map { FeedOwner(kind: .student, id: $0.id, name: $0.name) }
            + s.rooms.map { FeedOwner(kind: .room, id: $0.id, name: $0.name) }
        let warningsJSON = String(decoding: try await stored("encoding warnings") { try JSONEncoder.sorted.encode(warnings) }, as: UTF8.self)
        let (scenario, version) = try await stored("storing scenario \(loaded.name)") {
            try await store.scenarios.addVersion(name: loaded.name, schoolID: schoolID, format: format.rawValue, body: text, uploadedBy: user.id!,
                                                 warnings: warningsJSON, owners: owners) { Secrets.token(bytes: 24) }
        }
        personalPages.clear()
        // Other servers' caches too: the upload may rename someone their links show.
        await store.events.publish(.linksChanged)
        return UploadOutcome(scenario: scenario, version: version, warnings: warnings)
    }

    /// `serve --load FILE`: the file becomes its scenario's next version unless that is already the
    /// latest, so restarting with the same file adds nothing. Uploaded in the first admin's name, to
    /// `schoolID` (`--load-school`) or that admin's school.
    public func load(_ text: String, fileName: String, schoolID asked: Int64? = nil) async throws(ServiceError) -> UploadOutcome? {
        guard let admin = try await stored("finding the first admin", { try await store.users.firstAdmin() }) else {
            throw .conflict(store.isShared ? "create an admin first: flexsched users add NAME --admin --database URL"
                                           : "create an admin first: flexsched users add NAME --admin --data \(dataDirectory)")
        }
        let format: UploadFormat = fileName.lowercased().hasSuffix(".json") ? .json : .yaml
        let name: String
        do { name = try ScenarioLoader.parse(text, file: fileName).name } catch { throw .invalid(error.problems) }
        let schoolID = try await school(for: admin, asked: asked)
        if let listing = try await list(in: .school(schoolID)).first(where: { $0.scenario.name == name }), listing.latest.body == text { return nil }
        return try await upload(text, format: format, fileName: fileName, by: admin, schoolID: schoolID)
    }

    /// The school an upload goes to: a school account's own (another school it names does not
    /// exist for it), or for a district admin the one it names, which may be left out while the
    /// district has a single school.
    func school(for user: UserRecord, asked: Int64?) async throws(ServiceError) -> Int64 {
        if case .school(let own) = user.scope {
            guard asked == nil || asked == own else { throw .notFound("no school \(asked!)") }
            return own
        }
        if let asked {
            guard try await stored("reading school \(asked)", { try await store.schools.school(id: asked) }) != nil else {
                throw .notFound("no school \(asked)")
            }
            return asked
        }
        let schools = try await stored("listing schools") { try await store.schools.list() }
        guard schools.count == 1, let only = schools[0].id else {
            let known = schools.map { "\($0.id!) \($0.name)" }.joined(separator: ", ")
            throw .badRequest("say which school the scenario is for: schoolID=ID on the API and the forms, --load-school ID for serve --load (\(known))")
        }
        return only
    }

    /// The schools the caller sees, by id.
    public func schools(in scope: SchoolScope) async throws(ServiceError) -> [SchoolRecord] {
        try await stored("listing schools") { try await store.schools.list() }.filter { scope.schoolID == nil || $0.id == scope.schoolID }
    }

    public func list(in scope: SchoolScope) async throws(ServiceError) -> [ScenarioListing] {
        try await stored("listing scenarios") { try await store.scenarios.list(in: scope) }
    }

    public func scenario(_ id: Int64, in scope: SchoolScope) async throws(ServiceError) -> ScenarioRecord {
        guard let scenario = try await stored("reading scenario \(id)", { try await store.scenarios.scenario(id: id, in: scope) }) else {
            throw .notFound("no scenario \(id)")
        }
        return scenario
    }

    func latestVersion(scenarioID: Int64, in scope: SchoolScope) async throws(ServiceError) -> ScenarioVersionRecord {
        _ = try await scenario(scenarioID, in: scope)
        guard let version = try await stored("reading scenario \(scenarioID)", { try await store.scenarios.latestVersion(scenarioID: scenarioID, in: scope) })
        else { throw .notFound("scenario \(scenarioID) has no version") }
        return version
    }

    /// Newest first.
    public func versions(scenarioID: Int64, in scope: SchoolScope) async throws(ServiceError) -> [VersionView] {
        let versions = try await stored("reading the versions of scenario \(scenarioID)") {
            try await store.scenarios.versions(scenarioID: scenarioID, in: scope)
        }
        var names: [Int64: String] = [:]
        for id in Set(versions.map(\.uploadedBy)) {
            names[id] = try await stored("reading user \(id)") { try await store.users.user(id: id) }?.name
        }
        return versions.map { VersionView(version: $0, uploadedBy: names[$0.uploadedBy] ?? "?") }
    }

    static func validated(_ version: ScenarioVersionRecord) throws(ServiceError) -> ValidatedScenario {
        do { return try ScenarioLoader.parse(version.body, file: "scenario.\(version.format)") } catch {
            throw .conflict("version \(version.version) no longer reads: \(error)")
        }
    }
}
