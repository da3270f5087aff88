import Foundation
import Hummingbird
import Reports
import ScenarioKit
import Store
import TimetableChecker

/// The admin's pages: scenarios and their versions, runs with live progress.
struct AdminPages {
    let pages: Pages
    let scenarios: ScenarioService
    let maxUploadBytes: Int

    func add(to session: RouterGroup<AppContext>) {
        let group = AccessGroups(session, refusal: .signInPage)
        addImport(to: group)
        group.signedIn.get("scenarios") { _, context in try await scenariosPage(context, problems: [], status: .ok) }
        group.admin.post("scenarios") { request, context in
            let user = try context.caller()
            let fields = try await pages.form(request, context, limit: maxUploadBytes)
            // A chosen file wins over the text box; the browser sends an empty file part when none is chosen.
            let file = fields["file"].flatMap { $0.isEmpty ? nil : $0 }
            let text = file ?? fields["scenario"] ?? ""
            let fileName = file == nil ? nil : fields["file.filename"].flatMap { $0.isEmpty ? nil : $0 }
            let format: UploadFormat = fileName?.lowercased().hasSuffix(".json") == true
                || text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{") ? .json : .yaml
            let school = Self.schoolID(fields)
            do throws(ServiceError) {
                let outcome = try await scenarios.upload(text, format: format, fileName: fileName, by: user, schoolID: school)
                return Pages.redirect("/scenarios/\(outcome.scenario.id!)")
            } catch {
                if case .invalid(let problems) = error {
                    return try await scenariosPage(context, problems: problems.map(\.description), status: .unprocessableContent)
                }
                return try await answer(context) { () throws(ServiceError) in throw error }
            }
        }
    }

    /// `flexsched import csv` and `import oneroster` as forms: every file's problems at once (422),
    /// nothing stored until there are none.
    func addImport(to group: AccessGroups) {
        group.admin.get("import") { _, context in try await importPage(context, problems: [], status: .ok) }
        group.admin.post("import") { request, context in
            let user = try context.caller()
            let fields = try await pages.form(request, context, limit: maxUploadBytes)
            let upload = ImportUpload(texts: fields), school = Self.schoolID(fields)
            do throws(ServiceError) {
                let outcome = fields["kind"] == "oneroster" ? try await scenarios.importRoster(upload, by: user, schoolID: school)
                    : try await scenarios.importSheets(upload, by: user, schoolID: school)
                return Pages.redirect("/scenarios/\(outcome.scenario.id!)")
            } catch {
                if case .invalid(let problems) = error {
                    return try await importPage(context, problems: problems.map(\.description), status: .unprocessableContent)
                }
                return try await answer(context) { () throws(ServiceError) in throw error }
            }
        }
    }

    /// The school a district admin chose for an upload (`schoolID`; the form offers it only when there is a choice).
    static func schoolID(_ fields: [String: String]) -> Int64? { fields["schoolID"].flatMap { Int64($0) } }

    /// The schools an upload may go to, for the form's choice: only a district admin of several schools has one.
    func schoolChoice(_ context: AppContext) async throws -> [SchoolRecord] {
        let scope = try context.scope()
        let schools = try await answer(context) { () async throws(ServiceError) in try await scenarios.schools(in: scope) }
        return schools.count > 1 ? schools : []
    }

    static func values(_ choice: [SchoolRecord]) -> [String: Any] {
        ["hasSchoolChoice": !choice.isEmpty, "schools": choice.map { ["id": $0.id!, "name": $0.name] }]
    }

    func importPage(_ context: AppContext, problems: [String], status: HTTPResponse.Status) async throws -> Response {
        pages.render("import", Self.values(try await schoolChoice(context)).merging(["title": "Import CSV sheets",
            "sheets": ImportUpload.sheets.map { ["field": $0.field, "file": $0.file, "required": $0.required] },
            "roster": ImportUpload.roster.map { ["field": $0.field, "file": $0.file, "required": $0.required] },
            "problems": problems, "hasProblems": !problems.isEmpty,
        ]) { $1 }, context: context, status: status)
    }

    func scenariosPage(_ context: AppContext, problems: [String], status: HTTPResponse.Status) async throws -> Response {
        let scope = try context.scope()
        let listings = try await answer(context) { () async throws(ServiceError) in try await scenarios.list(in: scope) }
        let choice = try await schoolChoice(context)
        // Only where there is a choice of school does a scenario's school need saying.
        let schoolNames = Dictionary(choice.map { ($0.id!, $0.name) }, uniquingKeysWith: { first, _ in first })
        return pages.render("scenarios", Self.values(choice).merging(["title": "Scenarios",
            "scenarios": listings.map { ["id": $0.scenario.id!, "name": $0.scenario.name, "version": $0.latest.version,
                                         "school": schoolNames[$0.scenario.schoolID] as Any] },
            "problems": problems, "hasProblems": !problems.isEmpty,
        ]) { $1 }, context: context, status: status)
    }
}

/// The read-only page behind a private link.
enum PersonalPage {
    static func values(_ week: (FeedLink, ValidatedScenario, CheckedTimetable?)) -> [String: Any] {
        let (link, scenario, published) = week
        var values: [String: Any] = ["title": link.feed.name, "name": link.feed.name, "kind": link.feed.kind.rawValue,
                                     "webcal": link.webcalURL, "https": link.calendarURL, "published": published != nil]
        if let published {
            let grids = HTMLGrids(published, scenario: scenario.scenario)
            let id = link.feed.entityID
            let owner: WeekOwner = switch link.feed.kind {
            case .teacher: .teacher(id)
            case .student: .student(id)
            case .room: .room(id)
            case .schoolClass: .schoolClass(id)
            }
            values["grid"] = grids.week(of: owner)
            values["days"] = grids.days(of: owner)
            values["legend"] = grids.legend
            values["gridStyles"] = grids.styleSheet
        }
        return values
    }
}
