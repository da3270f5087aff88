import Foundation
import Hummingbird
import NIOCore
import ScenarioKit
import Store

/// `/api/v1`: JSON in and out, `Authorization: Bearer TOKEN`; the same services as the pages.
struct APIRoutes {
    let scenarios: ScenarioService
    let runs: RunService
    let publishing: PublishingService
    let whatIf: WhatIfService
    let explain: ExplainService
    let accounts: AccountService
    let maxUploadBytes: Int

    func add(to router: Router<AppContext>) {
        let api = router.group("api/v1").add(middleware: BearerAuthentication(accounts: accounts))
        api.post("scenarios") { request, context in try await handle(context) { try await uploadScenario(request, context) } }
        api.get("scenarios") { _, context in try await handle(context) { try await listScenarios(context) } }
        api.post("scenarios/:id/runs") { request, context in try await handle(context) { try await startRun(request, context) } }
        api.get("scenarios/:id/runs") { _, context in try await handle(context) { try await listRuns(context) } }
        api.get("scenarios/:id/feeds") { _, context in try await handle(context) { try await listFeeds(context) } }
        api.get("runs/:run") { _, context in try await handle(context) { try await showRun(context) } }
        api.get("runs/:run/events") { _, context in try await handle(context) { try await runEvents(context) } }
        api.delete("runs/:run") { _, context in try await handle(context) { try await cancelRun(context) } }
        api.post("runs/:run/publish") { _, context in try await handle(context) { try await publishRun(context) } }
        api.post("runs/:run/whatif") { request, context in try await handle(context) { try await startWhatIf(request, context) } }
        api.get("runs/:run/whatif") { _, context in try await handle(context) { try await whatIfComparison(context) } }
        api.post("runs/:run/explain") { _, context in try await handle(context) { try await startExplain(context) } }
        api.get("explanations/:id") { _, context in try await handle(context) { try showExplanation(context) } }
        api.post("feeds/:kind/:id/rotate") { request, context in try await handle(context) { try await changeFeed(request, context, revoke: false) } }
        api.delete("feeds/:kind/:id") { request, context in try await handle(context) { try await changeFeed(request, context, revoke: true) } }
    }

    /// Service refusals become JSON with their status; HTTP errors (401, 403, 413) pass through.
    func handle(_ context: AppContext, _ route: () async throws -> Response) async throws -> Response {
        do { return try await route() } catch let error as ServiceError {
            if case .failure(let cause) = error { context.logger.error("\(cause)") }
            return Self.errorResponse(error)
        }
    }

    static func errorResponse(_ error: ServiceError) -> Response {
        if case .invalid(let problems) = error { return json(["problems": problems.map(problemJSON)], status: error.status) }
        return json(["error": error.description], status: error.status)
    }

    static func problemJSON(_ problem: InputProblem) -> [String: Any] {
        var entry: [String: Any] = ["file": problem.file, "entity": problem.entity, "message": problem.message]
        entry["line"] = problem.line ?? NSNull()
        if let column = problem.column { entry["column"] = column }
        return entry
    }

    func uploadScenario(_ request: Request, _ context: AppContext) async throws -> Response {
        let user = try context.requireAdmin()
        let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        let format: UploadFormat
        switch type {
        case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml": format = .yaml
        case "application/json": format = .json
        default:
            return Self.json(["error": "send the scenario with Content-Type application/yaml or application/json"], status: .unsupportedMediaType)
        }
        let text = try await readUpload(request)
        let outcome = try await scenarios.upload(text, format: format, by: user)
        return Self.json(["id": outcome.scenario.id!, "name": outcome.scenario.name, "version": outcome.version.version,
                          "warnings": outcome.warnings], status: .created)
    }

    /// The body as UTF-8 text within the upload limit (413 beyond it, before reading it all when
    /// the length is announced).
    func readUpload(_ request: Request) async throws -> String {
        let limit = maxUploadBytes
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw HTTPError(.contentTooLarge, message: "uploads are limited to \(limit) bytes")
        }
        let buffer = try await request.body.collect(upTo: limit)
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
            throw ServiceError.invalid([InputProblem(file: "upload", entity: "", message: "is not UTF-8 text; save the file as UTF-8")])
        }
        return text
    }

    func listScenarios(_ context: AppContext) async throws -> Response {
        try context.requireUser()
        return Self.json(try await scenarios.list().map { listing in
            var entry: [String: Any] = ["id": listing.scenario.id!, "name": listing.scenario.name, "version": listing.latest.version]
            entry["publishedRun"] = listing.published?.runID ?? NSNull()
            return entry
        })
    }

    func startRun(_ request: Request, _ context: AppContext) async throws -> Response {
        let user = try context.requireAdmin()
        let id = try scenarioID(context)
        let body = try await request.body.collect(upTo: 64 << 10)
        var timeLimit = 60.0
        if body.readableBytes > 0 {
            guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] else {
                throw ServiceError.badRequest("send a JSON object such as {\"timeLimit\": 30}")
            }
            if let unknown = object.keys.first(where: { $0 != "timeLimit" }) { throw ServiceError.badRequest("unknown key \(unknown); only timeLimit is read") }
            struct StartRun: Decodable { var timeLimit: Double? }
            guard let request = try? JSONDecoder().decode(StartRun.self, from: Data(body.readableBytesView)) else {
                throw ServiceError.badRequest("timeLimit is a number of seconds")
            }
            timeLimit = request.timeLimit ?? timeLimit
        }
        let run = try await runs.start(scenarioID: id, timeLimit: timeLimit, by: user)
        var response = Self.json(["run": run.id!, "state": run.state.rawValue], status: .accepted)
        response.headers[.location] = "/api/v1/runs/\(run.id!)"
        return response
    }

    func listRuns(_ context: AppContext) async throws -> Response {
        try context.requireUser()
        let id = try scenarioID(context)
        _ = try await scenarios.scenario(id)
        return Self.json(try await runs.list(scenarioID: id).map { Self.runJSON($0, withTimetable: false) })
    }

    func showRun(_ context: AppContext) async throws -> Response {
        try context.requireUser()
        return Self.json(Self.runJSON(try await runs.run(try runID(context)), withTimetable: true))
    }

    static func runJSON(_ view: RunView, withTimetable: Bool) -> [String: Any] {
        let run = view.run
        let iso = ISO8601DateFormatter()
        var entry: [String: Any] = [
            "id": run.id!, "state": run.state.rawValue, "scenario": view.scenario.id!, "scenarioName": view.scenario.name,
            "version": view.version.version, "timeLimit": run.timeLimit, "requestedBy": view.requestedBy, "created": iso.string(from: run.created),
        ]
        entry["started"] = run.started.map { iso.string(from: $0) } ?? NSNull()
        entry["finished"] = run.finished.map { iso.string(from: $0) } ?? NSNull()
        entry["summary"] = run.summary ?? NSNull()
        entry["progress"] = view.progress.flatMap { try? JSONSerialization.jsonObject(with: JSONEncoder.sorted.encode($0)) } ?? NSNull()
        if let baseline = run.baselineRunID {
            entry["baselineRun"] = baseline
            entry["change"] = run.changeName ?? NSNull()
        }
        if withTimetable {
            entry["timetable"] = run.timetable.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } ?? NSNull()
        }
        return entry
    }

    /// Server-Sent Events: `progress` about once a second while the run works, then one `done`
    /// with its final state, and the stream ends.
    func runEvents(_ context: AppContext) async throws -> Response {
        try context.requireUser()
        return Self.eventStream(try await runs.events(runID: try runID(context)))
    }

    static func eventStream(_ events: AsyncStream<RunEvent>) -> Response {
        let body = ResponseBody { writer in
            for await event in events {
                switch event {
                case .progress(let progress):
                    try await writer.write(ByteBuffer(string: "event: progress\ndata: \(progress.json)\n\n"))
                case .finished(let state):
                    try await writer.write(ByteBuffer(string: "event: done\ndata: {\"state\":\"\(state.rawValue)\"}\n\n"))
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
    }

    func cancelRun(_ context: AppContext) async throws -> Response {
        _ = try context.requireAdmin()
        let id = try runID(context)
        let state = try await runs.cancel(runID: id)
        return Self.json(["run": id, "state": state == .queued || state == .running ? "cancelling" : state.rawValue], status: .accepted)
    }

    func publishRun(_ context: AppContext) async throws -> Response {
        let user = try context.requireAdmin()
        let outcome = try await publishing.publish(runID: try runID(context), by: user)
        return Self.json([
            "scenario": outcome.scenarioID, "run": outcome.runID, "previousRun": outcome.previousRunID.map { $0 as Any } ?? NSNull(),
            "events": ["added": outcome.addedEvents, "changed": outcome.changedEvents, "unchanged": outcome.unchangedEvents, "removed": outcome.removedEvents],
            "affected": outcome.affected.map(Self.personJSON),
        ])
    }

    func listFeeds(_ context: AppContext) async throws -> Response {
        try context.requireUser()
        return Self.json(try await publishing.links(scenarioID: try scenarioID(context)).map(Self.feedJSON))
    }

    static func feedJSON(_ link: FeedLink) -> [String: Any] {
        ["kind": link.feed.kind.rawValue, "id": link.feed.entityID, "name": link.feed.name, "url": link.calendarURL,
         "webcal": link.webcalURL, "page": link.pageURL, "revoked": link.feed.revoked, "scenario": link.feed.scenarioID]
    }

    /// Rotate or revoke `feeds/{kind}/{id}`; `?scenario=ID` picks the scenario when the id is in several.
    func changeFeed(_ request: Request, _ context: AppContext, revoke: Bool) async throws -> Response {
        _ = try context.requireAdmin()
        guard let kind = context.parameters.get("kind", as: FeedKind.self) else {
            throw ServiceError.notFound("feeds are of kind teacher, student or room")
        }
        let entityID = try context.parameters.require("id")
        let scenario: Int64
        if let given = request.uri.queryParameters.get("scenario") {
            guard let id = Int64(given) else { throw ServiceError.badRequest("scenario is a number") }
            scenario = id
        } else {
            scenario = try await publishing.onlyScenario(withFeed: kind, entityID: entityID)
        }
        let link: FeedLink
        if revoke {
            link = try await publishing.revoke(scenarioID: scenario, kind: kind, entityID: entityID)
        } else {
            link = try await publishing.rotate(scenarioID: scenario, kind: kind, entityID: entityID)
        }
        return Self.json(Self.feedJSON(link))
    }

    func scenarioID(_ context: AppContext) throws -> Int64 {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw ServiceError.notFound("no such scenario") }
        return id
    }

    func runID(_ context: AppContext) throws -> Int64 {
        guard let id = context.parameters.get("run", as: Int64.self) else { throw ServiceError.notFound("no such run") }
        return id
    }

    static func json(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
