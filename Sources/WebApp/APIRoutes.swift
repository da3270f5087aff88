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
        let api = AccessGroups(router.group("api/v1").add(middleware: BearerAuthentication(accounts: accounts)), refusal: .status)
        api.signedIn.get("scenarios") { _, context in try await handle(context) { try await listScenarios(context) } }
        api.signedIn.get("scenarios/:id/runs") { _, context in try await handle(context) { try await listRuns(context) } }
        api.signedIn.get("runs/:run") { _, context in try await handle(context) { try await showRun(context) } }
        api.signedIn.get("runs/:run/events") { _, context in try await handle(context) { try await runEvents(context) } }
        api.signedIn.get("runs/:run/whatif") { _, context in try await handle(context) { try await whatIfComparison(context) } }
        api.signedIn.get("explanations/:id") { _, context in try await handle(context) { try await showExplanation(context) } }
        api.admin.post("scenarios") { request, context in try await handle(context) { try await uploadScenario(request, context) } }
        api.admin.post("import/csv") { request, context in try await handle(context) { try await importFiles(request, context, roster: false) } }
        api.admin.post("import/oneroster") { request, context in try await handle(context) { try await importFiles(request, context, roster: true) } }
        api.admin.post("scenarios/:id/runs") { request, context in try await handle(context) { try await startRun(request, context) } }
        // Private tokens: whoever holds one reads that person's week.
        api.admin.get("scenarios/:id/feeds") { _, context in try await handle(context) { try await listFeeds(context) } }
        api.admin.delete("runs/:run") { _, context in try await handle(context) { try await cancelRun(context) } }
        api.admin.post("runs/:run/publish") { request, context in try await handle(context) { try await publishRun(request, context) } }
        api.admin.post("runs/:run/whatif") { request, context in try await handle(context) { try await startWhatIf(request, context) } }
        api.admin.post("runs/:run/explain") { _, context in try await handle(context) { try await startExplain(context) } }
        api.admin.post("feeds/:kind/:id/rotate") { request, context in try await handle(context) { try await changeFeed(request, context, revoke: false) } }
        api.admin.delete("feeds/:kind/:id") { request, context in try await handle(context) { try await changeFeed(request, context, revoke: true) } }
    }

    /// Service refusals become JSON with their status; HTTP errors (401, 403, 413) pass through.
    func handle(_ context: AppContext, _ route: () async throws -> Response) async throws -> Response {
        do { return try await route() } catch let error as ServiceError {
            if case .failure(let cause) = error { context.logger.error("\(cause)") }
            return try Self.errorResponse(error)
        }
    }

    static func errorResponse(_ error: ServiceError) throws -> Response {
        if case .invalid(let problems) = error { return try json(ErrorBody(problems), status: error.status) }
        return try json(ErrorBody(error.description), status: error.status)
    }

    func uploadScenario(_ request: Request, _ context: AppContext) async throws -> Response {
        let user = try context.caller()
        let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        let format: UploadFormat
        switch type {
        case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml": format = .yaml
        case "application/json": format = .json
        default:
            return try Self.json(ErrorBody("send the scenario with Content-Type application/yaml or application/json"), status: .unsupportedMediaType)
        }
        let text = try await readUpload(request)
        let outcome = try await scenarios.upload(text, format: format, by: user, schoolID: try schoolID(request))
        return try Self.json(UploadedBody(id: outcome.scenario.id!, name: outcome.scenario.name, version: outcome.version.version,
                                      warnings: outcome.warnings), status: .created)
    }

    /// An import's files as `multipart/form-data`, one field each (as the import page names them):
    /// 201 as for an uploaded scenario, or 422 with every problem of every file.
    func importFiles(_ request: Request, _ context: AppContext, roster: Bool) async throws -> Response {
        let user = try context.caller()
        guard request.headers[.contentType]?.lowercased().hasPrefix("multipart/form-data") == true else {
            return try Self.json(ErrorBody("send the files as multipart/form-data, one field each (see the README)"), status: .unsupportedMediaType)
        }
        let upload = ImportUpload(texts: try await Pages.formFields(request, limit: maxUploadBytes))
        let school = try schoolID(request)
        let outcome = roster ? try await scenarios.importRoster(upload, by: user, schoolID: school)
            : try await scenarios.importSheets(upload, by: user, schoolID: school)
        return try Self.json(UploadedBody(id: outcome.scenario.id!, name: outcome.scenario.name, version: outcome.version.version,
                                          warnings: outcome.warnings), status: .created)
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
        return try Self.json(try await scenarios.list(in: try context.scope()).map {
            ScenarioBody(id: $0.scenario.id!, school: $0.scenario.schoolID, name: $0.scenario.name, version: $0.latest.version, publishedRun: $0.published?.runID)
        })
    }

    func startRun(_ request: Request, _ context: AppContext) async throws -> Response {
        let user = try context.caller()
        let id = try scenarioID(context)
        let body = try await request.body.collect(upTo: 64 << 10)
        var timeLimit = 60.0, fromScratch = false
        if body.readableBytes > 0 {
            let asked = try decodeRequest(StartRunRequest.self, from: Data(body.readableBytesView), example: StartRunRequest.example)
            timeLimit = asked.timeLimit ?? timeLimit
            fromScratch = asked.fromScratch
        }
        let run = try await runs.start(scenarioID: id, timeLimit: timeLimit, fromScratch: fromScratch, by: user)
        var response = try Self.json(RunStateBody(run: run.id!, state: run.state.rawValue), status: .accepted)
        response.headers[.location] = "/api/v1/runs/\(run.id!)"
        return response
    }

    func listRuns(_ context: AppContext) async throws -> Response {
        let id = try scenarioID(context), scope = try context.scope()
        _ = try await scenarios.scenario(id, in: scope)
        return try Self.json(try await runs.list(scenarioID: id, in: scope).map { RunBody(view: $0, timetable: nil) })
    }

    func showRun(_ context: AppContext) async throws -> Response {
        let scope = try context.scope()
        let view = try await runs.run(try runID(context), in: scope)
        // Served only once the independent checker has passed it again, like every timetable.
        let timetable = view.run.timetable == nil ? nil : try await runs.checkedTimetable(runID: view.run.id!, in: scope).1.timetable
        return try Self.json(RunBody(view: view, timetable: .some(timetable)))
    }

    /// Server-Sent Events: `progress` about once a second while the run works, then one `done`
    /// with its final state, and the stream ends.
    func runEvents(_ context: AppContext) async throws -> Response {
        return Self.eventStream(try await runs.events(runID: try runID(context), in: try context.scope()))
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
        let id = try runID(context)
        let state = try await runs.cancel(runID: id, in: try context.scope())
        return try Self.json(RunStateBody(run: id, state: state == .queued || state == .running ? "cancelling" : state.rawValue), status: .accepted)
    }

    /// A change to more than a few people's published weeks answers 409 with its preview until the
    /// request confirms it.
    func publishRun(_ request: Request, _ context: AppContext) async throws -> Response {
        let user = try context.caller()
        let body = try await request.body.collect(upTo: 64 << 10)
        var confirmed = false
        if body.readableBytes > 0 {
            confirmed = try decodeRequest(PublishRequest.self, from: Data(body.readableBytesView), example: PublishRequest.example).confirm
        }
        let outcome = try await publishing.publish(runID: try runID(context), confirmed: confirmed, by: user)
        return try Self.json(PublishedBody(outcome), status: outcome.published ? .ok : .conflict)
    }

    func listFeeds(_ context: AppContext) async throws -> Response {
        return try Self.json(try await publishing.links(scenarioID: try scenarioID(context), in: try context.scope()).map(FeedBody.init))
    }

    /// Rotate or revoke `feeds/{kind}/{id}`; `?scenario=ID` picks the scenario when the id is in several.
    func changeFeed(_ request: Request, _ context: AppContext, revoke: Bool) async throws -> Response {
        guard let kind = context.parameters.get("kind", as: FeedKind.self) else {
            throw ServiceError.notFound("feeds are of kind teacher, student, room or class")
        }
        let entityID = try context.parameters.require("id"), scope = try context.scope()
        let scenario: Int64
        if let given = request.uri.queryParameters.get("scenario") {
            guard let id = Int64(given) else { throw ServiceError.badRequest("scenario is a number") }
            scenario = id
        } else {
            scenario = try await publishing.onlyScenario(withFeed: kind, entityID: entityID, in: scope)
        }
        let link: FeedLink
        if revoke {
            link = try await publishing.revoke(scenarioID: scenario, kind: kind, entityID: entityID, in: scope)
        } else {
            link = try await publishing.rotate(scenarioID: scenario, kind: kind, entityID: entityID, in: scope)
        }
        return try Self.json(FeedBody(link))
    }

    /// `?schoolID=ID`: the school a district admin's upload or import goes to.
    func schoolID(_ request: Request) throws -> Int64? {
        guard let given = request.uri.queryParameters.get("schoolID") else { return nil }
        guard let id = Int64(given) else { throw ServiceError.badRequest("schoolID is a number") }
        return id
    }

    func scenarioID(_ context: AppContext) throws -> Int64 {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw ServiceError.notFound("no such scenario") }
        return id
    }

    func runID(_ context: AppContext) throws -> Int64 {
        guard let id = context.parameters.get("run", as: Int64.self) else { throw ServiceError.notFound("no such run") }
        return id
    }

    /// An answer's body as JSON. Encoding one of the API's bodies fails only on a number JSON cannot
    /// carry (infinity), which the services never hand out: that is the server's failure, a 500.
    static func json(_ body: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do { data = try encoder.encode(body) } catch { throw ServiceError.failure(cause: "encoding a JSON answer: \(error)") }
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
