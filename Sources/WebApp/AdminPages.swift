import Foundation
import Hummingbird
import ScenarioKit
import Store
import TimetableChecker

/// The admin's pages: scenarios and their versions, runs with live progress.
struct AdminPages {
    let pages: Pages
    var services: Services { pages.services }

    func add(to group: RouterGroup<AppContext>) {
        group.get("scenarios") { request, context in
            guard try pages.admin(request, context) != nil else { return Pages.redirect("/signin") }
            return scenariosPage(context, problems: [], status: .ok)
        }
        group.post("scenarios") { request, context in
            guard let user = try pages.admin(request, context) else { return Pages.redirect("/signin") }
            let fields = try await pages.form(request, context, limit: services.configuration.maxUploadBytes)
            let text = fields["scenario"] ?? ""
            let format: UploadFormat = text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{") ? .json : .yaml
            do throws(ServiceError) {
                let outcome = try services.upload(text, format: format, by: user)
                return Pages.redirect("/scenarios/\(outcome.scenario.id!)")
            } catch {
                if case .invalid(let problems) = error {
                    return scenariosPage(context, problems: problems.map(\.description), status: .unprocessableContent)
                }
                return scenariosPage(context, problems: [error.description], status: .conflict)
            }
        }
    }

    func scenariosPage(_ context: AppContext, problems: [String], status: HTTPResponse.Status) -> Response {
        let listings = (try? services.scenarios()) ?? []
        return pages.render("scenarios", [
            "scenarios": listings.map { ["id": $0.scenario.id!, "name": $0.scenario.name, "version": $0.latest.version] },
            "problems": problems, "hasProblems": !problems.isEmpty,
        ], context: context, status: status)
    }
}

/// The read-only page behind a private link.
enum PersonalPage {
    static func values(_ week: (FeedLink, ValidatedScenario, CheckedTimetable?)) -> [String: Any] {
        let (link, _, _) = week
        return ["name": link.feed.name, "kind": link.feed.kind.rawValue, "webcal": link.webcalURL, "https": link.calendarURL,
                "published": week.2 != nil]
    }
}
