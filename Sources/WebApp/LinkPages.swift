import CSVExport
import Foundation
import Hummingbird
import NIOCore
import Store

/// `/scenarios/{id}/links`: every private link of a scenario, a CSV of them for a mail merge,
/// rotating or revoking one, and making class links, which exist only where an admin makes them.
struct LinkPages {
    let pages: Pages
    let scenarios: ScenarioService
    let publishing: PublishingService

    func add(to session: RouterGroup<AppContext>) {
        let admin = AccessGroups(session, refusal: .signInPage).admin
        admin.get("scenarios/:id/links") { _, context in try await page(context, scenarioID: try Pages.pathID("id", context), notice: nil) }
        admin.get("scenarios/:id/links.csv") { _, context in
            let id = try Pages.pathID("id", context), scope = try context.scope()
            let links = try await answer(context) { () async throws(ServiceError) in try await publishing.links(scenarioID: id, in: scope) }
            let csv = CSVExport.spreadsheetTable(header: ["kind", "id", "name", "calendar_url", "webcal_url", "page_url", "revoked"], rows: links.map {
                [$0.feed.kind.rawValue, $0.feed.entityID, $0.feed.name, $0.calendarURL, $0.webcalURL, $0.pageURL, $0.feed.revoked ? "yes" : "no"]
            })
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                                                   .contentDisposition: "attachment; filename=\"links-scenario-\(id).csv\""],
                            body: .init(byteBuffer: ByteBuffer(bytes: csv)))
        }
        admin.post("scenarios/:id/links") { request, context in
            let id = try Pages.pathID("id", context), scope = try context.scope()
            let fields = try await pages.form(request, context)
            if fields["action"] == "add-class-links" {
                let only = fields["entity"].flatMap { $0.isEmpty ? nil : [$0] }
                let added = try await answer(context) { () async throws(ServiceError) in try await publishing.addClassLinks(scenarioID: id, classIDs: only, in: scope) }
                let names = added.map(\.feed.name).joined(separator: ", ")
                return try await page(context, scenarioID: id, notice: added.isEmpty ? "There is no class to link." : "Class links: \(names).")
            }
            guard let kind = fields["kind"].flatMap(FeedKind.init(rawValue:)), let entity = fields["entity"], !entity.isEmpty,
                  let action = fields["action"], action == "rotate" || action == "revoke" else {
                throw HTTPError(.badRequest, message: "the form needs kind (teacher, student, room or class), entity and action (rotate or revoke), or action add-class-links")
            }
            let link = try await answer(context) { () async throws(ServiceError) in
                if action == "rotate" { return try await publishing.rotate(scenarioID: id, kind: kind, entityID: entity, in: scope) }
                return try await publishing.revoke(scenarioID: id, kind: kind, entityID: entity, in: scope)
            }
            let notice = action == "rotate" ? "\(link.feed.name)'s link was replaced; the old one no longer works."
                : "\(link.feed.name)'s link was revoked."
            return try await page(context, scenarioID: id, notice: notice)
        }
    }

    func page(_ context: AppContext, scenarioID: Int64, notice: String?) async throws -> Response {
        let scope = try context.scope()
        let scenario = try await answer(context) { () async throws(ServiceError) in try await scenarios.scenario(scenarioID, in: scope) }
        let links = try await answer(context) { () async throws(ServiceError) in try await publishing.links(scenarioID: scenarioID, in: scope) }
        let unlinked = try await answer(context) { () async throws(ServiceError) in
            try await publishing.classesWithoutLinks(scenarioID: scenarioID, in: scope)
        }
        return pages.render("links", [
            "unlinkedClasses": unlinked.map { ["id": $0.id, "name": $0.name] }, "hasUnlinkedClasses": !unlinked.isEmpty,
            "title": "Private links: \(scenario.name)", "scenario": scenario.name, "scenarioID": scenarioID, "notice": notice as Any,
            "links": links.map {
                ["kind": $0.feed.kind.rawValue, "entity": $0.feed.entityID, "name": $0.feed.name, "https": $0.calendarURL,
                 "webcal": $0.webcalURL, "page": $0.pageURL, "revoked": $0.feed.revoked]
            },
        ], context: context)
    }
}
